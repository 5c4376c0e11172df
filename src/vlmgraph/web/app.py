"""The FastAPI app factory: mounts the routers and holds the open store and the query process."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from ..catalogue import Catalogue


@dataclass(frozen=True)
class Settings:
    store_dir: Path | str  # a store folder, or the URL of a SPARQL endpoint (remote_store)
    timeout: float = 10.0
    workers: int = 3  # queries answered at once by the query process (query_workers)
    max_request_bytes: int = 100_000
    max_result_bytes: int = 100_000_000
    cors_origins: tuple[str, ...] = ("*",)
    query_dir: Path | None = None


def create_app(settings: Settings) -> FastAPI:
    from . import api, entities, ontology_page, query_page, search, sparql, viz_pages
    from .templating import mount_static

    # A store folder, or a SPARQL server's URL (it then runs the queries: no query process here). Fails early,
    # with a clear message, when there is no store.
    catalogue = Catalogue.open(settings.store_dir, query_dir=settings.query_dir, timeout=settings.timeout,
                               max_response_bytes=4 * settings.max_result_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.workers = catalogue.runner(settings.workers, settings.timeout)
        await app.state.workers.start()
        try:
            yield
        finally:
            await app.state.workers.close()

    app = FastAPI(
        title="vlmgraph",
        description="A knowledge graph of vision-language models: SPARQL 1.1 endpoint and named lineage queries.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load Swagger and ReDoc from a CDN; pages here must work
        # offline, so the API is described by /openapi.json and browsed from the query page instead.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.catalogue = catalogue
    catalogue.names  # opens the name table (or, for a remote store, starts writing one in the background)
    app.add_middleware(
        CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
    )
    if catalogue.remote:
        from ..sparql_client import RemoteStoreError
        from .remote_errors import remote_store_failed

        app.add_exception_handler(RemoteStoreError, remote_store_failed)
    mount_static(app)
    app.include_router(sparql.router)
    app.include_router(query_page.router)
    app.include_router(api.router_for(catalogue.queries))
    app.include_router(entities.router)
    app.include_router(search.router)
    app.include_router(viz_pages.router)
    app.include_router(ontology_page.router)
    return app

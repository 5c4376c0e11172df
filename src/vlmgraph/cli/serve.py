"""`vlmgraph serve`: the SPARQL endpoint, the named-query API and the pages, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..store import build as build_store
from .common import DataOption, OntologyOption, StoreOption, data_dir, err, reporting, say, store_location


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before it is stopped."),
    workers: int = typer.Option(3, "--workers", help="Queries answered at once (threads of the one query process, "
                                                       "which a runaway query is killed with)."),
    cors_origin: List[str] = typer.Option(["*"], "--cors-origin", help="Origins allowed to read from browsers."),
    data: Optional[Path] = DataOption, store: Optional[str] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Serve the SPARQL endpoint, the named-query API and the pages (read-only)."""
    import uvicorn

    from ..web.app import Settings, create_app

    with reporting():
        target = store_location(data, store)
        if not isinstance(target, str):  # a remote endpoint is served as it is; a local store is kept current
            with err.status("building the store…"):
                build_store(data_dir(data), target, ontology)
        application = create_app(Settings(target, timeout=timeout, workers=workers, cors_origins=tuple(cors_origin)))
    say(f"vlmgraph: SPARQL endpoint at http://{host}:{port}/sparql")
    uvicorn.run(application, host=host, port=port, log_level="warning")

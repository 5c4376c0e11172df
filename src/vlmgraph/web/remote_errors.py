"""Pages served from a SPARQL server (`serve --store URL`) whose server fails: a 502 or 504 with
the one-line reason, never a 500 with a traceback. The SPARQL endpoint maps these itself
(RemoteStore.answer raises QueryTimeout: 503); this covers the pages and the lineage views."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from ..sparql_client import RemoteStoreError, RemoteTimeout
from .site import problem_page


async def remote_store_failed(request: Request, exc: RemoteStoreError) -> Response:
    status = 504 if isinstance(exc, RemoteTimeout) else 502
    wants_html = "html" in request.headers.get("accept", "")
    return problem_page(request, status, "The SPARQL server did not answer", str(exc), plain=not wants_html)

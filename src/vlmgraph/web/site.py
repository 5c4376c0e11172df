"""What the pages share: the served catalogue (a FastAPI dependency) and error pages.

The app makes one ``Catalogue`` at start-up and keeps it on ``app.state.catalogue``; handlers
receive it with ``Depends(catalogue_of)``. What it builds on first use (the name index, the
whole-graph lineage projection for the overview) it keeps for the app's life: the store is
read-only. A page about one entity projects only that entity's neighbourhood (``graph_around``),
so its cost does not grow with the catalogue.
"""

from __future__ import annotations

import networkx as nx
from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ..catalogue import Catalogue
from ..lineage import local_lineage_graph
from ..names import Hit, QueryTooLong
from .templating import render


def catalogue_of(request: Request) -> Catalogue:
    """The catalogue the app serves (a dependency: `cat: Catalogue = Depends(catalogue_of)`)."""
    return request.app.state.catalogue


def graph_around(catalogue: Catalogue, iri: str, up: int, down: int, relations=None) -> nx.MultiDiGraph:
    """The lineage graph of what a page about `iri` can show (see lineage.local_lineage_graph)."""
    return local_lineage_graph(catalogue.store, iri, up, down, relations, names=catalogue.names)


def suggestions(request: Request, text: str, limit: int = 6) -> list[Hit]:
    """Entities close to what was asked for, for a "did you mean" list."""
    try:
        return catalogue_of(request).names.search(text[:200], limit=limit, fuzzy_cutoff=0.6)
    except QueryTooLong:
        return []


def problem_page(request: Request, status: int, title: str, message: str, asked: str | None = None,
                 plain: bool = False, headers: dict | None = None) -> Response:
    """An error as an HTML page (with "did you mean" links when `asked` is given) or as one line
    of text for clients that asked for RDF. Everything shown is escaped by the template."""
    hits = suggestions(request, asked) if asked else []
    if plain:
        lines = [message] + ([f"did you mean: {', '.join(f'{h.label} <{h.iri}>' for h in hits)}?"] if hits else [])
        return PlainTextResponse("\n".join(lines) + "\n", status_code=status, headers=headers)
    response: HTMLResponse = render(request, "error.html", status_code=status, title=title, message=message,
                                    suggestions=hits, asked=asked)
    if headers:
        response.headers.update(headers)
    return response

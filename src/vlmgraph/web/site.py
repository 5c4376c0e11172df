"""What the entity, search and lineage pages share: indexes built once per app, and error pages.

The store an app serves is read-only, so the whole lineage graph (networkx, for the overview)
and the search index are built on first use and kept on ``app.state`` (``lineage_graph``,
``search_index``) for the app's life; a lock keeps two first requests from building them twice.
A page about one entity projects only that entity's neighbourhood (``graph_around``), so its
cost does not grow with the catalogue.
"""

from __future__ import annotations

import threading

import networkx as nx
from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ..lineage import lineage_graph, local_lineage_graph
from ..search_index import Hit, QueryTooLong, SearchIndex, class_labels
from .templating import render

_LOCK = threading.Lock()


def _cached(request: Request, name: str, build):
    state = request.app.state
    value = getattr(state, name, None)
    if value is None:
        with _LOCK:
            value = getattr(state, name, None)
            if value is None:
                value = build(state.store)
                setattr(state, name, value)
    return value


def graph_of(request: Request) -> nx.MultiDiGraph:
    """The app's lineage graph (see vlmgraph.lineage), built on first use."""
    return _cached(request, "lineage_graph", lineage_graph)


def graph_around(request: Request, iri: str, up: int, down: int, relations=None) -> nx.MultiDiGraph:
    """The lineage graph of what a page about `iri` can show (see lineage.local_lineage_graph)."""
    state = request.app.state
    return local_lineage_graph(state.store, iri, up, down, relations, names=state.resolver)


def index_of(request: Request) -> SearchIndex:
    """The app's search index over labels and aliases, built on first use."""
    return _cached(request, "search_index", SearchIndex)


def kind_labels_of(request: Request) -> dict[str, str]:
    """The ontology's names of the entity classes; cheap, so an entity page need not wait for the index."""
    return _cached(request, "kind_labels", class_labels)


def suggestions(request: Request, text: str, limit: int = 6) -> list[Hit]:
    """Entities close to what was asked for, for a "did you mean" list."""
    try:
        return index_of(request).search(text[:200], limit=limit, fuzzy_cutoff=0.6)
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

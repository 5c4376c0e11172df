"""Bridges from pyoxigraph terms (the fast path) to rdflib (the API notebook users know)."""

from __future__ import annotations

from typing import Iterable

import rdflib
from pyoxigraph import RdfFormat, Triple, serialize

from .vocab import PREFIXES


def to_rdflib(triples: Iterable[Triple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy triples into an rdflib graph through N-Triples, which both libraries read exactly."""
    graph = graph if graph is not None else rdflib.Graph()
    data = serialize(list(triples), format=RdfFormat.N_TRIPLES)
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    for name, iri in PREFIXES.items():
        graph.bind(name, iri, replace=True)
    return graph


def sorted_ntriples(triples: Iterable[Triple]) -> bytes:
    """The canonical text of a graph without blank nodes: one N-Triples line per triple, sorted."""
    lines = serialize(list(triples), format=RdfFormat.N_TRIPLES).decode("utf-8").splitlines()
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8") if lines else b""

"""The query side of a served graph, as an interface with two implementations.

Everything above the store (named queries, lineage, pages, the SPARQL endpoint, statistics)
reads the graph through the small part of pyoxigraph's ``Store`` API written down here:
``query`` and ``quads_for_pattern``. The embedded store *is* a ``pyoxigraph.Store`` opened
read-only; ``remote_store.RemoteStore`` answers the same calls from a SPARQL 1.1 endpoint
(Virtuoso, Oxigraph server, Fuseki…) through the W3C protocols, returning the same pyoxigraph
term and result types, so no caller knows which one it holds.

A served graph also answers whole protocol requests (``answer``: query text in, serialized
result out, within a time and size limit). The embedded store does that in a killable query
process (``query_workers``); a remote store lets the server do it.
"""

from __future__ import annotations

from typing import Iterator, Protocol, Sequence, runtime_checkable

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, Triple

Subject = NamedNode | BlankNode | Triple
Term = NamedNode | BlankNode | Literal | Triple
GraphName = NamedNode | BlankNode | DefaultGraph


@runtime_checkable
class GraphStore(Protocol):
    """What vlmgraph asks of a store. pyoxigraph.Store satisfies it as it is."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | Sequence[GraphName] | None = None,
        named_graphs: Sequence[NamedNode | BlankNode] | None = None,
    ) -> QuerySolutions | QueryBoolean | Iterator[Triple]:
        """Run a SPARQL query. SELECT gives solutions, ASK a boolean, CONSTRUCT/DESCRIBE triples."""
        ...

    def quads_for_pattern(
        self,
        subject: Subject | None,
        predicate: NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[Quad]:
        """Every quad matching the pattern (None matches anything)."""
        ...


def is_remote(location: str) -> bool:
    """A store location is either a folder (embedded) or an http(s) SPARQL endpoint URL."""
    return str(location).startswith(("http://", "https://"))

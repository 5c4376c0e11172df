"""Serialize the whole graph (ontology + data, or data only) in the usual RDF formats."""

from __future__ import annotations

from pyoxigraph import CanonicalizationAlgorithm, Dataset, Quad, RdfFormat, Triple, serialize

from .formats import Format, find
from .graph_store import GraphStore
from .rdf import sorted_ntriples
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH
from .vocab import SERIALIZATION_PREFIXES as PREFIXES


def graph_quads(store: GraphStore, data_only: bool = False) -> list[Quad]:
    """The quads of the ontology and data graphs, blank nodes relabelled canonically (RDFC-1.0)
    so that the same graph always serializes to the same bytes."""
    graphs = [DATA_GRAPH] if data_only else [ONTOLOGY_GRAPH, DATA_GRAPH]
    dataset = Dataset(quad for graph in graphs for quad in store.quads_for_pattern(None, None, None, graph))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def export_bytes(store: GraphStore, fmt: Format | str, data_only: bool = False) -> bytes:
    """The graph in one graph format (a Format or its name). TriG and N-Quads keep the ontology and
    data graphs apart; the others merge them. N-Triples comes sorted, so equal graphs give equal bytes."""
    fmt = find(fmt, "graph") if isinstance(fmt, str) else fmt
    prefixes = {"prefixes": PREFIXES} if fmt.takes_prefixes else {}
    quads = graph_quads(store, data_only)
    if fmt.keeps_graphs:
        return serialize(quads, format=fmt.pyoxigraph, **prefixes)
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    if fmt.pyoxigraph is RdfFormat.N_TRIPLES:
        return sorted_ntriples(triples)
    return serialize(triples, format=fmt.pyoxigraph, **prefixes)

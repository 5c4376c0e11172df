"""Serialize the whole graph (ontology + data, or data only) in the usual RDF formats."""

from __future__ import annotations

from pyoxigraph import CanonicalizationAlgorithm, Dataset, Quad, RdfFormat, Triple

from .formats import Format, find, serialize_graph
from .graph_store import GraphStore
from .rdf import sorted_ntriples
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH


def graph_quads(store: GraphStore, data_only: bool = False, ontology_only: bool = False) -> list[Quad]:
    """The quads of the ontology and data graphs (or of one), blank nodes relabelled canonically
    (RDFC-1.0) so that the same graph always serializes to the same bytes."""
    graphs = [DATA_GRAPH] if data_only else [ONTOLOGY_GRAPH] if ontology_only else [ONTOLOGY_GRAPH, DATA_GRAPH]
    dataset = Dataset(quad for graph in graphs for quad in store.quads_for_pattern(None, None, None, graph))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def export_bytes(store: GraphStore, fmt: Format | str, data_only: bool = False, ontology_only: bool = False) -> bytes:
    """The graph in one graph format (a Format or its name). TriG and N-Quads keep the ontology and
    data graphs apart; the others merge them. N-Triples comes sorted, so equal graphs give equal bytes.
    `ontology_only` is how ontology/vlmgraph.owl (RDF/XML, for owlready2 and Protégé) is made."""
    if data_only and ontology_only:
        raise ValueError("--data-only and --ontology-only exclude each other")
    fmt = find(fmt, "graph") if isinstance(fmt, str) else fmt
    quads = graph_quads(store, data_only, ontology_only)
    if fmt.keeps_graphs:
        return serialize_graph(quads, fmt)
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    if fmt.pyoxigraph is RdfFormat.N_TRIPLES:
        return sorted_ntriples(triples)
    return serialize_graph(triples, fmt)

"""Serialize the whole graph (ontology + data, or data only) in the usual RDF formats."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pyoxigraph import CanonicalizationAlgorithm, Dataset, Quad, RdfFormat, Store, Triple, serialize

from .rdf import sorted_ntriples
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH
from .vocab import SERIALIZATION_PREFIXES as PREFIXES

FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
    "trig": RdfFormat.TRIG,
    "nq": RdfFormat.N_QUADS,
}


def graph_quads(store: Store, data_only: bool = False) -> list[Quad]:
    """The quads of the ontology and data graphs, blank nodes relabelled canonically (RDFC-1.0)
    so that the same graph always serializes to the same bytes."""
    graphs = [DATA_GRAPH] if data_only else [ONTOLOGY_GRAPH, DATA_GRAPH]
    dataset = Dataset(quad for graph in graphs for quad in store.quads_for_pattern(None, None, None, graph))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def export_bytes(store: Store, format_name: str, data_only: bool = False) -> bytes:
    """The graph in one format. TriG and N-Quads keep the ontology and data graphs apart;
    the others merge them. N-Triples comes sorted, so equal graphs give equal bytes."""
    fmt = FORMATS[format_name]
    quads = graph_quads(store, data_only)
    if fmt in (RdfFormat.TRIG, RdfFormat.N_QUADS):
        return serialize(quads, format=fmt, **({"prefixes": PREFIXES} if fmt is RdfFormat.TRIG else {}))
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    if fmt is RdfFormat.N_TRIPLES:
        return sorted_ntriples(triples)
    if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
        return serialize(triples, format=fmt, prefixes=PREFIXES)
    return serialize(triples, format=fmt)


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written output."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

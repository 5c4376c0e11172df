"""vlmgraph: a knowledge graph of vision-language models."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def load(data_dir: str | Path = "data", ontology: bool = True):
    """The graph of a records folder as an rdflib Graph (data, and the ontology unless told not to).

    For notebooks and rdflib tooling; the CLI and the server use the faster pyoxigraph store.
    Raises ProblemsFound, listing every problem, when a record is broken.
    """
    from .loader import catalog_triples
    from .rdf import to_rdflib
    from .store import load_catalog, ontology_path

    catalog = load_catalog(Path(data_dir))
    graph = to_rdflib(catalog_triples(item.record for item in catalog.records))
    if ontology:
        graph.parse(ontology_path(), format="turtle")
    return graph

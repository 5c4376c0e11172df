"""vlmgraph: a knowledge graph of vision-language models."""

from __future__ import annotations

from pathlib import Path

from ._version import __version__

__all__ = ["__version__", "load", "open"]


def load(data_dir: str | Path | None = None, ontology: bool = True):
    """The graph of a records folder as an rdflib Graph (data, and the ontology unless told not to).
    Without a folder: ./data when there is one, else the catalogue shipped with vlmgraph.

    For notebooks and rdflib tooling; the CLI and the server use the faster pyoxigraph store.
    Raises ProblemsFound, listing every problem, when a record is broken.
    """
    from .loader import catalog_triples
    from .paths import default_data_dir
    from .rdf import to_rdflib
    from .store import load_catalog, ontology_path

    catalog = load_catalog(Path(data_dir) if data_dir is not None else default_data_dir())
    graph = to_rdflib(catalog_triples(item.record for item in catalog.records))
    if ontology:
        graph.parse(ontology_path(), format="turtle")
    return graph


def open(store: str | Path | None = None, *, data: str | Path | None = None):  # noqa: A001 - vlmgraph.open(...)
    """The served graph (a ``Catalogue``: store, named queries, names, statistics) for Python use.
    `store` is a SPARQL endpoint URL (a server vlmgraph published to) or a store folder (built from
    `data` when needed; by default the store of the default records folder, see vlmgraph.paths)."""
    from .catalogue import Catalogue
    from .graph_store import is_remote
    from .paths import default_data_dir, default_store_dir

    if store is not None and is_remote(str(store)):
        return Catalogue.open(str(store))
    data_dir = Path(data) if data is not None else default_data_dir()
    return Catalogue.open(Path(store) if store is not None else default_store_dir(data_dir), data=data_dir)

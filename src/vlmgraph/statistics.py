"""Counts that describe a graph (VoID): computed once at build, shown by the service description."""

from __future__ import annotations

from pyoxigraph import DefaultGraph

from .execution import execute
from .graph_store import GraphStore
from .vocab import DATA_GRAPH, STATISTICS_GRAPH

# What the statistics graph (aggregates.py, written at build) says of the data graph, read here: the
# service description of a store, local or remote, needs no records to show it.
_CLASS_ENTITIES = (f"SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities) WHERE {{ GRAPH <{DATA_GRAPH.value}> "
                   f"{{ ?entity a ?class }} }} GROUP BY ?class")
_PARTITIONS = (f"SELECT ?class ?entities WHERE {{ GRAPH <{STATISTICS_GRAPH.value}> {{ "
               f"?partition void:class ?class ; void:entities ?entities }} }}")


def class_entities(store: GraphStore) -> dict[str, int]:
    """Class IRI -> distinct entities of that class in the data graph (the aggregate itself)."""
    return {row["class"].value: int(row["entities"].value) for row in execute(store, _CLASS_ENTITIES)}


def saved_example(store: GraphStore) -> str | None:
    """The data graph's example resource the statistics graph names, if it names one."""
    rows = list(execute(store, f"SELECT ?m WHERE {{ GRAPH <{STATISTICS_GRAPH.value}> {{ ?g void:exampleResource ?m }} }}"))
    return rows[0]["m"].value if rows else None


def saved_class_entities(store: GraphStore) -> dict[str, int] | None:
    """The class partitions the statistics graph holds (None when it has none: a store built, or a
    graph published, before there was a statistics graph)."""
    found = {row["class"].value: int(row["entities"].value) for row in execute(store, _PARTITIONS)}
    return found or None


_STATISTICS = {
    "entities": f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{DATA_GRAPH.value}> {{ ?s rdfs:label ?l }} }}",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}
# The VLM with the first label (labels are xsd:string; of two with that label, the first IRI). MIN, not
# ORDER BY … LIMIT 1: the same answer, but pyoxigraph sorts by looking up each compared term's text,
# 4 times slower than MIN at 100,000 models. MIN of STR(?l), not of ?l: Virtuoso 7.2 gives MIN(?l) of
# string literals no value (and MAX(?l) by an order of its own); of STR(?l), the first by code points.
_EXAMPLE = ("SELECT ?m WHERE { { SELECT (MIN(STR(?l)) AS ?first) WHERE { ?m a vlm:VisionLanguageModel ; rdfs:label ?l } } "
            "?m a vlm:VisionLanguageModel ; rdfs:label ?first } ORDER BY STR(?m) LIMIT 1")


def graph_statistics(store: GraphStore, *, triples: int | None = None) -> dict:
    """Counts for a VoID description: triples, entities, properties, entities per class, an example.
    build() saves them beside the store (store.saved_statistics), so `serve` need not scan again;
    it passes the number of triples it has counted already."""
    # The triples of every named graph: the store's size less its default graph (empty in a vlmgraph
    # store). len() reads an index, faster than COUNT(*) in SPARQL.
    if triples is None:
        triples = len(store) - sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    stats: dict = {"triples": triples}
    stats.update({name: int(next(iter(execute(store, text)))["n"].value) for name, text in _STATISTICS.items()})
    # Entities per class and the example: the statistics graph has them (aggregates.py); a graph
    # without one is asked.
    stats["classes"] = saved_class_entities(store) or class_entities(store)
    stats["example"] = saved_example(store)
    if stats["example"] is None:
        example = list(execute(store, _EXAMPLE))
        stats["example"] = example[0]["m"].value if example else None
    return stats

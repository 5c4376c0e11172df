"""Counts that describe a graph (VoID): computed once at build, shown by the service description."""

from __future__ import annotations

from pyoxigraph import DefaultGraph

from .execution import execute
from .graph_store import GraphStore

_STATISTICS = {
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <https://w3id.org/vlmgraph/graph/data> "
                "{ ?s rdfs:label ?l } }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}
# The VLM with the first label (labels are xsd:string; of two with that label, the first IRI). MIN, not
# ORDER BY … LIMIT 1: the same answer, but pyoxigraph sorts by looking up each compared term's text,
# 4 times slower than MIN at 100,000 models. MIN of STR(?l), not of ?l: Virtuoso 7.2 gives MIN(?l) of
# string literals no value (and MAX(?l) by an order of its own); of STR(?l), the first by code points.
_EXAMPLE = ("SELECT ?m WHERE { { SELECT (MIN(STR(?l)) AS ?first) WHERE { ?m a vlm:VisionLanguageModel ; rdfs:label ?l } } "
            "?m a vlm:VisionLanguageModel ; rdfs:label ?first } ORDER BY STR(?m) LIMIT 1")


def graph_statistics(store: GraphStore) -> dict:
    """Counts for a VoID description: triples, entities, properties, entities per class, an example.
    build() saves them beside the store (store.saved_statistics), so `serve` need not scan again."""
    # The triples of every named graph: the store's size less its default graph (empty in a vlmgraph
    # store). len() reads an index, faster than COUNT(*) in SPARQL.
    stats: dict = {"triples": len(store) - sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))}
    stats.update({name: int(next(iter(execute(store, text)))["n"].value) for name, text in _STATISTICS.items()})
    classes = execute(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <https://w3id.org/vlmgraph/graph/data> "
                             "{ ?s a ?c } } GROUP BY ?c")
    stats["classes"] = {row["c"].value: int(row["n"].value) for row in classes}
    example = list(execute(store, _EXAMPLE))
    stats["example"] = example[0]["m"].value if example else None
    return stats

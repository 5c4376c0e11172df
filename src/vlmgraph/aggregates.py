"""The statistics graph: what the whole-graph named queries need, counted once at build.

pyoxigraph answers a GROUP BY, a MIN or an ORDER BY over the whole graph by reading every triple it
groups and looking up the text of every term it compares: seconds at 100,000 models, however the
query is written (benchmarks/results). So the build counts these once and keeps them, as triples,
in their own named graph ``https://w3id.org/vlmgraph/graph/statistics`` beside the ontology and the
data; the named queries read them, ``vlmgraph publish`` uploads them with the other graphs, and the
data graph (its exports, the entity pages) is unchanged.

What it holds (terms declared in ontology/vlmgraph.ttl):

- **VoID** (class-counts): each named graph's ``void:triples`` (the statistics graph counting itself),
  and for the data graph one ``void:classPartition`` per class (``void:class``, ``void:entities``)
  and its ``void:exampleResource``, the vision-language model named first (the service description).
- ``<benchmark> vlm:bestResult <result>`` (best-results): each result whose value is the best of its
  benchmark, metric and direction (the highest, or the lowest where lower is better); ties give
  every result that reached the best value.
- ``<model> vlm:smallestParameterCount n`` for every model with a size, and ``<vlm> vlm:sizeRank k``
  for every vision-language model with one: its place (1 = smallest) when ordered by smallest size,
  then by name (models-under-budget: the smallest size under a budget is the smallest size when that
  is under the budget, and ordering by one integer needs no text lookups).
- ``<entity> vlm:labelRank k`` for every entity with a record but evaluation results (no query orders
  those by name): its place when ordered by label (code points, as SPARQL orders strings), then by
  IRI. The named queries that list entities by name order by it: sorting by label, pyoxigraph looks
  up both labels' text at every comparison, two thirds of shared-components at 100,000 models.

The per-entity figures come from the records the loader turns into the data graph, in one pass;
the class partitions from the data graph itself, with the very aggregate class-counts asked before.
tests/test_aggregates.py checks every figure against the direct aggregate over the data graph, on
the real catalogue and on a synthetic one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable

from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from .graph_store import GraphStore
from .loader import iri_of
from .records import EvaluationResult, Model, VisionLanguageModel, parameter_count_value
from .statistics import class_entities
from .terms import KINDS
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH, VLM, VOID, XSD, prefixed_name, resource


_MODELS = frozenset(kind.record for kind in KINDS if issubclass(kind.record, Model))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def record_statistics(records: Iterable[BaseModel]) -> list[Triple]:
    """The per-entity figures of the records: best results, smallest sizes, size and label ranks. One pass;
    a result's IRI (made from slugs of its fields) is made only for the best ones."""
    results: dict[tuple[str, str, bool], list[EvaluationResult]] = defaultdict(list)
    triples: list[Triple] = []
    ranked: list[tuple[int, str, str, NamedNode]] = []
    named: list[tuple[str, str, NamedNode]] = []
    first: tuple[str, str] | None = None  # (name, id) of the vision-language model named first
    smallest_of = VLM.smallestParameterCount
    for record in records:
        kind = type(record)  # not isinstance: pydantic's ABC metaclass makes that slow, 200,000 times over
        if kind is EvaluationResult:
            results[(record.benchmark, record.metric, record.higher_is_better)].append(record)
            continue
        subject = iri_of(record)
        named.append((record.name, subject.value, subject))
        if kind in _MODELS and record.parameters:
            smallest = min(map(parameter_count_value, record.parameters))
            triples.append(Triple(subject, smallest_of, _integer(smallest)))
            if kind is VisionLanguageModel:
                # rdfs:label is the record's name; SPARQL orders plain strings by code point, as Python does.
                ranked.append((smallest, record.name, subject.value, subject))
        if kind is VisionLanguageModel and (first is None or (record.name, record.id) < first):
            first = (record.name, record.id)
    for (benchmark, _, higher), group in results.items():
        values = [result.value for result in group]
        best = max(values) if higher else min(values)  # Decimal: 97.30 == 97.3, as xsd:decimal values are
        subject = resource("dataset", benchmark)
        triples += [Triple(subject, VLM.bestResult, iri_of(result)) for result in group if result.value == best]
    ranked.sort()
    triples += [Triple(subject, VLM.sizeRank, _integer(place)) for place, (*_, subject) in enumerate(ranked, 1)]
    named.sort()
    triples += [Triple(subject, VLM.labelRank, _integer(place)) for place, (*_, subject) in enumerate(named, 1)]
    if first is not None:
        triples.append(Triple(DATA_GRAPH, VOID.exampleResource, resource("model", first[1])))
    return triples


def partition(class_iri: str) -> NamedNode:
    """The IRI of the data graph's class partition of one class: …/graph/data/class/vlm-VisionLanguageModel."""
    name = prefixed_name(class_iri)
    local = name.replace(":", "-") if not name.startswith("<") else hashlib.sha256(class_iri.encode()).hexdigest()[:16]
    return NamedNode(f"{DATA_GRAPH.value}/class/{local}")


def statistics_triples(store: GraphStore, records: Iterable[BaseModel], triples: int | None = None) -> list[Triple]:
    """Every triple of the statistics graph, for a store that holds the ontology and data graphs (and
    `triples` triples in all, when the caller has counted them already)."""
    ontology_triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
    data_triples = (len(store) if triples is None else triples) - ontology_triples
    found = set(record_statistics(records))
    for class_iri, count in class_entities(store).items():
        part = partition(class_iri)
        found |= {Triple(DATA_GRAPH, VOID.classPartition, part), Triple(part, VOID["class"], NamedNode(class_iri)),
                  Triple(part, VOID.entities, _integer(count))}
    found |= {Triple(DATA_GRAPH, VOID.triples, _integer(data_triples)),
              Triple(ONTOLOGY_GRAPH, VOID.triples, _integer(ontology_triples))}
    # The statistics graph counts itself: its other triples and this one.
    return [*found, Triple(STATISTICS_GRAPH, VOID.triples, _integer(len(found) + 1))]


def add_statistics(store, records: Iterable[BaseModel], triples: int | None = None) -> int:
    """Write the statistics graph into a store that holds the ontology and data graphs (`triples` in
    all, when counted already); returns the number of triples written."""
    found = statistics_triples(store, records, triples)
    written, text = len(found), serialize(found, format=RdfFormat.N_TRIPLES)
    del found  # the terms go before the loader sorts: this is the build's peak of memory
    store.bulk_load(text, format=RdfFormat.N_TRIPLES, to_graph=STATISTICS_GRAPH, lenient=True)
    return written

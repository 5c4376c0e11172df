"""The queries the harness times: the lineage workload of issue #6 and every query of queries/.

Each query is complete SPARQL text with its PREFIX lines, so vlmgraph, rdflib and
rdflib-endpoint parse exactly the same text. Parameters (a model, an encoder, a base model)
are bound the way vlmgraph binds them (`NamedQuery.bind` + `bind_parameters`), to entities picked
from the synthetic graph by a fixed rule, so every size measures the same shape of question.

"aggregate" marks a whole-graph query: its cost grows with the graph by nature, and its target
is 0.5 s; every other query asks about one model and has the 10 ms target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

from vlmgraph.names import NameIndex
from vlmgraph.execution import execute
from vlmgraph.queries import bind_parameters, named_queries
from vlmgraph.vocab import sparql_prologue

AGGREGATE_NAMED = {
    "benchmarks-by-reporting-models", "best-results", "class-counts", "models-per-year-by-encoder-family",
    "models-under-budget", "seed-corrections",
}


@dataclass(frozen=True)
class Query:
    name: str
    kind: str  # "lineage" or "aggregate"
    text: str  # complete SPARQL with PREFIX lines
    graph: bool  # CONSTRUCT/DESCRIBE: answered as N-Triples, otherwise SPARQL JSON


@dataclass(frozen=True)
class Targets:
    model: str  # IRI of the VLM the lineage questions are about
    encoder: str
    backbone: str


def pick_targets(store: Store) -> Targets:
    """The last VLM (by id) with at least 3 ancestors: deep enough that "ancestors" is a chain."""
    rows = execute(store, """
        SELECT ?m ?e ?b WHERE { ?m a vlm:VisionLanguageModel ; vlm:hasVisionEncoder ?e ; vlm:hasLanguageBackbone ?b ;
                                   vlm:derivedFrom/vlm:derivedFrom/vlm:derivedFrom ?a }""")
    candidates = sorted({(r["m"].value, r["e"].value, r["b"].value) for r in rows})
    if not candidates:
        raise RuntimeError("no VLM with 3 ancestors: is this a synthetic catalogue of at least ~50 models?")
    return Targets(*candidates[-1])


def lineage_workload(targets: Targets) -> list[Query]:
    m = f"<{targets.model}>"
    texts = [
        ("ancestors", "lineage", f"SELECT ?ancestor WHERE {{ {m} vlm:derivedFrom+ ?ancestor }}"),
        ("shared-encoder", "lineage",
         f"SELECT ?other ?encoder WHERE {{ {m} vlm:hasVisionEncoder ?encoder . "
         f"?other vlm:hasVisionEncoder ?encoder FILTER(?other != {m}) }}"),
        ("count-per-organization", "aggregate",
         "SELECT ?organization (COUNT(?model) AS ?models) WHERE { ?model a vlm:Model ; vlm:developedBy ?organization } "
         "GROUP BY ?organization"),
        ("upstream-datasets-components", "lineage",
         f"SELECT DISTINCT ?dataset WHERE {{ {m} (vlm:hasComponent|vlm:derivedFrom)* ?upstream . "
         f"?upstream vlm:trainedOn ?dataset }}"),
        ("construct-2-hop", "lineage",
         f"CONSTRUCT {{ {m} ?p ?o . ?o ?p2 ?o2 }} WHERE {{ {m} ?p ?o . OPTIONAL {{ ?o ?p2 ?o2 }} }}"),
    ]
    return [Query(name, kind, sparql_prologue() + text, text.startswith("CONSTRUCT")) for name, kind, text in texts]


def named_workload(store: Store, targets: Targets, names: NameIndex | None = None,
                   query_dir: Path | None = None) -> list[Query]:
    """Every query of queries/ (or `query_dir`), with its parameters bound to the targets (others keep
    their defaults); `names`: the index of the store's build, read at once (one made here is written
    from the store, minutes at 1,000,000 models)."""
    resolver = names or NameIndex(store)
    values = {"model": targets.model, "encoder": targets.encoder, "base": targets.backbone}
    found = []
    for name, query in named_queries(query_dir).items():
        given = {p.name: values[p.name] for p in query.parameters if p.name in values}
        text = bind_parameters(query.text, query.bind(given, resolver))
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
        kind = "aggregate" if name in AGGREGATE_NAMED else "lineage"
        found.append(Query(f"queries/{name}", kind, sparql_prologue() + body, False))
    return found


def workload(store: Store, names: NameIndex | None = None) -> tuple[Targets, list[Query]]:
    targets = pick_targets(store)
    return targets, lineage_workload(targets) + named_workload(store, targets, names)


def throughput_mix(store: Store, count: int = 16) -> list[str]:
    """Point lineage questions about `count` different models, for the load test: what a busy
    endpoint answers most; many models, so no server can answer from a cache of one query."""
    rows = execute(store, """
        SELECT ?m WHERE { ?m a vlm:VisionLanguageModel ; vlm:derivedFrom ?a } ORDER BY DESC(?m) LIMIT %d""" % count)
    queries = []
    for row in rows:
        m = f"<{row['m'].value}>"
        queries += [
            sparql_prologue() + f"SELECT ?ancestor WHERE {{ {m} vlm:derivedFrom+ ?ancestor }}",
            sparql_prologue() + f"SELECT ?other WHERE {{ {m} vlm:hasVisionEncoder ?e . ?other vlm:hasVisionEncoder ?e }}"
                                f" LIMIT 100",
            sparql_prologue() + f"SELECT DISTINCT ?dataset WHERE {{ {m} (vlm:hasComponent|vlm:derivedFrom)* ?u . "
                                f"?u vlm:trainedOn ?dataset }}",
        ]
    return queries

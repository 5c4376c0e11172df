"""The statistics graph is exact: every figure the build counted equals the aggregate over the data
graph, and every named query that reads it (or was rewritten for speed) answers as the query it
replaced — on the real catalogue and on a synthetic one built the way `vlmgraph build` builds."""

from __future__ import annotations

import dataclasses

import pytest
from pyoxigraph import NamedNode

from vlmgraph.aggregates import partition
from vlmgraph.execution import collect, execute
from vlmgraph.queries import named_queries, run_named
from vlmgraph.store import build, open_store
from vlmgraph.synth import write_catalogue
from vlmgraph.terms import KINDS
from vlmgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH

DATA = f"GRAPH <{DATA_GRAPH.value}>"
STATISTICS = f"GRAPH <{STATISTICS_GRAPH.value}>"

# The named queries as they were before they read the statistics graph or were rewritten: the direct
# aggregates their answers must still equal, row for row and in order.
DIRECT = {
    "best-results": """
SELECT ?benchmarkLabel ?metric ?best ?modelLabel ?setting ?source WHERE {
  {
    SELECT ?benchmark ?metric ?higher (IF(?higher, MAX(?v), MIN(?v)) AS ?best) WHERE {
      ?r a vlm:EvaluationResult ; vlm:onBenchmark ?benchmark ; vlm:metric ?metric ;
         vlm:value ?v ; vlm:higherIsBetter ?higher .
    }
    GROUP BY ?benchmark ?metric ?higher
  }
  ?result a vlm:EvaluationResult ; vlm:onBenchmark ?benchmark ; vlm:metric ?metric ;
          vlm:value ?best ; vlm:higherIsBetter ?higher ; vlm:evaluatedModel ?model ; dct:source ?source .
  OPTIONAL { ?result vlm:evaluationSetting ?setting }
  ?benchmark rdfs:label ?benchmarkLabel .
  ?model rdfs:label ?modelLabel .
}
ORDER BY ?benchmarkLabel STR(?benchmark) ?metric ?modelLabel STR(?model) ?setting ?source""",
    "class-counts": """
SELECT ?what ?count WHERE {
  {
    SELECT ?what (COUNT(DISTINCT ?entity) AS ?count) WHERE {
      GRAPH <https://w3id.org/vlmgraph/graph/data> { ?entity a ?what }
    }
    GROUP BY ?what
  }
  UNION
  {
    SELECT ?what (COUNT(*) AS ?count) WHERE {
      GRAPH ?what { ?s ?p ?o }
    }
    GROUP BY ?what
  }
}
ORDER BY DESC(?count) ?what""",
    "models-under-budget": """
SELECT ?model ?modelLabel (MIN(?parameters) AS ?smallest) (SAMPLE(?openWeights) AS ?open) WHERE {
  ?model a vlm:VisionLanguageModel ;
         rdfs:label ?modelLabel ;
         vlm:parameterCount ?parameters .
  OPTIONAL { ?model vlm:openWeights ?openWeights }
  FILTER(?parameters <= ?_budget_integer)
}
GROUP BY ?model ?modelLabel
ORDER BY ?smallest ?modelLabel""",
    "benchmarks-by-reporting-models": """
SELECT ?benchmark ?benchmarkLabel (COUNT(DISTINCT ?model) AS ?models) WHERE {
  ?model vlm:evaluatedOn ?benchmark .
  ?benchmark rdfs:label ?benchmarkLabel .
}
GROUP BY ?benchmark ?benchmarkLabel
ORDER BY DESC(?models) ?benchmarkLabel STR(?benchmark)""",
    "models-per-year-by-encoder-family": """
SELECT ?year ?familyLabel (COUNT(DISTINCT ?model) AS ?models) WHERE {
  ?model a vlm:VisionLanguageModel ;
         vlm:releaseDate ?date ;
         vlm:hasVisionEncoder ?encoder .
  ?encoder vlm:derivedFrom* ?familyMember .
  ?familyMember vlm:memberOfFamily ?family .
  ?family rdfs:label ?familyLabel .
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
}
GROUP BY ?year ?familyLabel
ORDER BY ?year DESC(?models) ?familyLabel""",
    # The lineage queries as they were before they ordered by vlm:labelRank and looked labels up last.
    "lineage": """
SELECT DISTINCT ?from ?fromLabel ?relation ?to ?toLabel WHERE {
  ?_model_iri (vlm:hasComponent|vlm:derivedFrom)* ?from .
  ?from ?relation ?to .
  VALUES ?top { vlm:hasComponent vlm:derivedFrom }
  ?relation rdfs:subPropertyOf* ?top .
  FILTER NOT EXISTS { ?from ?narrower ?to . ?narrower rdfs:subPropertyOf ?relation . FILTER(?narrower != ?relation) }
  ?from rdfs:label ?fromLabel .
  ?to rdfs:label ?toLabel .
}
ORDER BY ?fromLabel STR(?from) ?relation ?toLabel STR(?to)""",
    "shared-components": """
SELECT ?other ?otherLabel ?component ?componentLabel ?role WHERE {
  ?_model_iri ?role ?component .
  VALUES ?role { vlm:hasLanguageBackbone vlm:hasVisionEncoder }
  ?other ?role ?component ;
         rdfs:label ?otherLabel .
  ?component rdfs:label ?componentLabel .
  FILTER(?other != ?_model_iri)
}
ORDER BY ?componentLabel STR(?component) ?otherLabel STR(?other) ?role""",
    "upstream-datasets": """
SELECT ?dataset ?datasetLabel (GROUP_CONCAT(DISTINCT ?usedByLabel; separator=", ") AS ?via) WHERE {
  ?_model_iri (vlm:hasComponent|vlm:derivedFrom)* ?usedBy .
  ?usedBy vlm:trainedOn ?direct ;
          rdfs:label ?usedByLabel .
  ?direct prov:wasDerivedFrom* ?dataset .
  ?dataset rdfs:label ?datasetLabel .
}
GROUP BY ?dataset ?datasetLabel
ORDER BY ?datasetLabel STR(?dataset)""",
    "downstream-models": """
SELECT DISTINCT ?model ?modelLabel ?kind ?base ?baseLabel WHERE {
  ?base vlm:memberOfFamily? ?_base_iri .
  ?base a vlm:Model ; rdfs:label ?baseLabel .
  ?model (vlm:hasComponent|vlm:derivedFrom)+ ?base ;
         rdfs:label ?modelLabel ;
         a ?kind .
  FILTER(?kind IN (vlm:VisionLanguageModel, vlm:LanguageModel, vlm:VisionEncoder))
  FILTER(?model != ?base)
}
ORDER BY ?modelLabel STR(?model) ?baseLabel STR(?base) ?kind""",
    "organization-dependencies": """
SELECT ?organization ?organizationLabel ?parentLabel (GROUP_CONCAT(DISTINCT ?upstreamLabel; separator=", ") AS ?through) WHERE {
  ?_model_iri (vlm:hasComponent|vlm:derivedFrom)* ?upstream .
  ?upstream vlm:developedBy ?organization ;
            rdfs:label ?upstreamLabel .
  ?organization rdfs:label ?organizationLabel .
  OPTIONAL { ?organization org:subOrganizationOf ?parent . ?parent rdfs:label ?parentLabel }
}
GROUP BY ?organization ?organizationLabel ?parentLabel
ORDER BY ?organizationLabel STR(?organization)""",
}
# Columns made by GROUP_CONCAT: their parts come in whatever order the plan meets them.
CONCATENATED = {"via": ", ", "through": ", "}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """300 synthetic models through `build` (the real catalogue goes through memory_store)."""
    root = tmp_path_factory.mktemp("aggregates")
    write_catalogue(root / "data", 300, seed=3)
    build(root / "data", root / "build")
    return open_store(root / "build")


@pytest.fixture(params=["real", "synthetic"])
def graph(request, store, synthetic):
    return store if request.param == "real" else synthetic


@pytest.fixture
def arguments(graph, store) -> dict[str, str]:
    """The named queries' parameters: their defaults on the real catalogue; on the synthetic one,
    the last vision-language model with two generations of ancestors, its encoder and its backbone."""
    if graph is store:
        return {}
    rows = collect(execute(graph, """SELECT ?m ?e ?b WHERE { ?m a vlm:VisionLanguageModel ; vlm:hasVisionEncoder ?e ;
        vlm:hasLanguageBackbone ?b ; vlm:derivedFrom/vlm:derivedFrom ?a } ORDER BY DESC(?m) LIMIT 1""")).rows
    model, encoder, backbone = (term.value for term in rows[0])
    return {"model": model, "encoder": encoder, "base": backbone}


def answer(graph, query, values: dict[str, str]):
    """Variables and rows, each GROUP_CONCAT column as its sorted parts."""
    result = collect(run_named(graph, query, {p.name: values[p.name] for p in query.parameters if p.name in values}))
    columns = [CONCATENATED.get(name) for name in result.variables]
    rows = [tuple(tuple(sorted(term.value.split(separator))) if separator and term is not None else term
                  for term, separator in zip(row, columns)) for row in result.rows]
    return result.variables, rows


def rows(store, sparql: str) -> set[tuple]:
    return {tuple(term.value if term is not None else None for term in row) for row in collect(execute(store, sparql)).rows}


def test_best_results_are_the_best_value_of_each_benchmark_metric_and_direction(graph):
    direct = rows(graph, f"""
        SELECT ?benchmark ?result WHERE {{ {DATA} {{
          {{ SELECT ?benchmark ?metric ?higher (IF(?higher, MAX(?v), MIN(?v)) AS ?best) WHERE {{
               ?r a vlm:EvaluationResult ; vlm:onBenchmark ?benchmark ; vlm:metric ?metric ; vlm:value ?v ;
                  vlm:higherIsBetter ?higher }} GROUP BY ?benchmark ?metric ?higher }}
          ?result a vlm:EvaluationResult ; vlm:onBenchmark ?benchmark ; vlm:metric ?metric ; vlm:value ?best ;
                  vlm:higherIsBetter ?higher }} }}""")
    assert direct and rows(graph, f"SELECT ?b ?r WHERE {{ {STATISTICS} {{ ?b vlm:bestResult ?r }} }}") == direct


def test_smallest_parameter_count_of_every_model_with_a_size(graph):
    direct = rows(graph, f"SELECT ?m (MIN(?p) AS ?n) WHERE {{ {DATA} {{ ?m vlm:parameterCount ?p }} }} GROUP BY ?m")
    assert direct and rows(graph, f"SELECT ?m ?n WHERE {{ {STATISTICS} {{ ?m vlm:smallestParameterCount ?n }} }}") == direct


def test_size_rank_orders_the_vision_language_models_by_smallest_size_then_name(graph):
    direct = [row[0].value for row in collect(execute(graph, f"""
        SELECT ?m WHERE {{ {DATA} {{ ?m a vlm:VisionLanguageModel ; rdfs:label ?l ; vlm:parameterCount ?p }} }}
        GROUP BY ?m ?l ORDER BY MIN(?p) ?l""")).rows]
    ranked = collect(execute(graph, f"SELECT ?m ?k WHERE {{ {STATISTICS} {{ ?m vlm:sizeRank ?k }} }} ORDER BY ?k")).rows
    assert direct and [m.value for m, _ in ranked] == direct
    assert [int(k.value) for _, k in ranked] == list(range(1, len(direct) + 1))


def test_label_rank_orders_every_entity_but_results_by_label_then_iri(graph):
    classes = " ".join(f"<{kind.iri}>" for kind in KINDS if kind.name != "EvaluationResult")
    direct = [row[0].value for row in collect(execute(graph, f"""
        SELECT DISTINCT ?s ?l WHERE {{ {DATA} {{ VALUES ?class {{ {classes} }} ?s a ?class ; rdfs:label ?l }} }}
        ORDER BY ?l STR(?s)""")).rows]
    ranked = collect(execute(graph, f"SELECT ?s ?k WHERE {{ {STATISTICS} {{ ?s vlm:labelRank ?k }} }} ORDER BY ?k")).rows
    assert direct and [s.value for s, _ in ranked] == direct
    assert [int(k.value) for _, k in ranked] == list(range(1, len(direct) + 1))


def test_class_partitions_and_triples_of_every_graph(graph):
    classes = rows(graph, f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {DATA} {{ ?s a ?c }} }} GROUP BY ?c")
    partitions = rows(graph, f"""SELECT ?c ?n WHERE {{ {STATISTICS} {{
        <{DATA_GRAPH.value}> void:classPartition ?part . ?part void:class ?c ; void:entities ?n }} }}""")
    assert classes and partitions == classes
    assert partition("https://w3id.org/vlmgraph/ontology#VisionLanguageModel").value == \
        "https://w3id.org/vlmgraph/graph/data/class/vlm-VisionLanguageModel"
    triples = rows(graph, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {g for g, _ in triples} == {ONTOLOGY_GRAPH.value, DATA_GRAPH.value, STATISTICS_GRAPH.value}
    assert rows(graph, f"SELECT ?g ?n WHERE {{ {STATISTICS} {{ ?g void:triples ?n }} }}") == triples


def test_example_resource_is_the_vision_language_model_named_first(graph):
    from vlmgraph.statistics import _EXAMPLE

    direct = rows(graph, _EXAMPLE)
    assert len(direct) == 1
    assert rows(graph, f"SELECT ?m WHERE {{ {STATISTICS} {{ <{DATA_GRAPH.value}> void:exampleResource ?m }} }}") == direct


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_named_query_answers_as_the_direct_aggregate(graph, arguments, name):
    query = named_queries()[name]
    direct = dataclasses.replace(query, text=DIRECT[name])
    expected_variables, expected = answer(graph, direct, arguments)
    actual_variables, actual = answer(graph, query, arguments)
    assert actual_variables == expected_variables
    assert actual == expected and (actual or name == "models-per-year-by-encoder-family")


@pytest.mark.parametrize("budget", ["500000000", "7000000000", "1"])
def test_models_under_budget_as_the_direct_aggregate_for_other_budgets(graph, budget):
    query = named_queries()["models-under-budget"]
    direct = dataclasses.replace(query, text=DIRECT["models-under-budget"])
    assert collect(run_named(graph, query, {"budget": budget})).rows == \
        collect(run_named(graph, direct, {"budget": budget})).rows


def test_the_data_graph_holds_no_statistics(graph):
    for predicate in ("bestResult", "smallestParameterCount", "sizeRank", "labelRank"):
        iri = NamedNode(f"https://w3id.org/vlmgraph/ontology#{predicate}")
        assert next(iter(graph.quads_for_pattern(None, iri, None, DATA_GRAPH)), None) is None

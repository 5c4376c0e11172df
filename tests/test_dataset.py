"""The RDF dataset of a query: FROM / FROM NAMED (SPARQL 1.1 §13.2) and the protocol's
default-graph-uri / named-graph-uri (Protocol §2.1.4), in every way a query reaches the store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from vlmgraph.catalogue import Catalogue
from vlmgraph.cli import app
from vlmgraph.execution import collect, execute
from vlmgraph.sparql_text import has_dataset_clause
from vlmgraph.store import build
from vlmgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH
from vlmgraph.web.app import Settings, create_app

from .conftest import write_small_records

ONTOLOGY = ONTOLOGY_GRAPH.value
COUNT_FROM = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"


def _count(store, graph=None) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def _number(outcome) -> int:
    return int(collect(outcome).rows[0][0].value)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A built store, its catalogue (with a named query that has a FROM) and an endpoint over it."""
    root = tmp_path_factory.mktemp("dataset")
    folder = root / "build"
    build(write_small_records(root / "data"), folder)
    queries = root / "queries"
    queries.mkdir()
    (queries / "ontology-size.rq").write_text(
        f"#+ summary: Triples in the ontology graph\n{COUNT_FROM}\n", encoding="utf-8")
    catalogue = Catalogue.open(folder, query_dir=queries)
    with TestClient(create_app(Settings(folder, timeout=5.0, workers=1))) as client:
        yield catalogue, client, folder


def test_from_selects_the_ontology_graph(store):
    ontology = _count(store, ONTOLOGY_GRAPH)
    assert 0 < ontology < _count(store)
    assert _number(execute(store, COUNT_FROM)) == ontology


def test_without_a_dataset_clause_the_default_graph_is_the_union(store):
    assert _number(execute(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == _count(store)


@pytest.mark.parametrize("query, expected", [
    # FROM NAMED only: the named graphs are the ones listed and the default graph is empty
    (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ONTOLOGY}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "ontology"),
    (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}", 0),
    # FROM only: no named graphs
    (f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 0),
    # a graph the store does not hold is empty, and nothing is fetched
    ("SELECT (COUNT(*) AS ?n) FROM <https://example.org/not-here> WHERE { ?s ?p ?o }", 0),
    # prefixed and relative IRIs in FROM resolve like any other
    ("PREFIX g: <https://w3id.org/vlmgraph/graph/> SELECT (COUNT(*) AS ?n) FROM g:ontology WHERE { ?s ?p ?o }", "ontology"),
    ("BASE <https://w3id.org/vlmgraph/graph/> SELECT (COUNT(*) AS ?n) FROM <data> FROM <ontology> FROM <statistics> "
     "WHERE { ?s ?p ?o }", "all"),
])
def test_dataset_clauses(store, query, expected):
    counts = {"ontology": _count(store, ONTOLOGY_GRAPH), "all": _count(store)}
    assert _number(execute(store, query)) == counts.get(expected, expected)


@pytest.mark.parametrize("text, expected", [
    (COUNT_FROM, True),
    ("select * from named <g> { graph ?g { ?s ?p ?o } }", True),
    ("CONSTRUCT { ?s ?p ?o } FROM <g> WHERE { ?s ?p ?o }", True),
    ("SELECT ?from WHERE { ?from ?p 'FROM <g>' } # FROM <g>", False),
    ('SELECT * WHERE { ?s ?p "x"@from . ?s from:x <from> . _:from ?p ?o }', False),
    ("SELECT * WHERE { ?s ?p '''FROM\n<g>''' }", False),
    ("PREFIX 食: <http://example.org/> SELECT * FROM <g> { ?s 食:名前 ?o }", True),  # any script's words
])
def test_dataset_clause_is_found_only_as_a_keyword(text, expected):
    assert has_dataset_clause(text) is expected


def test_cli_query_honours_from(runner, served):
    catalogue, _, folder = served
    result = runner.invoke(app, ["query", "-e", COUNT_FROM, "--store", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", str(_count(catalogue.store, ONTOLOGY_GRAPH))]


def test_named_query_and_catalogue_honour_from(served):
    catalogue, _, _ = served
    ontology = _count(catalogue.store, ONTOLOGY_GRAPH)
    assert _number(catalogue.run_named("ontology-size", {})) == ontology
    assert _number(catalogue.query(COUNT_FROM)) == ontology


def _http_count(client, query, **graphs) -> int:
    response = client.get("/sparql", params={"query": query, **graphs}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


def test_endpoint_honours_from_and_the_protocol_overrides_it(served):
    catalogue, client, _ = served
    ontology, data = _count(catalogue.store, ONTOLOGY_GRAPH), _count(catalogue.store, DATA_GRAPH)
    assert _http_count(client, COUNT_FROM) == ontology
    assert _http_count(client, COUNT_FROM, **{"default-graph-uri": DATA_GRAPH.value}) == data
    # named-graph-uri alone defines the dataset too: the default graph is then empty
    named = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    assert _http_count(client, named, **{"named-graph-uri": DATA_GRAPH.value}) == data
    statistics = _count(catalogue.store, STATISTICS_GRAPH)
    assert _http_count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == ontology + data + statistics


def test_endpoint_refuses_a_graph_that_is_not_an_iri(served):
    _, client, _ = served
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert response.text.strip() == "query failed: graph 'not an iri' is not an absolute IRI"

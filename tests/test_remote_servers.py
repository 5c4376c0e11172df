"""vlmgraph against real SPARQL servers (Virtuoso, Oxigraph server): publish, then ask the same
questions of the server and of the embedded store and get the same answers.

Rows are compared as multisets (in any order, but a row given twice is a different answer);
triples of a CONSTRUCT as sets; numbers as numbers (servers keep a decimal's value, not its
spelling: "1.50" comes back "1.5"); blank nodes as blank nodes; and GROUP_CONCAT values as
sorted lists, since SPARQL leaves the order of a GROUP_CONCAT to the engine.
"""

from __future__ import annotations

import re
import signal
from collections import Counter
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode
from typer.testing import CliRunner

from vlmgraph.cli import app
from vlmgraph.publish import Target, publish
from vlmgraph.execution import collect, execute
from vlmgraph.queries import named_queries, run_named
from vlmgraph.statistics import graph_statistics
from vlmgraph.remote_store import RemoteStore, read_versions, GraphNames
from vlmgraph.sparql_client import (
    AuthenticationRefused,
    NotSparql,
    RequestRejected,
    ServerUnreachable,
    SparqlClient,
    credentials,
)
from vlmgraph.store import build, memory_store
from vlmgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH

from .conftest import DATA, write_small_records
from .servers import Server, free_port, oxigraph, server, virtuoso  # noqa: F401  (fixtures)

GRAPH_PREFIX = "https://w3id.org/vlmgraph/graph/"
NUMERIC = {"integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger"}

# Named queries with other parameter values than their defaults: a family where the default is a
# model and the other way round, another model, another budget. Virtuoso 7.2 answers some shapes of
# query wrongly (docs/remote-store.md); the named queries avoid them, for every value.
OTHER_PARAMETERS = [
    ("lineage", {"model": "Qwen2.5-VL-7B"}),
    ("upstream-datasets", {"model": "Qwen2.5-VL-7B"}),
    ("organization-dependencies", {"model": "LLaVA-1.5"}),
    ("shared-components", {"model": "InternVL2.5-8B"}),
    ("models-using-encoder", {"encoder": "CLIP ViT-L/14@336px"}),
    ("models-using-encoder", {"encoder": "CLIP"}),
    ("downstream-models", {"base": "Qwen"}),
    ("models-under-budget", {"budget": "1000000000"}),
]

ADHOC = {
    "count-everything": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "count-per-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "graphs": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
    "construct-ontology": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/vlmgraph/graph/ontology> { ?s ?p ?o } }",
    "construct-model": "CONSTRUCT WHERE { <https://w3id.org/vlmgraph/resource/model/llava-1.5> ?p ?o }",
    "ask-true": "ASK { ?m a vlm:VisionLanguageModel }",
    "ask-false": "ASK { ?m a vlm:NoSuchClass }",
    "from-is-overridden-by-the-union": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/vlmgraph/graph/ontology> "
                                       "WHERE { ?s ?p ?o }",
    "from-named": "SELECT ?g (COUNT(*) AS ?n) FROM NAMED <https://w3id.org/vlmgraph/graph/ontology> "
                  "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    # Rows, not COUNT(*): Virtuoso 7.2 counts 1 for a GRAPH <g> pattern over a graph it holds nothing of.
    "a-system-graph": "SELECT * WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }",
    "from-a-system-graph": "SELECT * FROM NAMED <http://www.openlinksw.com/schemas/virtrdf#> "
                           "WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from-a-system-graph-is-overridden": "SELECT (COUNT(*) AS ?n) FROM <http://www.openlinksw.com/schemas/virtrdf#> "
                                         "WHERE { ?s ?p ?o }",
    "optional-language": "SELECT ?c ?label WHERE { ?c a owl:Class OPTIONAL { ?c rdfs:label ?label "
                         "FILTER(lang(?label) = 'en') } }",
    "aggregates": "SELECT (COUNT(?v) AS ?n) (MAX(?v) AS ?max) (SUM(?v) AS ?sum) WHERE { ?r vlm:value ?v }",
    "booleans": "SELECT ?r ?higher WHERE { ?r vlm:higherIsBetter ?higher }",
}

# query() without the union flag: the dataset built from FROM clauses and keyword arguments.
DATASETS = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}),  # the default graph: empty in a vlmgraph store
    ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/vlmgraph/graph/data> WHERE { ?s ?p ?o }", {}),
    ("SELECT ?g (COUNT(*) AS ?n) FROM <https://w3id.org/vlmgraph/graph/data> WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default_graph": [ONTOLOGY_GRAPH]}),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default_graph": DefaultGraph()}),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"named_graphs": [DATA_GRAPH]}),
    ("SELECT * WHERE { GRAPH <https://w3id.org/vlmgraph/graph/ontology> { ?s ?p ?o } }", {"named_graphs": [DATA_GRAPH]}),
    ("SELECT * FROM <http://www.openlinksw.com/schemas/virtrdf#> WHERE { ?s ?p ?o }", {}),
    ("PREFIX g: <https://w3id.org/vlmgraph/graph/> SELECT (COUNT(*) AS ?n) FROM g:ontology WHERE { ?s ?p ?o }", {}),
]


def concatenated(sparql: str) -> dict[str, str]:
    """Variables bound to a GROUP_CONCAT, with their separators."""
    found = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\((.*?)\)\s*AS\s+\?(\w+)", sparql, re.I | re.S):
        separator = re.search(r"separator\s*=\s*(['\"])(.*?)\1", match.group(1), re.I)
        found[match.group(2)] = separator.group(2) if separator else " "
    return found


def comparable(term, separator: str | None = None):
    if term is None:
        return None
    if isinstance(term, BlankNode):
        return "_:"
    if isinstance(term, Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in NUMERIC:
            return ("number", round(float(Decimal(term.value)), 9))
        if separator is not None:
            return ("concatenated", tuple(sorted(term.value.split(separator))))
        return ("literal", term.value, term.datatype.value, term.language)
    return str(term)


def answers(outcome, sparql: str):
    """Comparable answers. Call it outside an assert: pytest keeps an assert's operands alive in the
    failure report, and pyoxigraph results must be freed by the thread that made them."""
    result = collect(outcome)
    if result.kind == "boolean":
        return result.boolean
    if result.kind == "triples":
        return {tuple(comparable(t) for t in (triple.subject, triple.predicate, triple.object))
                for triple in result.triples}
    separators = concatenated(sparql)
    return Counter(tuple(comparable(term, separators.get(name)) for name, term in zip(result.variables, row))
                   for row in result.rows)


def server_graphs(server: Server) -> set[str]:
    """Every vlmgraph graph on the server, asked without any dataset restriction."""
    response = httpx.post(server.query, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                                       f"FILTER(STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\")) }}"},
                          headers={"Accept": "text/csv"}, timeout=30)
    return {line.strip().strip('"') for line in response.text.splitlines()[1:] if line.strip()}


def versions(server: Server) -> tuple[dict[str, str], dict[str, str]]:
    client = SparqlClient()
    try:
        return read_versions(client, server.query, GraphNames())
    finally:
        client.close()


def cli_publish(server: Server, data: Path, store: Path, *extra: str):
    return CliRunner().invoke(app, ["publish", *server.publish_args(), "--data", str(data), "--store", str(store),
                                    "--grace", "0", *extra])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("remote") / "build"
    build(DATA, folder)
    return folder


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> tuple[Path, Path]:
    """A small catalogue and its built store: the 'previous version' of the interrupted publish."""
    folder = tmp_path_factory.mktemp("small")
    data = write_small_records(folder / "data")
    build(data, folder / "build")
    return data, folder / "build"


@pytest.fixture(scope="session")
def published(server: Server, built: Path) -> RemoteStore:
    """data/ published on the server through `vlmgraph publish` (SPARQL Update), and a store reading it."""
    result = cli_publish(server, DATA, built)
    assert result.exit_code == 0, result.output
    remote = RemoteStore(server.query, version_ttl=0)  # tests re-publish: never trust an old pointer
    yield remote
    remote.close()


@pytest.mark.parametrize("name", sorted(name for name, query in named_queries().items() if "labelRank" in query.text))
def test_named_query_ordered_by_label_rank_comes_in_the_same_order(published, store, name):
    # Virtuoso orders string literals by an order of its own; ranks are integers everywhere.
    query = named_queries()[name]
    separators = concatenated(query.text)

    def ordered(outcome):
        result = collect(outcome)
        return [tuple(comparable(term, separators.get(name)) for name, term in zip(result.variables, row))
                for row in result.rows]

    expected = ordered(run_named(store, query, {}))
    actual = ordered(run_named(published, query, {}))  # not inside the assert: see answers()
    assert expected and actual == expected


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_answers_as_embedded(published, store, name):
    query = named_queries()[name]
    expected = answers(run_named(store, query, {}), query.text)
    actual = answers(run_named(published, query, {}), query.text)  # not inside the assert: see answers()
    assert actual == expected


@pytest.mark.parametrize("name, values", OTHER_PARAMETERS, ids=[f"{n}-{v}" for n, v in OTHER_PARAMETERS])
def test_named_query_with_other_parameters_answers_as_embedded(published, store, name, values):
    query = named_queries()[name]
    expected = answers(run_named(store, query, values), query.text)
    assert expected, "a value that answers nothing would test little"
    actual = answers(run_named(published, query, values), query.text)
    assert actual == expected


@pytest.mark.parametrize("name", sorted(ADHOC))
def test_adhoc_query_answers_as_embedded(published, store, name):
    actual = answers(execute(published, ADHOC[name]), ADHOC[name])
    assert actual == answers(execute(store, ADHOC[name]), ADHOC[name])


@pytest.mark.parametrize("sparql, dataset", DATASETS, ids=range(len(DATASETS)))
def test_dataset_arguments_as_embedded(published, store, sparql, dataset):
    actual = answers(published.query(sparql, **dataset), sparql)
    assert actual == answers(store.query(sparql, **dataset), sparql)


def test_size_and_quads_as_embedded(published, store):
    assert len(published) == len(store)
    model = NamedNode("https://w3id.org/vlmgraph/resource/model/llava-1.5")
    for pattern in [(model, None, None, None), (None, None, model, DATA_GRAPH), (model, None, None, DefaultGraph()),
                    (None, NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), None, ONTOLOGY_GRAPH),
                    (None, None, None, NamedNode("http://www.openlinksw.com/schemas/virtrdf#"))]:
        remote = {tuple(comparable(t) for t in q) for q in published.quads_for_pattern(*pattern)}
        assert remote == {tuple(comparable(t) for t in q) for q in store.quads_for_pattern(*pattern)}


def test_statistics_as_embedded(published, store):
    assert graph_statistics(published) == graph_statistics(store)


def test_query_stats_and_viz_commands_read_the_server(server, published, built, store, tmp_path):
    runner = CliRunner()
    remote = runner.invoke(app, ["stats", "--store", server.query])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == runner.invoke(app, ["stats", "--data", str(DATA), "--store", str(built)]).stdout
    counted = runner.invoke(app, ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"],
                            env={"VLMGRAPH_STORE": server.query})
    assert counted.exit_code == 0, counted.output
    assert counted.stdout.split() == ["n", str(len(store))]
    page = tmp_path / "lineage.html"
    drawn = runner.invoke(app, ["viz", "lineage", "LLaVA-1.5", "-o", str(page), "--store", server.query])
    assert drawn.exit_code == 0, drawn.output
    assert "Vicuna" in page.read_text()


def test_serve_answers_from_the_server(server, published, store):
    from vlmgraph.web.app import Settings, create_app

    with TestClient(create_app(Settings(server.query, timeout=30))) as client:
        query = ADHOC["count-per-graph"]
        response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        from pyoxigraph import QueryResultsFormat, parse_query_results

        assert answers(parse_query_results(response.content, QueryResultsFormat.JSON), query) == \
            answers(execute(store, query), query)
        assert client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}
                          ).status_code == 400
        page = client.get("/resource/model/llava-1.5", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "LLaVA-1.5" in page.text
        api = client.get("/api/queries/shared-components", headers={"Accept": "text/csv"})
        assert api.status_code == 200 and "CLIP" in api.text
        lineage = client.get("/viz/lineage/llava-1.5")
        assert lineage.status_code == 200 and "Vicuna" in lineage.text


def test_republishing_replaces_never_duplicates(server, published, built, store):
    before = versions(server)[0]
    result = cli_publish(server, DATA, built, *server.publish_args(gsp=True))  # this time by Graph Store Protocol
    assert result.exit_code == 0, result.output
    current, listed = versions(server)
    assert set(current) == set(before) and set(current.values()).isdisjoint(before.values())
    assert len(published) == len(store)
    assert server_graphs(server) == set(current.values()) | {GraphNames().control}
    assert set(listed) == set(current.values())


def test_a_killed_publish_leaves_the_previous_version_answering(server, built, small, store):
    small_data, small_store = small
    assert cli_publish(server, small_data, small_store).exit_code == 0
    previous = memory_store(small_data)
    publisher = subprocess.Popen(
        [str(Path(sys.executable).parent / "vlmgraph"), "publish", *server.publish_args(), "--data", str(DATA),
         "--store", str(built), "--batch-size", "20"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:  # kill it once its first batch is on the server
            current, listed = versions(server)
            uploading = [graph for graph in listed if graph not in current.values()]
            if uploading and any(g != GraphNames().control and g in uploading for g in server_graphs(server)):
                break
            assert publisher.poll() is None, publisher.stderr.read().decode()
            assert time.monotonic() < deadline, "the publish never uploaded a batch"
            time.sleep(0.02)
        publisher.send_signal(signal.SIGKILL)
    finally:
        publisher.kill()
        publisher.wait()
    remote = RemoteStore(server.query, version_ttl=0)
    assert len(remote) == len(previous)  # the half-uploaded version is not what queries see
    counts = named_queries()["class-counts"]
    actual = answers(run_named(remote, counts, {}), counts.text)
    assert actual == answers(run_named(previous, counts, {}), counts.text)
    left = set(versions(server)[1]) - set(versions(server)[0].values())
    assert left  # the killed run's versions are still listed …
    client = SparqlClient(credentials(server.auth))
    try:
        report = publish(store, Target(server.query, server.update), client, grace=0)
    finally:
        client.close()
    assert report.stale_dropped == len(left)  # … and the next publish drops them
    current, listed = versions(server)
    assert server_graphs(server) == set(current.values()) | {GraphNames().control}
    assert len(remote) == len(store)


def test_wrong_password_is_one_clear_line(virtuoso, built):
    result = CliRunner().invoke(app, ["publish", "--endpoint", virtuoso.query, "--update", virtuoso.update,
                                      "--auth", "dba:wrong", "--data", str(DATA), "--store", str(built)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {virtuoso.update} refused the credentials (HTTP 401)"]
    with pytest.raises(AuthenticationRefused, match="refused the credentials"):
        RemoteStore(virtuoso.update, auth="dba:wrong").query("ASK {}")


def test_no_credentials_for_an_endpoint_that_wants_them(virtuoso):
    with pytest.raises(AuthenticationRefused, match="asks for credentials .*--auth USER:PASSWORD"):
        RemoteStore(virtuoso.update).query("ASK {}")


def test_rejected_data_is_one_clear_line(oxigraph):
    client = SparqlClient()
    with pytest.raises(RequestRejected) as caught:
        client.store_graph(oxigraph.gsp, "https://example.org/g", b"<https://example.org/s> not N-Triples", replace=True)
    message = str(caught.value)
    assert message.startswith(f"{oxigraph.gsp}?graph=https%3A%2F%2Fexample.org%2Fg rejected the data (HTTP 400): ")
    assert "\n" not in message


def test_an_endpoint_that_is_not_sparql(oxigraph, virtuoso):
    for root in (oxigraph.root, virtuoso.root):
        with pytest.raises(NotSparql, match=f"^{re.escape(root)} does not take a SPARQL query"):
            RemoteStore(root).query("ASK {}")


def test_graph_prefix_keeps_canonical_names_in_answers(oxigraph, built, store):
    prefix = "https://example.org/lab/vlmgraph/"
    result = cli_publish(oxigraph, DATA, built, "--graph-prefix", prefix)
    assert result.exit_code == 0, result.output
    remote = RemoteStore(oxigraph.query, graph_prefix=prefix, version_ttl=0)
    current = read_versions(remote.client, oxigraph.query, GraphNames(prefix))[0]
    assert all(version.startswith(prefix) for version in current.values()) and len(current) == 3
    for name in ("count-per-graph", "from-named"):
        actual = answers(execute(remote, ADHOC[name]), ADHOC[name])
        assert actual == answers(execute(store, ADHOC[name]), ADHOC[name])
    counts = named_queries()["class-counts"]
    actual = answers(run_named(remote, counts, {}), counts.text)
    assert actual == answers(run_named(store, counts, {}), counts.text)


def test_unreachable_server_is_one_clear_line(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(ServerUnreachable, match=f"^cannot reach the SPARQL server at {re.escape(url)}: "):
        len(RemoteStore(url))
    result = CliRunner().invoke(app, ["query", "class-counts", "--store", url])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the SPARQL server at {url}")
    assert "Traceback" not in result.output

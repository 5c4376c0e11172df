"""The W3C SPARQL 1.1 Protocol test suite (34 tests), through the project's own runner."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from vlmgraph.web.app import Settings, create_app

from .w3c_protocol_runner import check_format, load_manifest, status_matches

TESTS = load_manifest()
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def test_the_manifest_has_all_34_tests():
    assert len(TESTS) == 34


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """An endpoint over a store holding every graph the protocol tests name (data0..data3)."""
    folder = tmp_path_factory.mktemp("w3c")
    store = Store(str(folder / "oxigraph"))
    loaded = set()
    for test in TESTS:
        for file, graph_iri in test.graph_data:
            if graph_iri in loaded:
                continue
            loaded.add(graph_iri)
            with open(file, "rb") as handle:
                store.extend(Quad(t.subject, t.predicate, t.object, NamedNode(graph_iri))
                             for t in parse(handle, format=RdfFormat.N_TRIPLES))
    store.flush()
    del store
    with TestClient(create_app(Settings(folder, timeout=5.0, workers=2))) as test_client:
        yield test_client


def _send(client, request):
    return client.request(request.method, request.path, headers=request.headers, content=request.body)


def _triples(client) -> str:
    return client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(client, test):
    before = _triples(client)
    for number, request in enumerate(test.requests):
        response = _send(client, request)
        if test.is_update_test and (request.is_update or number == 0):
            # read-only endpoint: every update is refused with a 4xx and changes nothing
            assert 400 <= response.status_code < 500, (response.status_code, response.text)
            assert response.text.strip()
            continue
        if test.is_update_test:
            assert response.status_code < 500, response.text  # follow-up queries still answer
            continue
        assert status_matches(response.status_code, request.expected_status), (
            response.status_code, request.expected_status, response.text)
        if response.status_code < 300:
            problem = check_format(response, request.expected_format, request.expected_boolean)
            assert problem is None, problem
        else:
            assert response.text.strip(), "an error needs a message"
    assert _triples(client) == before

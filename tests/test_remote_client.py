"""The HTTP side of the remote store without a server: credentials, one-line errors, and reading
what servers really send (Virtuoso's ASK tables, blank node labels and booleans)."""

from __future__ import annotations

import base64
import json
import socket
from urllib.parse import parse_qs

import httpx
import pytest
from pyoxigraph import BlankNode, Literal, QueryBoolean

from vlmgraph.execution import QueryError
from vlmgraph.remote_store import GraphNames, RemoteStore, dataset_clauses
from vlmgraph.sparql_client import (
    RESULTS_JSON,
    AuthenticationRefused,
    NotSparql,
    RemoteStoreError,
    RemoteTimeout,
    RequestRejected,
    SparqlClient,
    TokenAuth,
    UserPasswordAuth,
    credentials,
    one_line,
    split_userinfo,
)

URL = "http://sparql.test/sparql"


def basic_server(seen: list[str | None]):
    """A server that wants HTTP Basic for user/secret; `seen` gets each request's Authorization."""
    expected = "Basic " + base64.b64encode(b"user:secret").decode()

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        if request.headers.get("authorization") != expected:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="sparql"'})
        return httpx.Response(200, json={"head": {}, "boolean": True},
                              headers={"Content-Type": RESULTS_JSON})
    return httpx.MockTransport(handle)


def test_user_password_answers_a_basic_challenge_and_remembers_it():
    seen: list[str | None] = []
    client = httpx.Client(transport=basic_server(seen), auth=UserPasswordAuth("user", "secret"))
    assert client.get(URL).status_code == 200
    assert len(seen) == 2 and seen[0] is None  # challenged once …
    assert client.get(URL).status_code == 200
    assert len(seen) == 3  # … then credentials go with the first request


def test_a_wrong_password_is_refused_in_one_line():
    client = SparqlClient(UserPasswordAuth("user", "wrong"), transport=basic_server([]))
    with pytest.raises(AuthenticationRefused) as caught:
        client.query(URL, "ASK {}", RESULTS_JSON)
    assert str(caught.value) == f"{URL} refused the credentials (HTTP 401)"


def test_no_credentials_says_how_to_give_them():
    with pytest.raises(AuthenticationRefused, match=r"asks for credentials \(HTTP 401\): give --auth USER:PASSWORD"):
        SparqlClient(transport=basic_server([])).query(URL, "ASK {}", RESULTS_JSON)


def test_bearer_token_is_sent():
    seen: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204)),
                          auth=TokenAuth("t0ken"))
    client.post(URL)
    assert seen[0].headers["authorization"] == "Bearer t0ken"


@pytest.mark.parametrize("auth, token, message", [
    ("user:pw", "t", "not both"), ("no-colon", None, "USER:PASSWORD"), (":pw", None, "USER:PASSWORD")])
def test_bad_credentials_options(auth, token, message):
    with pytest.raises(RemoteStoreError, match=message):
        credentials(auth, token)


def test_credentials_in_a_store_url():
    assert split_userinfo("http://dba:p%40ss@host:8890/sparql") == ("http://host:8890/sparql", ("dba", "p@ss"))
    assert split_userinfo("https://host/sparql") == ("https://host/sparql", None)


def refusing(status: int, body: str, content_type: str = "text/plain"):
    return httpx.MockTransport(lambda r: httpx.Response(status, text=body, headers={"Content-Type": content_type}))


@pytest.mark.parametrize("status, body, error, message", [
    (404, "Not Found", NotSparql, f"{URL} does not take a SPARQL update (HTTP 404): is it the right endpoint?"),
    (413, "", RequestRejected, f"{URL} refused the update as too large (HTTP 413): use a smaller --batch-size"),
    (400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error\n\nSPARQL query:\nINSERT DATA {",
     RequestRejected, f"{URL} rejected the update (HTTP 400): Virtuoso 37000 Error SP030: SPARQL compiler, "
                      "line 3: syntax error SPARQL query: INSERT DATA {"),
    (500, "<html><head><title>Error</title></head><body><h3>Error 22023</h3><xmp>The PUT request is rejected"
          "</xmp></body></html>", RequestRejected,
     f"{URL} rejected the update (HTTP 500): Error 22023 The PUT request is rejected"),
])
def test_refusals_are_one_line(status, body, error, message):
    with pytest.raises(error) as caught:
        SparqlClient(transport=refusing(status, body)).update(URL, "INSERT DATA {}")
    assert str(caught.value) == message


def test_one_line_cuts_long_messages():
    assert one_line("a\n" * 400, limit=20) == "a a a a a a a a a a…"


def test_a_server_that_never_answers_times_out():
    with socket.socket() as silent:  # listens, accepts into the backlog, never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(RemoteTimeout, match=rf"^{url} did not answer within 0.5 s$"):
            SparqlClient(timeout=0.5).query(url, "ASK {}", RESULTS_JSON)


def virtuoso_like(answer: dict):
    """Answers vlmgraph's version lookup with no versions, and every other query with `answer`."""
    def handle(request: httpx.Request) -> httpx.Response:
        query = parse_qs(request.content.decode())["query"][0]
        body = {"head": {"vars": []}, "results": {"bindings": []}} if "hasCurrentVersion" in query else answer
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": RESULTS_JSON})
    return httpx.MockTransport(handle)


def remote(answer: dict) -> RemoteStore:
    store = RemoteStore(URL)
    store.client = SparqlClient(transport=virtuoso_like(answer))
    return store


@pytest.mark.parametrize("rows, expected", [([{"__ASK_RETVAL": {"type": "typed-literal", "value": "1",
                                                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}],
                                              True), ([], False)])
def test_an_ask_answered_as_a_table(rows, expected):
    outcome = remote({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": rows}}).query("ASK { ?s ?p ?o }")
    assert isinstance(outcome, QueryBoolean) and bool(outcome) is expected


def test_virtuoso_blank_nodes_and_booleans_read_as_embedded():
    answer = {"head": {"vars": ["b", "flag"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10001"},
         "flag": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}}]}}
    row = next(iter(remote(answer).query("SELECT ?b ?flag WHERE { ?b ?p ?flag }")))
    assert isinstance(row["b"], BlankNode)
    assert row["flag"] == Literal("true", datatype=row["flag"].datatype)


def test_an_answer_that_is_not_sparql():
    store = RemoteStore(URL)
    store.client = SparqlClient(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, text="<html>hello</html>", headers={"Content-Type": "text/html"})))
    with pytest.raises(NotSparql, match=f"^{URL} is not a SPARQL endpoint: it answered a query with text/html"):
        len(store)


def test_syntax_errors_read_as_embedded_and_cost_no_request():
    store = RemoteStore(URL)
    store.client = SparqlClient(transport=httpx.MockTransport(lambda r: pytest.fail("no request expected")))
    with pytest.raises(QueryError, match=r"^SPARQL syntax error at line 1, column \d+"):
        store.query("SELECT * WHERE { ?s ?p }")


def test_dataset_clauses_are_found_where_they_are():
    text = 'PREFIX g: <urn:g:> SELECT * FROM <urn:a> FROM NAMED g:b WHERE { ?s ?p "FROM <urn:x>" }'
    clauses = dataset_clauses(text)
    assert [(c.named, c.term, text[c.start:c.end]) for c in clauses] == [
        (False, "<urn:a>", "FROM <urn:a>"), (True, "g:b", "FROM NAMED g:b")]


def test_graph_prefix_must_be_an_iri():
    assert GraphNames("https://example.org/g/").published("https://w3id.org/vlmgraph/graph/data") == \
        "https://example.org/g/data"
    with pytest.raises(RemoteStoreError, match="not an absolute IRI"):
        GraphNames("not an iri")

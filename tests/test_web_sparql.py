"""The SPARQL 1.1 endpoint: protocol, negotiation, safety. Driven over HTTP through the app."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vlmgraph.web.app import Settings, create_app

from .conftest import DATA

SELECT = "SELECT ?label WHERE { ?m a vlm:VisionLanguageModel ; rdfs:label ?label } ORDER BY ?label LIMIT 3"

# Every triple of the catalogue three times over (its cube): far past any time limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from vlmgraph.store import build

    folder = tmp_path_factory.mktemp("web") / "build"
    build(DATA, folder)
    app = create_app(Settings(folder, timeout=3.0, workers=2, max_request_bytes=20_000))
    with TestClient(app) as test_client:
        yield test_client


def test_get_select_defaults_to_sparql_results_json(client):
    response = client.get("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in body["results"]["bindings"]] == ["Aria", "Aya Vision 32B", "BLIP"]


@pytest.mark.parametrize("accept, expected", [
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.8, */*;q=0.1", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_accept_with_q_values(client, accept, expected):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": "application/json"})
    assert response.text.splitlines()[:2] == ["label", "Aria"]


def test_nothing_acceptable_is_406(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "image/png" in response.text


def test_construct_is_negotiated_as_rdf(client):
    query = "CONSTRUCT { ?m vlm:hasVisionEncoder ?e } WHERE { ?m vlm:hasVisionEncoder ?e } LIMIT 5"
    turtle = client.get("/sparql", params={"query": query})
    assert turtle.headers["content-type"].startswith("text/turtle") and "vlm:hasVisionEncoder" in turtle.text
    jsonld = client.get("/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert isinstance(jsonld.json(), list)


def test_post_form_and_direct(client):
    form = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    direct = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query",
                                                                      "Accept": "text/csv"})
    assert form.status_code == direct.status_code == 200
    assert form.text == direct.text


def test_default_graph_uri_selects_the_ontology_graph(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a owl:Class }"
    ontology = client.get("/sparql", params={"query": query, "default-graph-uri":
                                             "https://w3id.org/vlmgraph/graph/ontology"})
    data = client.get("/sparql", params={"query": query, "default-graph-uri": "https://w3id.org/vlmgraph/graph/data"})
    assert int(ontology.json()["results"]["bindings"][0]["n"]["value"]) > 10
    assert int(data.json()["results"]["bindings"][0]["n"]["value"]) == 0


@pytest.mark.parametrize("request_args, status, message", [
    ({"method": "GET", "url": "/sparql", "params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "syntax error at line 1, column 25:"),
    ({"method": "GET", "url": "/sparql?query=ASK{}&query=ASK{}"}, 400, "more than one 'query'"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "unsupported media type 'text/plain'"),
    ({"method": "POST", "url": "/sparql", "content": b"query=ASK%20%7B%7D%20%FF",
      "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, None),
    ({"method": "POST", "url": "/sparql", "content": b"ASK { \xff }",
      "headers": {"Content-Type": "application/sparql-query"}}, 400, "not UTF-8"),
    ({"method": "POST", "url": "/sparql", "data": {}}, 415, None),
    ({"method": "POST", "url": "/sparql", "content": b"x" * 30_000,
      "headers": {"Content-Type": "application/sparql-query"}}, 413, "over the limit"),
])
def test_bad_requests_are_4xx_with_a_message(client, request_args, status, message):
    response = client.request(**request_args)
    assert response.status_code == status, response.text
    assert response.text.strip() and "Traceback" not in response.text
    if message:
        assert message in response.text


@pytest.mark.parametrize("request_args", [
    {"method": "POST", "url": "/sparql", "data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "POST", "url": "/sparql", "content": b"DROP ALL",
     "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "GET", "url": "/sparql", "params": {"query": "CLEAR DEFAULT"}},
    {"method": "GET", "url": "/sparql", "params": {"update": "DROP ALL"}},
])
def test_updates_are_refused_and_change_nothing(client, request_args):
    before = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    response = client.request(**request_args)
    assert response.status_code == 403 and "read-only" in response.text
    after = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert before == after


def test_no_outgoing_connection_from_any_query(client):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/data"
    try:
        service = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
        assert service.status_code == 400 and "SERVICE is not allowed" in service.text
        for query in (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
            assert client.get("/sparql", params={"query": query}).status_code == 200
        time.sleep(0.3)
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_runaway_query_is_stopped_while_others_are_answered(client):
    cartesian = RUNAWAY
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["response"] = client.get("/sparql", params={"query": cartesian})
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)
    quick_started = time.monotonic()
    quick = client.get("/sparql", params={"query": SELECT})
    quick_seconds = time.monotonic() - quick_started
    thread.join()
    assert quick.status_code == 200 and quick_seconds < 2.0
    assert slow["response"].status_code == 503 and "3 s limit" in slow["response"].text
    assert 2.9 < slow["seconds"] < 6
    assert client.get("/sparql", params={"query": SELECT}).status_code == 200  # the pool recovered
    # Stopped for real: no thread of the server (this process: TestClient runs the app here) or of
    # any process it started is still running the query, which an answer alone would not show.
    assert still_running(1.0) == set()


def _process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return tree


def _runnable_threads() -> set[tuple[int, int]]:
    """(pid, thread id) of each thread of this process and its descendants that runs or waits for a CPU."""
    me, found = threading.get_native_id(), set()
    for pid in _process_tree(os.getpid()):
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                stat = (task / "stat").read_text()
            except OSError:
                continue
            if stat[stat.rindex(")") + 2] == "R" and int(task.name) != me:
                found.add((pid, int(task.name)))
    return found


def still_running(seconds: float, samples: int = 20) -> set[tuple[int, int]]:
    """Threads that were runnable at every look over `seconds`: a query still burning a core (a
    busy machine delays it but it stays runnable; an idle server's threads sleep)."""
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux /proc")
    busy = None
    for _ in range(samples):
        busy = _runnable_threads() if busy is None else busy & _runnable_threads()
        time.sleep(seconds / samples)
    return busy


def test_still_running_sees_a_query_that_is_not_stopped(client):
    """The check above would fail if a runaway were left running (here in a process of this test's)."""
    import subprocess
    import sys

    folder = client.app.state.catalogue.location
    burner = subprocess.Popen([sys.executable, "-c", (
        "import sys; from vlmgraph.execution import execute; from vlmgraph.store import open_store; "
        "store = open_store(sys.argv[1]); print('running', flush=True); "
        "list(execute(store, 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'))"),
        str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert burner.stdout.readline() == "running\n"
        time.sleep(0.2)
        assert burner.poll() is None and still_running(1.0)
    finally:
        burner.kill()
        burner.wait()


def _with_query_process(client, size: int, timeout: float, scenario):
    """`await scenario(workers)` with a query process of its own over the client's store, closed after.
    On an event loop of its own thread: a test before this one may leave a loop marked running in
    this thread (Playwright's sync API does), where asyncio.run refuses."""
    from vlmgraph.query_workers import QueryWorkers
    from vlmgraph.store import DATABASE

    async def run():
        workers = QueryWorkers(Path(client.app.state.catalogue.location) / DATABASE, size=size, timeout=timeout)
        await workers.start()
        try:
            return await scenario(workers)
        finally:
            await workers.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_queries_beside_a_runaway_are_answered(client):
    """A query running in the query process when a runaway there is stopped is sent again to the
    next process and answered."""
    from vlmgraph.query_workers import QueryJob, QueryTimeout

    medium = "SELECT (COUNT(*) AS ?n) WHERE { ?a a vlm:Organization . ?d ?e ?f }"  # about a second

    async def scenario(workers):
        runaway = asyncio.create_task(workers.run(QueryJob(RUNAWAY, "json")))
        await asyncio.sleep(5.4)  # the runaway is stopped at 6 s; this one then has 5 s left
        beside = asyncio.create_task(workers.run(QueryJob(medium, "json")))
        with pytest.raises(QueryTimeout):
            await runaway
        in_flight_at_stop = not beside.done()
        answer = await beside
        return in_flight_at_stop, answer, workers.resent

    in_flight_at_stop, answer, resent = _with_query_process(client, 2, 6.0, scenario)
    assert b'"n"' in answer
    if in_flight_at_stop:  # on a fast machine the medium query may end before the runaway is stopped
        assert resent == 1


def test_service_description_with_void(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    import rdflib

    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (None, rdflib.RDF.type, sd.Service) in graph
    triples = next(graph.objects(None, void.triples)).toPython()
    assert triples > 5000
    assert next(graph.objects(None, void.exampleResource)) is not None


def test_named_query_api_and_openapi(client):
    response = client.get("/api/queries/lineage", params={"model": "LLaVA-1.5"})
    labels = {b["toLabel"]["value"] for b in response.json()["results"]["bindings"]}
    assert {"Vicuna v1.5", "Llama 2"} <= labels
    hostile = client.get("/api/queries/lineage", params={"model": 'x" } ?s ?p ?o { "'})
    assert hostile.status_code == 400 and "no entity named" in hostile.text
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/queries/models-using-encoder"]["get"]
    assert operation["summary"].startswith("Models that use a vision encoder")
    assert [p["name"] for p in operation["parameters"]][0] == "encoder"
    listing = client.get("/api/queries").json()
    assert {q["name"] for q in listing} >= {"lineage", "seed-corrections"}


def test_cors_allows_browser_reads(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://example.org"})
    assert response.headers.get("access-control-allow-origin") == "*"


def test_a_cancelled_request_keeps_its_query_under_the_time_limit(client):
    """A request cancelled while its query runs (client gone, shutdown) leaves the query in its slot:
    the slot is not given to another job before that query ends, and a runaway is still stopped at
    its time limit."""
    from vlmgraph.query_workers import QueryJob

    async def scenario(workers):
        abandoned = asyncio.create_task(workers.run(QueryJob(RUNAWAY, "json")))
        await asyncio.sleep(0.5)
        abandoned.cancel()
        await asyncio.sleep(2.0)
        started = asyncio.get_running_loop().time()
        answer = await workers.run(QueryJob("ASK { ?s a vlm:VisionLanguageModel }", "json"))
        return answer, asyncio.get_running_loop().time() - started

    answer, waited = _with_query_process(client, 1, 4.0, scenario)
    assert b"true" in answer  # its own answer, not the abandoned query's
    assert waited > 1.0  # the one slot stayed taken until the abandoned runaway was stopped at 4 s
    assert still_running(1.0) == set()

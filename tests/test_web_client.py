"""A real SPARQL client, unchanged, against the running server."""

from __future__ import annotations

import threading
import time

import pytest
import uvicorn

from vlmgraph.web.app import Settings, create_app

from .conftest import DATA


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from vlmgraph.store import build

    folder = tmp_path_factory.mktemp("served") / "build"
    build(DATA, folder)
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(folder, workers=2)), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/sparql"
    server.should_exit = True
    thread.join(10)


def test_sparqlwrapper_select_json(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("""
        PREFIX vlm: <https://w3id.org/vlmgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?encoder WHERE {
          ?m rdfs:label "LLaVA-1.5" ; vlm:hasVisionEncoder/rdfs:label ?encoder }""")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [row["encoder"]["value"] for row in rows] == ["CLIP ViT-L/14@336px"]


def test_sparqlwrapper_post_construct_and_ask(endpoint):
    from SPARQLWrapper import POST, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("ASK { ?m <https://w3id.org/vlmgraph/ontology#fineTunedFrom> ?base }")
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    client.setQuery("CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o } LIMIT 10")
    client.setReturnFormat(TURTLE)
    import rdflib

    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 10

"""A real SPARQL client, unchanged, against the running server."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def endpoint(live_app):
    return f"{live_app}/sparql"


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

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


SELECT_ENCODER = """SELECT ?encoder WHERE { ?m rdfs:label "LLaVA-1.5" ; vlm:hasVisionEncoder/rdfs:label ?encoder }"""
LLAVA = "<https://w3id.org/vlmgraph/resource/model/llava-1.5>"
CONSTRUCT_LLAVA = f"CONSTRUCT {{ {LLAVA} rdfs:label ?l }} WHERE {{ {LLAVA} rdfs:label ?l }}"


def _client(endpoint, query, return_format):
    """SPARQLWrapper as researchers use it: default settings (so it also sends format=…, output=…,
    results=… with its own values, and for TSV, RDF/XML and JSON-LD a media type beside the name)."""
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_defaults_select_and_ask_in_every_results_format(endpoint, return_format):
    import csv
    import io

    result = _client(endpoint, SELECT_ENCODER, return_format).query()
    converted = result.convert()
    if return_format == "json":
        values = [row["encoder"]["value"] for row in converted["results"]["bindings"]]
    elif return_format == "xml":
        values = [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    elif return_format == "csv":
        values = [row["encoder"] for row in csv.DictReader(io.StringIO(converted.decode()))]
    else:
        values = [line.strip('"') for line in converted.decode().splitlines()[1:]]
    assert values == ["CLIP ViT-L/14@336px"]
    ask = _client(endpoint, f"ASK {{ {LLAVA} vlm:successorOf ?earlier }}", return_format).query()
    assert ask.response.status == 200
    body = ask.convert()
    if return_format == "json":
        assert body["boolean"] is True
    elif return_format == "xml":
        assert body.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert body.decode().strip().endswith("true")


@pytest.mark.parametrize("return_format, rdflib_format", [
    ("turtle", "turtle"), ("n3", "n3"), ("rdf+xml", "xml"), ("json-ld", "json-ld"), ("xml", "xml")])
def test_sparqlwrapper_defaults_construct_and_describe_in_every_graph_format(endpoint, return_format, rdflib_format):
    import rdflib

    for query in (CONSTRUCT_LLAVA, f"DESCRIBE {LLAVA}"):
        result = _client(endpoint, query, return_format).query()
        assert result.response.status == 200
        converted = result.convert()
        graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(
            data=converted, format=rdflib_format)
        labels = {str(o) for o in graph.objects(rdflib.URIRef("https://w3id.org/vlmgraph/resource/model/llava-1.5"),
                                                rdflib.RDFS.label)}
        assert labels == {"LLaVA-1.5"}


def test_equivalent_format_parameters_are_one_request_and_different_ones_are_refused(endpoint):
    import httpx

    same = httpx.get(endpoint, params=[("query", CONSTRUCT_LLAVA), ("format", "rdf+xml"),
                                       ("format", "application/rdf+xml")])
    assert same.status_code == 200 and same.headers["content-type"].startswith("application/rdf+xml")
    n3 = httpx.get(endpoint, params={"query": CONSTRUCT_LLAVA, "format": "n3"})
    assert n3.status_code == 200 and n3.headers["content-type"].startswith("text/turtle")
    clash = httpx.get(endpoint, params=[("query", SELECT_ENCODER), ("format", "json"), ("format", "csv")])
    assert clash.status_code == 400 and "different formats (SPARQL JSON, CSV)" in clash.text


def test_a_browser_opening_the_endpoint_gets_the_query_page_and_rdf_clients_the_description(endpoint):
    import httpx

    browser = httpx.get(endpoint, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                                                     "image/avif,image/webp,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.headers["content-type"].startswith("text/html")
    assert 'id="editor"' in browser.text
    for accept in (None, "*/*", "text/turtle", "application/rdf+xml"):
        described = httpx.get(endpoint, headers={"Accept": accept} if accept else {})
        assert described.status_code == 200, accept
        assert "sparql-service-description" in described.text and "html" not in described.headers["content-type"]


def test_updates_and_undefined_prefixes_are_told_in_plain_words(endpoint):
    import httpx

    update = httpx.get(endpoint, params={"query": 'INSERT DATA { model:x rdfs:label "x" }'})
    assert update.status_code == 403 and "read-only" in update.text
    unknown = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s foo:bar ?o }"})
    assert unknown.status_code == 400
    assert unknown.text.startswith("unknown prefix 'foo:' at line 1, column 21 — known: vlm, res,")


def test_the_endpoint_names_a_misspelled_keyword_and_drops_character_ranges(endpoint):
    import httpx

    typo = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMT 3"})
    assert typo.status_code == 400
    assert typo.text.strip() == ("SPARQL syntax error at line 1, column 29: 'LIMT' is not a SPARQL keyword — "
                                 "did you mean LIMIT?")
    slashed = httpx.get(endpoint, params={"query": "SELECT * WHERE { res:model/llava-1.5 ?p ?o }"})
    assert slashed.status_code == 400 and "write model:llava-1.5" in slashed.text
    unclosed = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o "})
    assert unclosed.status_code == 400 and "\\u{" not in unclosed.text

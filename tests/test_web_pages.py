"""The HTML pages of the app, read as a browser would receive them (the browser tests click them)."""

from __future__ import annotations

import re

import httpx
import pytest

from vlmgraph.queries import named_queries


@pytest.fixture(scope="module")
def client(live_app):
    with httpx.Client(base_url=live_app) as http:
        yield http


def test_query_page_offers_every_named_query_with_its_defaults_bound(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for name in named_queries():
        assert f'data-example="{name}"' in page.text
    # The lineage example arrives runnable: its model parameter bound to LLaVA-1.5 in a BIND line,
    # written as people paste it, its prefix declared.
    assert "BIND(model:llava-1.5 AS ?_model_iri)" in page.text
    assert "PREFIX model: \\u003chttps://w3id.org/vlmgraph/resource/model/\\u003e" in page.text


def test_every_example_the_page_offers_runs_on_the_endpoint(client):
    import json

    page = client.get("/").text
    examples = json.loads(re.search(r'<script type="application/json" id="example-queries">(.*?)</script>',
                                    page, re.S).group(1))
    assert len(examples) == len(named_queries())
    for example in examples:
        answer = client.post("/sparql", data={"query": example["text"]},
                             headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, (example["name"], answer.text)
        assert answer.json()["results"]["bindings"], f"{example['name']} returned no rows"


def test_pages_load_nothing_from_other_hosts(client):
    for path in ("/", "/api"):
        text = client.get(path).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', text)
        assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources), path


def test_api_page_lists_operations_whose_example_links_work(client):
    page = client.get("/api")
    assert page.status_code == 200
    links = re.findall(r'<a href="(/api/queries/[^"]+)">', page.text)
    assert len(links) == len(named_queries())
    for link in links:
        answer = client.get(link.replace("&amp;", "&"), headers={"Accept": "text/csv"})
        assert answer.status_code == 200, (link, answer.text)


def test_swagger_pages_that_would_load_a_cdn_are_not_served(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").json()["paths"]["/api/queries/lineage"]["get"]["summary"]


def test_ontology_page_lists_every_term_with_its_use_in_the_data(client):
    page = client.get("/ontology")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    row = re.search(r'<tr id="hasVisionEncoder">(.*?)</tr>', page.text, re.S).group(1)
    assert "The vision encoder a vision-language model uses" in row
    assert '<a href="#hasComponent"><code>vlm:hasComponent</code></a>' in row
    assert "vlm:VisionLanguageModel → vlm:VisionEncoder" in row
    used = int(re.search(r'<td class="num">(\d+)</td>', row).group(1))
    answer = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/vlmgraph/"
                                                   "graph/data> { ?m vlm:hasVisionEncoder ?e } }"},
                         headers={"Accept": "text/csv"})
    assert used == int(answer.text.split()[1]) > 30


def test_ontology_is_served_as_rdf_to_rdf_clients(client):
    import rdflib

    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "Accept" in turtle.headers["vary"]
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/vlmgraph/ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    assert client.get("/ontology?format=jsonld").json()
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406

"""Entity pages /resource/{kind}/{slug}: HTML for people, RDF for clients, schema.org for crawlers."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from markupsafe import escape
from pyoxigraph import NamedNode

from vlmgraph.describe import describe
from vlmgraph.execution import execute
from vlmgraph.vocab import RESOURCE_NS, VLM, resource
from vlmgraph.entity_view import EntityView, Value, entity_view
from vlmgraph.web.schema_org import schema_org, script_json

from .web_site import JSON_LD, REMOTE_ASSET, drawing, make_client

LLAVA = RESOURCE_NS + "model/llava-1.5"
RDFS_LABEL = rdflib.RDFS.label
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_client(tmp_path_factory)


@pytest.fixture(scope="module")
def llava_html(client):
    response = client.get("/resource/model/llava-1.5", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert varies_by_accept(response)
    return response.text


def varies_by_accept(response) -> bool:
    return "accept" in {part.strip().lower() for part in response.headers.get("vary", "").split(",")}


def json_ld(page: str) -> dict:
    match = JSON_LD.search(page)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_page_shows_the_model_its_components_and_their_makers(llava_html):
    assert "<h1>LLaVA-1.5</h1>" in llava_html
    assert 'class="badge"' in llava_html and "Vision-language model" in llava_html
    for text in ("Vicuna v1.5", "CLIP ViT-L/14@336px", "Llama 2", "LMSYS", "OpenAI", "University of Wisconsin",
                 "2023-10", "7B, 13B", "LLaVA 1.5"):
        assert text in llava_html, text
    assert 'href="/resource/model/vicuna-v1.5"' in llava_html
    assert 'href="/resource/organization/uw-madison"' in llava_html
    assert 'href="/resource/paper/arxiv-2310.03744"' in llava_html
    assert 'href="https://github.com/haotian-liu/LLaVA/blob/main/docs/MODEL_ZOO.md"' in llava_html  # a source


def test_page_has_results_and_training_data(llava_html):
    assert 'href="/resource/dataset/coco"' in llava_html  # trained on
    assert "Reported results" in llava_html and "63.3%" in llava_html  # GQA, 13B


def test_page_lists_every_source_of_the_record(client, store, llava_html):
    sources = [row["s"].value for row in execute(store, f"SELECT ?s WHERE {{ <{LLAVA}> dct:source ?s }}")]
    assert len(sources) >= 2
    for url in sources:
        assert f'<a href="{url}"' in llava_html


def test_mini_graph_uses_the_apps_own_vis_network(llava_html):
    assert 'id="vlmgraph-network"' in llava_html
    assert '<script src="/static/vendor/vis-network/vis-network.min.js"></script>' in llava_html
    assert '<script src="/static/viz/viz.js"></script>' in llava_html
    assert len(llava_html) < 200_000  # vis-network itself is linked, not written in line
    assert not REMOTE_ASSET.search(llava_html)
    nodes = drawing(llava_html)["nodes"]
    labels = {node["name"] for node in nodes}
    assert {"LLaVA-1.5", "Vicuna v1.5", "CLIP ViT-L/14@336px", "Llama 2", "LLaVA"} <= labels
    assert all(node["href"].startswith("/resource/") for node in nodes)


def test_links_to_lineage_page_and_sparql(llava_html):
    assert 'href="/viz/lineage/llava-1.5"' in llava_html
    link = next(part.split('"', 1)[0] for part in llava_html.split('href="/?')[1:])
    query = parse_qs(urlsplit("/?" + link.replace("&amp;", "&")).query)["query"][0]
    assert f"<{LLAVA}>" in query and query.startswith("SELECT")


def test_schema_org_json_ld(llava_html):
    data = json_ld(llava_html)
    assert data["@type"] == "SoftwareApplication"
    assert data["@id"] == LLAVA and data["name"] == "LLaVA-1.5"
    assert "LLaVA 1.5" in data["alternateName"]
    assert data["dateCreated"] == "2023-10"
    assert {c["name"] for c in data["creator"]} >= {"University of Wisconsin–Madison"}
    assert {b["name"] for b in data["isBasedOn"]} >= {"Vicuna v1.5", "CLIP ViT-L/14@336px", "LLaVA"}
    assert "https://huggingface.co/liuhaotian/llava-v1.5-13b" in data["sameAs"]
    graph = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")  # the context is in line: offline
    subject = rdflib.URIRef(LLAVA)
    assert (subject, SCHEMA.name, rdflib.Literal("LLaVA-1.5")) in graph
    assert (subject, rdflib.RDF.type, SCHEMA.SoftwareApplication) in graph
    assert (subject, SCHEMA.sameAs, rdflib.URIRef("https://huggingface.co/liuhaotian/llava-v1.5-13b")) in graph


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle", "turtle"),
])
def test_rdf_by_accept(client, accept, media_type, rdflib_format):
    response = client.get("/resource/model/llava-1.5", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert varies_by_accept(response)
    graph = rdflib.Graph().parse(data=response.text, format=rdflib_format)
    llava = rdflib.URIRef(LLAVA)
    assert (llava, RDFS_LABEL, rdflib.Literal("LLaVA-1.5")) in graph
    vicuna = rdflib.URIRef(RESOURCE_NS + "model/vicuna-v1.5")
    assert (llava, rdflib.URIRef(VLM.hasLanguageBackbone.value), vicuna) in graph
    assert (vicuna, RDFS_LABEL, rdflib.Literal("Vicuna v1.5")) in graph  # labels of what it links to


@pytest.mark.parametrize("name, media_type", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                              ("nt", "application/n-triples"), ("xml", "application/rdf+xml"),
                                              ("html", "text/html")])
def test_format_parameter_overrides_accept(client, name, media_type):
    accept = "text/turtle" if name == "html" else "text/html"
    response = client.get("/resource/model/llava-1.5", params={"format": name}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media_type


def test_nothing_acceptable_is_406_and_a_bad_format_400(client):
    response = client.get("/resource/model/llava-1.5", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.text
    assert varies_by_accept(response)
    response = client.get("/resource/model/llava-1.5", params={"format": "docx"})
    assert response.status_code == 400 and "ttl" in response.text


def test_description_holds_corrections_and_incoming_links(store):
    encoder = resource("model", "clip-vit-l-14-336")
    triples = describe(store, encoder)
    assert triples[0].subject == encoder  # the entity first
    llava = NamedNode(LLAVA)
    assert any(t.subject == llava and t.predicate == VLM.hasVisionEncoder and t.object == encoder for t in triples)
    assert any(t.subject == llava and t.predicate.value.endswith("#label") for t in triples)  # its label too
    corrections = describe(store, llava)
    nodes = {t.object for t in corrections if t.subject == llava and t.predicate == VLM.correctsSeedClaim}
    assert nodes and all(any(t.subject == n and t.predicate == VLM.seedClaim for t in corrections) for n in nodes)
    assert describe(store, llava) == corrections  # the same bytes each time


def correction_on(store, prop: str):
    rows = execute(store, f"""SELECT ?entity ?claim ?corrected WHERE {{
        ?entity a vlm:VisionLanguageModel ; vlm:correctsSeedClaim ?c .
        ?c vlm:correctedProperty {prop} ; vlm:seedClaim ?claim ; vlm:correctedValue ?corrected }}
        ORDER BY ?entity LIMIT 1""")
    return next(iter(rows))


def test_seed_list_correction_is_shown(client, store):
    row = correction_on(store, "vlm:hasVisionEncoder")
    page = client.get("/resource/" + row["entity"].value.removeprefix(RESOURCE_NS)).text
    section = page.split('id="corrections-h"', 1)[1].split("</section>", 1)[0]
    assert 'class="correction"' in section and "vision encoders" in section
    assert str(escape(row["claim"].value)) in section
    assert str(escape(row["corrected"].value)) in section


def test_encoder_page_lists_the_models_using_it(client, store):
    encoder = RESOURCE_NS + "model/siglip-so400m-patch14-384"
    users = {row["label"].value for row in execute(
        store, f"SELECT ?label WHERE {{ ?m vlm:hasVisionEncoder <{encoder}> ; rdfs:label ?label }}")}
    assert len(users) >= 2
    page = client.get("/resource/model/siglip-so400m-patch14-384").text
    section = page.split("Used as vision encoder by", 1)[1].split("</dd>", 1)[0]
    for label in users:
        assert str(escape(label)) in section


def test_every_kind_of_entity_has_a_page(client, store):
    kinds = execute(store, """SELECT ?kind (MIN(?e) AS ?entity) WHERE {
        GRAPH <https://w3id.org/vlmgraph/graph/data> { ?e rdfs:label ?l }
        BIND(STRBEFORE(STRAFTER(STR(?e), "/resource/"), "/") AS ?kind) } GROUP BY ?kind""")
    seen = set()
    for row in kinds:
        seen.add(row["kind"].value)
        response = client.get("/resource/" + row["entity"].value.removeprefix(RESOURCE_NS))
        assert response.status_code == 200, row["entity"].value
        assert json_ld(response.text)["@id"] == row["entity"].value
    assert {"model", "dataset", "organization", "paper", "family", "tool", "concept", "correction"} <= seen


def test_unknown_entity_is_404_with_suggestions(client):
    response = client.get("/resource/model/llava-1.6")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Did you mean" in response.text and 'href="/resource/model/llava-1.5"' in response.text
    response = client.get("/resource/model/llava-1.6", headers={"Accept": "text/turtle"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/plain")
    assert "<" + LLAVA + ">" in response.text


@pytest.mark.parametrize("path", [
    "/resource/model/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/resource/model/" + "x" * 5000, "/resource/model/..",
    "/resource/model/a%2F..%2F..%2Fetc", "/resource/%3Cb%3E/x", "/resource/model/", "/resource/model/a/b",
    "/resource/model/%00", "/resource/model/llava-1.5%20%22",
])
def test_hostile_paths_are_404_and_escaped(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert "<script>alert" not in response.text and "<b>" not in response.text.split("<main>", 1)[-1]


def test_json_ld_cannot_end_its_script_element():
    view = EntityView(iri=RESOURCE_NS + "model/x", page="/resource/model/x", namespace="model", slug="x",
                      label="</script><script>alert(1)</script>", kind="VisionLanguageModel",
                      kind_label="Vision-language model", aliases=["a & b"])
    text = script_json(schema_org(view, "http://testserver"))
    assert "</" not in text and "<" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_entity_view_is_none_for_unknown_and_links_stay_inside(store):
    assert entity_view(store, resource("model", "no-such-model")) is None
    view = entity_view(store, NamedNode(LLAVA))
    assert view.fact("vlm:developedBy") and all(v.href.startswith("/resource/organization/")
                                                for v in view.fact("vlm:developedBy"))
    assert [c.role for c in view.components] == ["vision encoder", "language backbone"]
    assert Value("Llama 2", RESOURCE_NS + "model/llama-2", "/resource/model/llama-2") in \
        [v for c in view.components for _, v in c.built_from]


def test_facts_resting_on_secondary_sources_are_marked_on_the_page_and_queryable(client, store):
    rows = list(execute(store, """
        SELECT ?e ?note WHERE { ?e vlm:hasConfidenceNote ?n . ?n vlm:confidenceLevel vlm:Likely ;
                                  vlm:aboutProperty vlm:trainedOn ; rdfs:comment ?note } ORDER BY ?e LIMIT 1"""))
    assert rows, "the catalogue marks some training data as likely"
    page = client.get("/resource/" + rows[0]["e"].value.split("/resource/", 1)[1]).text
    assert "Less than confident" in page and "trained on: Likely" in page
    assert rows[0]["note"].value.split()[0] in page

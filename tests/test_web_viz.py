"""/viz/lineage/{name} and /viz/overview: the CLI's pages, served by the app."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from vlmgraph.lineage import lineage_graph
from vlmgraph.viz import lineage_page

from .web_site import REMOTE_ASSET, drawing, make_client


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_client(tmp_path_factory)


def test_lineage_page(client):
    response = client.get("/viz/lineage/llava-1.5")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Lineage of LLaVA-1.5" in page and "Vicuna v1.5" in page and "Llama 2" in page
    assert 'id="vlmgraph-network"' in page and "vlmgraphDraw(" in page
    assert '<script src="/static/vendor/vis-network/vis-network.min.js"></script>' in page  # linked, not in line
    assert '<header class="site">' in page and 'href="/resource/model/llava-1.5">← LLaVA-1.5’s page' in page
    assert not REMOTE_ASSET.search(page)


def test_lineage_page_draws_what_the_clis_page_draws(client, store):
    page = client.get("/viz/lineage/llava-1.5", params={"depth": "2", "direction": "both"}).text
    assert drawing(page) == drawing(lineage_page(lineage_graph(store), "LLaVA-1.5", 2, "both"))


@pytest.mark.parametrize("name", ["LLaVA-1.5", "LLaVA 1.5", "res:model/llava-1.5",
                                  "https://w3id.org/vlmgraph/resource/model/llava-1.5"])
def test_lineage_by_label_alias_or_iri(client, name):
    response = client.get("/viz/lineage/" + quote(name, safe=""))
    assert response.status_code == 200 and "Lineage of LLaVA-1.5" in response.text


def test_lineage_options(client):
    down = client.get("/viz/lineage/llama-2", params={"direction": "down", "depth": "1"}).text
    assert "Vicuna v1.5" in down and "what is built on it, 1 step deep" in down
    alone = drawing(client.get("/viz/lineage/llava-1.5", params={"depth": "0"}).text)
    assert "Vicuna v1.5" not in {node["name"] for node in alone["nodes"]}


@pytest.mark.parametrize("params, message", [
    ({"depth": "deep"}, "depth must be a whole number"), ({"depth": "-1"}, "between 0 and"),
    ({"depth": "1000"}, "between 0 and"), ({"direction": "sideways"}, "direction must be one of up, down, both"),
])
def test_bad_lineage_options_are_400(client, params, message):
    response = client.get("/viz/lineage/llava-1.5", params=params)
    assert response.status_code == 400 and message in response.text


def test_unknown_model_is_404_with_suggestions(client):
    response = client.get("/viz/lineage/llava-1.9")
    assert response.status_code == 404 and "Did you mean" in response.text
    assert 'href="/resource/model/llava-1.5"' in response.text
    hostile = client.get("/viz/lineage/" + quote("<script>alert(1)</script>", safe=""))
    assert hostile.status_code == 404 and "<script>alert" not in hostile.text


def test_overview(client):
    page = client.get("/viz/overview").text
    assert "vlmgraph overview" in page and not REMOTE_ASSET.search(page)
    filtered = client.get("/viz/overview", params=[("kind", "VisionEncoder"), ("kind", "Organization"),
                                                   ("org", "Meta AI")])
    assert filtered.status_code == 200
    # the whole graph is in the page, for its filters to act in place; what they leave out is held back
    nodes = drawing(filtered.text)["nodes"]
    assert len(nodes) == client.app.state.catalogue.lineage_graph().number_of_nodes()
    drawn = {n["name"] for n in nodes if not n.get("held")}
    assert {"Meta AI", "Llama 3.2 Vision image encoder"} <= drawn and "LLaVA-1.5" not in drawn
    assert '<option value="Meta AI" selected>' in filtered.text and 'data-in-page="true"' in filtered.text
    assert client.get("/viz/overview", params={"year": "2024"}).status_code == 200


@pytest.mark.parametrize("params, status, message", [
    ({"kind": "bogus"}, 400, "unknown kind 'bogus'"), ({"year": "last"}, 400, "year must be a whole number"),
    ({"org": "Nobody Inc"}, 400, "no entity named"), ({"org": "LLaVA-1.5"}, 400, "not an organization"),
])
def test_bad_overview_options_are_400(client, params, status, message):
    response = client.get("/viz/overview", params=params)
    assert response.status_code == status and message in response.text.replace("&#39;", "'")


def test_graph_is_built_once_per_app(client):
    client.get("/viz/overview")
    first = client.app.state.catalogue.lineage_graph()
    client.get("/resource/model/llava-1.5")
    client.get("/viz/overview", params={"year": "2023"})
    assert client.app.state.catalogue.lineage_graph() is first

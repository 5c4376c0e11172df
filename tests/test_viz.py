"""The pyvis pages and the `viz` commands, on the real catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vlmgraph.cli.viz import viz_app
from vlmgraph.lineage import lineage_graph
from vlmgraph.viz import NETWORK_ID, lineage_page, overview_page

from .web_site import drawing

DATA = Path(__file__).resolve().parents[1] / "data"
REMOTE_ASSET = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


@pytest.fixture(scope="module")
def llava_page(graph):
    return lineage_page(graph, "LLaVA-1.5")


def network_data(page: str, name: str) -> list[dict]:
    return drawing(page)[name]


def test_lineage_page_shows_the_lineage_and_its_developers_as_a_layer(llava_page):
    nodes = network_data(llava_page, "nodes")
    models = {node["name"] for node in nodes if not node.get("layer")}
    assert {"LLaVA-1.5", "Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px", "LLaVA", "LLaMA"} <= models
    layered = {(node["kind"], node["name"]) for node in nodes if node.get("layer")}
    assert {("Organization", "LMSYS"), ("Organization", "Meta AI"), ("Organization", "OpenAI"),
            ("ModelFamily", "Llama")} <= layered
    assert {kind for kind, _ in layered} == {"Organization", "ModelFamily", "Dataset", "Benchmark"}
    assert drawing(llava_page)["layers"] == ["Benchmark", "Dataset", "ModelFamily", "Organization"]


def test_nodes_name_their_developers_family_and_size_and_link_their_pages(llava_page):
    nodes = {n["name"]: n for n in network_data(llava_page, "nodes")}
    llava = nodes["LLaVA-1.5"]
    assert llava["href"] == "/resource/model/llava-1.5"
    assert "2023-10" in llava["title"] and "source: https://" in llava["title"] and "family: LLaVA" in llava["title"]
    assert nodes["Llama 2"]["label"] == "<b>Llama 2</b>\n<i>Meta AI · Llama · 70B</i>"
    assert nodes["Llama 2"]["font"]["multi"] == "html"


def test_lineage_page_reads_like_a_family_tree(llava_page):
    nodes = {n["name"]: n for n in network_data(llava_page, "nodes")}
    assert {n["shape"] for n in nodes.values()} == {"box"}
    assert nodes["LLaVA-1.5"]["borderWidth"] > nodes["Vicuna v1.5"]["borderWidth"]  # the model asked about
    assert nodes["LLaVA-1.5"]["color"]["border"] != nodes["Vicuna v1.5"]["color"]["border"]  # kinds by colour
    edges = network_data(llava_page, "edges")
    assert all("label" not in e for e in edges)  # shown on hover
    assert {("hasLanguageBackbone", "language backbone"), ("fineTunedFrom", "fine-tuned from")} <= {
        (e["relation"], e["relationLabel"]) for e in edges}
    assert {e["arrows"] for e in edges} == {"from"}  # from the ancestor to what was made of it
    assert drawing(llava_page)["options"]["layout"]["hierarchical"]["direction"] == "LR"
    assert 'data-layer="Organization" aria-pressed="false"' in llava_page
    levels = {name: n["level"] for name, n in nodes.items()}
    assert levels["Llama 2"] < levels["Vicuna v1.5"] < levels["LLaVA-1.5"]  # ancestors stand left
    assert levels["LLaMA"] < levels["Vicuna v0"] < levels["LLaVA"] < levels["LLaVA-1.5"]


def test_legend_draws_swatches_in_css_not_glyphs(llava_page, graph):
    legend = llava_page.split('<ul class="vlmgraph-legend"', 1)[1].split("</ul>", 1)[0]
    assert 'class="swatch swatch-box"' in legend
    assert not re.search(r"[\u2190-\u2bff]", legend)  # arrows, shapes, symbols: glyphs a font may lack
    overview = overview_page(graph)
    legend = overview.split('<ul class="vlmgraph-legend"', 1)[1].split("</ul>", 1)[0]
    assert 'swatch-dot' in legend and 'swatch-star' in legend and not re.search(r"[\u2190-\u2bff]", legend)


def test_pages_are_offline(graph, llava_page):
    for page in (llava_page, overview_page(graph)):
        assert not REMOTE_ASSET.search(page)
        assert "vis.Network" in page and "vlmgraphDraw(" in page and f'id="{NETWORK_ID}"' in page


def test_pages_are_deterministic(store, graph, llava_page):
    assert lineage_page(lineage_graph(store), "LLaVA-1.5").encode() == llava_page.encode()
    assert overview_page(graph, year=2024).encode() == overview_page(lineage_graph(store), year=2024).encode()


def test_overview_filters(graph):
    page = overview_page(graph, kinds=["VisionLanguageModel", "organization"], org="Meta AI")
    labels = {n["name"] for n in network_data(page, "nodes")}
    assert {"Meta AI", "Llama 3.2 Vision"} <= labels
    assert "LLaVA-1.5" not in labels and "Llama 2" not in labels  # not Meta's, and not a VLM
    with pytest.raises(ValueError, match="unknown kind"):
        overview_page(graph, kinds=["Spaceship"])


def test_served_overview_holds_the_whole_graph_and_filters_in_the_page_unless_it_is_too_large(graph):
    from vlmgraph.viz import overview_view

    view = overview_view(graph, kinds=["LanguageModel"], year=2024, filter_form=True)
    assert len(view.data.nodes) == graph.number_of_nodes() and "overview_filters.js" in view.assets
    drawn = [n for n in view.data.nodes if not n.get("held")]
    assert drawn and {n["kind"] for n in drawn} == {"LanguageModel"} and all(n["released"].startswith("2024") for n in drawn)
    assert 'data-in-page="true"' in view.controls and '<option value="2024" selected>' in view.controls
    too_large = overview_view(graph, kinds=["LanguageModel"], filter_form=True, max_nodes=100)
    assert 'data-in-page="false"' in too_large.controls and "overview_filters.js" not in too_large.assets
    assert {n["kind"] for n in too_large.data.nodes} == {"LanguageModel"} and not any(n.get("held") for n in too_large.data.nodes)


def test_a_large_overview_is_reduced_with_a_visible_message(graph):
    page = overview_page(graph, max_nodes=60)
    assert len(network_data(page, "nodes")) <= 60
    assert re.search(r'<p class="vlmgraph-notice" role="status">This view is reduced: it shows \d+ of \d+', page)
    assert "vlmgraph-notice" not in overview_page(graph).split("<body>")[1]


def test_cli_lineage_writes_the_page(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(viz_app, ["lineage", "LLaVA 1.5", "--depth", "2", "--data", str(DATA),
                                     "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "lineage-llava-1.5.html").read_text(encoding="utf-8")
    assert "Vicuna v1.5" in page and not REMOTE_ASSET.search(page)


def test_cli_overview_writes_the_page(runner, tmp_path):
    target = tmp_path / "meta.html"
    result = runner.invoke(viz_app, ["overview", "-o", str(target), "--org", "Meta AI", "--kind", "LanguageModel",
                                     "--data", str(DATA), "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    assert "Llama 2" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["lineage", "LLaVA-1.55"], "did you mean LLaVA-1.5"),
    (["lineage", "LLaVA-1.5", "--direction", "sideways"], "--direction must be one of up, down, both"),
    (["overview", "--kind", "Spaceship"], "unknown kind 'Spaceship'"),
    (["lineage", "LLaVA-1.5", "-o", "no/such/folder/page.html"], "cannot write no/such/folder/page.html"),
])
def test_cli_errors_are_one_line(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(viz_app, [*args, "--data", str(DATA), "--store", str(tmp_path / "build")])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1

"""Lineage, overview and entity pages, and the search box, in real headless Chromium."""

from __future__ import annotations

import pytest

from vlmgraph.lineage import lineage_graph, resolve
from vlmgraph.viz import lineage_network
from vlmgraph.web.entities import mini_graph


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


def drawn_labels(page) -> list[str]:
    return page.evaluate("window.vlmgraphNetwork.nodes.get().map(n => n.name)")


def click_node(page, label: str) -> None:
    """Click where vis-network drew the node with this label, as a person would."""
    point = page.evaluate("""label => {
        const {network, nodes} = window.vlmgraphNetwork;
        network.stopSimulation();
        const node = nodes.get({filter: n => n.name === label})[0];
        const at = network.canvasToDOM(network.getPositions([node.id])[node.id]);
        const box = document.getElementById("vlmgraph-network").getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y};
    }""", label)
    page.mouse.click(point["x"], point["y"])


def test_lineage_page_draws_llava_from_vicuna_llama_and_clip_and_clicks_through(visit, graph):
    watched = visit("/viz/lineage/LLaVA-1.5")
    page = watched.page
    page.wait_for_selector("#vlmgraph-network canvas")
    labels = drawn_labels(page)
    _, expected = lineage_network(graph, "LLaVA-1.5")
    assert sorted(labels) == sorted(n["name"] for n in expected.nodes if not n.get("layer"))
    assert {"LLaVA-1.5", "Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px"} <= set(labels)
    assert not {"LMSYS", "Meta AI", "OpenAI"} & set(labels)  # developers are on the nodes, their layer is off
    with page.expect_navigation():
        click_node(page, "Vicuna v1.5")
    assert page.url.endswith("/resource/model/vicuna-v1.5")
    assert page.locator("h1").inner_text() == "Vicuna v1.5"
    assert watched.problems() == []


def test_entity_page_shows_facts_correction_and_a_mini_graph_that_navigates(visit, graph):
    watched = visit("/resource/model/llava-1.5")
    page = watched.page
    page.wait_for_selector("#vlmgraph-network canvas")
    assert page.locator("h1").inner_text() == "LLaVA-1.5"
    assert page.locator(".correction").count() >= 1
    assert "Vicuna v1.5" in page.locator("main").inner_text()
    labels = drawn_labels(page)
    assert "LLaVA-1.5" in labels and "Vicuna v1.5" in labels and "CLIP ViT-L/14@336px" in labels
    expected = mini_graph(graph, resolve(graph, "llava-1.5"))
    assert sorted(labels) == sorted(node["name"] for node in expected.nodes if not node.get("layer"))
    watched.screenshot("entity-llava-1.5")
    with page.expect_navigation():
        click_node(page, "CLIP ViT-L/14@336px")
    assert page.url.endswith("/resource/model/clip-vit-l-14-336")
    assert watched.problems() == []


def test_overview_draws_the_catalogue_without_errors(visit, graph):
    watched = visit("/viz/overview?kind=VisionLanguageModel,VisionEncoder")
    page = watched.page
    page.wait_for_selector("#vlmgraph-network canvas")
    kinds = page.evaluate("window.vlmgraphNetwork.nodes.get().map(n => n.kind)")
    vlms = sum(1 for _, data in graph.nodes(data=True) if data.get("kind") == "VisionLanguageModel")
    assert kinds.count("VisionLanguageModel") == vlms
    assert set(kinds) <= {"VisionLanguageModel", "VisionEncoder"}
    assert watched.problems() == []


def test_search_box_suggests_as_you_type_and_enter_opens_the_page(visit, graph):
    watched = visit("/")
    page = watched.page
    page.locator("#search").press_sequentially("llava 1.5", delay=30)
    page.wait_for_selector("#search-suggestions li[role=option]")
    first = page.locator("#search-suggestions li[role=option]").first
    assert "LLaVA-1.5" in first.inner_text()
    with page.expect_navigation():
        page.locator("#search").press("ArrowDown")
        page.locator("#search").press("Enter")
    assert page.url.endswith("/resource/model/llava-1.5")
    assert watched.problems() == []


def test_cli_lineage_file_opens_offline_with_llava_vicuna_llama_clip_and_developers(browser, runner, tmp_path):
    from vlmgraph.cli.viz import viz_app

    from .browser import watch
    from .conftest import DATA

    target = tmp_path / "llava.html"
    result = runner.invoke(viz_app, ["lineage", "LLaVA-1.5", "-o", str(target), "--data", str(DATA),
                                     "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    watched = watch(context, target.as_uri())
    watched.page.goto(target.as_uri(), wait_until="load")
    watched.page.wait_for_selector("#vlmgraph-network canvas")
    edges = watched.page.evaluate("""() => {
        const {nodes, edges} = window.vlmgraphNetwork;
        const label = id => nodes.get(id).name;
        return edges.get().map(e => [label(e.from), e.relation, label(e.to)]);
    }""")
    assert ["LLaVA-1.5", "hasLanguageBackbone", "Vicuna v1.5"] in edges
    assert ["Vicuna v1.5", "fineTunedFrom", "Llama 2"] in edges
    assert ["LLaVA-1.5", "hasVisionEncoder", "CLIP ViT-L/14@336px"] in edges
    watched.page.click('button[data-layer="Organization"]')
    edges = watched.page.evaluate("""() => {
        const {nodes, edges} = window.vlmgraphNetwork;
        return edges.get().map(e => [nodes.get(e.from).name, e.relation, nodes.get(e.to).name]);
    }""")
    assert ["Vicuna v1.5", "developedBy", "LMSYS"] in edges and ["Llama 2", "developedBy", "Meta AI"] in edges
    assert ["CLIP ViT-L/14@336px", "developedBy", "OpenAI"] in edges
    assert watched.problems() == []
    context.close()


def test_overview_of_a_10000_model_catalogue_is_reduced_with_a_message_and_stays_responsive(browser, tmp_path):
    """The issue's scale case: 10,000 synthetic models (21,900 entities) would freeze a physics
    layout; the page shows the best-connected part, says so, and the browser keeps answering."""
    from vlmgraph.store import memory_store
    from vlmgraph.synth import write_catalogue
    from vlmgraph.viz import OVERVIEW_LIMIT, overview_page, write_page

    from .browser import watch

    write_catalogue(tmp_path / "synthetic", 10_000)
    page_file = tmp_path / "overview.html"
    write_page(page_file, overview_page(lineage_graph(memory_store(tmp_path / "synthetic"))))
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    watched = watch(context, page_file.as_uri())
    watched.page.goto(page_file.as_uri(), wait_until="load")
    watched.page.wait_for_selector("#vlmgraph-network canvas")
    drawn = watched.page.evaluate("window.vlmgraphNetwork.nodes.length")
    assert 0 < drawn <= OVERVIEW_LIMIT
    notice = watched.page.locator(".vlmgraph-notice").inner_text()
    assert notice.startswith(f"This view is reduced: it shows {drawn} of ")
    assert watched.page.evaluate("1 + 1") == 2  # the page answers once drawn
    assert watched.problems() == []
    context.close()


def test_overview_groups_families_focuses_a_searched_node_and_zooms_to_an_opened_family(visit):
    # The language models alone: the whole catalogue is past the size the overview groups at first.
    watched = visit("/viz/overview?kind=LanguageModel")
    page = watched.page
    page.wait_for_function("window.vlmgraphNetwork && window.vlmgraphNetwork.ready && window.vlmgraphOverview")
    clusters = "() => Object.keys(window.vlmgraphNetwork.network.body.nodes).filter(id => id.startsWith('family:'))"
    assert {"family:Llama", "family:Qwen"} <= set(page.evaluate(clusters))
    assert page.evaluate("window.vlmgraphNetwork.network.isCluster('family:Llama')")
    # a click on a family opens it and zooms until its members' labels are readable, all in view
    point = page.evaluate("""() => {
        const {network} = window.vlmgraphNetwork;
        network.stopSimulation();
        const at = network.canvasToDOM(network.getPositions(["family:Llama"])["family:Llama"]);
        const box = document.querySelector("#vlmgraph-network canvas").getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y};
    }""")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("window.vlmgraphNetwork.ready && !('family:Llama' in window.vlmgraphNetwork.network.body.nodes)")
    family = page.evaluate("""() => {
        const {network, nodes} = window.vlmgraphNetwork;
        const canvas = document.querySelector("#vlmgraph-network canvas");
        return nodes.get({filter: n => n.family === "Llama"}).map(n => {
            const box = network.getBoundingBox(n.id);
            const a = network.canvasToDOM({x: box.left, y: box.top}), b = network.canvasToDOM({x: box.right, y: box.bottom});
            return {name: n.name, px: network.body.nodes[n.id].options.font.size * network.getScale(),
                    inView: a.x >= 0 && a.y >= 0 && b.x <= canvas.clientWidth && b.y <= canvas.clientHeight};
        });
    }""")
    assert {"LLaMA", "Llama 2"} <= {m["name"] for m in family}
    assert [m for m in family if m["px"] < 11 or not m["inView"]] == []
    watched.screenshot("overview-llama-family")
    page.fill("#overview-search", "Qwen2.5")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_function("window.vlmgraphNetwork.network.getSelectedNodes().length === 1")
    selected = page.evaluate("window.vlmgraphNetwork.nodes.get(window.vlmgraphNetwork.network.getSelectedNodes()[0]).name")
    assert selected == "Qwen2.5"
    assert "family:Qwen" not in page.evaluate(clusters)  # its family was opened to show it
    assert page.evaluate("window.vlmgraphNetwork.network.getScale()") * 16 >= 11
    page.uncheck("#overview-group")
    assert page.evaluate(clusters) == []
    assert watched.problems() == []


def test_overview_filters_act_in_the_page_and_draw_what_the_server_would(visit, graph):
    """Each change of a filter redraws in place — no navigation, the address follows — and draws
    exactly the entities the server's filter keeps for that address."""
    from vlmgraph.viz import _kinds, _organization, _overview_keep

    watched = visit("/viz/overview?kind=LanguageModel")
    page = watched.page
    page.wait_for_function("window.vlmgraphNetwork && window.vlmgraphNetwork.ready && window.vlmgraphOverview")
    page.evaluate("window.stillTheSamePage = true")
    assert not page.locator("#overview-filters button[type=submit]").is_visible()  # a change acts at once

    def drawn_after(change) -> set[str]:
        change()
        page.wait_for_function("window.vlmgraphNetwork.ready")
        return set(page.evaluate("window.vlmgraphNetwork.nodes.getIds()"))

    def expected(kinds, org=None, year=None) -> set[str]:
        return _overview_keep(graph, _kinds(kinds), _organization(graph, org) if org else None, year)

    assert set(page.evaluate("window.vlmgraphNetwork.nodes.getIds()")) == expected(["LanguageModel"])
    both = drawn_after(lambda: page.check('#overview-filters input[value="VisionEncoder"]'))
    assert both == expected(["LanguageModel", "VisionEncoder"])
    of_2024 = drawn_after(lambda: page.select_option('#overview-filters select[name="year"]', "2024"))
    assert of_2024 == expected(["LanguageModel", "VisionEncoder"], year=2024) and 0 < len(of_2024) < len(both)
    page.select_option('#overview-filters select[name="year"]', "")
    page.wait_for_function("window.vlmgraphNetwork.ready")
    meta = drawn_after(lambda: (page.check('#overview-filters input[value="Organization"]'),
                                page.select_option('#overview-filters select[name="org"]', "Meta AI")))
    assert meta == expected(["LanguageModel", "VisionEncoder", "Organization"], org="Meta AI")
    names = set(page.evaluate("window.vlmgraphNetwork.nodes.get().map(n => n.name)"))
    assert {"Meta AI", "Llama 2", "Llama 3.2 Vision image encoder"} <= names
    assert page.evaluate("window.stillTheSamePage") is True
    assert "kind=VisionEncoder" in page.url and "org=Meta+AI" in page.url and "year=" not in page.url
    assert page.locator("#overview-count").inner_text() == (
        f"{len(meta)} entities, {page.evaluate('window.vlmgraphNetwork.edges.length')} relations")
    # the address the filters left opens the same view
    page.goto(page.url, wait_until="networkidle")
    page.wait_for_function("window.vlmgraphNetwork && window.vlmgraphNetwork.ready")
    assert set(page.evaluate("window.vlmgraphNetwork.nodes.getIds()")) == meta
    assert watched.problems() == []

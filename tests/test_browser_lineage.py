"""The layered lineage view in real headless Chromium: every model's default view is readable
(no two node boxes overlap), and the legend's layers add and remove exactly their nodes."""

from __future__ import annotations

import time

import pytest

from vlmgraph.lineage import MODEL_KINDS, lineage_graph
from vlmgraph.viz import LAYER_KINDS, lineage_network
from vlmgraph.vocab import RESOURCE_NS

from .browser import OVERLAPS

# Each lineage page of `urls`, fetched from the app and drawn in place of the one open, once drawn
# measured by OVERLAPS: the same data and options as a navigation to it, without parsing
# vis-network again for every page.
EVERY_PAGE = "async urls => {\n    const overlaps = " + OVERLAPS + """;
    const found = {};
    for (const url of urls) {
        const text = await (await fetch(url)).text();
        const spec = new DOMParser().parseFromString(text, "text/html").getElementById("vlmgraph-spec");
        found[url] = overlaps(await vlmgraphDraw(JSON.parse(spec.textContent)).drawn);
    }
    return found;
}"""
READY = "window.vlmgraphNetwork && window.vlmgraphNetwork.ready"


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


def test_no_two_nodes_overlap_in_the_default_view_of_any_models_lineage(browser, live_app, graph):
    """Every model the store holds: the drawn nodes are its view's models (no layer kind), and their
    boxes do not intersect. One browser page opens the first model's lineage page, then draws every
    model's page in place (EVERY_PAGE)."""
    from .browser import watch

    models = sorted(iri for iri, kind in graph.nodes(data="kind") if kind in MODEL_KINDS)
    urls = {f"{live_app}/viz/lineage/res:{iri.removeprefix(RESOURCE_NS)}": iri for iri in models}
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watched = watch(context, live_app)
    page = watched.page
    started = time.perf_counter()
    page.goto(next(iter(urls)), wait_until="load")
    page.wait_for_function(READY)
    found = page.evaluate(EVERY_PAGE, list(urls))
    elapsed = time.perf_counter() - started
    print(f"\noverlap check: {len(models)} lineage pages in {elapsed:.1f} s ({1000 * elapsed / len(models):.0f} ms a page)")
    context.close()
    label = lambda url: graph.nodes[urls[url]]["label"]  # noqa: E731
    overlapping = {label(url): result["pairs"] for url, result in found.items() if result["pairs"]}
    expected = {url: sorted(n["name"] for n in lineage_network(graph, iri)[1].nodes if n["kind"] not in LAYER_KINDS)
                for url, iri in urls.items()}
    wrong_nodes = {label(url): result["drawn"] for url, result in found.items()
                   if sorted(result["drawn"]) != expected[url]}
    assert len(found) == len(models) > 50
    assert overlapping == {}
    assert wrong_nodes == {}
    assert watched.problems() == []


def drawn(page) -> set[tuple[str, str]]:
    return {(n["kind"], n["name"]) for n in page.evaluate("window.vlmgraphNetwork.nodes.get()")}


def toggle(page, kind: str) -> None:
    page.click(f'button[data-layer="{kind}"]')
    page.wait_for_function(READY)


def test_layers_switched_on_in_the_legend_add_their_nodes_and_off_remove_them(visit, graph):
    watched = visit("/viz/lineage/LLaVA-1.5")
    page = watched.page
    page.wait_for_function(READY)
    _, expected = lineage_network(graph, "LLaVA-1.5")
    every = {(n["kind"], n["name"]) for n in expected.nodes}
    of_kinds = lambda *kinds: {node for node in every if node[0] in kinds}  # noqa: E731
    models = {node for node in every if node[0] not in LAYER_KINDS}
    assert drawn(page) == models
    assert {"Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px", "LLaVA"} <= {name for _, name in models}
    watched.screenshot("lineage-llava-1.5")
    toggle(page, "Dataset")
    assert of_kinds("Dataset") and drawn(page) == models | of_kinds("Dataset")
    assert page.locator('button[data-layer="Dataset"]').get_attribute("aria-pressed") == "true"
    toggle(page, "Organization")
    assert ("Organization", "Meta AI") in drawn(page)
    assert drawn(page) == models | of_kinds("Dataset", "Organization")
    watched.screenshot("lineage-llava-1.5-datasets-organizations")
    toggle(page, "Dataset")
    assert drawn(page) == models | of_kinds("Organization")
    edges = page.evaluate("""() => {
        const {nodes, edges} = window.vlmgraphNetwork;
        return edges.get().map(e => [nodes.get(e.from).name, e.relation, nodes.get(e.to).name, e.label || ""]);
    }""")
    assert ["Llama 2", "developedBy", "Meta AI", ""] in edges  # labels wait for the pointer
    assert ["LLaVA-1.5", "hasLanguageBackbone", "Vicuna v1.5", ""] in edges
    assert watched.problems() == []


def test_an_edge_shows_its_relation_while_the_pointer_is_on_it(visit):
    watched = visit("/viz/lineage/LLaVA-1.5")
    page = watched.page
    page.wait_for_function(READY)
    # the middle of the Llama 2 -> Vicuna v1.5 edge, where a person would point
    point = page.evaluate("""() => {
        const {network, nodes} = window.vlmgraphNetwork;
        const id = name => nodes.get({filter: n => n.name === name})[0].id;
        const p = network.getPositions([id("Llama 2"), id("Vicuna v1.5")]);
        const [a, b] = Object.values(p);
        const at = network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        const box = document.getElementById("vlmgraph-network").getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y, left: box.left, top: box.top};
    }""")
    page.mouse.move(point["x"] - 40, point["y"] - 10)
    page.mouse.move(point["x"], point["y"], steps=5)
    page.wait_for_function("""() => window.vlmgraphNetwork.edges.get().some(e => e.label === "fine-tuned from")""")
    page.mouse.move(point["left"] + 8, point["top"] + 8, steps=5)  # empty canvas: vis sees the pointer leave
    page.wait_for_function("""() => !window.vlmgraphNetwork.edges.get().some(e => e.label === "fine-tuned from")""")
    assert watched.problems() == []

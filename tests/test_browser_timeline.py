"""The release timeline in real headless Chromium at 1400×1000, on the real catalogue: what the
reader sees by default, after switching lanes, filtering, moving the window and opening a stacked
box is readable — no two boxes overlap, labels are drawn at 11 px or more, every box is inside the
canvas and starts at its release month, and no box could sit a row higher (a filter re-packs the
lanes instead of leaving holes)."""

from __future__ import annotations

import time

import pytest

from .browser import OVERLAPS

READY = "window.vlmgraphTimeline && window.vlmgraphTimeline.ready"
# Every drawn box as vis-network drew it, in canvas pixels and in pixels on the screen.
MEASURE = """() => {
    const state = window.vlmgraphNetwork, {network, nodes} = state;
    const layout = window.vlmgraphTimeline.layout();
    const canvas = document.querySelector("#vlmgraph-network canvas");
    const scale = network.getScale(), ratio = canvas.width / canvas.clientWidth;
    const boxes = nodes.get().map(node => {
        const box = network.getBoundingBox(node.id), drawn = network.body.nodes[node.id].shape;
        const topLeft = network.canvasToDOM({x: box.left, y: box.top});
        const bottomRight = network.canvasToDOM({x: box.right, y: box.bottom});
        return {id: node.id, name: node.name, kind: node.kind, month: node.month, members: node.members || [node.id],
                organizations: node.organizations || null, drawnLeft: network.getPositions([node.id])[node.id].x - drawn.width / 2,
                left: box.left, right: box.right, top: box.top,
                bottom: box.bottom, screen: [topLeft.x, topLeft.y, bottomRight.x, bottomRight.y],
                fontPx: network.body.nodes[node.id].options.font.size * scale};
    });
    return {boxes, scale, overlaps: (""" + OVERLAPS + """)(state).pairs,
            lanes: layout.lanes.map(l => ({name: l.name, top: l.top, bottom: l.bottom, rows: l.rows})),
            window: layout.window, monthWidth: layout.monthWidth, shown: layout.shown,
            canvas: {width: canvas.clientWidth, height: canvas.clientHeight, stretched: Math.abs(ratio - devicePixelRatio) > 0.01},
            count: document.getElementById("timeline-count").textContent};
}"""


def readable(view: dict) -> dict:
    """What a reader would find wrong with this view: overlapping boxes, labels under 11 px, boxes cut
    off by the canvas, boxes not at their month, boxes that could sit a row higher."""
    boxes = view["boxes"]
    start = view["window"][0] * 12
    problems = {
        "overlapping": view["overlaps"],
        "small labels": sorted({b["name"] for b in boxes if b["fontPx"] < 11}),
        "cut off": [b["name"] for b in boxes if b["screen"][0] < 0 or b["screen"][1] < 0
                    or b["screen"][2] > view["canvas"]["width"] or b["screen"][3] > view["canvas"]["height"]],
        "not at their month": [b["name"] for b in boxes if b["month"] is not None
                               and abs(b["drawnLeft"] - (b["month"] - start) * view["monthWidth"]) > 1.5],
        "could sit higher": [],
        "stretched canvas": view["canvas"]["stretched"],
    }
    for lane in view["lanes"]:
        inside = [b for b in boxes if lane["top"] <= (b["top"] + b["bottom"]) / 2 <= lane["bottom"]]
        rows = sorted({round(b["top"]) for b in inside})
        for box in inside:
            # each row above holds a box that starts no later and ends too close to make room for it
            above = [r for r in rows if r < round(box["top"])]
            if any(not any(c["left"] <= box["left"] + 1 and c["right"] + 12 > box["left"]
                           for c in inside if round(c["top"]) == r) for r in above):
                problems["could sit higher"].append(box["name"])
        if inside and len(rows) != lane["rows"]:
            problems["could sit higher"].append(f"{lane['name']}: {lane['rows']} rows, {len(rows)} used")
    return {k: v for k, v in problems.items() if v}


@pytest.fixture
def timeline(browser, live_app):
    from .browser import watch

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watched = watch(context, live_app)
    started = time.perf_counter()
    watched.page.goto(live_app + "/viz/timeline", wait_until="load")
    watched.page.wait_for_function(READY)
    print(f"\ntimeline drawn {1000 * (time.perf_counter() - started):.0f} ms after the request")
    yield watched
    context.close()


def models(view: dict) -> list[str]:
    """The models drawn in their own box."""
    return sorted(b["name"] for b in view["boxes"] if b["kind"] != "series")


def shown(view: dict) -> set[str]:
    """The models drawn, in their own box or in a stacked one."""
    return {m for b in view["boxes"] for m in b["members"]}


def choose(page, select: str, value: str) -> dict:
    page.select_option(select, value)
    return page.evaluate(MEASURE)


def test_the_default_view_is_a_readable_year_with_clip_above_siglip(timeline):
    page = timeline.page
    view = page.evaluate(MEASURE)
    assert readable(view) == {}
    assert view["window"] == [2024, 2024] and view["scale"] == 1
    assert min(b["fontPx"] for b in view["boxes"]) >= 11
    lanes = [lane["name"] for lane in view["lanes"]]
    assert lanes.index("CLIP") < lanes.index("SigLIP")
    assert {"PaliGemma", "Phi-3-vision", "MiniCPM-V 2.6"} <= set(models(view))
    stacked = {b["name"]: len(b["members"]) for b in view["boxes"] if b["kind"] == "series"}
    assert stacked["InternVL2_5 ×14"] == 14
    assert view["shown"] == sum(len(b["members"]) for b in view["boxes"])
    assert view["count"].startswith(f"{view['shown']} of 225 models in 2024")
    # the year fits the width: nothing to scroll sideways to, and every lane of the year in a 1000 px window
    assert view["canvas"]["width"] <= 1400 and max(b["screen"][2] for b in view["boxes"]) <= view["canvas"]["width"]
    timeline.screenshot("timeline")
    assert timeline.problems() == []


def test_lanes_by_backbone_filters_and_windows_re_pack_readably(timeline):
    page = timeline.page
    whole = page.evaluate(MEASURE)
    by_backbone = choose(page, "#timeline-lanes", "backbone")
    assert readable(by_backbone) == {}
    assert "Vicuna" in [lane["name"] for lane in by_backbone["lanes"]]
    assert shown(by_backbone) == shown(whole)

    page.select_option("#timeline-lanes", "encoder")
    shanghai = choose(page, "#timeline-organization", "Shanghai AI Laboratory")
    assert readable(shanghai) == {}
    assert shanghai["boxes"] and all("Shanghai AI Laboratory" in b["organizations"]
                                     for b in shanghai["boxes"] if b["kind"] != "series")
    assert max(b["bottom"] for b in shanghai["boxes"]) < max(b["bottom"] for b in whole["boxes"]) / 2
    small = choose(page, "#timeline-size", "under 3B")
    assert readable(small) == {} and 0 < small["shown"] < shanghai["shown"]

    page.select_option("#timeline-organization", "")
    page.select_option("#timeline-size", "")
    page.click("#timeline-earlier")
    earlier = page.evaluate(MEASURE)
    assert earlier["window"] == [2023, 2023] and readable(earlier) == {}
    x = {b["name"]: b["left"] for b in earlier["boxes"]}
    assert x["LLaVA-1.5"] > x["LLaVA"]

    page.select_option("#timeline-from", "2021")
    every_year = choose(page, "#timeline-to", str(max(int(v) for v in page.eval_on_selector_all(
        "#timeline-to option", "os => os.map(o => o.value)"))))
    assert readable(every_year) == {} and every_year["shown"] == 225
    assert page.locator("#timeline-earlier").is_disabled() and page.locator("#timeline-later").is_disabled()
    assert timeline.problems() == []


def test_a_stacked_box_opens_into_its_models_and_unstacking_shows_every_model(timeline):
    page = timeline.page
    point = page.evaluate("""name => {
        const {network, nodes} = window.vlmgraphNetwork;
        const node = nodes.get({filter: n => n.name === name})[0];
        const at = network.canvasToDOM(network.getPositions([node.id])[node.id]);
        const box = document.querySelector("#vlmgraph-network canvas").getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y};
    }""", "InternVL2_5 ×14")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("window.vlmgraphNetwork.nodes.get({filter: n => n.name === 'InternVL2_5-78B-MPO'}).length")
    opened = page.evaluate(MEASURE)
    assert readable(opened) == {}
    assert {"InternVL2_5-1B", "InternVL2_5-78B-MPO"} <= set(models(opened))
    assert "InternVL2_5 ×14" not in {b["name"] for b in opened["boxes"]}
    page.uncheck("#timeline-group")
    every = page.evaluate(MEASURE)
    assert readable(every) == {}
    assert {b["kind"] for b in every["boxes"]} == {"VisionLanguageModel"} and len(every["boxes"]) == every["shown"]
    assert timeline.problems() == []

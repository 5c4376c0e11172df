"""The release timeline: placement by date, lanes by component family, the CLI page."""

from __future__ import annotations

import pytest

from vlmgraph.cli.viz import viz_app
from vlmgraph.lineage import lineage_graph, resolve
from vlmgraph.store import open_store
from vlmgraph.timeline import component_families, timeline_data, timeline_page

from .conftest import DATA
from .web_site import drawing


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


def test_llava_1_5_stands_after_llava_and_both_in_the_clip_lane(graph):
    data, extra = timeline_data(graph)
    nodes = {n["name"]: n for n in data.nodes}
    assert nodes["LLaVA-1.5"]["x"] > nodes["LLaVA"]["x"]
    lanes = {lane["name"]: lane for lane in extra["layouts"]["encoder"]["lanes"]}
    assert {"CLIP", "SigLIP"} <= set(lanes)
    for name in ("LLaVA", "LLaVA-1.5"):
        assert lanes["CLIP"]["top"] <= nodes[name]["y"] <= lanes["CLIP"]["bottom"]
    # the shift from CLIP to SigLIP: SigLIP's lane starts later and holds the newer models
    assert lanes["CLIP"]["top"] < lanes["SigLIP"]["top"]
    assert nodes["PaliGemma"]["x"] > nodes["LLaVA"]["x"]


def test_lanes_by_backbone_family_and_the_successor_edge(graph):
    data, extra = timeline_data(graph)
    assert "Vicuna" in {lane["name"] for lane in extra["layouts"]["backbone"]["lanes"]}
    names = {n["id"]: n["name"] for n in data.nodes}
    assert ("LLaVA-1.5", "successorOf", "LLaVA") in {(names[e["from"]], e["relation"], names[e["to"]]) for e in data.edges}


def test_an_encoder_without_a_family_of_its_own_takes_its_ancestors(graph):
    llava, kimi = resolve(graph, "LLaVA-1.5"), resolve(graph, "Kimi-VL")
    assert component_families(graph, llava, "hasVisionEncoder") == ["CLIP"]
    assert component_families(graph, llava, "hasLanguageBackbone") == ["Vicuna"]
    # MoonViT has no family; it was initialized from a SigLIP encoder
    assert component_families(graph, kimi, "hasVisionEncoder") == ["SigLIP"]


def test_no_two_models_of_a_lane_row_are_placed_on_each_other(graph):
    _, extra = timeline_data(graph)
    for layout in extra["layouts"].values():
        points = list(layout["positions"].values())
        assert len({tuple(p) for p in points}) == len(points)


def test_cli_writes_the_timeline(runner, tmp_path):
    target = tmp_path / "timeline.html"
    result = runner.invoke(viz_app, ["timeline", "-o", str(target), "--data", str(DATA),
                                     "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert {"LLaVA-1.5", "PaliGemma"} <= {n["name"] for n in drawing(page)["nodes"]}
    assert 'id="timeline-lanes"' in page and "vlmgraphTimeline" in page and "<script src=" not in page
    assert page == timeline_page(lineage_graph(open_store(tmp_path / "build")))  # the same for the same store

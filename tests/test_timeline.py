"""The release timeline: placement by date, lanes by component family, the CLI page."""

from __future__ import annotations

import pytest

from vlmgraph.cli.viz import viz_app
from vlmgraph.lineage import lineage_graph, resolve
from vlmgraph.store import open_store
from vlmgraph.timeline import busiest_year, component_families, timeline_data, timeline_page

from .conftest import DATA
from .web_site import drawing


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


def test_llava_1_5_comes_after_llava_and_both_are_in_the_clip_lane(graph):
    data, extra = timeline_data(graph)
    nodes = {n["name"]: n for n in data.nodes}
    assert nodes["LLaVA-1.5"]["month"] > nodes["LLaVA"]["month"]
    assert nodes["LLaVA"]["lanes"] == {"encoder": "CLIP", "backbone": "Vicuna"}
    assert nodes["LLaVA-1.5"]["lanes"]["encoder"] == "CLIP"
    # the shift from CLIP to SigLIP: SigLIP's lane starts later, below CLIP's, and holds the newer models
    lanes = extra["lanings"]["encoder"]["lanes"]
    assert lanes.index("CLIP") < lanes.index("SigLIP")
    assert nodes["PaliGemma"]["lanes"]["encoder"] == "SigLIP" and nodes["PaliGemma"]["month"] > nodes["LLaVA"]["month"]


def test_lanes_run_from_the_oldest_family_and_end_with_the_models_without_one(graph):
    data, extra = timeline_data(graph)
    for key, laning in extra["lanings"].items():
        lanes = laning["lanes"]
        assert set(lanes) == {n["lanes"][key] for n in data.nodes}
        first = [min(n["month"] for n in data.nodes if n["lanes"][key] == lane) for lane in lanes]
        named = [month for lane, month in zip(lanes, first) if not lane.startswith("no ")]
        assert named == sorted(named)
        assert all(lane.startswith("no ") for lane in lanes[len(named):])


def test_the_default_window_is_the_busiest_year(graph):
    data, extra = timeline_data(graph)
    years = [n["month"] // 12 for n in data.nodes]
    assert extra["window"] == [max(set(years), key=years.count)] * 2 == [2024, 2024]
    assert busiest_year({"a": 2023 * 12, "b": 2024 * 12 + 3, "c": 2024 * 12 + 5}) == 2024
    assert busiest_year({"a": 2023 * 12, "b": 2024 * 12}) == 2024  # a tie goes to the later year
    assert busiest_year({}) is None


def test_lanes_by_backbone_family_and_the_successor_edge(graph):
    data, extra = timeline_data(graph)
    assert "Vicuna" in extra["lanings"]["backbone"]["lanes"]
    names = {n["id"]: n["name"] for n in data.nodes}
    assert ("LLaVA-1.5", "successorOf", "LLaVA") in {(names[e["from"]], e["relation"], names[e["to"]]) for e in data.edges}


def test_an_encoder_without_a_family_of_its_own_takes_its_ancestors(graph):
    llava, kimi = resolve(graph, "LLaVA-1.5"), resolve(graph, "Kimi-VL")
    assert component_families(graph, llava, "hasVisionEncoder") == ["CLIP"]
    assert component_families(graph, llava, "hasLanguageBackbone") == ["Vicuna"]
    # MoonViT has no family; it was initialized from a SigLIP encoder
    assert component_families(graph, kimi, "hasVisionEncoder") == ["SigLIP"]


def test_cli_writes_the_timeline(runner, tmp_path):
    target = tmp_path / "timeline.html"
    result = runner.invoke(viz_app, ["timeline", "-o", str(target), "--data", str(DATA),
                                     "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert {"LLaVA-1.5", "PaliGemma"} <= {n["name"] for n in drawing(page)["nodes"]}
    assert 'id="timeline-lanes"' in page and 'id="timeline-from"' in page and "<script src=" not in page
    assert "window.vlmgraphTimeline =" in page and "window.vlmgraphTimelineLayout =" in page  # packed in the page
    assert page == timeline_page(lineage_graph(open_store(tmp_path / "build")))  # the same for the same store

"""`vlmgraph render awesome-list`: the graph as an awesome-list, and back again."""

from __future__ import annotations

import re

import pytest

from vlmgraph.cli import app
from vlmgraph.importers.awesome_list import parse_awesome_list
from vlmgraph.importers.facts import GraphFacts
from vlmgraph.importers.run import Importer
from vlmgraph.render_awesome_list import render_awesome_list
from vlmgraph.store import memory_store
from vlmgraph.vocab import RESOURCE_NS

from .conftest import DATA


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """One store folder for this module's CLI runs: built by the first, reused by the rest."""
    return tmp_path_factory.mktemp("build") / "build"


@pytest.fixture(scope="module")
def rendered(store):
    return render_awesome_list(store)


def test_rendering_is_deterministic(rendered):
    assert render_awesome_list(memory_store(DATA)) == rendered  # another store of the same records


def test_models_by_year_then_datasets_benchmarks_and_tools(rendered):
    headings = re.findall(r"^(##+) (.+)$", rendered, re.M)
    top = [title for level, title in headings if level == "##"]
    assert top == ["Models", "Datasets", "Benchmarks", "Tools"]
    years = [title for level, title in headings[1:headings.index(("##", "Datasets"))]]
    assert years == sorted(years, reverse=True) and "2023" in years


def test_an_entry_names_its_parts_links_its_page_and_homepage(rendered):
    line = next(l for l in rendered.splitlines() if "[LLaVA-1.5](" in l)
    assert line.startswith(f"- **[LLaVA-1.5]({RESOURCE_NS}model/llava-1.5)** - [Decoder-only architecture with "
                           "7B & 13B parameters, using CLIP ViT-L/14@336px for vision encoder and Vicuna v1.5 as "
                           "pretrained backbone. Developed by Microsoft Research, University of Wisconsin–Madison. "
                           "Paper: arXiv 2310.03744](https://github.com/haotian-liu/LLaVA)")


def test_corrections_are_footnotes_with_sources(rendered):
    line = next(l for l in rendered.splitlines() if "[LLaVA-1.5](" in l)
    keys = re.findall(r"\[\^([^\]]+)\]", line)
    assert len(keys) == 2
    notes = {m.group(1): m.group(2) for m in re.finditer(r"^\[\^([^\]]+)\]: (.+)$", rendered, re.M)}
    assert any("“13B parameters”" in notes[k] and "MODEL_ZOO.md>" in notes[k] for k in keys)


def test_render_then_import_matches_every_entry_to_its_entity(store, rendered, tmp_path):
    path = tmp_path / "rendered.md"
    path.write_text(rendered, encoding="utf-8")
    report = Importer(store).awesome_list(path)
    entries = parse_awesome_list(rendered).entries
    assert len(entries) == len(report.entries) > 100
    for entry, result in zip(entries, report.entries):
        assert (result.status, result.entity) == ("matched", entry.linked_entity[len(RESOURCE_NS):]), entry.name
    # What the graph says, written out and read back, disagrees with the graph nowhere.
    assert [(e.name, d.field, d.listed) for e in report.entries for d in e.differences] == []
    assert report.missing == []  # and leaves nothing out


def test_every_model_dataset_benchmark_and_tool_is_rendered(store, rendered):
    graph = GraphFacts(store)
    linked = set(re.findall(r"^- \*\*\[[^\]]+\]\(([^)]+)\)\*\*", rendered, re.M))
    for cls in ("VisionLanguageModel", "Dataset", "Tool"):
        assert set(graph.of_type(cls)) <= linked, cls


def test_cli_writes_the_file(runner, tmp_path, store_dir):
    target = tmp_path / "list.md"
    result = runner.invoke(app, ["render", "awesome-list", "-o", str(target), "--data", str(DATA),
                                 "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# Vision-language models: an awesome-list from vlmgraph")
    assert re.search(r"wrote .*list\.md \(\d+ entries\)", result.stderr)

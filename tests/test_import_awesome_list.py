"""`vlmgraph import awesome-list`: every bold entry accounted for, the seed's known errors shown
with their sources, other claims compared with the graph."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from vlmgraph.catalog import read_catalog
from vlmgraph.cli import app
from vlmgraph.importers.awesome_list import parse_awesome_list, read_awesome_list
from vlmgraph.importers.run import Importer

from .conftest import DATA, SEED

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """One store folder for this module's CLI runs: built by the first, reused by the rest."""
    return tmp_path_factory.mktemp("build") / "build"


QUIRKS = """\
# Awesome VLMs \uf8ffüåê

## Models

### 2023
- **LLaVA-1.5** - [Decoder-only architecture with 7B & 13B parameters, using CLIP ViT-L/14@336px for vision encoder and Vicuna v1.5 as pretrained backbone](https://github.com/haotian-liu/LLaVA)
- **Broken Link Model** - [Decoder-only architecture with 3B parameters](https://arxiv.org/pdf/2409.11402
)
- **No Link Model** - just some words, 9B parameters
- **Empty Link Model** - [a description]()
- **[Linked Name](https://w3id.org/vlmgraph/resource/model/qwen2-vl-7b)** - [Qwen's second VLM](https://github.com/QwenLM/Qwen2-VL)
- **Unclosed bold - [text](https://example.org)

```python
- **Inside A Fence** - [not an entry](https://example.org)
```

## Benchmarks
- **LLaVA-1.5** (2023) - [listed twice](https://example.org)
- **Totally Unknown Bench** (2031) - [Contains 5K images](https://example.org/bench)

## Models of tomorrow
- **Brand New VLM** - [Decoder-only architecture with 7B parameters, using CLIP ViT-L/14@336px for vision encoder and Vicuna v1.5 as pretrained backbone](https://example.org/new-vlm)
- **[Page That Moved](https://w3id.org/vlmgraph/resource/model/qwen2-vl)** - [rendered when Qwen2-VL was one model record](https://github.com/QwenLM/Qwen2-VL)
"""


def test_the_parser_copes_with_hand_written_quirks():
    parsed = parse_awesome_list(QUIRKS)
    by_name = {}
    for entry in parsed.entries:
        by_name.setdefault(entry.name, entry)
    assert list(by_name) == ["LLaVA-1.5", "Broken Link Model", "No Link Model", "Empty Link Model", "Linked Name",
                             "Totally Unknown Bench", "Brand New VLM", "Page That Moved"]
    assert by_name["Broken Link Model"].url == "https://arxiv.org/pdf/2409.11402"  # joined across two lines
    assert by_name["No Link Model"].url is None and "9B parameters" in by_name["No Link Model"].description
    assert by_name["Empty Link Model"].url is None
    assert by_name["Linked Name"].linked_entity == "https://w3id.org/vlmgraph/resource/model/qwen2-vl-7b"
    assert by_name["LLaVA-1.5"].kind == "model" and by_name["LLaVA-1.5"].year == 2023
    assert by_name["Totally Unknown Bench"].kind == "benchmark" and by_name["Totally Unknown Bench"].year == 2031
    assert [(u.line, u.reason) for u in parsed.unparsable] == [(12, "bold name is not closed with '**'")]
    assert by_name["LLaVA-1.5"].section == "Awesome VLMs 🌐 / Models / 2023"  # "üåê" repaired
    assert [e.name for e in parsed.entries].count("LLaVA-1.5") == 2 and "Inside A Fence" not in by_name


def test_mojibake_in_headings_is_repaired():
    parsed = parse_awesome_list("## \uf8ffüîó Seminal models\n- **X** - [y](https://e.org)\n")
    assert parsed.entries[0].section == "🔗 Seminal models"


def test_entries_are_matched_duplicates_marked_and_unknown_ones_new(store, tmp_path):
    path = tmp_path / "list.md"
    path.write_text(QUIRKS, encoding="utf-8")
    report = Importer(store).awesome_list(path)
    by_line = {e.line: e for e in report.entries}
    assert by_line[6].status == "matched" and by_line[6].entity == "model/llava-1.5"
    assert by_line[6].differences == []  # every claim of that line agrees with the graph
    assert by_line[11].entity == "model/qwen2-vl-7b"  # the name's own link decides
    # A link to an entity page that has since moved (Qwen2-VL became a family of per-size
    # models) still finds the entity by the id it had.
    moved = next(e for e in report.entries if e.name == "Page That Moved")
    assert (moved.status, moved.entity) == ("matched", "family/qwen2-vl")
    assert by_line[12].status == "unparsable"
    duplicate = next(e for e in report.entries if e.line and e.line > 12 and e.name == "LLaVA-1.5")
    assert duplicate.duplicate_of == 6
    unknown = next(e for e in report.entries if e.name == "Totally Unknown Bench")
    assert unknown.status == "new" and unknown.entity is None


@pytest.fixture(scope="module")
def seed_report(store):
    return Importer(store).awesome_list(SEED)


def test_every_bold_entry_of_the_seed_is_accounted_for(seed_report):
    bold_lines = [n for n, line in enumerate(SEED.read_text(encoding="utf-8").splitlines(), start=1)
                  if re.match(r"^\s*[-*+]\s+\*\*", line)]
    reported = {e.line: e.status for e in seed_report.entries}
    assert sorted(reported) == bold_lines
    assert set(reported.values()) <= {"matched", "new", "unparsable"}
    assert len(bold_lines) == 125


def _difference(report, line, field):
    entry = next(e for e in report.entries if e.line == line)
    return next(d for d in entry.differences if d.field == field)


def test_known_seed_errors_are_differences_with_their_sources(seed_report):
    llava = _difference(seed_report, 57, "parameters")  # "with 13B parameters"
    assert (llava.listed, llava.graph) == ("13B", "7B, 13B")
    assert llava.known_correction.source == "https://github.com/haotian-liu/LLaVA/blob/main/docs/MODEL_ZOO.md"
    qwen = _difference(seed_report, 38, "vision_encoders")  # "using EVA-CLIP ViT-L for vision encoder"
    assert qwen.known_correction and qwen.known_correction.source == "https://arxiv.org/abs/2409.12191"
    molmo = next(e for e in seed_report.entries if e.line == 20)  # a series: one entry, four models
    assert {d.entity for d in molmo.differences if d.field == "release_date"} == {
        "model/molmo-72b", "model/molmo-7b-d", "model/molmo-7b-o", "model/molmoe-1b"}


def test_claims_without_a_recorded_correction_are_compared_with_the_graph(seed_report):
    emu3 = _difference(seed_report, 35, "architecture")  # the list says decoder-only
    assert (emu3.listed, emu3.graph, emu3.known_correction) == ("Decoder-only", "Unified autoregressive", None)
    assert emu3.source == "https://arxiv.org/abs/2409.18869"  # the graph's source for its value


def test_a_series_entry_matches_its_family_and_stands_for_its_models(seed_report):
    by_line = {e.line: e for e in seed_report.entries}
    qwen, internvl3 = by_line[38], by_line[16]  # "Qwen2-VL", "InternVL3": families of per-size models
    assert qwen.entity == "family/qwen2-vl"
    assert {"model/qwen2-vl-2b", "model/qwen2-vl-7b", "model/qwen2-vl-72b"} <= set(qwen.entities)
    assert internvl3.entity == "family/internvl3" and len([e for e in internvl3.entities if e.startswith("model/")]) == 7
    assert by_line[34].entity == "model/paligemma"  # a family, but also the model called so
    # The series' sizes are its models' sizes; the correction recorded on Qwen2-VL-7B explains the claim.
    sizes = _difference(seed_report, 38, "parameters")
    assert (sizes.listed, sizes.graph, sizes.entity) == ("7B, 14B", "2B, 7B, 72B", "model/qwen2-vl-7b")
    assert sizes.known_correction.source == "https://arxiv.org/abs/2409.12191"
    # The series' parts are compared with all its models: Flan-T5 and Vicuna are both InstructBLIP
    # backbones; its "Encoder-decoder" is explained once, by the correction curators recorded.
    instructblip = by_line[51]
    assert "language_backbones" not in {d.field for d in instructblip.differences}
    blip2_architecture = [d for d in by_line[55].differences if d.field == "architecture"]
    assert len(blip2_architecture) == 1 and blip2_architecture[0].known_correction.source == "https://arxiv.org/abs/2301.12597"
    missing = {m["entity"] for m in seed_report.missing}
    assert not missing & {"model/qwen2-vl-2b", "model/qwen2-vl-72b", "model/internvl3-1b", "model/blip-2-opt-2.7b"}


def test_graph_entities_the_seed_lacks_are_listed(seed_report):
    missing = {m["entity"] for m in seed_report.missing}
    assert "dataset/docvqa" in missing and "model/llava-1.5" not in missing


def test_cli_json_report(runner, tmp_path, store_dir):
    result = runner.invoke(app, ["import", "awesome-list", str(SEED), "--format", "json",
                                 "--data", str(DATA), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["entries"] == 125
    assert report["summary"]["matched"] + report["summary"]["new"] + report["summary"]["unparsable"] == 125
    llava = next(e for e in report["entries"] if e["line"] == 57)
    assert llava["kind"] == "model" and llava["entity"] == "model/llava-1.5"
    known = [d for d in llava["differences"] if "known_correction" in d]
    assert {d["field"] for d in known} == {"parameters", "papers"}


def test_cli_table_names_the_difference_and_its_source(runner, tmp_path, store_dir):
    result = runner.invoke(app, ["import", "awesome-list", str(SEED), "--data", str(DATA),
                                 "--store", str(store_dir)])
    assert result.exit_code == 0
    assert ("line 57 LLaVA-1.5 [model/llava-1.5] parameters: the input says '13B'; known correction: "
            "7B and 13B checkpoints were released (source https://github.com/haotian-liu/LLaVA/blob/main/docs/MODEL_ZOO.md)"
            in result.stdout)


def test_new_list_entries_are_drafted_as_valid_records(store, tmp_path):
    path = tmp_path / "list.md"
    path.write_text(QUIRKS, encoding="utf-8")
    out = tmp_path / "drafts"
    report = Importer(store).awesome_list(path, out, DATA)
    unknown = next(e for e in report.entries if e.name == "Totally Unknown Bench")
    assert unknown.draft == str(out / "benchmarks" / "totally-unknown-bench.yaml")
    text = (out / "benchmarks" / "totally-unknown-bench.yaml").read_text(encoding="utf-8")
    assert "sources:\n  - https://example.org/bench\n" in text and "level: speculative" in text
    model = yaml.safe_load((out / "vision_language_models" / "brand-new-vlm.yaml").read_text(encoding="utf-8"))
    assert (model["vision_encoders"], model["language_backbones"]) == (["clip-vit-l-14-336"], ["vicuna-v1.5"])
    no_link = next(e for e in report.entries if e.name == "No Link Model")
    assert (no_link.draft, no_link.note) == (None, "not drafted: the entry has no link to cite as a source")
    catalog = read_catalog(out)
    assert catalog.problems == [] and {type(i.record).__name__ for i in catalog.records} >= {"Benchmark", "VisionLanguageModel"}


def test_names_resolve_through_the_lookup_interface_given(store, tmp_path):
    """The importer asks one small interface for names; another index can stand in for the store's."""

    class WithNickname:
        def __init__(self, inner):
            self.inner = inner

        def lookup(self, name):
            if name == "The Tower":
                return ["https://w3id.org/vlmgraph/resource/model/clip-vit-l-14-336"]
            return self.inner.lookup(name)

    path = tmp_path / "list.md"
    path.write_text("## Models\n- **The Tower** - [an encoder](https://example.org)\n", encoding="utf-8")
    assert Importer(store).awesome_list(path).entries[0].status == "new"
    default = Importer(store)
    report = Importer(store, lookup=WithNickname(default.lookup)).awesome_list(path)
    assert (report.entries[0].status, report.entries[0].entity) == ("matched", "model/clip-vit-l-14-336")


def test_a_missing_or_binary_list_is_one_line_of_error(runner, tmp_path, store_dir):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe- **x**")
    for target, message in ((tmp_path / "none.md", "no such file"), (bad, "not UTF-8 text")):
        result = runner.invoke(app, ["import", "awesome-list", str(target), "--data", str(DATA),
                                     "--store", str(store_dir)])
        assert result.exit_code == 1
        assert message in result.stderr and "Traceback" not in result.output
    with pytest.raises(ValueError, match="not UTF-8"):
        read_awesome_list(bad)

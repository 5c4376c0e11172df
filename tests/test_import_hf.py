"""`vlmgraph import hf`: real card headers and configs in, typed components and differences out,
candidate records for models the graph lacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vlmgraph.catalog import read_catalog
from vlmgraph.cli import app
from vlmgraph.lint import files_not_canonical
from vlmgraph.importers.huggingface import HubError, read_snapshot
from vlmgraph.importers.run import Importer
from vlmgraph.store import memory_store
from vlmgraph.validate import validate

from .conftest import DATA

@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """One store folder for this module's CLI runs: built by the first, reused by the rest."""
    return tmp_path_factory.mktemp("build") / "build"


HF = Path(__file__).parent / "fixtures" / "hf"
LLAVA = HF / "liuhaotian__llava-v1.5-7b"
LLAVA_HF = HF / "llava-hf__llava-1.5-7b-hf"
LLAVA_NEXT = HF / "liuhaotian__llava-v1.6-vicuna-7b"
MPO = HF / "OpenGVLab__InternVL2_5-8B-MPO"


def _components(report):
    return {(c.role, c.name): c.entities for c in report.components}


def _catalogue_copy(tmp_path_factory, name: str) -> Path:
    data = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(DATA, data)
    return data


@pytest.fixture(scope="module")
def without_llava_next(tmp_path_factory):
    """The real catalogue without LLaVA-NeXT-Vicuna-7B (its record and results): a graph that
    truly lacks the model of the llava-v1.6-vicuna-7b snapshot, but has all its parts."""
    data = _catalogue_copy(tmp_path_factory, "without-llava-next")
    (data / "vision_language_models" / "llava-v1.6-vicuna-7b.yaml").unlink()
    (data / "results" / "llava-v1.6-vicuna-7b.yaml").unlink()
    return data


@pytest.fixture(scope="module")
def without_llava_hf_ids(tmp_path_factory):
    """The real catalogue with LLaVA-1.5 no longer naming the llava-hf conversions: the
    llava-hf/llava-1.5-7b-hf snapshot is then a model the graph lacks, derived from one it has."""
    data = _catalogue_copy(tmp_path_factory, "without-llava-hf")
    path = data / "vision_language_models" / "llava-1.5.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("aliases", "huggingface"):
        record[key] = [name for name in record.get(key, []) if not name.startswith("llava-hf/")]
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return data


def test_a_llava_style_snapshot_of_a_model_in_the_graph_matches_it_and_names_its_parts(store):
    report = Importer(store).hub([str(LLAVA)]).entries[0]
    assert (report.name, report.status, report.entity) == ("liuhaotian/llava-v1.5-7b", "matched", "model/llava-1.5")
    assert _components(report) == {
        ("vision_encoder", "openai/clip-vit-large-patch14-336"): ["model/clip-vit-l-14-336"],
        ("language_backbone", "lmsys/vicuna-7b-v1.5"): ["model/vicuna-v1.5"],
    }
    assert report.differences == []  # its components are the graph's


def test_a_transformers_style_snapshot_matches_by_hub_id_and_reports_its_results(store):
    report = Importer(store).hub([str(LLAVA_HF)]).entries[0]  # LLaVA-1.5 names llava-hf/llava-1.5-7b-hf
    assert (report.status, report.entity) == ("matched", "model/llava-1.5")
    parts = _components(report)
    assert parts[("language_backbone", "lmsys/vicuna-7b-v1.5")] == ["model/vicuna-v1.5"]
    # vision_config gives only model_type clip_vision_model: that resolves to the CLIP family, which
    # agrees with the graph's CLIP ViT-L/14@336px, so it is no difference.
    assert "family/clip" in parts[("vision_encoder", "clip_vision_model")]
    assert parts[("base_model", "liuhaotian/llava-v1.5-7b")] == ["model/llava-1.5"]
    assert parts[("dataset", "liuhaotian/LLaVA-Instruct-150K")] == ["dataset/llava-instruct-150k"]
    assert report.differences == []  # GQA 62.0, MMBench 64.3 and TextVQA 58.2 are the graph's 7B numbers


def test_a_card_result_the_graph_disagrees_with_is_a_difference_with_the_graphs_source(store, tmp_path):
    snapshot = tmp_path / "llava-hf__llava-1.5-7b-hf"
    shutil.copytree(LLAVA_HF, snapshot)
    card = snapshot / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("value: 58.2", "value: 59.0"), encoding="utf-8")
    report = Importer(store).hub([str(snapshot)]).entries[0]
    assert [(d.field, d.listed, d.graph, d.source) for d in report.differences] == [
        ("results", "TextVQA accuracy 59.0 (val)", "61.3 (13B, val); 58.2 (7B, val)",
         "https://github.com/haotian-liu/LLaVA/blob/main/docs/MODEL_ZOO.md")]


def test_a_model_not_in_the_graph_yields_a_candidate_whose_components_exist(without_llava_next, tmp_path):
    out = tmp_path / "drafts"
    report = Importer(memory_store(without_llava_next)).hub([str(LLAVA_NEXT)], out, without_llava_next).entries[0]
    assert (report.status, report.entity) == ("new", None)
    draft = out / "vision_language_models" / "llava-v1.6-vicuna-7b.yaml"
    assert report.draft == str(draft)
    record = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert record["vision_encoders"] == ["clip-vit-l-14-336"]
    assert record["language_backbones"] == ["vicuna-v1.5"]
    assert record["sources"] == ["https://huggingface.co/liuhaotian/llava-v1.6-vicuna-7b"]
    assert {c["level"] for c in record["confidence"]} == {"likely"}  # what a curator must still check
    assert "a curator must check" in record["description"]
    # The draft goes through validation like any curated record: schema and references pass, and
    # the shapes ask for exactly what a card cannot say and a curator must add.
    data = tmp_path / "data"
    shutil.copytree(without_llava_next, data)
    shutil.copy(draft, data / "vision_language_models" / draft.name)
    assert [str(p) for p in validate(data, shacl=False, owl=False)] == []
    assert sorted(p.message for p in validate(data, shacl=True, owl=False)) == [
        "SHACL: a vision-language model needs a developer", "SHACL: a vision-language model needs a release date"]


def test_card_lineage_datasets_and_results_become_typed_draft_fields(without_llava_hf_ids, tmp_path):
    out = tmp_path / "drafts"
    Importer(memory_store(without_llava_hf_ids)).hub([str(LLAVA_HF)], out, without_llava_hf_ids)
    record = yaml.safe_load((out / "vision_language_models" / "llava-1.5-7b-hf.yaml").read_text(encoding="utf-8"))
    assert record["derived_from"] == [{"model": "llava-1.5", "relation": "fine-tuned-from",
                                       "note": "the card's base_model 'liuhaotian/llava-v1.5-7b'"}]
    assert record["trained_on"] == ["llava-instruct-150k"] and record["evaluated_on"] == ["gqa", "mmbench", "textvqa"]
    assert record["language_backbones"] == ["vicuna-v1.5"]
    speculative = [c for c in record["confidence"] if c["level"] == "speculative"]
    assert [c["field"] for c in speculative] == ["vision_encoders"]  # only a model_type: a curator must name it
    catalog = read_catalog(out)
    assert catalog.problems == [] and len(catalog.records) == 4  # the model and its three results
    assert files_not_canonical(catalog, out) == {}  # written as `vlmgraph lint` would
    results = yaml.safe_load((out / "results" / "llava-1.5-7b-hf.yaml").read_text(encoding="utf-8"))
    assert {(r["benchmark"], r["value"], r["setting"]) for r in results} == {
        ("gqa", 62.0, "test-dev"), ("mmbench", 64.3, "test"), ("textvqa", 58.2, "val")}


def test_a_base_model_list_with_relation_and_datasets_is_read(store):
    report = Importer(store).hub([str(MPO)]).entries[0]
    assert (report.status, report.entity) == ("matched", "model/internvl2.5-8b-mpo")  # by its Hub id
    base = next(c for c in report.components if c.role == "base_model")
    assert (base.name, base.relation, base.read_from) == ("OpenGVLab/InternVL2_5-8B", "fine-tuned-from", "README.md base_model")
    assert base.entities == ["model/internvl2.5-8b"]
    assert _components(report)[("dataset", "OpenGVLab/MMPR-v1.1")] == ["dataset/mmpr"]
    assert report.unresolved == []
    assert report.differences == []  # the graph records the same base model and training data


def test_names_the_graph_lacks_are_listed_as_unresolved(store, tmp_path):
    """The MPO card naming a base model and a dataset the graph has no record of: both are reported."""
    snapshot = tmp_path / "OpenGVLab__InternVL2_5-8B-MPO"
    shutil.copytree(MPO, snapshot)
    card = snapshot / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("OpenGVLab/InternVL2_5-8B\n", "someone/unknown-base\n")
                    .replace("OpenGVLab/MMPR-v1.1", "someone/unknown-data"), encoding="utf-8")
    report = Importer(store).hub([str(snapshot)]).entries[0]
    assert report.unresolved == ["someone/unknown-base", "someone/unknown-data"]
    assert _components(report)[("dataset", "someone/unknown-data")] == []


def test_cli_json_report_has_kind_entity_and_differences(runner, tmp_path, without_llava_next):
    result = runner.invoke(app, ["import", "hf", str(LLAVA), str(LLAVA_NEXT), "--format", "json",
                                 "--data", str(without_llava_next), "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    assert [(e["name"], e["kind"], e["entity"], e["differences"]) for e in entries] == [
        ("liuhaotian/llava-v1.5-7b", "model", "model/llava-1.5", []),
        ("liuhaotian/llava-v1.6-vicuna-7b", "model", None, []),
    ]


@pytest.mark.parametrize("files, message", [
    ({"README.md": "---\nbase_model: [unclosed\n---\n"}, "README.md line 3: the card's YAML header is not valid YAML"),
    ({"README.md": "---\nlicense: mit\n"}, "the YAML header opened by '---' is never closed"),
    ({"config.json": "{\"model_type\": \"llava\",}"}, "config.json line 1: not valid JSON"),
    ({"notes.txt": "nothing"}, "neither README.md nor config.json here"),
])
def test_bad_snapshots_are_one_line_errors(runner, tmp_path, files, message, store_dir):
    folder = tmp_path / "someone__model"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(HubError, match=message.replace("[", r"\[").replace("(", r"\(")):
        read_snapshot(folder)
    result = runner.invoke(app, ["import", "hf", str(folder), "--data", str(DATA), "--store", str(store_dir)])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_a_folder_without_a_repository_id_says_how_to_name_it(tmp_path):
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(HubError, match="name the folder owner__name"):
        read_snapshot(folder)


def test_a_repository_id_that_cannot_be_downloaded_is_one_line_of_error(tmp_path, store_dir):
    # Offline mode: huggingface_hub (when installed) answers from its cache only, so nothing
    # leaves the machine; without it the error says which extra to install.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")}
    command = Path(sys.executable).parent / "vlmgraph"  # the installed console script
    result = subprocess.run([str(command), "import", "hf", "nobody/no-such-model",
                             "--data", str(DATA), "--store", str(store_dir)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: nobody/no-such-model: ") and "Traceback" not in result.stderr


def test_drafts_never_go_into_the_data_folder(runner, tmp_path, without_llava_next):
    # A model the data folder lacks, so that a draft would be written if --out were obeyed.
    result = runner.invoke(app, ["import", "hf", str(LLAVA_NEXT), "--out", str(without_llava_next),
                                 "--data", str(without_llava_next), "--store", str(tmp_path / "build")])
    assert result.exit_code == 1 and "drafts never go into the curated data folder" in result.stderr
    assert not (without_llava_next / "vision_language_models" / "llava-v1.6-vicuna-7b.yaml").exists()


PALIGEMMA = HF / "google__paligemma-3b-pt-224"


def test_a_config_naming_parts_only_by_model_type_agrees_through_families(store):
    report = Importer(store).hub([str(PALIGEMMA)]).entries[0]
    assert (report.status, report.entity) == ("matched", "model/paligemma")  # by its alias paligemma-3b-pt-224
    parts = _components(report)
    assert parts[("language_backbone", "gemma")] == ["model/gemma"]
    assert "family/siglip" in parts[("vision_encoder", "siglip_vision_model")]
    assert report.differences == []


def test_a_component_the_graph_disagrees_with_is_a_difference(store, tmp_path):
    snapshot = tmp_path / "google__paligemma-3b-pt-224"
    shutil.copytree(PALIGEMMA, snapshot)
    config = snapshot / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"model_type": "gemma"', '"model_type": "qwen2"'),
                      encoding="utf-8")
    report = Importer(store).hub([str(snapshot)]).entries[0]
    assert [(d.field, d.listed, d.graph) for d in report.differences] == [
        ("language_backbones", "qwen2 (config.json text_config.model_type)", "Gemma")]

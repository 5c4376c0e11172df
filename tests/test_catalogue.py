"""Data integrity of the curated catalogue, the way curated registries test theirs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vlmgraph.catalog import read_catalog
from vlmgraph.lint import files_not_canonical, json_schemas
from vlmgraph.names import NameIndex
from vlmgraph.records import EvaluationResult, VisionLanguageModel
from vlmgraph.terms import segment_of
from .seed_list import read_seed
from vlmgraph.validate import validate

from .conftest import DATA, ROOT, SEED


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(DATA)


def test_catalogue_passes_every_check_including_shacl_and_hermit():
    assert [str(p) for p in validate(DATA)] == []


def test_files_are_in_canonical_form(catalog):
    assert sorted(str(p.relative_to(ROOT)) for p in files_not_canonical(catalog, DATA)) == []


def test_committed_json_schemas_are_current():
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schema").glob("*.json")}
    assert committed == json_schemas(), "run `vlmgraph schema` and commit schema/"


def test_every_seed_entry_is_findable_by_its_listed_name(store):
    entries = read_seed(SEED)
    assert len(entries) == 125
    resolver = NameIndex(store)
    missing = [f"{e.name} (line {e.line})" for e in entries if not resolver.find(e.name)]
    assert missing == []


def test_seed_names_are_spelled_as_in_the_list(catalog):
    """A seed name is a bold entry of the list or a heading/table row of it (research directions…)."""
    from vlmgraph.importers.awesome_list import repair_mojibake

    listed = {entry.name for entry in read_seed(SEED)}
    text = repair_mojibake(SEED.read_text(encoding="utf-8")).casefold()
    names = {name for item in catalog.records for name in getattr(item.record, "seed_names", [])}
    assert sorted(n for n in names if n not in listed and n.casefold() not in text) == []


def test_every_vlm_says_what_its_components_are(catalog):
    for model in catalog.of_kind(VisionLanguageModel):
        assert model.language_backbones, model.id
        assert model.vision_encoders, model.id


def test_ids_are_unique_per_namespace(catalog):
    counts = Counter((segment_of(item.record), item.record.id) for item in catalog.records)
    assert [key for key, count in counts.items() if count > 1] == []


def test_enough_sourced_evaluation_results(catalog):
    results = list(catalog.of_kind(EvaluationResult))
    assert len(results) >= 60
    assert len({r.model for r in results}) >= 15
    assert all(r.source.startswith("https://") for r in results)


def test_the_seed_list_size_of_the_catalogue(catalog):
    kinds = Counter(type(item.record).__name__ for item in catalog.records)
    assert kinds["VisionLanguageModel"] >= 45
    assert kinds["Dataset"] + kinds["Benchmark"] >= 80
    assert kinds["Tool"] >= 5


def test_every_record_file_lives_in_a_kind_folder():
    stray = [p for p in Path(DATA).rglob("*.yaml") if p.parent.parent != DATA]
    assert stray == []

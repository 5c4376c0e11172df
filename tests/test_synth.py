"""The synthetic catalogue: deterministic, the real format, valid, plainly synthetic, with lineage chains."""

from __future__ import annotations

from collections import Counter

import pytest

from vlmgraph.catalog import read_catalog
from vlmgraph.cli import app
from vlmgraph.lint import files_not_canonical
from vlmgraph.execution import collect, execute
from vlmgraph.queries import named_queries, run_named
from vlmgraph.store import memory_store
from vlmgraph.synth import synthesize, write_catalogue
from vlmgraph.validate import validate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """200 models: small enough for SHACL in a second, big enough for chains."""
    directory = tmp_path_factory.mktemp("synth") / "data"
    write_catalogue(directory, 200, seed=7)
    return directory


def _files(directory):
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.yaml"))}


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    write_catalogue(tmp_path / "a", 300, seed=1)
    write_catalogue(tmp_path / "b", 300, seed=1)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert dict(synthesize(300, seed=1)) != dict(synthesize(300, seed=2))


def test_counts_per_kind_follow_the_number_of_models(tmp_path):
    write_catalogue(tmp_path, 1000)
    catalog = read_catalog(tmp_path)
    assert not catalog.problems
    kinds = Counter(type(item.record).__name__ for item in catalog.records)
    assert kinds == {"VisionLanguageModel": 1000, "LanguageModel": 50, "VisionEncoder": 10, "Dataset": 100,
                     "Benchmark": 10, "Organization": 20, "EvaluationResult": 1000}
    vlms = [item.record for item in catalog.records if type(item.record).__name__ == "VisionLanguageModel"]
    assert all(len(m.trained_on) == 3 and len(m.evaluated_on) == 3 for m in vlms)
    derived = sum(1 for m in vlms if m.derived_from) / len(vlms)
    assert 0.6 < derived < 0.8  # the p = 0.7


def test_tiny_catalogues_still_have_three_benchmarks_per_model(tmp_path):
    write_catalogue(tmp_path, 1)
    kinds = Counter(type(item.record).__name__ for item in read_catalog(tmp_path).records)
    assert kinds["Benchmark"] == 3 and kinds["Dataset"] == 3 and kinds["VisionLanguageModel"] == 1


def test_valid_under_every_check_including_shacl_and_in_canonical_form(synthetic):
    assert validate(synthetic, shacl=True, owl=False) == []
    catalog = read_catalog(synthetic)
    assert files_not_canonical(catalog, synthetic) == {}


def test_every_record_is_plainly_synthetic(synthetic):
    for item in read_catalog(synthetic).records:
        record = item.record
        sources = [record.source] if hasattr(record, "source") else record.sources
        assert all(url.startswith("https://example.org/synthetic/") for url in sources)
        if hasattr(record, "name") and not hasattr(record, "source"):
            assert record.id.startswith("synth-") and record.name.startswith("Synthetic ")


def test_lineage_queries_find_chains(synthetic):
    store = memory_store(synthetic)
    deep = list(execute(store, "SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE { ?m a vlm:VisionLanguageModel ; "
                               "vlm:derivedFrom+ ?a } GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 1"))
    model, ancestors = deep[0]["m"], int(deep[0]["n"].value)
    assert ancestors >= 3  # a chain, not a single edge
    rows = collect(run_named(store, named_queries()["lineage"], {"model": model.value})).rows
    edges = {(row[0].value, row[3].value) for row in rows}
    chain = {row[0].value for row in rows if "synth-vlm" in row[3].value}
    assert len(chain) >= ancestors  # each ancestor link is an edge of the lineage
    assert any("synth-llm" in to for _, to in edges) and any("synth-enc" in to for _, to in edges)


def test_bad_arguments_give_one_clear_line(runner, tmp_path):
    result = runner.invoke(app, ["synth", "--models", "0", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--models must be at least 1" in result.output
    assert not (tmp_path / "out").exists()


def test_never_writes_into_a_curated_catalogue(runner, small_data):
    before = _files(small_data)
    result = runner.invoke(app, ["synth", "--models", "10", "-o", str(small_data)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "not a synthetic catalogue" in result.output
    assert _files(small_data) == before


def test_rewrites_an_earlier_synthetic_catalogue(runner, tmp_path):
    assert runner.invoke(app, ["synth", "-n", "2000", "-o", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["synth", "-n", "500", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == dict((path, text.encode()) for path, text in synthesize(500))


def test_a_built_store_serves_the_statistics_saved_at_build_time(synthetic, tmp_path):
    from vlmgraph.statistics import graph_statistics
    from vlmgraph.store import build, open_store, saved_statistics

    build(synthetic, tmp_path / "build")
    saved = saved_statistics(tmp_path / "build")
    assert saved == graph_statistics(open_store(tmp_path / "build")) == graph_statistics(memory_store(synthetic))
    assert saved["classes"]["https://w3id.org/vlmgraph/ontology#VisionLanguageModel"] == 200

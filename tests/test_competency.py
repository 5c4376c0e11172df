"""The competency questions, asked of the real catalogue through the named queries."""

from __future__ import annotations

import pytest

from vlmgraph.execution import collect
from vlmgraph.queries import named_queries, run_named

RES = "https://w3id.org/vlmgraph/resource/"


def ask(store, name, **params):
    result = collect(run_named(store, named_queries()[name], params))
    return [{var: (term.value if term is not None else None) for var, term in zip(result.variables, row)}
            for row in result.rows]


def ids(rows, column):
    return {row[column].rsplit("/", 1)[-1] for row in rows}


def test_q1_models_using_any_siglip_encoder(store):
    rows = ask(store, "models-using-encoder", encoder="SigLIP")
    models = ids(rows, "model")
    assert {"paligemma", "deepseek-vl2-tiny", "colpali"} <= models
    assert "kimi-vl" in models  # MoonViT was initialized from SigLIP-SO400M
    assert "llava-1.5" not in models


def test_q1_models_using_one_encoder(store):
    models = ids(ask(store, "models-using-encoder", encoder="CLIP ViT-L/14@336px"), "model")
    assert {"llava-1.5", "molmo-7b-d"} <= models
    assert "paligemma" not in models


def test_q2_llava_lineage_reaches_llama_2_through_vicuna(store):
    edges = {(r["from"].rsplit("/", 1)[-1], r["relation"].rsplit("#", 1)[-1], r["to"].rsplit("/", 1)[-1])
             for r in ask(store, "lineage", model="LLaVA-1.5")}
    assert ("llava-1.5", "hasLanguageBackbone", "vicuna-v1.5") in edges
    assert ("vicuna-v1.5", "fineTunedFrom", "llama-2") in edges
    assert ("llava-1.5", "hasVisionEncoder", "clip-vit-l-14-336") in edges
    assert ("clip-vit-l-14-336", "extractedFrom", "clip") in edges
    # only the most specific relation is shown on each edge
    assert ("vicuna-v1.5", "derivedFrom", "llama-2") not in edges


def test_q3_upstream_datasets_include_the_encoders_training_data(store):
    datasets = ids(ask(store, "upstream-datasets", model="llava-v1.5-13b"), "dataset")
    assert {"coco", "llava-instruct-150k", "clip-webimagetext"} <= datasets


def test_q4_everything_downstream_of_the_qwen_family(store):
    models = ids(ask(store, "downstream-models", base="Qwen"), "model")
    assert {"qwen2.5-vl-7b", "vlm-r1", "molmo-7b-d", "molmo-72b"} <= models
    assert "llava-1.5" not in models


def test_q5_organizations_llava_depends_on(store):
    orgs = ids(ask(store, "organization-dependencies", model="LLaVA-1.5"), "organization")
    assert {"lmsys", "meta-ai", "openai", "uw-madison"} <= orgs


def test_q6_models_sharing_a_component_with_llava(store):
    rows = ask(store, "shared-components", model="LLaVA-1.5")
    assert {"molmo-7b-d", "molmo-72b"} <= ids(rows, "other")
    assert "llava-1.5" not in ids(rows, "other")


def test_q7_benchmarks_ranked_and_best_results(store):
    ranked = ask(store, "benchmarks-by-reporting-models")
    counts = [int(r["models"]) for r in ranked]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 8
    assert "mmmu" in ids(ranked[:5], "benchmark")
    best = ask(store, "best-results")
    video_mme = [r for r in best if r["benchmarkLabel"] == "Video-MME"]
    assert video_mme and all(r["source"].startswith("https://") for r in video_mme)


def test_q8_shift_from_clip_to_siglip(store):
    rows = ask(store, "models-per-year-by-encoder-family")
    count = {(r["year"], r["familyLabel"]): int(r["models"]) for r in rows}
    assert count[("2023", "CLIP")] > count.get(("2023", "SigLIP"), 0)
    assert count[("2025", "SigLIP")] > count.get(("2025", "CLIP"), 0)


def test_q9_models_under_a_parameter_budget_smallest_first(store):
    rows = ask(store, "models-under-budget", budget="1000000000")
    sizes = [int(r["smallest"]) for r in rows]
    assert sizes == sorted(sizes) and all(size <= 1_000_000_000 for size in sizes)
    assert "smolvlm-256m-500m" in ids(rows, "model")
    assert "llava-1.5" not in ids(rows, "model")


def test_q10_every_correction_with_its_source(store):
    rows = ask(store, "seed-corrections")
    assert len(rows) >= 40
    siglip = [r for r in rows if r["seedName"] == "SigLip"]
    assert siglip and any("sign" in r["seedClaim"].lower() for r in siglip)
    assert all(r["source"].startswith("http") for r in rows)


@pytest.mark.parametrize("listed, expected", [
    ("CoPali", "colpali"), ("PH4 Mini", "phi-4-multimodal"), ("Baichuan Ocean Mini", "baichuan-omni"),
    ("LLaMA 3.2-vision", "llama-3.2-vision"), ("Llama 3.2 Vision", "llama-3.2-vision"), ("Pixtral", "pixtral-12b"),
])
def test_misspelled_and_duplicate_seed_names_lead_to_the_right_entity(store, listed, expected):
    from vlmgraph.names import NameIndex

    assert NameIndex(store).resolve(listed).value == f"{RES}model/{expected}"

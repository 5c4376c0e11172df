"""A synthetic catalogue in the real ``data/`` format, for measuring vlmgraph at scale.

``synthesize(models=N, seed=S)`` yields (relative path, YAML text) pairs; ``write_catalogue``
puts them in a folder that ``vlmgraph build`` and ``vlmgraph validate`` read like ``data/``.
For N vision-language models it makes:

=================  ===========================  =========================================
kind               how many                     what links it
=================  ===========================  =========================================
organizations      max(1, N/50)
vision encoders    max(1, N/100)                a developer, a date, a size
language models    max(1, N/20)                 derived from an earlier one with p = 0.7
datasets           max(3, N/10)                 derived from an earlier one with p = 0.3
benchmarks         max(3, N/100)
VLMs               N                            derived from an earlier one with p = 0.7;
                                                one language backbone, one vision encoder,
                                                3 training datasets, 3 benchmarks
results            one per VLM                  on the first of its benchmarks
=================  ===========================  =========================================

Every model is also trained on 3 datasets, so "upstream datasets through components" has
something to find. Datasets and benchmarks have a floor of 3 so that every model can name 3
distinct ones even for tiny N. An "earlier" entity is drawn uniformly from those released no
later, so release dates never run backwards along lineage or components (an integrity rule)
and lineage forms random recursive trees: chains about ln N deep, a few popular roots.

Everything is plainly synthetic: ids ``synth-vlm-000123``, names "Synthetic VLM 000123", and
each record's only source ``https://example.org/synthetic/<kind>/<id>`` (example.org is reserved
for examples, RFC 2606), so no synthetic record can pass for a fact.

Files: records go 1,000 to a file, as a YAML list (``vision_language_models/synth-vlm-000000.yaml``
holds models 000000-000999). The catalogue reads a list of records from any kind folder (as
``results/`` always does), so this is the real format; 100,000 models in ~250 files instead of
~120,000 keeps the build's file-system work and the fingerprint's stat calls small while every
error still names its file and line. Text is the canonical form of ``vlmgraph lint --fix``
(``lint.canonical_text``), so ``vlmgraph lint`` passes on the output.

Deterministic: one ``random.Random(seed)`` drawn in a fixed order; the same (N, seed) gives
the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from pydantic import BaseModel

from .lint import canonical_text
from .records import (
    Benchmark,
    Dataset,
    EvaluationResult,
    LanguageModel,
    Lineage,
    Organization,
    VisionEncoder,
    VisionLanguageModel,
)
from .terms import KIND_BY_FOLDER, RELATIONS

PER_FILE = 1000
SOURCE_ROOT = "https://example.org/synthetic"
PREFIX = "synth-"
# Release dates spread over 2015-01 .. 2025-12, month precision, in index order within a kind.
FIRST_YEAR, MONTHS = 2015, 132
LINEAGE_P = 0.7  # the probability that a model derives from an earlier one
DATASET_LINEAGE_P = 0.3
# Lineage of synthetic models: the generic derivation, then every narrower one but those that only fit
# encoders (extracted, initialized from), in the order that seeded catalogues were drawn with.
LINEAGE_RELATIONS = ("derived-from", *(relation.record_value for relation in RELATIONS if relation.record_value
                                       not in (None, "derived-from", "initialized-from", "extracted-from")))
SIZES = ("0.5B", "1B", "2B", "3B", "4B", "7B", "8B", "13B", "34B", "72B")
ENCODER_SIZES = ("86M", "304M", "400M", "632M", "1B", "6B")
METRICS = ("accuracy", "score", "CIDEr")


@dataclass(frozen=True)
class Counts:
    organizations: int
    encoders: int
    language_models: int
    datasets: int
    benchmarks: int
    models: int

    @classmethod
    def for_models(cls, models: int) -> "Counts":
        if models < 1:
            raise ValueError(f"--models must be at least 1, got {models}")
        return cls(
            organizations=max(1, models // 50),
            encoders=max(1, models // 100),
            language_models=max(1, models // 20),
            datasets=max(3, models // 10),
            benchmarks=max(3, models // 100),
            models=models,
        )


def _date(index: int, count: int) -> str:
    month = index * MONTHS // count
    return f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"


def _earlier(rng: random.Random, index: int, count: int, target_count: int) -> int:
    """An index among target_count entities released no later than entity index of count.

    Same fraction of the date range, so _date(result, target_count) <= _date(index, count).
    """
    return rng.randint(0, index * target_count // count)


def _distinct_earlier(rng: random.Random, k: int, index: int, count: int, target_count: int) -> list[int]:
    """k distinct earlier indices; when fewer than k exist yet, the first k of the kind (all tiny-N cases)."""
    limit = index * target_count // count + 1
    if limit < k:
        return list(range(k))
    return sorted(rng.sample(range(limit), k))


class _Ids:
    def __init__(self, width: int):
        self.width = width

    def __call__(self, short: str, index: int) -> str:
        return f"{PREFIX}{short}-{index:0{self.width}d}"


def _source(folder: str, record_id: str) -> list[str]:
    return [f"{SOURCE_ROOT}/{folder}/{record_id}"]


def synthesize(models: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(path relative to the data folder, canonical YAML text) of every file of the catalogue."""
    counts = Counts.for_models(models)
    rng = random.Random(seed)
    ids = _Ids(max(6, len(str(models))))
    org = lambda i: ids("org", i)  # noqa: E731 - one-line id makers read best beside each other
    enc = lambda i: ids("enc", i)  # noqa: E731
    llm = lambda i: ids("llm", i)  # noqa: E731
    dat = lambda i: ids("data", i)  # noqa: E731
    bench = lambda i: ids("bench", i)  # noqa: E731
    vlm = lambda i: ids("vlm", i)  # noqa: E731
    c = counts

    def developers(index: int, count: int) -> list[str]:
        first = org(_earlier(rng, index, count, c.organizations))
        if rng.random() < 0.2:  # some work is joint
            second = org(rng.randrange(c.organizations))
            return sorted({first, second})
        return [first]

    def organization(i: int) -> Organization:
        record_id = org(i)
        return Organization(id=record_id, name=f"Synthetic Organization {i:0{ids.width}d}",
                            sources=_source("organizations", record_id))

    def encoder(i: int) -> VisionEncoder:
        record_id = enc(i)
        return VisionEncoder(
            id=record_id, name=f"Synthetic Vision Encoder {i:0{ids.width}d}", sources=_source("vision_encoders", record_id),
            developers=developers(i, c.encoders), release_date=_date(i, c.encoders),
            parameters=[rng.choice(ENCODER_SIZES)],
            trained_on=[dat(j) for j in _distinct_earlier(rng, 3, i, c.encoders, c.datasets)],
        )

    def language_model(i: int) -> LanguageModel:
        record_id = llm(i)
        lineage = []
        if i > 0 and rng.random() < LINEAGE_P:
            lineage = [Lineage(model=llm(rng.randrange(i)), relation=rng.choice(LINEAGE_RELATIONS))]
        return LanguageModel(
            id=record_id, name=f"Synthetic Language Model {i:0{ids.width}d}", sources=_source("language_models", record_id),
            developers=developers(i, c.language_models), release_date=_date(i, c.language_models),
            parameters=sorted(set(rng.sample(SIZES, rng.randint(1, 2))), key=SIZES.index),
            derived_from=lineage,
            trained_on=[dat(j) for j in _distinct_earlier(rng, 3, i, c.language_models, c.datasets)],
        )

    def dataset(i: int) -> Dataset:
        record_id = dat(i)
        parents = [dat(rng.randrange(i))] if i > 0 and rng.random() < DATASET_LINEAGE_P else []
        return Dataset(
            id=record_id, name=f"Synthetic Dataset {i:0{ids.width}d}", sources=_source("datasets", record_id),
            developers=developers(i, c.datasets), release_date=_date(i, c.datasets),
            size=f"{rng.randint(1, 999) * 1000:,} image-text pairs", derived_from=parents,
        )

    def benchmark(i: int) -> Benchmark:
        record_id = bench(i)
        return Benchmark(
            id=record_id, name=f"Synthetic Benchmark {i:0{ids.width}d}", sources=_source("benchmarks", record_id),
            developers=developers(i, c.benchmarks), release_date=_date(i, c.benchmarks),
            size=f"{rng.randint(1, 99) * 100:,} questions",
        )

    results: list[EvaluationResult] = []

    def vision_language_model(i: int) -> VisionLanguageModel:
        record_id = vlm(i)
        lineage = []
        if i > 0 and rng.random() < LINEAGE_P:
            lineage = [Lineage(model=vlm(rng.randrange(i)), relation=rng.choice(LINEAGE_RELATIONS))]
        benchmarks = [bench(j) for j in _distinct_earlier(rng, 3, i, c.models, c.benchmarks)]
        results.append(EvaluationResult(
            model=record_id, benchmark=benchmarks[0], metric=rng.choice(METRICS),
            value=Decimal(rng.randint(0, 1000)) / 10, source=f"{SOURCE_ROOT}/results/{record_id}",
        ))
        return VisionLanguageModel(
            id=record_id, name=f"Synthetic VLM {i:0{ids.width}d}", sources=_source("vision_language_models", record_id),
            developers=developers(i, c.models), release_date=_date(i, c.models),
            parameters=sorted(set(rng.sample(SIZES, rng.randint(1, 2))), key=SIZES.index),
            derived_from=lineage,
            language_backbones=[llm(_earlier(rng, i, c.models, c.language_models))],
            vision_encoders=[enc(_earlier(rng, i, c.models, c.encoders))],
            trained_on=[dat(j) for j in _distinct_earlier(rng, 3, i, c.models, c.datasets)],
            evaluated_on=benchmarks,
        )

    kinds: list[tuple[str, str, int, Callable[[int], BaseModel]]] = [
        ("organizations", "org", c.organizations, organization),
        ("vision_encoders", "enc", c.encoders, encoder),
        ("language_models", "llm", c.language_models, language_model),
        ("datasets", "data", c.datasets, dataset),
        ("benchmarks", "bench", c.benchmarks, benchmark),
        ("vision_language_models", "vlm", c.models, vision_language_model),
    ]
    for folder, short, count, make in kinds:
        assert folder in KIND_BY_FOLDER
        for start in range(0, count, PER_FILE):
            chunk = [make(i) for i in range(start, min(count, start + PER_FILE))]
            yield f"{folder}/{ids(short, start)}.yaml", canonical_text(chunk, as_list=True)
            if results:  # the results of this chunk of models, in a file named like it
                yield f"results/{ids(short, start)}.yaml", canonical_text(results, as_list=True)
                results.clear()


def _is_synthetic(path: Path, root: Path) -> bool:
    relative = path.relative_to(root)
    return (len(relative.parts) == 2 and relative.parts[0] in KIND_BY_FOLDER
            and relative.name.startswith(PREFIX) and relative.suffix == ".yaml")


def write_catalogue(directory: Path, models: int, seed: int = 0) -> int:
    """Write the catalogue into directory; returns the number of files.

    The folder must be new, empty, or hold only an earlier synthetic catalogue, which is
    replaced: a curated catalogue is never overwritten or mixed with synthetic records.
    """
    Counts.for_models(models)  # bad arguments fail before anything is touched
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"{directory} exists and is not a folder")
    if directory.exists():
        others = [p for p in directory.rglob("*") if p.is_file() and not _is_synthetic(p, directory)]
        if others:
            raise ValueError(f"{directory} holds files that are not a synthetic catalogue "
                             f"(such as {others[0]}); choose an empty or new folder")
        for path in directory.rglob("*.yaml"):
            path.unlink()
    written = 0
    for relative, text in synthesize(models, seed):
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    return written

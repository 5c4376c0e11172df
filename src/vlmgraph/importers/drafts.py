"""Candidate records for what an import found new, in the data/ layout and format.

Drafts are ordinary records: they are built with the pydantic models (so they validate), written
in lint's canonical YAML, cite where they come from, and say in `confidence:` notes what a
curator must still check. They go to a folder the user names, never into data/.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel

from ..lint import canonical_text
from ..records import (
    Benchmark,
    Confidence,
    Dataset,
    EvaluationResult,
    Lineage,
    Tool,
    VisionLanguageModel,
)
from ..terms import KIND_BY_RECORD
from .awesome_list import ListEntry
from .huggingface import HubModel
from .report import EntryReport

CHECK = "Drafted by vlmgraph import from {where}; a curator must check every field against a primary source"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.") or "unnamed"


def _slug_of(entity: str) -> str:
    return entity.split("/", 1)[1]


def _of_kind(report: EntryReport, role: str, namespace: str = "model") -> tuple[list[str], str | None]:
    """Ids the report resolved for a role (of the right namespace), and the name read."""
    for component in report.components:
        if component.role == role:
            ids = [_slug_of(e) for e in component.entities if e.startswith(namespace + "/")]
            return ids, component.name
    return [], None


def draft_from_hub(model: HubModel, report: EntryReport, kinds_of: dict[str, str]) -> list[BaseModel]:
    """A vision-language model record (and its card's results) for a repository the graph lacks.

    `kinds_of` maps entity ids to graph classes, so that a component resolved to a family or a
    model of the wrong kind is not written where a language model or encoder id must go.
    """
    name = model.repo_id.split("/", 1)[1]
    record_id = slug(name)
    confidence: list[Confidence] = []
    fields: dict[str, object] = {}
    for field_name, role, cls in (("vision_encoders", "vision_encoder", "VisionEncoder"),
                                  ("language_backbones", "language_backbone", "LanguageModel")):
        component = next((c for c in report.components if c.role == role), None)
        ids = [_slug_of(e) for e in (component.entities if component else []) if kinds_of.get(e) == cls]
        if ids:
            fields[field_name] = ids
            confidence.append(Confidence(field=field_name, level="likely", source=f"{model.url}/blob/main/config.json",
                                         note=f"read from {component.read_from} ({component.name!r}) and resolved by name"))
        else:
            if component is None:
                note = f"config.json names no {role.replace('_', ' ')}: find it and add or correct this id"
            elif component.entities:  # e.g. only a model_type, which names a family, not a checkpoint
                note = (f"{component.read_from} says {component.name!r}, which resolves only to "
                        f"{', '.join(component.entities)}, not to one {cls}: name the checkpoint")
            else:
                note = f"{component.read_from} says {component.name!r}, which matches no {cls} in the graph: add that record or correct this id"
            fields[field_name] = [slug(component.name.rsplit("/", 1)[-1]) if component else f"{record_id}-{role.replace('_', '-')}"]
            confidence.append(Confidence(field=field_name, level="speculative", note=note))
    lineage = []
    for component in report.components:
        if component.role == "base_model":
            for entity in component.entities:
                if entity.startswith("model/"):
                    lineage.append(Lineage(model=_slug_of(entity), relation=component.relation or "derived-from",
                                           note=f"the card's base_model {component.name!r}"))
    if lineage:
        confidence.append(Confidence(field="derived_from", level="likely", source=model.url,
                                     note="from the card's base_model and base_model_relation"))
    trained = sorted({_slug_of(e) for c in report.components if c.role == "dataset" for e in c.entities
                      if e.startswith("dataset/")})
    results = _results(model, report, record_id)
    record = VisionLanguageModel(
        id=record_id, name=name, aliases=[model.repo_id], huggingface=[model.repo_id],
        description=CHECK.format(where=f"the Hub card and config.json of {model.repo_id}")
        + " (name, developers, release date, sizes, components).",
        sources=[model.url], model_card=model.url, license=model.card_value("license"),
        derived_from=lineage, trained_on=trained,
        evaluated_on=sorted({r.benchmark for r in results}), confidence=confidence, **fields,
    )
    return [record, *results]


def _results(model: HubModel, report: EntryReport, record_id: str) -> list[EvaluationResult]:
    results = []
    components = [c for c in report.components if c.role == "result"]
    for result, component in zip(model.results(), components):
        benchmarks = [e for e in component.entities if e.startswith("dataset/")]
        try:
            value = Decimal(result.value)
        except InvalidOperation:
            continue
        if not benchmarks:
            continue
        results.append(EvaluationResult(model=record_id, benchmark=_slug_of(benchmarks[0]), metric=result.metric,
                                        value=value, setting=result.split, source=result.source or model.url))
    return results


def draft_from_entry(entry: ListEntry, report: EntryReport, kinds_of: dict[str, str],
                     resolved: dict[str, list[str]]) -> BaseModel | None:
    """A record for a list entry the graph lacks; None (with report.note set) when it cannot be
    drafted honestly: nothing to cite, or a model whose parts the list does not name."""
    if not entry.url:
        report.note = "not drafted: the entry has no link to cite as a source"
        return None
    common = dict(id=slug(entry.name), name=entry.name, sources=[entry.url],
                  description=entry.description or None,
                  confidence=[Confidence(field="description", level="speculative", source=entry.url,
                                         note=CHECK.format(where=f"an awesome-list (line {entry.line})"))])
    if entry.kind in ("dataset", "benchmark"):
        cls = Benchmark if entry.kind == "benchmark" else Dataset
        return cls(homepage=entry.url, release_date=str(entry.year) if entry.year and not entry.year_or_before else None,
                   **common)
    if entry.kind == "tool":
        return Tool(homepage=entry.url, **common)
    if entry.kind == "model":
        encoders = [e for e in resolved.get("vision_encoders", []) if kinds_of.get(e) == "VisionEncoder"]
        backbones = [e for e in resolved.get("language_backbones", []) if kinds_of.get(e) == "LanguageModel"]
        if not encoders or not backbones:
            report.note = "not drafted: the entry does not name a vision encoder and a language backbone the graph has"
            return None
        return VisionLanguageModel(vision_encoders=[_slug_of(e) for e in encoders],
                                   language_backbones=[_slug_of(e) for e in backbones],
                                   release_date=str(entry.year) if entry.year and not entry.year_or_before else None,
                                   **common)
    report.note = f"not drafted: no record kind for {entry.kind!r} entries"
    return None


def check_out(out: Path, data_dir: Path | None) -> None:
    """Refuse a drafts folder that is, or lies inside, the curated data folder."""
    out = Path(out)
    if data_dir is not None and Path(data_dir).resolve() in (out.resolve(), *out.resolve().parents):
        raise ValueError(f"--out {out}: drafts never go into the curated data folder {data_dir}; pick another folder")


def write_drafts(records: list[BaseModel], out: Path, data_dir: Path | None) -> list[Path]:
    """Write records as DIR/<kind folder>/<id>.yaml (results as one list per model)."""
    out = Path(out)
    check_out(out, data_dir)
    grouped: dict[Path, list[BaseModel]] = {}
    for record in records:
        folder = KIND_BY_RECORD[type(record)].folder
        name = record.model if isinstance(record, EvaluationResult) else record.id
        grouped.setdefault(out / folder / f"{name}.yaml", []).append(record)
    for path, group in sorted(grouped.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(canonical_text(group, as_list=isinstance(group[0], EvaluationResult)), encoding="utf-8")
    return sorted(grouped)

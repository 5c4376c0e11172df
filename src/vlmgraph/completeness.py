"""How complete the catalogue is: for each fact a researcher expects of a vision-language model,
the share of VLM records that state it, plus the identifiers and results that let other tools
meet the graph. Computed from the records (the curated input), so a gap names the file to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .catalog import Catalog
from .records import EvaluationResult, Organization, VisionLanguageModel


@dataclass(frozen=True)
class Measure:
    name: str
    stated: int
    total: int
    missing: tuple[str, ...] = field(default=())  # ids of the records without it

    @property
    def share(self) -> float:
        return self.stated / self.total if self.total else 1.0

    def line(self) -> str:
        return f"{self.name}: {self.stated}/{self.total} ({self.share:.0%})"


_HUB = "https://huggingface.co/"


def _hub_id(url: str) -> str:
    """https://huggingface.co/owner/name(/…) -> owner/name, lower-cased."""
    return "/".join(url.removeprefix(_HUB).split("/")[:2]).lower()


def _vlm_checks() -> dict[str, Callable[[VisionLanguageModel], bool]]:
    return {
        "release date (month)": lambda m: m.release_date is not None and len(m.release_date) >= 7,
        "developers": lambda m: bool(m.developers),
        "parameter counts": lambda m: bool(m.parameters),
        "license or open weights": lambda m: m.license is not None or m.open_weights is False,
        "paper or model card": lambda m: bool(m.papers) or m.model_card is not None,
        "language backbone (or none)": lambda m: bool(m.language_backbones),
        "vision encoder (or none)": lambda m: bool(m.vision_encoders),
        "training data (trained_on)": lambda m: bool(m.trained_on),
        "benchmarks reported (evaluated_on)": lambda m: bool(m.evaluated_on),
        # A model whose official card is on the Hub carries that repository's id (the key imports match on).
        "its Hugging Face repository id": lambda m: not (m.model_card or "").startswith(_HUB)
        or _hub_id(m.model_card) in {repo.lower() for repo in m.huggingface},
    }


def measure(catalog: Catalog) -> list[Measure]:
    records = [item.record for item in catalog.records]
    vlms = sorted((r for r in records if isinstance(r, VisionLanguageModel)), key=lambda r: r.id)
    measures = []
    for name, check in _vlm_checks().items():
        missing = tuple(m.id for m in vlms if not check(m))
        measures.append(Measure(f"VLMs with {name}", len(vlms) - len(missing), len(vlms), missing))
    organizations = sorted((r for r in records if isinstance(r, Organization)), key=lambda r: r.id)
    missing = tuple(o.id for o in organizations if not (o.wikidata or o.ror))
    measures.append(Measure("organizations with a Wikidata QID or ROR id", len(organizations) - len(missing),
                            len(organizations), missing))
    return measures


def result_coverage(catalog: Catalog) -> tuple[int, int]:
    """(evaluation results, models they cover)."""
    results = [item.record for item in catalog.records if isinstance(item.record, EvaluationResult)]
    return len(results), len({result.model for result in results})

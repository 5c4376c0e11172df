"""The schema of ``data/``: one pydantic model per kind of source record.

A record is what a curator writes in YAML. Records refer to each other by id;
the loader turns ids into IRIs. Unknown keys are rejected so that a typo in a
field name is an error, not a silently dropped fact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.functional_validators import AfterValidator

SLUG_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s<>\"{}|\\^`]+$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="Lower-case id: letters, digits, '-' and '.'.")]
Url = Annotated[str, Field(pattern=URL_PATTERN, description="An http(s) URL.")]
WikidataId = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]
RorId = Annotated[str, Field(pattern=r"^0[a-z0-9]{6}[0-9]{2}$")]
ArxivId = Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")]
HuggingFaceRepoId = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$", description="'owner/name' on the Hub.")
]


def _check_partial_date(value: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD with a real month and day."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} is not 01..12")
    if day is not None:
        import datetime

        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    return value


PartialDate = Annotated[str, AfterValidator(_check_partial_date)]

_SIZE_UNITS = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}


def _check_parameter_count(value: str | int) -> str:
    """Sizes are written the way papers write them: '7B', '0.5B', '400M'."""
    text = str(value).strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMBT])", text.upper())
    if not match:
        raise ValueError("expected a size such as '7B', '1.3B' or '400M'")
    if Decimal(match.group(1)) <= 0:
        raise ValueError("a parameter count must be positive")
    return match.group(1) + match.group(2)


ParameterCount = Annotated[str, AfterValidator(_check_parameter_count)]


def parameter_count_value(size: str) -> int:
    """'1.3B' -> 1300000000."""
    return int(Decimal(size[:-1]) * _SIZE_UNITS[size[-1]])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Correction(Strict):
    """Where the seed list says something wrong about this entity."""

    field: str = Field(description="The record field whose value the seed list gets wrong.")
    seed_claim: str = Field(min_length=1, description="What the seed list says.")
    corrected: str = Field(min_length=1, description="What the sources say instead.")
    source: Url = Field(description="The primary source for the corrected value.")


ConfidenceLevel = Literal["likely", "speculative"]


class Confidence(Strict):
    """A fact that rests on less than a primary source (Epoch AI's Confident/Likely/Speculative scale).
    Facts without such a note are confident: a primary source states them."""

    field: str = Field(description="The record field whose value is less than confident.")
    level: ConfidenceLevel
    note: str = Field(min_length=1, description="Why: which secondary source or inference the value rests on.")
    source: Url | None = Field(default=None, description="The secondary source, when there is one.")


class Record(Strict):
    """Fields every kind of record shares."""


    id: Slug
    name: str = Field(min_length=1, description="Display name (rdfs:label).")
    aliases: list[str] = Field(default_factory=list, description="Other spellings (skos:altLabel).")
    seed_names: list[str] = Field(
        default_factory=list,
        description="The name(s) under which the seed awesome-list lists this entity, misspellings included.",
    )
    description: str | None = None
    homepage: Url | None = None
    wikidata: WikidataId | None = None
    subjects: list[Slug] = Field(default_factory=list, description="Ids of related concepts (dct:subject).")
    sources: list[Url] = Field(min_length=1, description="Where the facts of this record come from.")
    corrections: list[Correction] = Field(default_factory=list)
    confidence: list[Confidence] = Field(default_factory=list, description="Facts resting on secondary sources.")

    @field_validator("corrections", "confidence")
    @classmethod
    def _notes_name_fields(cls, notes: list[Correction] | list[Confidence]) -> list:
        for note in notes:
            if note.field not in cls.model_fields:
                raise ValueError(f"{type(note).__name__.lower()} names unknown field {note.field!r}")
        return notes


class Organization(Record):
    parent: Slug | None = Field(default=None, description="Id of the organization this one is part of.")
    ror: RorId | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class Paper(Record):
    arxiv: ArxivId | None = None
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    published: PartialDate | None = None
    venue: str | None = None


class Family(Record):
    """A named family of models (CLIP, SigLIP, Llama, Qwen...)."""


    developers: list[Slug] = Field(default_factory=list)
    parent_family: Slug | None = Field(
        default=None, description="Id of the wider family this one belongs to (InternVL3 in InternVL)."
    )


Architecture = Literal[
    "decoder-only",
    "encoder-decoder",
    "dual-encoder",
    "vision-transformer",
    "mixture-of-experts",
    "unified-autoregressive",
    "diffusion-hybrid",
    "segmentation",
]

LineageRelation = Literal[
    "derived-from",
    "fine-tuned-from",
    "successor-of",
    "distilled-from",
    "initialized-from",
    "extracted-from",
    "quantized-from",
]


class Lineage(Strict):
    model: Slug
    relation: LineageRelation = "derived-from"
    note: str | None = None


class Model(Record):
    """Fields shared by every kind of model."""


    developers: list[Slug] = Field(default_factory=list)
    release_date: PartialDate | None = None
    parameters: list[ParameterCount] = Field(default_factory=list, description="Released sizes.")
    family: Slug | None = None
    papers: list[Slug] = Field(default_factory=list)
    repository: Url | None = None
    model_card: Url | None = None
    huggingface: list[HuggingFaceRepoId] = Field(
        default_factory=list, description="Its Hugging Face Hub repositories ('owner/name'), for matching and links."
    )
    license: str | None = None
    open_weights: bool | None = None
    architecture: Architecture | None = None
    derived_from: list[Lineage] = Field(default_factory=list)
    trained_on: list[Slug] = Field(default_factory=list)
    evaluated_on: list[Slug] = Field(default_factory=list)


NoComponent = Literal["none"]


class VisionLanguageModel(Model):
    language_backbones: list[Slug] | NoComponent = Field(
        description="Ids of the language models it is built on, or 'none' when it has no separate LLM."
    )
    vision_encoders: list[Slug] | NoComponent = Field(
        description="Ids of its vision encoders, or 'none' when it has no separate vision encoder."
    )

    @field_validator("language_backbones", "vision_encoders")
    @classmethod
    def _not_empty(cls, value):
        if value == []:
            raise ValueError("list at least one id, or write 'none'")
        return value


class LanguageModel(Model):
    """A language model used as, or ancestor of, a VLM's language backbone."""


class VisionEncoder(Model):
    """An image encoder used as, or ancestor of, a VLM's vision encoder."""


class Dataset(Record):
    developers: list[Slug] = Field(default_factory=list)
    release_date: PartialDate | None = None
    size: str | None = Field(default=None, description="Size as stated by its authors, e.g. '400M image-text pairs'.")
    papers: list[Slug] = Field(default_factory=list)
    license: str | None = None
    derived_from: list[Slug] = Field(default_factory=list)


class Benchmark(Dataset):
    """A dataset made to evaluate models."""


class Tool(Record):
    developers: list[Slug] = Field(default_factory=list)
    repository: Url | None = None
    license: str | None = None
    papers: list[Slug] = Field(default_factory=list)


ConceptScheme = Literal[
    "research-directions",
    "ethical-challenges",
    "applications",
    "task-categories",
]


class Concept(Record):
    scheme: ConceptScheme
    broader: Slug | None = None


class EvaluationResult(Strict):
    """One number a paper, model card or leaderboard reports."""


    model: Slug
    benchmark: Slug
    metric: str = Field(min_length=1, description="E.g. 'accuracy', 'CIDEr'.")
    value: Decimal
    unit: Literal["percent", "score"] = "percent"
    higher_is_better: bool = True
    setting: str | None = Field(default=None, description="E.g. '512 frames', 'val split, 0-shot'.")
    source: Url

    @property
    def id(self) -> str:
        parts = [self.model, self.benchmark, self.metric] + ([self.setting] if self.setting else [])
        return "--".join(_slugify(part) for part in parts)

    @property
    def name(self) -> str:
        extra = f", {self.setting}" if self.setting else ""
        return f"{self.model} on {self.benchmark}: {self.metric} {self.value}{extra}"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.") or "x"

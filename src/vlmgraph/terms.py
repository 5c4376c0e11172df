"""The vocabulary as data: one row per kind of entity and one per relation.

Every module that needs a list of kinds or relations derives it from these two tables — the
loader (classes, properties), lineage (which edges to walk), the pages (headings, "used by"
lists), viz (colours, shapes, legend), search (which classes are entities), schema.org types.
A test checks the tables against the record models' ``Literal`` types and the ontology.

Words, one per meaning:

* a **kind** is the class an entity is shown as, named by its OWL class's local name
  (``VisionLanguageModel``); its rows also give the record class, the ``data/`` folder and the
  IRI **segment** (``model`` in ``…/resource/model/llava``);
* a **relation** is an edge between entities, named by its property's local name
  (``fineTunedFrom``); lineage relations are also written in records as a **record value**
  (``fine-tuned-from``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Literal

from pyoxigraph import NamedNode

from .namespaces import ONTOLOGY_NS
from .namespaces import VOCABULARIES as PREFIXES

if TYPE_CHECKING:
    from pydantic import BaseModel

Group = Literal["component", "derivation", "data", "context"]


@dataclass(frozen=True)
class Style:
    """How vis-network draws a node of a kind: colour and shape (one vis sizes by `size`; the legend
    draws the same shape in CSS, so no glyph depends on the fonts installed). A `layer` kind is
    context in a lineage view — drawn on the nodes (subtitle, tooltip) and shown as nodes only
    when the reader switches its layer on in the legend."""

    colour: str
    shape: str
    layer: bool = False


@dataclass(frozen=True)
class Kind:
    name: str  # the OWL class's local name, also the kind's name everywhere
    record_name: str  # its class in records.py, by name: see `record`
    folder: str  # under data/
    segment: str  # the IRI path segment: https://w3id.org/vlmgraph/resource/{segment}/{id}
    classes: tuple[str, ...]  # every class IRI the loader asserts, most specific first
    schema_type: str | None  # schema.org @type of its page
    style: Style | None  # None: not drawn in lineage graphs
    entity: bool = True  # found by search and names (results are reached through their model)

    @property
    def iri(self) -> str:
        return self.classes[0]

    @property
    def record(self) -> type[BaseModel]:
        """The record class. Looked up on use: a process that only parses queries (a query worker)
        needs the segments for its prefixes, not the pydantic models (a second to build)."""
        return getattr(import_module(".records", __package__), self.record_name)

    @property
    def noun(self) -> str:
        """The kind in a sentence: 'VisionEncoder' -> 'vision encoder'."""
        return re.sub(r"(?<!^)(?=[A-Z])", " ", self.name).lower()


@dataclass(frozen=True)
class Relation:
    name: str  # the property's local name
    iri: str
    group: Group
    label: str  # read forwards: "LLaVA-1.5 — fine-tuned from → …"
    inverse_label: str  # the heading of the list of entities pointing at one: "Fine-tuned into"
    colour: str
    field: str  # the record field that states it ("derived_from" for every lineage relation)
    record_value: str | None = None  # a lineage relation as records write it: "fine-tuned-from"


_V = ONTOLOGY_NS
_PROV = PREFIXES["prov"]

# Most specific first (a Benchmark is also a Dataset): an entity is shown as the first kind it has.
KINDS: tuple[Kind, ...] = (
    Kind("VisionLanguageModel", "VisionLanguageModel", "vision_language_models", "model",
         (_V + "VisionLanguageModel", _V + "Model"), "SoftwareApplication", Style("#d1495b", "dot")),
    Kind("LanguageModel", "LanguageModel", "language_models", "model", (_V + "LanguageModel", _V + "Model"),
         "SoftwareApplication", Style("#2e86ab", "diamond")),
    Kind("VisionEncoder", "VisionEncoder", "vision_encoders", "model", (_V + "VisionEncoder", _V + "Model"),
         "SoftwareApplication", Style("#edae49", "triangle")),
    Kind("Benchmark", "Benchmark", "benchmarks", "dataset", (_V + "Benchmark", _V + "Dataset"), "Dataset",
         Style("#8cb369", "star", layer=True)),
    Kind("Dataset", "Dataset", "datasets", "dataset", (_V + "Dataset",), "Dataset", Style("#66a182", "square", layer=True)),
    Kind("ModelFamily", "Family", "families", "family", (_V + "ModelFamily",), "CreativeWorkSeries",
         Style("#9e9e9e", "ellipse", layer=True)),
    Kind("Organization", "Organization", "organizations", "organization", (_V + "Organization",), "Organization",
         Style("#7b6d8d", "box", layer=True)),
    Kind("Paper", "Paper", "papers", "paper", (_V + "Paper",), "ScholarlyArticle", None),
    Kind("Tool", "Tool", "tools", "tool", (_V + "Tool",), "SoftwareApplication", None),
    Kind("Concept", "Concept", "concepts", "concept", (PREFIXES["skos"] + "Concept",), "DefinedTerm", None),
    Kind("EvaluationResult", "EvaluationResult", "results", "result", (_V + "EvaluationResult",), None, None,
         entity=False),
)

# Component and lineage relations first, most specific derivation first (vlm:derivedFrom is written
# beside each of the narrower ones); the order is the legend's and the pages' order.
RELATIONS: tuple[Relation, ...] = (
    Relation("hasVisionEncoder", _V + "hasVisionEncoder", "component", "vision encoder",
             "Used as vision encoder by", "#edae49", "vision_encoders"),
    Relation("hasLanguageBackbone", _V + "hasLanguageBackbone", "component", "language backbone",
             "Used as language backbone by", "#2e86ab", "language_backbones"),
    Relation("fineTunedFrom", _V + "fineTunedFrom", "derivation", "fine-tuned from", "Fine-tuned into",
             "#d1495b", "derived_from", "fine-tuned-from"),
    Relation("successorOf", _V + "successorOf", "derivation", "successor of", "Succeeded by", "#a23b72",
             "derived_from", "successor-of"),
    Relation("distilledFrom", _V + "distilledFrom", "derivation", "distilled from", "Distilled into", "#f18f01",
             "derived_from", "distilled-from"),
    Relation("initializedFrom", _V + "initializedFrom", "derivation", "initialized from", "Initialized", "#c73e1d",
             "derived_from", "initialized-from"),
    Relation("extractedFrom", _V + "extractedFrom", "derivation", "extracted from", "Source of", "#6a4c93",
             "derived_from", "extracted-from"),
    Relation("quantizedFrom", _V + "quantizedFrom", "derivation", "quantized from", "Quantized into", "#3b1f2b",
             "derived_from", "quantized-from"),
    Relation("derivedFrom", _V + "derivedFrom", "derivation", "derived from", "Derived into", "#555555",
             "derived_from", "derived-from"),
    # A dataset made from another (the loader writes it for datasets only).
    Relation("wasDerivedFrom", _PROV + "wasDerivedFrom", "data", "derived from", "Datasets derived from it",
             "#3d5a40", "derived_from"),
    Relation("trainedOn", _V + "trainedOn", "data", "trained on", "Models trained on it", "#66a182", "trained_on"),
    Relation("evaluatedOn", _V + "evaluatedOn", "data", "evaluated on", "Models evaluated on it", "#8cb369", "evaluated_on"),
    Relation("developedBy", _V + "developedBy", "context", "developed by", "Developed", "#b8b0c4", "developers"),
    Relation("memberOfFamily", _V + "memberOfFamily", "context", "member of", "Members", "#c8c8c8", "family"),
)

KIND_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
KIND_BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}
KIND_BY_CLASS: dict[str, Kind] = {kind.iri: kind for kind in KINDS}
ENTITY_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.entity)
DRAWN_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.style is not None)
MODEL_KIND_NAMES = frozenset(kind.name for kind in KINDS if kind.segment == "model")
DATASET_KIND_NAMES = frozenset(kind.name for kind in KINDS if kind.segment == "dataset")
# Resource segments in the order a name that fits several entities is resolved (the CLIP model, not
# the CLIP family): the order of the kinds above.
SEGMENTS: tuple[str, ...] = tuple(dict.fromkeys(kind.segment for kind in ENTITY_KINDS))

RELATION_BY_NAME: dict[str, Relation] = {relation.name: relation for relation in RELATIONS}
RELATION_BY_IRI: dict[str, Relation] = {relation.iri: relation for relation in RELATIONS}
RELATION_BY_RECORD_VALUE: dict[str, Relation] = {r.record_value: r for r in RELATIONS if r.record_value}


def relation_names(*groups: Group) -> frozenset[str]:
    """The names of the relations in these groups."""
    return frozenset(relation.name for relation in RELATIONS if relation.group in groups)


def segment_of(record: BaseModel) -> str:
    """The IRI segment of a record's entity: 'model' for every kind of model."""
    return _record_tables()[0][type(record)].segment


def kind_of(class_iris: set[str] | frozenset[str]) -> Kind | None:
    """The kind an entity with these asserted classes is shown as (the most specific)."""
    return next((kind for kind in KINDS if kind.iri in class_iris), None)


_MODEL_KINDS = tuple(kind.name for kind in KINDS if kind.name in MODEL_KIND_NAMES)
_DATASET_KINDS = tuple(kind.name for kind in KINDS if kind.name in DATASET_KIND_NAMES)
# Which kinds each reference field of a record may point at (lists and single ids alike).
_REFERENCE_KINDS: dict[str, tuple[str, ...]] = {
    "developers": ("Organization",),
    "parent": ("Organization",),
    "parent_family": ("ModelFamily",),
    "papers": ("Paper",),
    "family": ("ModelFamily",),
    "subjects": ("Concept",),
    "broader": ("Concept",),
    "language_backbones": ("LanguageModel",),
    "vision_encoders": ("VisionEncoder",),
    "trained_on": _DATASET_KINDS,
    "evaluated_on": _DATASET_KINDS,
    "model": _MODEL_KINDS,  # EvaluationResult.model
    "benchmark": _DATASET_KINDS,  # EvaluationResult.benchmark
}


@cache
def _record_tables():
    """The tables keyed by record class, built on first use (see `Kind.record`)."""
    by_record = {kind.record: kind for kind in KINDS}
    targets = {field: tuple(KIND_BY_NAME[name].record for name in names) for field, names in _REFERENCE_KINDS.items()}
    fields = {kind.record: tuple((name, classes) for name, classes in targets.items() if name in kind.record.model_fields)
              for kind in KINDS}
    return by_record, targets, fields


def __getattr__(name: str):
    # KIND_BY_RECORD and REFERENCE_TARGETS hold record classes: made when first imported (PEP 562).
    if name == "KIND_BY_RECORD":
        return _record_tables()[0]
    if name == "REFERENCE_TARGETS":
        return _record_tables()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def references(record: BaseModel) -> list[tuple[str, str, tuple[type[BaseModel], ...]]]:
    """Every (field path, referenced id, allowed record classes) of a record."""
    _, targets_of, fields = _record_tables()
    found: list[tuple[str, str, tuple[type[BaseModel], ...]]] = []
    for name, targets in fields[type(record)]:
        value = getattr(record, name)
        if value is None or value == "none":
            continue
        for index, ref in enumerate([value] if isinstance(value, str) else value):
            found.append((name if isinstance(value, str) else f"{name}.{index}", ref, targets))
    if "derived_from" in type(record).model_fields:
        for index, item in enumerate(record.derived_from):
            if isinstance(item, str):  # datasets derive from datasets by plain id
                found.append((f"derived_from.{index}", item, targets_of["trained_on"]))
            else:  # a model's lineage entry
                found.append((f"derived_from.{index}.model", item.model, targets_of["model"]))
    return found


def _property(prefix: str, name: str) -> NamedNode:
    return NamedNode(PREFIXES[prefix] + name)


# The property each record field becomes (a correction or a confidence note of a field points at it):
# the relations' fields from their rows (derived_from is the generic vlm:derivedFrom), then the rest.
FIELD_PROPERTIES: dict[str, NamedNode] = {
    **{r.field: NamedNode(r.iri) for r in RELATIONS if r.record_value is None and r.name != "wasDerivedFrom"},
    "derived_from": NamedNode(RELATION_BY_NAME["derivedFrom"].iri),
    "id": _property("rdfs", "label"),
    "name": _property("rdfs", "label"),
    "aliases": _property("skos", "altLabel"),
    "seed_names": _property("vlm", "seedListName"),
    "description": _property("dct", "description"),
    "homepage": _property("schema", "url"),
    "wikidata": _property("skos", "exactMatch"),
    "ror": _property("skos", "exactMatch"),
    "subjects": _property("dct", "subject"),
    "sources": _property("dct", "source"),
    "release_date": _property("vlm", "releaseDate"),
    "parameters": _property("vlm", "parameterCount"),
    "papers": _property("vlm", "describedIn"),
    "repository": _property("schema", "codeRepository"),
    "model_card": _property("vlm", "modelCard"),
    "huggingface": _property("vlm", "huggingFaceRepository"),
    "license": _property("vlm", "license"),
    "open_weights": _property("vlm", "openWeights"),
    "architecture": _property("vlm", "architecture"),
    "size": _property("vlm", "datasetSize"),
    "parent": _property("org", "subOrganizationOf"),
    "parent_family": _property("vlm", "subFamilyOf"),
    "country": _property("schema", "addressCountry"),
    "arxiv": _property("vlm", "arxivId"),
    "doi": _property("vlm", "doi"),
    "published": _property("dct", "issued"),
    "venue": _property("vlm", "venue"),
    "scheme": _property("skos", "inScheme"),
    "broader": _property("skos", "broader"),
}

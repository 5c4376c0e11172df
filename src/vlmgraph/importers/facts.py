"""What the graph says about an entity, read from the store (never from tables kept here).

Importers compare what a list or a model card claims with these facts, and cite the
entity's sources when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from ..graph_store import GraphStore
from ..loader import FIELD_PROPERTIES
from ..vocab import DATA_GRAPH, DCT, ONTOLOGY_GRAPH, ORG, RDF, RDFS, SCHEMA, SKOS, VLM

# Property IRI -> the record field it comes from (the first field listed wins: name, not id).
FIELD_OF_PROPERTY: dict[str, str] = {}
for _field, _property in FIELD_PROPERTIES.items():
    if _field not in ("id", "ror"):
        FIELD_OF_PROPERTY.setdefault(_property.value, _field)


@dataclass(frozen=True)
class KnownCorrection:
    field: str
    seed_claim: str
    corrected: str
    source: str


@dataclass(frozen=True)
class Result:
    benchmark: str
    metric: str
    value: str
    setting: str | None
    source: str


@dataclass
class EntityFacts:
    iri: str
    label: str
    types: set[str] = field(default_factory=set)  # local names: VisionLanguageModel, Dataset…
    names: list[str] = field(default_factory=list)  # aliases and seed names
    seed_names: list[str] = field(default_factory=list)  # the names seed lists gave it (also in names)
    parameters: list[int] = field(default_factory=list)
    vision_encoders: list[str] = field(default_factory=list)
    language_backbones: list[str] = field(default_factory=list)
    no_vision_encoder: bool = False
    no_language_backbone: bool = False
    developers: list[str] = field(default_factory=list)
    release_date: str | None = None
    architecture: str | None = None
    papers: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    derived_from: list[str] = field(default_factory=list)
    trained_on: list[str] = field(default_factory=list)
    evaluated_on: list[str] = field(default_factory=list)
    size: str | None = None
    homepage: str | None = None
    repository: str | None = None
    model_card: str | None = None
    huggingface: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    description: str | None = None
    sources: list[str] = field(default_factory=list)
    corrections: list[KnownCorrection] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return int(self.release_date[:4]) if self.release_date else None

    def is_a(self, *local_names: str) -> bool:
        return bool(self.types.intersection(local_names))

    @property
    def source(self) -> str | None:
        """The source to cite for a fact of this entity: its paper on arXiv when it has one."""
        arxiv = [s for s in self.sources if "arxiv.org/abs/" in s]
        return (arxiv or self.sources or [None])[0]


_LISTS = {
    VLM.hasVisionEncoder.value: "vision_encoders",
    VLM.hasLanguageBackbone.value: "language_backbones",
    VLM.developedBy.value: "developers",
    VLM.describedIn.value: "papers",
    VLM.memberOfFamily.value: "families",
    VLM.derivedFrom.value: "derived_from",
    VLM.trainedOn.value: "trained_on",
    VLM.evaluatedOn.value: "evaluated_on",
    VLM.huggingFaceRepository.value: "huggingface",
    DCT.subject.value: "subjects",
    DCT.source.value: "sources",
    SKOS.altLabel.value: "names",
    VLM.seedListName.value: "seed_names",
}
_SINGLE = {
    VLM.releaseDate.value: "release_date",
    VLM.architecture.value: "architecture",
    VLM.datasetSize.value: "size",
    SCHEMA.url.value: "homepage",
    SCHEMA.codeRepository.value: "repository",
    VLM.modelCard.value: "model_card",
    DCT.description.value: "description",
}


class GraphFacts:
    """Facts of entities, read from the store through quad patterns and cached per entity."""

    def __init__(self, store: GraphStore):
        self._store = store
        self.facts = lru_cache(maxsize=None)(self._facts)

    def _objects(self, subject: str, predicate: NamedNode, graph=DATA_GRAPH) -> list:
        return [q.object for q in self._store.quads_for_pattern(NamedNode(subject), predicate, None, graph)]

    def label(self, iri: str) -> str:
        labels = self._objects(iri, RDFS.label) or self._objects(iri, RDFS.label, ONTOLOGY_GRAPH)
        return labels[0].value if labels else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def _facts(self, iri: str) -> EntityFacts:
        facts = EntityFacts(iri, self.label(iri))
        for quad in self._store.quads_for_pattern(NamedNode(iri), None, None, DATA_GRAPH):
            predicate, value = quad.predicate.value, quad.object
            if predicate == RDF.type.value:
                facts.types.add(value.value.rsplit("#", 1)[-1])
            elif predicate in _LISTS:
                getattr(facts, _LISTS[predicate]).append(value.value)
            elif predicate in _SINGLE:
                setattr(facts, _SINGLE[predicate], value.value)
            elif predicate == VLM.parameterCount.value:
                facts.parameters.append(int(value.value))
            elif predicate == VLM.noVisionEncoder.value:
                facts.no_vision_encoder = True
            elif predicate == VLM.noLanguageBackbone.value:
                facts.no_language_backbone = True
            elif predicate == VLM.correctsSeedClaim.value:
                facts.corrections.append(self._correction(value.value))
        for name in ("names", "seed_names", "vision_encoders", "language_backbones", "developers", "papers", "sources",
                     "huggingface", "subjects", "families", "derived_from", "trained_on", "evaluated_on"):
            setattr(facts, name, sorted(set(getattr(facts, name))))
        facts.parameters.sort()
        facts.corrections.sort(key=lambda c: (c.field, c.seed_claim))
        return facts

    def _correction(self, node: str) -> KnownCorrection:
        def one(predicate: NamedNode) -> str:
            values = self._objects(node, predicate)
            return values[0].value if values else ""

        field_name = FIELD_OF_PROPERTY.get(one(VLM.correctedProperty), "description")
        return KnownCorrection(field_name, one(VLM.seedClaim), one(VLM.correctedValue), one(DCT.source))

    def arxiv_ids(self, paper_iris: list[str]) -> list[str]:
        return sorted(o.value for p in paper_iris for o in self._objects(p, VLM.arxivId))

    def results(self, model_iri: str) -> list[Result]:
        """The evaluation results the graph holds for a model."""
        found = []
        for quad in self._store.quads_for_pattern(None, VLM.evaluatedModel, NamedNode(model_iri), DATA_GRAPH):
            node = quad.subject.value

            def one(predicate: NamedNode) -> str | None:
                values = self._objects(node, predicate)
                return values[0].value if values else None

            found.append(Result(one(VLM.onBenchmark) or "", one(VLM.metric) or "", one(VLM.value) or "",
                                one(VLM.evaluationSetting), one(DCT.source) or ""))
        return sorted(found, key=lambda r: (r.benchmark, r.metric, r.setting or "", r.value))

    def ancestors(self, iri: str, depth: int = 4) -> set[str]:
        """The entity, what it derives from (transitively) and the families of all of them."""
        seen, frontier = {iri}, [iri]
        for _ in range(depth):
            frontier = [t for f in frontier for t in self.facts(f).derived_from if t not in seen]
            seen.update(frontier)
        families = {fam for member in seen for fam in self.facts(member).families}
        parents = {o.value for fam in families for o in self._objects(fam, VLM.subFamilyOf)}
        return seen | families | parents

    def members(self, family: str, local_name: str = "VisionLanguageModel") -> list[str]:
        """The entities of a class in a family or any of its sub-families, in IRI order."""
        families, frontier = {family}, [family]
        while frontier:
            frontier = [q.subject.value for f in frontier
                        for q in self._store.quads_for_pattern(None, VLM.subFamilyOf, NamedNode(f), DATA_GRAPH)
                        if q.subject.value not in families]
            families.update(frontier)
        return sorted({q.subject.value for f in families
                       for q in self._store.quads_for_pattern(None, VLM.memberOfFamily, NamedNode(f), DATA_GRAPH)
                       if self.facts(q.subject.value).is_a(local_name)})

    def parents_of_organization(self, iri: str) -> list[str]:
        """The organizations an organization is part of (Google DeepMind -> Google); [] for others."""
        return [o.value for o in self._objects(iri, ORG.subOrganizationOf)]

    def of_type(self, local_name: str) -> list[str]:
        """Every entity of a vlm: class, in IRI order."""
        return sorted({q.subject.value for q in self._store.quads_for_pattern(None, RDF.type, VLM[local_name], DATA_GRAPH)})

    def architectures(self) -> dict[str, str]:
        """Label (any spelling the ontology gives) -> architecture IRI."""
        labels: dict[str, str] = {}
        for quad in self._store.quads_for_pattern(None, RDF.type, VLM.Architecture, ONTOLOGY_GRAPH):
            for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                for value in self._objects(quad.subject.value, predicate, ONTOLOGY_GRAPH):
                    if isinstance(value, Literal):
                        labels[value.value] = quad.subject.value
        return labels

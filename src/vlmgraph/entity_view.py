"""Everything an entity page shows, read from the store into plain dataclasses (no web, no HTML).

``entity_view(store, iri)`` reads the entity's own triples and the triples pointing at it from
the data graph, and sorts them into what a reader looks for: key facts, sources, seed-list
corrections, components (with their developers and what they were built from), what it was
derived from, what uses it, training and evaluation data, and reported results.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import product
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from .graph_store import GraphStore

from .terms import FIELD_PROPERTIES
from .names import class_labels, page_of
from .terms import RELATION_BY_NAME, RELATIONS, kind_of
from .vocab import DATA_GRAPH, ONTOLOGY_NS, PREFIXES, RESOURCE_NS

_SKOS, _DCT, _RDF, _RDFS = PREFIXES["skos"], PREFIXES["dct"], PREFIXES["rdf"], PREFIXES["rdfs"]
_SCHEMA, _ORG, _PROV = PREFIXES["schema"], PREFIXES["org"], PREFIXES["prov"]
V = ONTOLOGY_NS

COMPONENTS = {r.iri: r.label for r in RELATIONS if r.group == "component"}
# vlm:hasVisionEncoder -> vlm:noVisionEncoder: the flag a record writes as `vision_encoders: none`.
NO_COMPONENT = {V + "no" + r.name.removeprefix("has"): r.label for r in RELATIONS if r.group == "component"}
# Most specific first; vlm:derivedFrom is written beside each of the others.
DERIVATIONS = {r.iri: r.label for r in RELATIONS
               if r.group == "derivation" or r.iri == RELATION_BY_NAME["wasDerivedFrom"].iri}

# Key facts, in the order shown: property -> name in the facts list.
FACTS = {
    V + "developedBy": "Developed by",
    V + "releaseDate": "Released",
    V + "parameterCount": "Parameters",
    V + "architecture": "Architecture",
    V + "license": "Licence",
    V + "openWeights": "Open weights",
    V + "memberOfFamily": "Family",
    V + "describedIn": "Papers",
    _SCHEMA + "codeRepository": "Repository",
    V + "modelCard": "Model card",
    _SCHEMA + "url": "Homepage",
    V + "datasetSize": "Size",
    _ORG + "subOrganizationOf": "Part of",
    _SCHEMA + "addressCountry": "Country",
    V + "arxivId": "arXiv",
    V + "doi": "DOI",
    _DCT + "issued": "Published",
    V + "venue": "Venue",
    _SKOS + "inScheme": "Scheme",
    _SKOS + "broader": "Broader concept",
    _DCT + "subject": "Subjects",
    _SKOS + "exactMatch": "Same as",
}
# Shown in sections of their own, or not at all (types, labels, inferred super-properties).
_SECTIONED = {
    _RDF + "type", _RDFS + "label", _SKOS + "altLabel", _SKOS + "prefLabel", V + "seedListName",
    _DCT + "description", _DCT + "source", V + "correctsSeedClaim", V + "hasConfidenceNote", V + "hasComponent",
    V + "trainedOn",
    V + "evaluatedOn", *COMPONENTS, *NO_COMPONENT, *DERIVATIONS,
}
# Triples pointing at the entity, by property: the heading of the list of their subjects.
INBOUND = {
    **{r.iri: r.inverse_label for r in RELATIONS},
    _ORG + "subOrganizationOf": "Sub-organizations",
    V + "describedIn": "Describes",
    _DCT + "subject": "Entities on this subject",
    _SKOS + "broader": "Narrower concepts",
    V + "correctsSeedClaim": "Corrects the seed list on",
}
_NOT_INBOUND = {V + "hasComponent", V + "evaluatedModel", V + "onBenchmark", _RDF + "subject", _RDF + "object",
                _SKOS + "hasTopConcept"}

_OUT_QUERY = """
SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  GRAPH <%(data)s> { %(this)s ?p ?o }
  OPTIONAL { ?o rdfs:label ?l }
} GROUP BY ?p ?o
"""
_IN_QUERY = """
SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {
  GRAPH <%(data)s> { ?s ?p %(this)s }
  OPTIONAL { ?s rdfs:label ?l }
} GROUP BY ?s ?p
"""
# What the components are: their developers and the models they were made from. (A UNION, not the
# path `vlm:hasVisionEncoder|vlm:hasLanguageBackbone`: pyoxigraph plans the path inside GRAPH as a
# scan of every ?part ?p ?o, which grows with the catalogue; the UNION is two index lookups.)
_PARTS_QUERY = """
SELECT ?part ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  GRAPH <%(data)s> {
    { %(this)s vlm:hasVisionEncoder ?part } UNION { %(this)s vlm:hasLanguageBackbone ?part }
    ?part ?p ?o .
    FILTER(?p IN (vlm:developedBy, %(derivations)s))
    ?o rdfs:label ?l .
  }
} GROUP BY ?part ?p ?o
"""
_CORRECTIONS_QUERY = """
SELECT ?correction ?property ?claim ?corrected ?source WHERE {
  GRAPH <%(data)s> {
    %(this)s vlm:correctsSeedClaim ?correction .
    ?correction vlm:correctedProperty ?property ; vlm:seedClaim ?claim ; vlm:correctedValue ?corrected ;
                dct:source ?source .
  }
} ORDER BY ?correction
"""
_CONFIDENCE_QUERY = """
SELECT ?property ?level ?note ?source WHERE {
  GRAPH <%(data)s> {
    %(this)s vlm:hasConfidenceNote ?n .
    ?n vlm:aboutProperty ?property ; vlm:confidenceLevel ?l ; rdfs:comment ?note .
    OPTIONAL { ?n dct:source ?source }
  }
  ?l rdfs:label ?level .
} ORDER BY ?n
"""
_NOTES_QUERY = """
SELECT ?p ?o ?note WHERE {
  GRAPH <%(data)s> { ?s rdf:subject %(this)s ; rdf:predicate ?p ; rdf:object ?o ; rdfs:comment ?note }
}
"""


@dataclass(frozen=True)
class Value:
    """One value of a fact: a literal's text, or a resource with its label and where a link goes."""

    text: str
    iri: str | None = None
    href: str | None = None  # /resource/… for catalogue entities, the URL itself for web pages

    @property
    def external(self) -> bool:
        return bool(self.href) and not self.href.startswith("/")


@dataclass(frozen=True)
class Fact:
    name: str
    values: tuple[Value, ...]
    property: str


@dataclass(frozen=True)
class Component:
    role: str  # "vision encoder" or "language backbone"
    entity: Value
    developers: tuple[Value, ...] = ()
    built_from: tuple[tuple[str, Value], ...] = ()  # (relation, model)


@dataclass(frozen=True)
class Derivation:
    relation: str
    entity: Value
    note: str | None = None


@dataclass(frozen=True)
class Correction:
    field: str  # the record field the seed list got wrong, e.g. "vision encoders"
    seed_claim: str
    corrected: str
    source: str


@dataclass(frozen=True)
class Confidence:
    """A fact of the entity resting on less than a primary source."""

    field: str  # e.g. "release date"
    level: str  # "Likely" or "Speculative"
    note: str
    source: str | None


@dataclass(frozen=True)
class Result:
    model: Value
    benchmark: Value
    metric: str
    value: str
    unit: str
    setting: str | None
    higher_is_better: bool
    source: str


@dataclass(frozen=True)
class Group:
    heading: str
    entities: tuple[Value, ...]
    property: str


@dataclass
class EntityView:
    iri: str
    page: str
    namespace: str  # the IRI's kind segment: model, dataset, organization, …
    slug: str
    label: str
    kind: str  # the most specific class, e.g. VisionEncoder ("" when none is known)
    kind_label: str  # e.g. "Vision encoder"
    aliases: list[str] = field(default_factory=list)
    seed_names: list[str] = field(default_factory=list)
    description: str | None = None
    facts: list[Fact] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    confidence: list[Confidence] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    missing_components: list[str] = field(default_factory=list)  # roles a model has none of, by design
    derived_from: list[Derivation] = field(default_factory=list)
    trained_on: list[Value] = field(default_factory=list)
    evaluated_on: list[Value] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    used_by: list[Group] = field(default_factory=list)

    def fact(self, prop: str) -> tuple[Value, ...]:
        """The values of a property, by full IRI or prefixed name ('vlm:developedBy')."""
        full = _expand(prop)
        return next((f.values for f in self.facts if f.property == full), ())

    @property
    def sparql(self) -> str:
        """A query a reader can start from: the entity's description."""
        return f"DESCRIBE <{self.iri}>"


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else name


def resource_value(iri: str, label: str | None) -> Value:
    """A resource as a value: catalogue entities link to their page, web pages to themselves."""
    if iri.startswith(RESOURCE_NS):
        return Value(label or iri.rsplit("/", 1)[-1], iri, page_of(iri))
    if iri.startswith(("http://", "https://")) and not iri.startswith((ONTOLOGY_NS, *_VOCABULARIES)):
        return Value(label or iri, iri, iri)
    return Value(label or _local_name(iri), iri, None)


_VOCABULARIES = tuple(PREFIXES[name] for name in ("rdf", "rdfs", "owl", "xsd", "skos", "dct", "prov", "org"))


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def format_count(count: int) -> str:
    """7000000000 -> '7B', 304000000 -> '304M', 1500 -> '1.5K'."""
    for factor, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if count >= factor:
            return f"{count / factor:.3g}{suffix}"
    return str(count)


def _literal_value(prop: str, literal: Literal) -> Value:
    text = literal.value
    if prop == V + "parameterCount" and text.isdigit():
        return Value(format_count(int(text)))
    if prop == V + "openWeights":
        return Value("yes" if text == "true" else "no")
    if prop == V + "arxivId":
        return Value(text, None, f"https://arxiv.org/abs/{text}")
    if prop == V + "doi":
        return Value(text, None, f"https://doi.org/{text}")
    return Value(text)


def _field_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for name, prop in FIELD_PROPERTIES.items():
        if name != "id":  # rdfs:label is the "name" field
            names.setdefault(prop.value, name.replace("_", " "))
    return names


_FIELD_NAMES = _field_names()


def _rows(store: GraphStore, template: str, iri: NamedNode, **extra: str):
    text = template % {"data": DATA_GRAPH.value, "this": str(iri), **extra}
    return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)


def _sorted(values) -> tuple[Value, ...]:
    return tuple(sorted(set(values), key=lambda v: (v.text.casefold(), v.iri or "")))


def entity_view(store: GraphStore, iri: NamedNode, kind_labels: dict[str, str] | None = None) -> EntityView | None:
    """The page of `iri`, or None when the data graph says nothing about it."""
    out: dict[str, list] = defaultdict(list)
    labels_of: dict[str, str | None] = {}
    for row in _rows(store, _OUT_QUERY, iri):
        out[row["p"].value].append(row["o"])
        if isinstance(row["o"], NamedNode):
            labels_of[row["o"].value] = row["label"].value if row["label"] is not None else None
    if not out:
        return None
    kind_labels = kind_labels if kind_labels is not None else class_labels(store)
    classes = {term.value for term in out[_RDF + "type"]}
    kind = getattr(kind_of(classes), "name", "")
    if not kind and classes:
        kind = _local_name(sorted(classes)[0])
    local = iri.value.removeprefix(RESOURCE_NS)
    namespace, _, slug = local.partition("/")
    texts = lambda prop: sorted({term.value for term in out.get(prop, [])})  # noqa: E731
    label = (texts(_RDFS + "label") or [slug])[0]
    seed_names = texts(V + "seedListName")
    view = EntityView(
        iri=iri.value, page=page_of(iri.value), namespace=namespace, slug=slug, label=label, kind=kind,
        kind_label=kind_labels.get(kind, _term_label(store, kind) or kind),
        aliases=[a for a in texts(_SKOS + "altLabel") if a != label and a not in seed_names],
        seed_names=seed_names,
        description=(texts(_DCT + "description") or [None])[0],
        sources=texts(_DCT + "source"),
    )

    def values(prop: str) -> list[Value]:
        found = []
        for term in out.get(prop, []):
            if isinstance(term, NamedNode):
                found.append(resource_value(term.value, labels_of.get(term.value)))
            elif isinstance(term, Literal):
                found.append(_literal_value(prop, term))
        return found

    for prop, name in FACTS.items():
        if prop in out:
            found = values(prop)
            if prop == V + "parameterCount":  # by size, not alphabetically
                ordered = sorted(out[prop], key=lambda term: int(term.value) if term.value.isdigit() else 0)
                found = [_literal_value(prop, term) for term in ordered]
                view.facts.append(Fact(name, tuple(dict.fromkeys(found)), prop))
            else:
                view.facts.append(Fact(name, _sorted(found), prop))
    for prop in sorted(set(out) - set(FACTS) - _SECTIONED):  # anything else, under its ontology label
        view.facts.append(Fact(_term_label(store, prop) or _local_name(prop), _sorted(values(prop)), prop))

    notes = {(row["p"].value, row["o"].value): row["note"].value for row in _rows(store, _NOTES_QUERY, iri)}
    view.derived_from = _derivations(out, values, notes)
    parts = _parts(store, iri)
    for prop, role in COMPONENTS.items():
        for value in _sorted(values(prop)):
            developers, built_from = parts.get(value.iri, ((), ()))
            view.components.append(Component(role, value, developers, built_from))
    view.missing_components = [role for prop, role in NO_COMPONENT.items()
                               if any(term.value == "true" for term in out.get(prop, []))]
    view.trained_on = list(_sorted(values(V + "trainedOn")))
    view.evaluated_on = list(_sorted(values(V + "evaluatedOn")))
    view.corrections = [
        Correction(_FIELD_NAMES.get(row["property"].value, _local_name(row["property"].value)), row["claim"].value,
                   row["corrected"].value, row["source"].value)
        for row in _rows(store, _CORRECTIONS_QUERY, iri)
    ]
    view.confidence = [
        Confidence(_FIELD_NAMES.get(row["property"].value, _local_name(row["property"].value)), row["level"].value,
                   row["note"].value, row["source"].value if row["source"] is not None else None)
        for row in _rows(store, _CONFIDENCE_QUERY, iri)
    ]
    view.results = _results(store, iri)
    view.used_by = _inbound(store, iri)
    return view


def _derivations(out: dict[str, list], values, notes: dict[tuple[str, str], str]) -> list[Derivation]:
    """What the entity was made from, each target once, under its most specific relation."""
    seen: set[str] = set()
    found = []
    for prop, relation in DERIVATIONS.items():
        for value in _sorted(values(prop)):
            if value.iri in seen:
                continue
            seen.add(value.iri)
            found.append(Derivation(relation, value, notes.get((prop, value.iri or ""))))
    return found


def _parts(store: GraphStore, iri: NamedNode) -> dict[str, tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]]]:
    developers: dict[str, set[Value]] = defaultdict(set)
    built: dict[str, dict[str, tuple[str, Value]]] = defaultdict(dict)
    derivations = ", ".join(f"<{prop}>" for prop in DERIVATIONS)
    rows = sorted(_rows(store, _PARTS_QUERY, iri, derivations=derivations),
                  key=lambda row: list(DERIVATIONS).index(row["p"].value) if row["p"].value in DERIVATIONS else -1)
    for row in rows:
        part, prop, target = row["part"].value, row["p"].value, row["o"].value
        value = resource_value(target, row["label"].value)
        if prop == V + "developedBy":
            developers[part].add(value)
        else:
            built[part].setdefault(target, (DERIVATIONS[prop], value))  # the most specific relation wins
    return {part: (_sorted(developers.get(part, ())),
                   tuple(sorted(built.get(part, {}).values(), key=lambda pair: pair[1].text.casefold())))
            for part in set(developers) | set(built)}


_RESULT_FIELDS = (V + "evaluatedModel", V + "onBenchmark", V + "metric", V + "value", V + "unit",
                  V + "higherIsBetter", _DCT + "source")


def _results(store: GraphStore, iri: NamedNode) -> list[Result]:
    """The evaluation results of a model or on a benchmark, read by index lookups: as one SPARQL
    join, pyoxigraph starts from every result in the graph (16 s for a benchmark with 285 results
    on a 10,000-model graph); looked up from the entity, it costs what the results cost."""
    subjects = {quad.subject for prop in _RESULT_FIELDS[:2]
                for quad in store.quads_for_pattern(None, NamedNode(prop), iri, DATA_GRAPH)}
    results = []
    for subject in subjects:
        fields: dict[str, list] = defaultdict(list)
        for quad in store.quads_for_pattern(subject, None, None, DATA_GRAPH):
            fields[quad.predicate.value].append(quad.object)
        model_labels = {m.value: _label(store, m) for m in fields[V + "evaluatedModel"]}
        benchmark_labels = {b.value: _label(store, b) for b in fields[V + "onBenchmark"]}
        # Every combination of the values, and none when a required one is missing, as a join would give.
        for model, benchmark, metric, value, unit, higher, source, setting in product(
                *(fields[name] for name in _RESULT_FIELDS), fields[V + "evaluationSetting"] or [None]):
            if model_labels[model.value] is None or benchmark_labels[benchmark.value] is None:
                continue
            results.append(Result(resource_value(model.value, model_labels[model.value]),
                                  resource_value(benchmark.value, benchmark_labels[benchmark.value]), metric.value,
                                  value.value, unit.value, setting.value if setting is not None else None,
                                  higher.value == "true", source.value))
    return sorted(results, key=lambda r: (r.benchmark.text, r.model.text, r.metric, r.setting is not None,
                                          r.setting or "", r.value, r.source))


def _label(store: GraphStore, node) -> str | None:
    labels = sorted(quad.object.value for quad in store.quads_for_pattern(node, NamedNode(_RDFS + "label"), None,
                                                                         DATA_GRAPH))
    return labels[0] if labels else None


def _inbound(store: GraphStore, iri: NamedNode) -> list[Group]:
    by_property: dict[str, set[Value]] = defaultdict(set)
    specific: set[str] = set()  # subjects already listed under a narrower lineage relation
    for row in _rows(store, _IN_QUERY, iri):
        prop = row["p"].value
        if prop in _NOT_INBOUND or not isinstance(row["s"], NamedNode):
            continue
        value = resource_value(row["s"].value, row["label"].value if row["label"] is not None else None)
        by_property[prop].add(value)
        if prop in DERIVATIONS and prop != V + "derivedFrom":
            specific.add(value.iri or "")
    if V + "derivedFrom" in by_property:
        by_property[V + "derivedFrom"] = {v for v in by_property[V + "derivedFrom"] if v.iri not in specific}
    order = list(INBOUND)
    groups = []
    for prop in sorted(by_property, key=lambda p: (order.index(p) if p in order else len(order), p)):
        if by_property[prop]:
            heading = INBOUND.get(prop) or f"Linked from ({_term_label(store, prop) or _local_name(prop)})"
            groups.append(Group(heading, _sorted(by_property[prop]), prop))
    return groups


def _term_label(store: GraphStore, term: str) -> str | None:
    """The ontology's label of a class or property local name or IRI."""
    if not term:
        return None
    iri = term if ":" in term else ONTOLOGY_NS + term
    try:
        node = NamedNode(iri)
    except ValueError:
        return None
    for quad in store.quads_for_pattern(node, NamedNode(_RDFS + "label"), None, None):
        return quad.object.value
    return None

"""Records -> RDF triples. Pure and deterministic: no I/O, same records give the same set.

Super-properties and super-classes inside the vlm: vocabulary are written out
(a fine-tune is also vlm:derivedFrom, a Benchmark also a vlm:Dataset) so that plain
SPARQL without a reasoner sees them; alignments to external vocabularies stay in the ontology.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode, Triple

from .records import (
    Concept,
    Dataset,
    EvaluationResult,
    Family,
    Model,
    Organization,
    Paper,
    Record,
    VisionLanguageModel,
    parameter_count_value,
)
from .terms import FIELD_PROPERTIES, KINDS, RELATION_BY_RECORD_VALUE
from .vocab import DCT, ORG, RDF, RDFS, SCHEMA, SKOS, VLM, WIKIDATA, XSD, resource

# What the loader writes, from the vocabulary tables: every class of a kind, the property of a lineage value.
CLASSES: dict[type[BaseModel], tuple[NamedNode, ...]] = {
    kind.record: tuple(NamedNode(iri) for iri in kind.classes) for kind in KINDS
}
SEGMENTS: dict[type[BaseModel], str] = {kind.record: kind.segment for kind in KINDS}
LINEAGE_PROPERTIES: dict[str, NamedNode] = {
    value: NamedNode(relation.iri) for value, relation in RELATION_BY_RECORD_VALUE.items()
}

ARCHITECTURES: dict[str, NamedNode] = {
    "decoder-only": VLM.DecoderOnly,
    "encoder-decoder": VLM.EncoderDecoder,
    "dual-encoder": VLM.DualEncoder,
    "vision-transformer": VLM.VisionTransformer,
    "mixture-of-experts": VLM.MixtureOfExperts,
    "unified-autoregressive": VLM.UnifiedAutoregressive,
    "diffusion-hybrid": VLM.DiffusionHybrid,
    "segmentation": VLM.Segmentation,
}

CONFIDENCE_LEVELS: dict[str, NamedNode] = {"likely": VLM.Likely, "speculative": VLM.Speculative}

SCHEMES: dict[str, NamedNode] = {
    "research-directions": VLM.ResearchDirections,
    "ethical-challenges": VLM.EthicalChallenges,
    "applications": VLM.Applications,
    "task-categories": VLM.TaskCategories,
}

def date_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def _text(value: str) -> Literal:
    return Literal(value)


def _boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


def iri_of(record: BaseModel) -> NamedNode:
    return resource(SEGMENTS[type(record)], record.id)


def record_triples(record: BaseModel) -> Iterator[Triple]:
    """Every triple one record contributes."""
    subject = iri_of(record)
    for cls in CLASSES[type(record)]:
        yield Triple(subject, RDF.type, cls)
    if isinstance(record, EvaluationResult):
        yield from _result_triples(subject, record)
        return
    assert isinstance(record, Record)
    yield from _common_triples(subject, record)
    yield from _authorship_triples(subject, record)
    if isinstance(record, Model):
        yield from _model_triples(subject, record)
    if isinstance(record, VisionLanguageModel):
        yield from _component_triples(subject, record)
    if isinstance(record, Dataset):
        yield from _dataset_triples(subject, record)
    if isinstance(record, Organization):
        if record.parent:
            yield Triple(subject, ORG.subOrganizationOf, resource("organization", record.parent))
        if record.ror:
            yield Triple(subject, SKOS.exactMatch, NamedNode(f"https://ror.org/{record.ror}"))
        if record.country:
            yield Triple(subject, SCHEMA.addressCountry, _text(record.country))
    if isinstance(record, Family) and record.parent_family:
        yield Triple(subject, VLM.subFamilyOf, resource("family", record.parent_family))
    if isinstance(record, Paper):
        if record.arxiv:
            yield Triple(subject, VLM.arxivId, _text(record.arxiv))
        if record.doi:
            yield Triple(subject, VLM.doi, _text(record.doi))
        if record.published:
            yield Triple(subject, DCT.issued, date_literal(record.published))
        if record.venue:
            yield Triple(subject, VLM.venue, _text(record.venue))
    if isinstance(record, Concept):
        scheme = SCHEMES[record.scheme]
        yield Triple(subject, SKOS.prefLabel, _text(record.name))
        yield Triple(subject, SKOS.inScheme, scheme)
        if record.broader:
            yield Triple(subject, SKOS.broader, resource("concept", record.broader))
        else:
            yield Triple(scheme, SKOS.hasTopConcept, subject)


def _authorship_triples(subject: NamedNode, record: Record) -> Iterator[Triple]:
    """Fields several kinds share (who made it, when, where it is described, under which license)."""
    for org in getattr(record, "developers", ()):
        yield Triple(subject, VLM.developedBy, resource("organization", org))
    if getattr(record, "release_date", None):
        yield Triple(subject, VLM.releaseDate, date_literal(record.release_date))
    for paper in getattr(record, "papers", ()):
        yield Triple(subject, VLM.describedIn, resource("paper", paper))
    if getattr(record, "repository", None):
        yield Triple(subject, SCHEMA.codeRepository, NamedNode(record.repository))
    if getattr(record, "license", None):
        yield Triple(subject, VLM.license, _text(record.license))


def _common_triples(subject: NamedNode, record: Record) -> Iterator[Triple]:
    yield Triple(subject, RDFS.label, _text(record.name))
    for alias in [*record.aliases, *record.seed_names]:
        yield Triple(subject, SKOS.altLabel, _text(alias))
    for seed_name in record.seed_names:
        yield Triple(subject, VLM.seedListName, _text(seed_name))
    if record.description:
        yield Triple(subject, DCT.description, _text(record.description))
    if record.homepage:
        yield Triple(subject, SCHEMA.url, NamedNode(record.homepage))
    if record.wikidata:
        yield Triple(subject, SKOS.exactMatch, WIKIDATA[record.wikidata])
    for concept in record.subjects:
        yield Triple(subject, DCT.subject, resource("concept", concept))
    for url in record.sources:
        yield Triple(subject, DCT.source, NamedNode(url))
    for number, correction in enumerate(record.corrections, start=1):
        node = resource("correction", f"{SEGMENTS[type(record)]}.{record.id}.{number}")
        yield Triple(subject, VLM.correctsSeedClaim, node)
        yield Triple(node, RDF.type, VLM.SeedCorrection)
        yield Triple(node, RDFS.label, _text(f"Correction of the seed list on {record.name}: {correction.field}"))
        yield Triple(node, VLM.correctedProperty, FIELD_PROPERTIES.get(correction.field, RDFS.comment))
        yield Triple(node, VLM.seedClaim, _text(correction.seed_claim))
        yield Triple(node, VLM.correctedValue, _text(correction.corrected))
        yield Triple(node, DCT.source, NamedNode(correction.source))
    for confidence in record.confidence:
        # One node per hedged fact, like a correction: which property, how sure, and why.
        node = resource("confidence", f"{SEGMENTS[type(record)]}.{record.id}.{confidence.field}")
        yield Triple(subject, VLM.hasConfidenceNote, node)
        yield Triple(node, RDF.type, VLM.ConfidenceNote)
        yield Triple(node, RDFS.label, _text(f"{confidence.level.capitalize()}: {record.name}, {confidence.field}"))
        yield Triple(node, VLM.aboutProperty, FIELD_PROPERTIES.get(confidence.field, RDFS.comment))
        yield Triple(node, VLM.confidenceLevel, CONFIDENCE_LEVELS[confidence.level])
        yield Triple(node, RDFS.comment, _text(confidence.note))
        if confidence.source:
            yield Triple(node, DCT.source, NamedNode(confidence.source))


def _model_triples(subject: NamedNode, record: Model) -> Iterator[Triple]:
    for size in record.parameters:
        yield Triple(subject, VLM.parameterCount, Literal(str(parameter_count_value(size)), datatype=XSD.integer))
    if record.family:
        yield Triple(subject, VLM.memberOfFamily, resource("family", record.family))
    if record.model_card:
        yield Triple(subject, VLM.modelCard, NamedNode(record.model_card))
    for repo in record.huggingface:
        yield Triple(subject, VLM.huggingFaceRepository, _text(repo))
    if record.open_weights is not None:
        yield Triple(subject, VLM.openWeights, _boolean(record.open_weights))
    if record.architecture:
        yield Triple(subject, VLM.architecture, ARCHITECTURES[record.architecture])
    for number, link in enumerate(record.derived_from, start=1):
        target = resource("model", link.model)
        relation = LINEAGE_PROPERTIES[link.relation]
        yield Triple(subject, relation, target)
        yield Triple(subject, VLM.derivedFrom, target)
        if link.note:
            # A reified statement keeps the curator's note on why the edge exists.
            statement = resource("lineage", f"{record.id}.{number}")
            yield Triple(statement, RDF.type, RDF.Statement)
            yield Triple(statement, RDF.subject, subject)
            yield Triple(statement, RDF.predicate, relation)
            yield Triple(statement, RDF.object, target)
            yield Triple(statement, RDFS.comment, _text(link.note))
    for dataset in record.trained_on:
        yield Triple(subject, VLM.trainedOn, resource("dataset", dataset))
    for dataset in record.evaluated_on:
        yield Triple(subject, VLM.evaluatedOn, resource("dataset", dataset))


def _component_triples(subject: NamedNode, record: VisionLanguageModel) -> Iterator[Triple]:
    for field, has, none in (
        ("language_backbones", VLM.hasLanguageBackbone, VLM.noLanguageBackbone),
        ("vision_encoders", VLM.hasVisionEncoder, VLM.noVisionEncoder),
    ):
        value = getattr(record, field)
        if value == "none":
            yield Triple(subject, none, _boolean(True))
            continue
        for ref in value:
            yield Triple(subject, has, resource("model", ref))
            yield Triple(subject, VLM.hasComponent, resource("model", ref))


def _dataset_triples(subject: NamedNode, record: Dataset) -> Iterator[Triple]:
    if record.size:
        yield Triple(subject, VLM.datasetSize, _text(record.size))
    for parent in record.derived_from:
        yield Triple(subject, NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), resource("dataset", parent))


def _result_triples(subject: NamedNode, result: EvaluationResult) -> Iterator[Triple]:
    model = resource("model", result.model)
    benchmark = resource("dataset", result.benchmark)
    yield Triple(subject, RDFS.label, _text(result.name))
    yield Triple(subject, VLM.evaluatedModel, model)
    yield Triple(subject, VLM.onBenchmark, benchmark)
    yield Triple(subject, VLM.metric, _text(result.metric))
    yield Triple(subject, VLM.value, Literal(format(result.value, "f"), datatype=XSD.decimal))
    yield Triple(subject, VLM.unit, _text(result.unit))
    yield Triple(subject, VLM.higherIsBetter, _boolean(result.higher_is_better))
    if result.setting:
        yield Triple(subject, VLM.evaluationSetting, _text(result.setting))
    yield Triple(subject, DCT.source, NamedNode(result.source))
    yield Triple(model, VLM.evaluatedOn, benchmark)


def catalog_triples(records: Iterable[BaseModel]) -> set[Triple]:
    """The data graph of a catalogue, as a set (duplicates from several records collapse)."""
    return {triple for record in records for triple in record_triples(record)}

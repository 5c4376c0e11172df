"""The vocabulary tables agree with the record models and with the ontology."""

from __future__ import annotations

import typing

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from vlmgraph import records
from vlmgraph.formats import FORMATS, find, formats
from vlmgraph.store import ontology_path
from vlmgraph.terms import KINDS, RELATIONS, RELATION_BY_NAME, SEGMENTS, kind_of
from vlmgraph.vocab import ONTOLOGY_NS

ONTOLOGY = rdflib.Graph().parse(ontology_path(), format="turtle")


def _record_classes() -> set[type]:
    found, todo = set(), [records.Record, records.EvaluationResult]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found - {records.Record, records.Model}


def test_every_record_class_has_one_kind_row():
    assert sorted(k.record.__name__ for k in KINDS) == sorted(c.__name__ for c in _record_classes())
    assert len({k.folder for k in KINDS}) == len(KINDS)


def test_lineage_values_of_records_are_the_relation_rows():
    literal = typing.get_args(records.LineageRelation)
    assert set(literal) == {r.record_value for r in RELATIONS if r.record_value}


def test_relation_fields_exist_on_records():
    fields = {name for cls in _record_classes() for name in cls.model_fields}
    assert {r.field for r in RELATIONS} <= fields


def test_kind_classes_are_owl_classes_of_the_ontology():
    for kind in KINDS:
        for iri in kind.classes:
            if iri.startswith(ONTOLOGY_NS):
                assert (rdflib.URIRef(iri), RDF.type, OWL.Class) in ONTOLOGY, iri
    # every class a record can be is in the table, most specific first
    for kind in KINDS:
        assert kind_of(set(kind.classes)) is kind


def test_relations_are_object_properties_and_derivations_narrow_derived_from():
    derived_from = rdflib.URIRef(RELATION_BY_NAME["derivedFrom"].iri)
    for relation in RELATIONS:
        if relation.iri.startswith(ONTOLOGY_NS):
            assert (rdflib.URIRef(relation.iri), RDF.type, OWL.ObjectProperty) in ONTOLOGY, relation.name
        if relation.group == "derivation" and relation.name != "derivedFrom":
            assert (rdflib.URIRef(relation.iri), RDFS.subPropertyOf, derived_from) in ONTOLOGY, relation.name


def test_every_lineage_property_of_the_ontology_has_a_row():
    derived_from = rdflib.URIRef(RELATION_BY_NAME["derivedFrom"].iri)
    narrower = {str(s) for s in ONTOLOGY.subjects(RDFS.subPropertyOf, derived_from)}
    assert narrower <= {r.iri for r in RELATIONS}


def test_names_resolve_models_before_families():
    assert SEGMENTS[0] == "model" and SEGMENTS.index("dataset") < SEGMENTS.index("family")


def test_format_names_are_unique_within_a_kind_and_media_types_are_served_once():
    for kind in ("graph", "results"):
        names = [name for f in formats(kind) for name in f.names]
        assert len(names) == len(set(names)), kind
        types = [t for f in formats(kind) for t in f.media_types]
        assert len(types) == len(set(types)), kind
    assert find("turtle", "graph") is find("ttl", "graph")
    assert find("xml", "graph").title == "RDF/XML" and find("xml", "results").title == "SPARQL XML"
    assert all(f.w3c for f in FORMATS)

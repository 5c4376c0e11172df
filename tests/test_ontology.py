"""The ontology: the contract terms exist, are documented, aligned, and consistent under HermiT."""

from __future__ import annotations

import rdflib
from rdflib import OWL, RDF, RDFS

from vlmgraph.store import ontology_path
from vlmgraph.validate import check_owl_consistency

VLM = rdflib.Namespace("https://w3id.org/vlmgraph/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")

CLASSES = ["Model", "VisionLanguageModel", "LanguageModel", "VisionEncoder", "Dataset", "Benchmark",
           "Organization", "Paper", "EvaluationResult", "Tool", "SeedCorrection"]
OBJECT_PROPERTIES = ["hasComponent", "hasLanguageBackbone", "hasVisionEncoder", "derivedFrom", "fineTunedFrom",
                     "trainedOn", "evaluatedOn", "developedBy", "describedIn", "correctsSeedClaim", "architecture"]
DATATYPE_PROPERTIES = ["releaseDate", "parameterCount", "license", "openWeights"]


def ontology():
    return rdflib.Graph().parse(ontology_path(), format="turtle")


def test_core_terms_are_declared():
    g = ontology()
    for name in CLASSES:
        assert (VLM[name], RDF.type, OWL.Class) in g, name
    for name in OBJECT_PROPERTIES:
        assert (VLM[name], RDF.type, OWL.ObjectProperty) in g, name
    for name in DATATYPE_PROPERTIES:
        assert (VLM[name], RDF.type, OWL.DatatypeProperty) in g, name
    assert (VLM.VisionLanguageModel, RDFS.subClassOf, VLM.Model) in g
    assert (VLM.Benchmark, RDFS.subClassOf, VLM.Dataset) in g


def test_every_vlm_term_has_label_and_comment():
    g = ontology()
    terms = {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(VLM))}
    assert len(terms) > 50
    missing = sorted(str(t) for t in terms if g.value(t, RDFS.label) is None or g.value(t, RDFS.comment) is None)
    assert missing == []


def test_lineage_and_component_edges_are_prov_derivations():
    g = ontology()
    closure = set(g.transitive_subjects(RDFS.subPropertyOf, PROV.wasDerivedFrom))
    for name in ["hasComponent", "hasLanguageBackbone", "hasVisionEncoder", "derivedFrom", "fineTunedFrom",
                 "successorOf", "distilledFrom", "initializedFrom", "trainedOn"]:
        assert VLM[name] in closure, name


def test_hermit_finds_the_ontology_consistent():
    assert check_owl_consistency(ontology(), "ontology") == []


def test_hermit_catches_a_contradiction():
    g = ontology()
    thing = rdflib.URIRef("https://w3id.org/vlmgraph/resource/model/x")
    g.add((thing, RDF.type, VLM.Dataset))
    g.add((thing, RDF.type, VLM.VisionEncoder))  # datasets and models are disjoint
    [problem] = check_owl_consistency(g, "ontology")
    assert "inconsistent" in problem.message

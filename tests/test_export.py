"""Export: every format parses back to the same graph; files are written whole or not at all."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from vlmgraph.cli import app
from vlmgraph.export import export_bytes
from vlmgraph.formats import find, formats
from vlmgraph.store import build, open_store

from .conftest import write_small_records

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig", "nq": "nquads"}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    build(write_small_records(root / "data"), root / "build")
    return open_store(root / "build")


def _graph(content: bytes, fmt: str) -> rdflib.Graph:
    if fmt in ("trig", "nq"):
        dataset = rdflib.Dataset()
        dataset.parse(data=content, format=RDFLIB_FORMAT[fmt])
        merged = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            merged.add((s, p, o))
        return merged
    return rdflib.Graph().parse(data=content, format=RDFLIB_FORMAT[fmt])


NT = find("nt", "graph")


@pytest.mark.parametrize("fmt", sorted(f.name for f in formats("graph")))
def test_every_format_round_trips(small_store, fmt):
    reference = _graph(export_bytes(small_store, NT), "nt")
    assert len(reference) > 300
    assert isomorphic(_graph(export_bytes(small_store, find(fmt, "graph")), fmt), reference)


def test_data_only_leaves_the_ontology_out(small_store):
    data = _graph(export_bytes(small_store, NT, data_only=True), "nt")
    everything = _graph(export_bytes(small_store, NT), "nt")
    vlm_model = rdflib.URIRef("https://w3id.org/vlmgraph/ontology#Model")
    assert (vlm_model, rdflib.RDF.type, rdflib.OWL.Class) in everything
    assert (vlm_model, rdflib.RDF.type, rdflib.OWL.Class) not in data
    assert 0 < len(data) < len(everything)


def test_cli_turtle_export_parses_and_holds_the_core_terms(runner, small_data, tmp_path):
    result = runner.invoke(app, ["export", "--format", "turtle", "--data", str(small_data),
                                 "--store", str(tmp_path / "build")])
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    text = result.stdout
    for term in ["vlm:VisionLanguageModel", "vlm:hasLanguageBackbone", "vlm:hasVisionEncoder",
                 "vlm:derivedFrom", "vlm:trainedOn", "vlm:developedBy", "vlm:correctsSeedClaim"]:
        assert term in text
    llava = rdflib.URIRef("https://w3id.org/vlmgraph/resource/model/llava-1.5")
    assert str(graph.value(llava, rdflib.RDFS.label)) == "LLaVA-1.5"


def test_cli_export_to_file_and_bad_format(runner, small_data, tmp_path):
    target = tmp_path / "graph.ttl"
    args = ["--data", str(small_data), "--store", str(tmp_path / "build")]
    assert runner.invoke(app, ["export", "-o", str(target), *args]).exit_code == 0
    assert len(rdflib.Graph().parse(target)) > 300
    result = runner.invoke(app, ["export", "--format", "yaml", "-o", str(tmp_path / "x.yaml"), *args])
    assert result.exit_code == 1 and "unknown format 'yaml'" in result.output
    assert not (tmp_path / "x.yaml").exists()

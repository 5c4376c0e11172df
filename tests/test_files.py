"""Files other tools open: the ontology for owlready2 and Protégé, compact JSON-LD, Turtle with the
resource prefixes, the lineage network for Gephi, Cytoscape and networkx, and the usual permissions."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from vlmgraph.cli import app
from vlmgraph.export import export_bytes
from vlmgraph.store import build, open_store
from vlmgraph.vocab import RESOURCE_NS

from .conftest import DATA, ROOT, write_small_records

OWL_FILE = ROOT / "ontology" / "vlmgraph.owl"
LLAVA = RESOURCE_NS + "model/llava-1.5"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("files")
    data = write_small_records(root / "data")
    build(data, root / "build")
    return data, root / "build", open_store(root / "build")


def test_the_shipped_owl_file_is_generated_from_the_turtle(small):
    *_, store = small
    assert OWL_FILE.read_bytes() == export_bytes(store, "xml", ontology_only=True), (
        "ontology/vlmgraph.owl is stale: vlmgraph export -f xml --ontology-only -o ontology/vlmgraph.owl")
    turtle = rdflib.Graph().parse(ROOT / "ontology" / "vlmgraph.ttl", format="turtle")
    assert isomorphic(rdflib.Graph().parse(OWL_FILE, format="xml"), turtle)


def test_owlready2_loads_the_owl_file_with_the_core_classes():
    import owlready2

    world = owlready2.World()  # not the default world, which other tests may fill
    ontology = world.get_ontology(str(OWL_FILE)).load()
    assert ontology.base_iri == "https://w3id.org/vlmgraph/ontology#"
    classes = {cls.name for cls in ontology.classes()}
    assert {"Model", "VisionLanguageModel", "LanguageModel", "VisionEncoder", "Dataset", "Benchmark",
            "ModelFamily", "Organization", "Paper", "EvaluationResult"} <= classes
    assert ontology.VisionLanguageModel in ontology.VisionLanguageModel.ancestors()
    assert ontology.Model in ontology.VisionLanguageModel.ancestors()
    assert "fineTunedFrom" in {prop.name for prop in ontology.object_properties()}


def test_json_ld_export_is_compact_under_a_context_of_the_prefixes(small):
    *_, store = small
    document = json.loads(export_bytes(store, "jsonld"))
    assert document["@context"]["model"] == RESOURCE_NS + "model/"
    assert document["@context"]["vlm"] == "https://w3id.org/vlmgraph/ontology#"
    llava = next(node for node in document["@graph"] if node["@id"] == "model:llava-1.5")
    assert llava["rdfs:label"] == [{"@value": "LLaVA-1.5"}]
    assert {"@id": "model:vicuna-v1.5"} in llava["vlm:hasLanguageBackbone"]
    assert not [key for node in document["@graph"] for key in node if key.startswith("http")]
    reference = rdflib.Graph().parse(data=export_bytes(store, "nt"), format="nt")
    assert isomorphic(rdflib.Graph().parse(data=json.dumps(document), format="json-ld"), reference)


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("trig", "trig")])
def test_turtle_exports_declare_the_resource_prefixes_they_use(small, fmt, rdflib_format):
    *_, store = small
    text = export_bytes(store, fmt).decode()
    for segment in ("model", "organization", "paper"):
        assert f"@prefix {segment}: <{RESOURCE_NS}{segment}/> ." in text
    assert "model:llava-1.5 " in text and "<https://w3id.org/vlmgraph/resource/model/llava-1.5>" not in text
    parsed = rdflib.Dataset().parse(data=text, format=rdflib_format)
    label = (rdflib.URIRef(LLAVA), rdflib.RDFS.label, rdflib.Literal("LLaVA-1.5"), None)
    assert len(list(parsed.quads(label))) == 1


def test_graphml_export_reads_back_in_networkx_with_the_typed_lineage(runner, tmp_path):
    target = tmp_path / "lineage.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "-o", str(target), "--data", str(DATA),
                                 "--store", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(target, force_multigraph=True)
    by_label = {facts["label"]: iri for iri, facts in graph.nodes(data=True)}
    llava, vicuna, llama = by_label["LLaVA-1.5"], by_label["Vicuna v1.5"], by_label["Llama 2"]
    assert {data["relation"] for data in graph.get_edge_data(llava, vicuna).values()} == {"hasLanguageBackbone"}
    assert {data["relation"] for data in graph.get_edge_data(vicuna, llama).values()} == {"fineTunedFrom"}
    assert nx.has_path(graph, llava, llama)
    facts = graph.nodes[llava]
    assert (facts["kind"], facts["name"], facts["release_date"]) == ("VisionLanguageModel", "model:llava-1.5",
                                                                     "2023-10")
    assert graph.nodes[llama]["kind"] == "LanguageModel" and graph.nodes[llama]["parameters"] == 70_000_000_000


def test_csv_node_and_edge_lists_hold_the_same_network(runner, tmp_path):
    args = ["--data", str(DATA), "--store", str(tmp_path / "build")]
    nodes = runner.invoke(app, ["export", "-f", "csv-nodes", *args])
    edges = runner.invoke(app, ["export", "-f", "csv-edges", *args])
    assert nodes.exit_code == 0 and edges.exit_code == 0
    node_rows = list(csv.DictReader(io.StringIO(nodes.stdout)))
    edge_rows = list(csv.DictReader(io.StringIO(edges.stdout)))
    label = {row["id"]: row["label"] for row in node_rows}
    assert {"source": LLAVA, "target": RESOURCE_NS + "model/vicuna-v1.5", "relation": "hasLanguageBackbone",
            "group": "component"} in edge_rows
    assert all(row["source"] in label and row["target"] in label for row in edge_rows)
    assert next(row for row in node_rows if row["id"] == LLAVA)["kind"] == "VisionLanguageModel"


def test_network_formats_refuse_rdf_only_options(runner, tmp_path):
    result = runner.invoke(app, ["export", "-f", "graphml", "--data-only", "--data", str(DATA),
                                 "--store", str(tmp_path / "build")])
    assert result.exit_code == 1 and result.stderr.startswith("error: graphml holds the lineage graph")


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_get_the_usual_permissions(runner, small, tmp_path, umask_022):
    data, store, _ = small
    args = ["--data", str(data), "--store", str(store)]
    outputs = {
        "export": (["export", "-f", "ttl", "-o", str(tmp_path / "graph.ttl"), *args], tmp_path / "graph.ttl"),
        "graphml": (["export", "-f", "graphml", "-o", str(tmp_path / "g.graphml"), *args], tmp_path / "g.graphml"),
        "viz lineage": (["viz", "lineage", "LLaVA-1.5", "-o", str(tmp_path / "l.html"), *args], tmp_path / "l.html"),
        "viz overview": (["viz", "overview", "-o", str(tmp_path / "o.html"), *args], tmp_path / "o.html"),
    }
    for what, (argv, target) in outputs.items():
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, (what, result.output)
        assert _mode(target) == 0o644, what
    messy = data / "organizations" / "openai.yaml"
    messy.write_text("name: OpenAI\nid: openai\nsources:\n  - https://openai.com/\n", encoding="utf-8")
    os.chmod(messy, 0o644)
    assert runner.invoke(app, ["lint", "--fix", "--data", str(data)]).exit_code == 0
    assert messy.read_text(encoding="utf-8").startswith("id: openai") and _mode(messy) == 0o644


def test_entity_pages_serve_rdf_as_exports_write_it(live_app):
    import httpx

    page = httpx.get(f"{live_app}/resource/model/llava-1.5", params={"format": "jsonld"})
    document = page.json()
    assert page.status_code == 200 and document["@context"]["model"] == RESOURCE_NS + "model/"
    assert any(node["@id"] == "model:llava-1.5" for node in document["@graph"])
    turtle = httpx.get(f"{live_app}/resource/model/llava-1.5", headers={"Accept": "text/turtle"}).text
    assert f"@prefix model: <{RESOURCE_NS}model/> ." in turtle and "model:llava-1.5 " in turtle

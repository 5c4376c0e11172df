"""The store: deterministic, reused while inputs are unchanged, replaced atomically."""

from __future__ import annotations

import json

import pytest

from vlmgraph import store as store_module
from vlmgraph.catalog import read_catalog
from vlmgraph.export import export_bytes
from vlmgraph.loader import catalog_triples
from vlmgraph.rdf import sorted_ntriples
from vlmgraph.store import build, open_store


def test_loader_is_deterministic_and_idempotent(small_data):
    records = [item.record for item in read_catalog(small_data).records]
    first = sorted_ntriples(catalog_triples(records))
    again = sorted_ntriples(catalog_triples(list(reversed(records)) + records))  # order and repeats
    assert first == again
    assert b"<https://w3id.org/vlmgraph/resource/model/vicuna-v1.5> " \
           b"<https://w3id.org/vlmgraph/ontology#fineTunedFrom> " \
           b"<https://w3id.org/vlmgraph/resource/model/llama-2> ." in first


def test_two_builds_export_identical_ntriples(small_data, tmp_path):
    build(small_data, tmp_path / "a")
    build(small_data, tmp_path / "b")
    a = export_bytes(open_store(tmp_path / "a"), "nt")
    b = export_bytes(open_store(tmp_path / "b"), "nt")
    assert a == b and a.count(b"\n") > 100


def test_unchanged_inputs_reuse_the_store(small_data, tmp_path):
    first = build(small_data, tmp_path / "build")
    second = build(small_data, tmp_path / "build")
    assert not first.reused and second.reused
    assert second.fingerprint == first.fingerprint


def test_changed_record_triggers_a_rebuild(small_data, tmp_path):
    build(small_data, tmp_path / "build")
    path = small_data / "organizations/lmsys.yaml"
    path.write_text(path.read_text().replace("name: LMSYS", "name: LMSYS Org"))
    info = build(small_data, tmp_path / "build")
    assert not info.reused
    labels = {s["l"].value for s in open_store(tmp_path / "build").query(
        "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/vlmgraph/resource/organization/lmsys> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }")}
    assert labels == {"LMSYS Org"}


def test_interrupted_build_leaves_the_previous_store(small_data, tmp_path, monkeypatch):
    folder = tmp_path / "build"
    build(small_data, folder)
    before = json.loads((folder / "build.json").read_text())
    path = small_data / "organizations/lmsys.yaml"
    path.write_text(path.read_text().replace("name: LMSYS", "name: Changed"))

    def crash(staging, target):
        raise OSError("disk full")

    monkeypatch.setattr(store_module, "_swap_in", crash)
    with pytest.raises(OSError):
        build(small_data, folder)
    assert json.loads((folder / "build.json").read_text()) == before
    assert len(list(open_store(folder).query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"))) == before["triples"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_triples_written_in_many_batches_while_reading_give_the_same_store(small_data, tmp_path, monkeypatch):
    build(small_data, tmp_path / "one")
    monkeypatch.setattr(store_module, "LOAD_BATCH", 5)  # about ten loads, each on the writer's thread
    build(small_data, tmp_path / "many")
    assert export_bytes(open_store(tmp_path / "one"), "nt") == export_bytes(open_store(tmp_path / "many"), "nt")


def test_a_broken_record_read_after_triples_were_written_keeps_the_previous_store(small_data, tmp_path, monkeypatch):
    from vlmgraph.problems import ProblemsFound

    folder = tmp_path / "build"
    build(small_data, folder)
    before = (folder / "build.json").read_text()
    monkeypatch.setattr(store_module, "LOAD_BATCH", 5)
    last = sorted((small_data / "organizations").glob("*.yaml"))[-1]  # read after every model file
    last.write_text(last.read_text() + "headquarters: [\n")
    with pytest.raises(ProblemsFound, match="YAML syntax error"):
        build(small_data, folder)
    assert (folder / "build.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failing_load_on_the_writer_thread_stops_the_build(small_data, tmp_path, monkeypatch):
    loads = []

    def failing(store, text):
        loads.append(len(text))
        if len(loads) == 3:
            raise OSError("no space left on device")

    monkeypatch.setattr(store_module, "LOAD_BATCH", 5)
    monkeypatch.setattr(store_module, "_bulk_load", failing)
    with pytest.raises(OSError, match="no space left"):
        build(small_data, tmp_path / "build")
    assert len(loads) == 3 and not (tmp_path / "build").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_open_store_without_build_is_a_clear_error(tmp_path):
    from vlmgraph.problems import ProblemsFound

    with pytest.raises(ProblemsFound, match="run `vlmgraph build` first"):
        open_store(tmp_path / "nothing")


def test_load_gives_an_rdflib_graph_a_notebook_can_query(small_data):
    import vlmgraph

    graph = vlmgraph.load(small_data)
    rows = graph.query(
        "PREFIX vlm: <https://w3id.org/vlmgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?label WHERE { ?m vlm:hasLanguageBackbone/vlm:fineTunedFrom ?base . ?base rdfs:label ?label }"
    )
    assert [str(row.label) for row in rows] == ["Llama 2"]

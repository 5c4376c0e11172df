"""The lineage projection and its questions, asked of the real catalogue."""

from __future__ import annotations

import pytest

from vlmgraph.lineage import (
    LINEAGE_RELATIONS,
    RELATIONS,
    NoPath,
    UnknownName,
    ancestors,
    components,
    descendants,
    lineage_graph,
    local_lineage_graph,
    neighbourhood,
    path,
    resolve,
    shared_components,
    upstream_datasets,
)

RES = "https://w3id.org/vlmgraph/resource/"
LLAVA = RES + "model/llava-1.5"


@pytest.fixture(scope="module")
def graph(store):
    return lineage_graph(store)


def labels(graph, iris):
    return [graph.nodes[iri]["label"] for iri in iris]


def test_nodes_are_typed_with_key_facts(graph):
    llava = graph.nodes[LLAVA]
    assert llava["kind"] == "VisionLanguageModel"
    assert llava["label"] == "LLaVA-1.5"
    assert llava["release_date"] == "2023-10"
    assert llava["parameters"] == 13_000_000_000  # the largest of 7B and 13B
    assert "Microsoft Research" in llava["developers"]
    assert llava["source"].startswith("https://")
    assert llava["page"] == "/resource/model/llava-1.5"
    assert graph.nodes[RES + "model/vicuna-v1.5"]["kind"] == "LanguageModel"
    assert graph.nodes[RES + "model/clip-vit-l-14-336"]["kind"] == "VisionEncoder"
    assert graph.nodes[RES + "dataset/coco"]["kind"] == "Dataset"
    assert graph.nodes[RES + "organization/openai"]["kind"] == "Organization"
    assert {kind for _, kind in graph.nodes(data="kind")} >= {"Benchmark", "ModelFamily"}


def test_edges_carry_the_most_specific_relation(graph):
    assert set(graph[RES + "model/vicuna-v1.5"][RES + "model/llama-2"]) == {"fineTunedFrom"}
    assert set(graph[LLAVA][RES + "model/llava"]) == {"successorOf"}
    assert "hasVisionEncoder" in graph[LLAVA][RES + "model/clip-vit-l-14-336"]
    assert "trainedOn" in graph[LLAVA][RES + "dataset/coco"]
    assert "developedBy" in graph[RES + "model/llama-2"][RES + "organization/meta-ai"]
    assert all(data["relation"] == key for _, _, key, data in graph.edges(keys=True, data=True))


def test_the_projection_is_deterministic(store, graph):
    again = lineage_graph(store)
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True)) == list(graph.edges(keys=True))


def test_ancestors_of_llava_1_5(graph):
    found = labels(graph, ancestors(graph, "LLaVA-1.5"))
    assert {"Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px", "LLaVA"} <= set(found)
    assert "COCO" not in found and "Meta AI" not in found  # data and developers are not ancestors
    assert ancestors(graph, "llava 1.5") == ancestors(graph, LLAVA) == ancestors(graph, "res:model/llava-1.5")


def test_descendants_of_llama_2(graph):
    assert {"Vicuna v1.5", "LLaVA-1.5"} <= set(labels(graph, descendants(graph, "Llama 2")))


def test_components_tree_of_llava_1_5(graph):
    tree = components(graph, "LLaVA-1.5")
    assert tree.label == "LLaVA-1.5" and tree.relation is None
    parts = {child.label: child for child in tree.children}
    assert parts["Vicuna v1.5"].relation == "hasLanguageBackbone"
    assert parts["CLIP ViT-L/14@336px"].relation == "hasVisionEncoder"
    assert [(c.label, c.relation) for c in parts["Vicuna v1.5"].children] == [("Llama 2", "fineTunedFrom")]
    assert "LLaVA" not in parts  # a predecessor is not a part
    assert str(tree).splitlines()[0] == "LLaVA-1.5"
    assert "  Vicuna v1.5 (hasLanguageBackbone)" in str(tree).splitlines()


def test_upstream_datasets_of_llava_1_5(graph):
    found = set(labels(graph, upstream_datasets(graph, "LLaVA-1.5")))
    assert {"COCO", "LLaVA-Instruct-150K"} <= found


def test_shared_components_of_llava_1_5_and_molmo(graph):
    assert "CLIP ViT-L/14@336px" in labels(graph, shared_components(graph, "LLaVA-1.5", "Molmo-7B-D"))


def test_path_from_llava_1_5_to_llama_2_goes_through_vicuna(graph):
    steps = path(graph, "LLaVA-1.5", "Llama 2")
    assert [(graph.nodes[s.source]["label"], s.relation, graph.nodes[s.target]["label"]) for s in steps] == [
        ("LLaVA-1.5", "hasLanguageBackbone", "Vicuna v1.5"),
        ("Vicuna v1.5", "fineTunedFrom", "Llama 2"),
    ]
    assert [s.relation for s in path(graph, "Llama 2", "LLaVA-1.5")] == ["fineTunedFrom", "hasLanguageBackbone"]


def test_path_between_unconnected_entities(graph):
    graph = graph.copy()
    graph.add_node(RES + "model/isolated", kind="VisionLanguageModel", label="Isolated")
    with pytest.raises(NoPath):
        path(graph, "LLaVA-1.5", RES + "model/isolated")


def test_unknown_name_suggests_close_matches(graph):
    with pytest.raises(UnknownName, match="did you mean LLaVA-1.5"):
        ancestors(graph, "LLaVA-1.55")


def test_an_entity_outside_the_graph_is_named(graph):
    with pytest.raises(UnknownName, match="not part of the lineage graph"):
        resolve(graph, "arxiv-2310.03744")  # a paper


def test_neighbourhood_up_and_down(graph):
    up = neighbourhood(graph, "LLaVA-1.5", depth=2, direction="up")
    assert {"Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px", "LMSYS", "Meta AI", "OpenAI"} <= set(labels(graph, up))
    assert "Video-LLaVA" not in labels(graph, up)
    down = neighbourhood(graph, "Llama 2", depth=2, direction="down")
    assert {"Vicuna v1.5", "LLaVA-1.5"} <= set(labels(graph, down))
    both = neighbourhood(graph, "Vicuna v1.5", depth=1, direction="both")
    assert {"Llama 2", "LLaVA-1.5"} <= set(labels(graph, both))
    assert set(neighbourhood(graph, "LLaVA-1.5", depth=0, developers=False)) == {LLAVA}
    with pytest.raises(ValueError, match="direction"):
        neighbourhood(graph, "LLaVA-1.5", direction="sideways")


@pytest.mark.parametrize("up, down, relations", [
    (2, 1, LINEAGE_RELATIONS | {"memberOfFamily"}),  # a model's page
    (3, 3, RELATIONS - {"developedBy", "evaluatedOn"}),  # a lineage page, both directions
    (1, 1, {"wasDerivedFrom", "trainedOn", "evaluatedOn"}),  # a benchmark's page
    (0, 1, {"developedBy"}),  # an organization's page
])
def test_the_local_projection_draws_what_the_whole_graph_draws_for_every_entity(store, graph, up, down, relations):
    """Pages project only an entity's surroundings; for every entity of the catalogue, what they
    draw from it must be what the whole graph gives: same nodes, facts and edges."""
    for iri in graph:
        local = local_lineage_graph(store, iri, up, down, relations, names=graph.graph["names"])
        for direction, depth in (("up", up), ("down", down)):
            for developers in (True, False):
                whole = neighbourhood(graph, iri, depth, direction, relations=relations, developers=developers)
                near = neighbourhood(local, iri, depth, direction, relations=relations, developers=developers)
                assert sorted(near.nodes(data=True)) == sorted(whole.nodes(data=True)), (iri, direction)
                assert sorted(near.edges(keys=True, data=True)) == sorted(whole.edges(keys=True, data=True)), iri


def test_the_local_layered_projection_draws_what_the_whole_graph_draws_for_every_model(store, graph):
    """A lineage page reads only the model's surroundings (local_layered_graph); its view must be the
    one the whole graph gives, in each direction."""
    from vlmgraph.lineage import MODEL_KINDS, layered_neighbourhood, local_layered_graph

    for iri in (iri for iri, kind in graph.nodes(data="kind") if kind in MODEL_KINDS):
        for direction, up, down in (("up", 3, 0), ("down", 0, 3), ("both", 3, 3)):
            local = local_layered_graph(store, iri, up, down, names=graph.graph["names"])
            whole = layered_neighbourhood(graph, iri, 3, direction)
            near = layered_neighbourhood(local, iri, 3, direction)
            assert sorted(near.nodes(data=True)) == sorted(whole.nodes(data=True)), (iri, direction)
            assert sorted(near.edges(keys=True)) == sorted(whole.edges(keys=True)), (iri, direction)


def test_the_layered_view_holds_the_lineage_and_one_step_of_context(graph):
    from vlmgraph.lineage import layered_neighbourhood

    sub = layered_neighbourhood(graph, "LLaVA-1.5")
    names = {sub.nodes[iri]["label"]: sub.nodes[iri]["kind"] for iri in sub}
    assert {"Vicuna v1.5", "Llama 2", "LLaVA", "Vicuna v0", "LLaMA", "CLIP"} <= set(names)
    assert names["Meta AI"] == "Organization" and names["Llama"] == "ModelFamily"
    assert any(kind == "Dataset" for kind in names.values()) and any(kind == "Benchmark" for kind in names.values())
    # context hangs off the lineage only: no organization's other models, no dataset's other users
    models = {iri for iri in sub if sub.nodes[iri]["kind"] in {"VisionLanguageModel", "LanguageModel", "VisionEncoder"}}
    assert models == {LLAVA} | set(ancestors(graph, "LLaVA-1.5"))

"""A typed networkx projection of the store, and the lineage questions a notebook asks of it.

``lineage_graph(store)`` reads the store once (two SPARQL SELECTs) into a ``MultiDiGraph``:

* nodes are entity IRIs, with ``kind`` (the most specific class: VisionLanguageModel,
  LanguageModel, VisionEncoder, Benchmark, Dataset, Organization, ModelFamily), ``label``,
  ``release_date``, ``parameters`` (the largest released size), ``developers`` (labels),
  ``source`` (the first source URL) and ``page`` (``/resource/{kind}/{slug}``);
* edges point the way the RDF does — from a model to what it is built from — and carry
  ``relation``, the local name of the most specific property (``fineTunedFrom``, not also
  ``derivedFrom``); the relation is also the edge key, so one pair can hold several relations.

Every function below takes a model by label, alias, id or IRI, as the CLI does.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Literal, NamedTuple

import networkx as nx
from pyoxigraph import NamedNode

from .execution import execute
from .graph_store import GraphStore
from .names import NameIndex, UnknownName
from .terms import DATASET_KIND_NAMES, DRAWN_KINDS, MODEL_KIND_NAMES, RELATION_BY_IRI, RELATION_BY_NAME, relation_names
from .vocab import ONTOLOGY_NS, RESOURCE_NS

# The kinds drawn as nodes, most specific first (a Benchmark is also a Dataset, and the loader writes both
# classes out), and the relations by group, from the vocabulary tables.
KINDS: tuple[str, ...] = tuple(kind.name for kind in DRAWN_KINDS)
MODEL_KINDS = MODEL_KIND_NAMES
DATASET_KINDS = DATASET_KIND_NAMES
COMPONENT_RELATIONS = relation_names("component")
DERIVATION_RELATIONS = relation_names("derivation")
# What a model is built from: its parts and the models it was made from.
LINEAGE_RELATIONS = COMPONENT_RELATIONS | DERIVATION_RELATIONS
DATA_RELATIONS = relation_names("data")
CONTEXT_RELATIONS = relation_names("context")
RELATIONS = LINEAGE_RELATIONS | DATA_RELATIONS | CONTEXT_RELATIONS
# One step out of a model to its data, developers and family: the layers of a lineage view.
LAYER_RELATIONS = DATA_RELATIONS | CONTEXT_RELATIONS

Direction = Literal["up", "down", "both"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_RELEASE_DATE = ONTOLOGY_NS + "releaseDate"
_PARAMETER_COUNT = ONTOLOGY_NS + "parameterCount"
_SOURCE = "http://purl.org/dc/terms/source"

_NODES_QUERY = """
SELECT ?entity ?label (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
       (MIN(STR(?date)) AS ?releaseDate) (MAX(?count) AS ?parameters) (MIN(STR(?source)) AS ?firstSource)
WHERE {
  VALUES ?class { %s }
  ?entity a ?class ;
          rdfs:label ?label .
  OPTIONAL { ?entity vlm:releaseDate ?date }
  OPTIONAL { ?entity vlm:parameterCount ?count }
  OPTIONAL { ?entity dct:source ?source }
}
GROUP BY ?entity ?label
""" % " ".join(f"vlm:{kind}" for kind in KINDS)

# The narrower-property filter keeps only the most specific relation of a pair: the loader writes
# vlm:derivedFrom beside every vlm:fineTunedFrom, and the ontology (in the union) says which is narrower.
_EDGES_QUERY = """
SELECT ?source ?relation ?target WHERE {
  VALUES ?relation { %s }
  ?source ?relation ?target .
  FILTER NOT EXISTS {
    ?source ?narrower ?target .
    ?narrower rdfs:subPropertyOf+ ?relation .
    FILTER(?narrower != ?relation)
  }
}
""" % " ".join(f"<{RELATION_BY_NAME[name].iri}>" for name in sorted(RELATIONS))


class Edge(NamedTuple):
    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class ComponentTree:
    """One entity in a model's component tree: how its parent uses it and what it is built from."""

    iri: str
    label: str
    kind: str
    relation: str | None  # None at the root
    children: tuple["ComponentTree", ...] = field(default=())

    def iris(self) -> set[str]:
        """Every entity in the tree below the root."""
        return {iri for child in self.children for iri in (child.iri, *child.iris())}

    def lines(self, indent: str = "") -> list[str]:
        head = f"{indent}{self.label}" + (f" ({self.relation})" if self.relation else "")
        return [head, *(line for child in self.children for line in child.lines(indent + "  "))]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def lineage_graph(store: GraphStore, names: NameIndex | None = None) -> nx.MultiDiGraph:
    """The typed projection of the whole store, nodes and edges added in sorted order so that
    everything drawn from it (pages, paths) comes out the same for the same store. `names` (made
    here when not given) resolves what people type to nodes."""
    graph = nx.MultiDiGraph(names=names or NameIndex(store))
    rows = sorted(execute(store, _NODES_QUERY), key=lambda row: row["entity"].value)
    for row in rows:
        iri = row["entity"].value
        classes = {value.removeprefix(ONTOLOGY_NS) for value in row["classes"].value.split()}
        graph.add_node(
            iri,
            kind=next(kind for kind in KINDS if kind in classes),
            label=row["label"].value,
            release_date=_value(row["releaseDate"]),
            parameters=int(row["parameters"].value) if row["parameters"] is not None else None,
            developers=(),
            source=_value(row["firstSource"]),
            page="/resource/" + iri.removeprefix(RESOURCE_NS),
        )
    edges = sorted({Edge(row["source"].value, RELATION_BY_IRI[row["relation"].value].name, row["target"].value)
                    for row in execute(store, _EDGES_QUERY)})
    for edge in edges:
        if edge.source in graph and edge.target in graph:
            graph.add_edge(edge.source, edge.target, key=edge.relation, relation=edge.relation)
    _name_developers(graph)
    return graph


def local_lineage_graph(store: GraphStore, start: str, up: int, down: int, relations: Iterable[str] | None = None,
                        names: NameIndex | None = None) -> nx.MultiDiGraph:
    """The projection of the part of the store that ``neighbourhood(graph, start, …)`` can reach
    within `up` steps along `relations` and `down` steps against them, with the developers of
    everything reached: the same answer as on the whole graph, at the cost of the neighbourhood
    rather than of the catalogue (a page of a 100,000-model graph needs a few dozen nodes, not
    the 1.5M-triple projection). `start` is an IRI.

    It scans the store around each node (pattern lookups on the indexes) rather than running the
    two SPARQL queries with the entities in a VALUES block: pyoxigraph evaluates such a block
    as a join against every entity, which costs more than the whole neighbourhood."""
    walked = set(relations) if relations is not None else RELATIONS - {"developedBy"}
    kept = _walk(store, start, {NamedNode(_predicate_iri(name)) for name in walked}, up, down)
    developed_by = {NamedNode(_predicate_iri("developedBy"))}
    kept |= {org for iri in list(kept) for org in _neighbours(store, iri, developed_by, True)}
    return _scanned_projection(store, kept, names or NameIndex(store))


def local_layered_graph(store: GraphStore, start: str, up: int, down: int,
                        names: NameIndex | None = None) -> nx.MultiDiGraph:
    """The projection of what ``layered_neighbourhood(graph, start, …)`` draws, read around `start`
    (an IRI) the way ``local_lineage_graph`` reads it: the lineage within `up` and `down` steps,
    then one step out of each model along the layer relations."""
    kept = _walk(store, start, {NamedNode(_predicate_iri(name)) for name in LINEAGE_RELATIONS}, up, down)
    layers = {NamedNode(_predicate_iri(name)) for name in LAYER_RELATIONS}
    kept |= {n for iri in list(kept) for n in _neighbours(store, iri, layers, True)}
    developed_by = {NamedNode(_predicate_iri("developedBy"))}  # named on every node, a dataset's too
    kept |= {org for iri in list(kept) for org in _neighbours(store, iri, developed_by, True)}
    return _scanned_projection(store, kept, names or NameIndex(store))


def _walk(store: GraphStore, start: str, predicates: set[NamedNode], up: int, down: int) -> set[str]:
    """`start` and what it reaches along `predicates` within `up` steps forwards and `down` backwards."""
    kept = {start}
    for upward, steps in ((True, up), (False, down)):
        seen, frontier = {start}, {start}
        for _ in range(steps):
            frontier = {n for iri in frontier for n in _neighbours(store, iri, predicates, upward)} - seen
            seen |= frontier
        kept |= seen
    return kept


def _predicate_iri(relation: str) -> str:
    return RELATION_BY_NAME[relation].iri


def _neighbours(store: GraphStore, iri: str, predicates: set[NamedNode], upward: bool) -> set[str]:
    node = NamedNode(iri)
    quads = (store.quads_for_pattern(node, None, None) if upward else store.quads_for_pattern(None, None, node))
    return {(q.object if upward else q.subject).value for q in quads
            if q.predicate in predicates and isinstance(q.object if upward else q.subject, NamedNode)}


def _scanned_projection(store: GraphStore, entities: set[str], names: NameIndex) -> nx.MultiDiGraph:
    """The projection ``lineage_graph`` would give of `entities` (and the edges among them), read from
    each entity's own triples by index scans rather than by SPARQL over the whole graph."""
    narrower = _narrower_properties(store)
    by_relation = {RELATION_BY_NAME[name].iri: name for name in RELATIONS}
    kinds = {ONTOLOGY_NS + kind: kind for kind in KINDS}
    nodes, edges = {}, set()
    for iri in sorted(entities):
        classes, labels, dates, counts, sources, out = set(), [], [], [], [], {}
        for quad in store.quads_for_pattern(NamedNode(iri), None, None):
            p, o = quad.predicate.value, quad.object
            if p == _RDF_TYPE and o.value in kinds:
                classes.add(kinds[o.value])
            elif p == _RDFS_LABEL:
                labels.append(o.value)
            elif p == _RELEASE_DATE:
                dates.append(o.value)
            elif p == _PARAMETER_COUNT:
                counts.append(int(o.value))
            elif p == _SOURCE:
                sources.append(o.value)
            if isinstance(o, NamedNode):
                out.setdefault(o.value, set()).add(p)
        if not classes or not labels:
            continue  # not an entity of the lineage graph (the whole-graph query needs both too)
        nodes[iri] = dict(kind=next(kind for kind in KINDS if kind in classes), label=min(labels),
                          release_date=min(dates, default=None), parameters=max(counts, default=None),
                          developers=(), source=min(sources, default=None),
                          page="/resource/" + iri.removeprefix(RESOURCE_NS))
        for target, properties in out.items():
            for p in properties & by_relation.keys():
                if not narrower.get(p, set()) & properties:  # keep the most specific relation of the pair
                    edges.add(Edge(iri, by_relation[p], target))
    graph = nx.MultiDiGraph(names=names)
    graph.add_nodes_from(nodes.items())
    for edge in sorted(edges):
        if edge.target in graph:
            graph.add_edge(edge.source, edge.target, key=edge.relation, relation=edge.relation)
    _name_developers(graph)
    return graph


def _name_developers(graph: nx.MultiDiGraph) -> None:
    for iri in graph:
        graph.nodes[iri]["developers"] = tuple(sorted(
            graph.nodes[org]["label"] for org in _targets(graph, iri, {"developedBy"})))


def _narrower_properties(store: GraphStore) -> dict[str, set[str]]:
    """For each property, the properties strictly below it (rdfs:subPropertyOf+), from the ontology.
    The closure is taken here: Virtuoso 7 cannot run a transitive path with neither end bound."""
    direct = nx.DiGraph((row["super"].value, row["p"].value)
                        for row in execute(store, "SELECT ?p ?super WHERE { ?p rdfs:subPropertyOf ?super }"))
    return {prop: below for prop in direct if (below := nx.descendants(direct, prop))}


def _value(term) -> str | None:
    return term.value if term is not None else None


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the graph node `name` stands for; UnknownName (with close matches) otherwise."""
    if name in graph:
        return name
    names: NameIndex | None = graph.graph.get("names")
    if names is None:  # a graph built by hand: match labels exactly
        found = [iri for iri, label in graph.nodes(data="label") if label == name]
        if len(found) != 1:
            raise UnknownName(f"no entity named {name!r} in this graph")
        return found[0]
    iri = names.resolve(name).value
    if iri not in graph:
        raise UnknownName(f"{name!r} is {names.label(iri)} <{iri}>, which is not part of the lineage graph")
    return iri


def label(graph: nx.MultiDiGraph, iri: str) -> str:
    return graph.nodes[iri].get("label", iri)


def _targets(graph: nx.MultiDiGraph, iri: str, relations: Iterable[str]) -> list[str]:
    wanted = set(relations)
    return sorted({target for _, target, relation in graph.out_edges(iri, keys=True) if relation in wanted})


def _sources(graph: nx.MultiDiGraph, iri: str, relations: Iterable[str]) -> list[str]:
    wanted = set(relations)
    return sorted({source for source, _, relation in graph.in_edges(iri, keys=True) if relation in wanted})


def _reach(graph: nx.MultiDiGraph, start: str, relations: Iterable[str], upward: bool) -> set[str]:
    step = _targets if upward else _sources
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in step(graph, queue.popleft(), relations):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen - {start}


def _ordered(graph: nx.MultiDiGraph, iris: Iterable[str]) -> list[str]:
    """IRIs sorted by label (then IRI), the order a person reads a list in."""
    return sorted(iris, key=lambda iri: (label(graph, iri).casefold(), iri))


def ancestors(graph: nx.MultiDiGraph, model: str) -> list[str]:
    """Every model the given one is built from, at any depth: components and the models they
    (or it) were fine-tuned, distilled, extracted… from."""
    return _ordered(graph, _reach(graph, resolve(graph, model), LINEAGE_RELATIONS, upward=True))


def descendants(graph: nx.MultiDiGraph, model: str) -> list[str]:
    """Every model built on the given one, at any depth."""
    return _ordered(graph, _reach(graph, resolve(graph, model), LINEAGE_RELATIONS, upward=False))


def components(graph: nx.MultiDiGraph, model: str) -> ComponentTree:
    """What a model is made of, as a tree: its language backbones and vision encoders, and below
    each part the parts and models it was itself built from.

    The root's own predecessors (LLaVA-1.5 successorOf LLaVA) are not parts, so only component
    edges leave the root; below it every lineage edge does. A part reached twice is repeated (it
    is a tree); a cycle is cut where it closes.
    """
    root = resolve(graph, model)

    def grow(iri: str, relation: str | None, path: frozenset[str]) -> ComponentTree:
        relations = COMPONENT_RELATIONS if relation is None else LINEAGE_RELATIONS
        children = tuple(
            grow(target, edge_relation, path | {target})
            for target, edge_relation in sorted(
                ((t, r) for _, t, r in graph.out_edges(iri, keys=True) if r in relations),
                key=lambda pair: (label(graph, pair[0]).casefold(), pair[1]))
            if target not in path
        )
        return ComponentTree(iri, label(graph, iri), graph.nodes[iri]["kind"], relation, children)

    return grow(root, None, frozenset({root}))


def upstream_datasets(graph: nx.MultiDiGraph, model: str) -> list[str]:
    """Every dataset the model, its components or its ancestors were trained on, and the datasets
    those were derived from."""
    start = resolve(graph, model)
    used_by = {start} | _reach(graph, start, LINEAGE_RELATIONS, upward=True)
    direct = {dataset for iri in used_by for dataset in _targets(graph, iri, {"trainedOn"})}
    derived = {parent for dataset in direct for parent in _reach(graph, dataset, {"wasDerivedFrom"}, upward=True)}
    return _ordered(graph, direct | derived)


def shared_components(graph: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """The entities in both models' component trees (a shared encoder, and what it came from)."""
    return _ordered(graph, components(graph, a).iris() & components(graph, b).iris())


class NoPath(LookupError):
    pass


def path(graph: nx.MultiDiGraph, a: str, b: str) -> list[Edge]:
    """The shortest chain of edges from a to b.

    Lineage edges are tried first, in the direction a→b then b→a (a model to its ancestor reads
    best); failing that, any edge in either direction (two models sharing a developer). Each step
    keeps the edge's own direction, so a step may point backwards along the path.
    """
    start, end = resolve(graph, a), resolve(graph, b)
    lineage = graph.edge_subgraph(
        [(u, v, k) for u, v, k in graph.edges(keys=True) if k in LINEAGE_RELATIONS])
    attempts = ((lineage, start, end, False), (lineage, end, start, True),
                (graph.to_undirected(as_view=True), start, end, False))
    for view, first, last, reverse in attempts:
        if first in view and last in view and nx.has_path(view, first, last):
            nodes = nx.shortest_path(view, first, last)
            steps = [_step(graph, u, v) for u, v in zip(nodes, nodes[1:])]
            return steps[::-1] if reverse else steps
    raise NoPath(f"no path between {label(graph, start)} and {label(graph, end)}")


def _step(graph: nx.MultiDiGraph, u: str, v: str) -> Edge:
    """The edge between two adjacent nodes, in its own direction; a lineage relation preferred."""
    forward = [Edge(u, key, v) for key in graph.get_edge_data(u, v, default={})]
    backward = [Edge(v, key, u) for key in graph.get_edge_data(v, u, default={})]
    candidates = forward + backward
    return min(candidates, key=lambda edge: (edge.relation not in LINEAGE_RELATIONS, edge not in forward, edge))


def neighbourhood(graph: nx.MultiDiGraph, model: str, depth: int = 2, direction: Direction = "up",
                  relations: Iterable[str] | None = None, developers: bool = True) -> nx.MultiDiGraph:
    """The subgraph around a model, for drawing.

    'up' follows edges the way they point (towards components, ancestors, datasets), 'down'
    against them (towards the models built on it), 'both' is the union of the two — not a walk
    that turns around, which would reach every model of a shared organization. `relations`
    limits the edges walked (default: all but developedBy); with `developers`, the developers
    of every node reached are added, one step beyond the depth.
    """
    if direction not in ("up", "down", "both"):
        raise ValueError(f"direction must be 'up', 'down' or 'both', not {direction!r}")
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    start = resolve(graph, model)
    walked = set(relations) if relations is not None else RELATIONS - {"developedBy"}
    unknown = walked - RELATIONS
    if unknown:
        raise ValueError(f"unknown relation(s): {', '.join(sorted(unknown))}")
    kept = {start}
    for upward in ((True,) if direction == "up" else (False,) if direction == "down" else (True, False)):
        kept |= _within(graph, start, walked, upward, depth)
    if developers:
        kept |= {org for iri in list(kept) for org in _targets(graph, iri, {"developedBy"})}
    allowed = walked | ({"developedBy"} if developers else set())
    sub = nx.MultiDiGraph(**graph.graph)
    sub.add_nodes_from((iri, graph.nodes[iri]) for iri in sorted(kept))
    sub.add_edges_from((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
                       if u in kept and v in kept and k in allowed)
    sub.graph["focus"] = start
    return sub


def layered_neighbourhood(graph: nx.MultiDiGraph, model: str, depth: int = 6,
                          direction: Direction = "up") -> nx.MultiDiGraph:
    """A model's lineage view: the models within `depth` lineage steps (components and what they
    were derived from when 'up', what was built on it when 'down'), and — one step out of each of
    them — their datasets, benchmarks, developers and families, which a page shows as layers.
    Edges of every relation between the nodes kept are drawn."""
    if direction not in ("up", "down", "both"):
        raise ValueError(f"direction must be 'up', 'down' or 'both', not {direction!r}")
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    start = resolve(graph, model)
    core = {start}
    for upward in ((True,) if direction == "up" else (False,) if direction == "down" else (True, False)):
        core |= _within(graph, start, LINEAGE_RELATIONS, upward, depth)
    kept = core | {target for iri in core for target in _targets(graph, iri, LAYER_RELATIONS)}
    sub = nx.MultiDiGraph(**graph.graph)
    sub.add_nodes_from((iri, graph.nodes[iri]) for iri in sorted(kept))
    sub.add_edges_from((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
                       if u in kept and v in kept and (u in core or k == "wasDerivedFrom"))
    sub.graph["focus"] = start
    return sub


def _within(graph: nx.MultiDiGraph, start: str, relations: set[str], upward: bool, depth: int) -> set[str]:
    step = _targets if upward else _sources
    seen, frontier = {start}, [start]
    for _ in range(depth):
        frontier = sorted({n for iri in frontier for n in step(graph, iri, relations)} - seen)
        seen.update(frontier)
    return seen


__all__ = [
    "ComponentTree", "Edge", "KINDS", "NoPath", "RELATIONS", "UnknownName", "ancestors", "components",
    "descendants", "label", "layered_neighbourhood", "lineage_graph", "local_layered_graph", "local_lineage_graph",
    "neighbourhood", "path", "resolve", "shared_components",
    "upstream_datasets",
]

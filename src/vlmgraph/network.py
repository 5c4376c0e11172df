"""The typed lineage projection (lineage.lineage_graph) as files network tools open: GraphML for
Gephi, Cytoscape, yEd and networkx, and CSV node and edge lists for spreadsheets and pandas.

Nodes are entity IRIs with ``kind`` (VisionLanguageModel, LanguageModel…), ``label``, ``name``
(the prefixed name a SPARQL query takes: model:llava-1.5) and the key facts the projection holds;
edges point from a model to what it is built from and carry ``relation`` (fineTunedFrom,
hasLanguageBackbone…) and its ``group`` (component, derivation, data, context). Empty facts are
left out rather than written as empty strings, so that tools type the columns right.
"""

from __future__ import annotations

import csv
import io

import networkx as nx

from .formats import NetworkFormat
from .terms import RELATION_BY_NAME
from .vocab import prefixed_name

NODE_COLUMNS = ("id", "label", "kind", "name", "release_date", "parameters", "developers", "source", "page")
EDGE_COLUMNS = ("source", "target", "relation", "group")


def _node(iri: str, facts: dict) -> dict[str, object]:
    row = {"label": facts["label"], "kind": facts["kind"], "name": prefixed_name(iri),
           "release_date": facts.get("release_date"), "parameters": facts.get("parameters"),
           "developers": "; ".join(facts.get("developers") or ()), "source": facts.get("source"),
           "page": facts.get("page")}
    return {key: value for key, value in row.items() if value not in (None, "")}


def _edge(relation: str) -> dict[str, str]:
    return {"relation": relation, "group": RELATION_BY_NAME[relation].group}


def plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection with scalar attributes only (what GraphML can hold): no name index, developers
    joined with '; ', no empty facts."""
    plain = nx.MultiDiGraph()
    plain.add_nodes_from((iri, _node(iri, facts)) for iri, facts in graph.nodes(data=True))
    plain.add_edges_from((source, target, key, _edge(key)) for source, target, key in graph.edges(keys=True))
    return plain


def graphml(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(plain_graph(graph), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def _csv(columns: tuple[str, ...], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_nodes(graph: nx.MultiDiGraph) -> bytes:
    return _csv(NODE_COLUMNS, ({"id": iri, **_node(iri, facts)} for iri, facts in graph.nodes(data=True)))


def csv_edges(graph: nx.MultiDiGraph) -> bytes:
    return _csv(EDGE_COLUMNS, ({"source": source, "target": target, **_edge(key)}
                               for source, target, key in graph.edges(keys=True)))


def write(fmt: NetworkFormat, graph: nx.MultiDiGraph) -> bytes:
    return globals()[fmt.writer](graph)

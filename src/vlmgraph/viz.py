"""Interactive pages of the lineage graph (pyvis / vis-network), self-contained and offline.

pyvis builds the node and edge lists; the page around them is composed here rather than by
pyvis's own template, because that template always links Bootstrap from a CDN and names its
div ``mynetwork`` — a page must open offline and come out byte-identical for the same graph.
The vis-network script and stylesheet are the ones pyvis bundles, written in line (what pyvis
calls ``cdn_resources="in_line"``).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyvis
from pyvis.network import Network

from .files import write_atomically
from .lineage import KINDS, LINEAGE_RELATIONS, MODEL_KINDS, RELATIONS, Direction, neighbourhood, resolve
from .terms import DRAWN_KINDS, relation_names
from .terms import RELATIONS as TERM_RELATIONS

NETWORK_ID = "vlmgraph-network"
OVERVIEW_LIMIT = 1500  # above this many nodes a physics layout no longer settles in a browser
VIS_NETWORK_ASSETS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"

# colour, vis-network shape, legend symbol — shapes that vis sizes by `size` (labels sit below) — and
# the colour of each relation, from the vocabulary tables; their order is the legend's.
CLASS_STYLES: dict[str, tuple[str, str, str]] = {
    kind.name: (kind.style.colour, kind.style.shape, kind.style.symbol) for kind in DRAWN_KINDS
}
RELATION_COLOURS: dict[str, str] = {relation.name: relation.colour for relation in TERM_RELATIONS}
# Who made a thing and which family it belongs to is context, drawn dashed and light.
_CONTEXT = relation_names("context")
# A lineage page shows what a model is built from and trained on; evaluation benchmarks would swamp it.
LINEAGE_PAGE_RELATIONS = RELATIONS - {"developedBy", "evaluatedOn"}
_DIRECTIONS = {"up": "what it is built from", "down": "what is built on it", "both": "what it is built from and on"}


LINEAGE_OPTIONS = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 230,
                                "nodeSpacing": 70, "treeSpacing": 90}},
    "physics": {"enabled": False},
    "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
              "font": {"size": 10, "align": "middle", "strokeWidth": 3}},
    "interaction": {"hover": True, "tooltipDelay": 120},
}

# The same layout in a small box (an entity page's side panel): columns closer together.
COMPACT_LINEAGE_OPTIONS = {
    **LINEAGE_OPTIONS,
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 170,
                                "nodeSpacing": 65, "treeSpacing": 80}},
}


@dataclass(frozen=True)
class NetworkData:
    """What vis-network draws — styled node and edge lists and the options — and the script that
    draws it into the div ``NETWORK_ID``. Both the standalone pages here and the app's entity
    pages use it, so a node looks the same everywhere."""

    nodes: list[dict]
    edges: list[dict]
    options: dict

    def legend(self) -> str:
        """The legend as HTML (only fixed class and relation names: nothing to escape)."""
        kinds = sorted({node["kind"] for node in self.nodes}, key=list(CLASS_STYLES).index)
        relations = sorted({edge["relation"] for edge in self.edges}, key=list(RELATION_COLOURS).index)
        items = [f'<li><span style="color:{CLASS_STYLES[k][0]}">{CLASS_STYLES[k][2]}</span> {k}</li>' for k in kinds]
        items += [f'<li><span class="line{" dashed" if r in _CONTEXT else ""}" style="border-color:'
                  f'{RELATION_COLOURS[r]}"></span> {r}</li>' for r in relations]
        return f'<ul class="vlmgraph-legend" aria-label="legend">{"".join(items)}</ul>'

    def script(self) -> str:
        """JavaScript (without the <script> tags) that draws the network once vis-network is loaded.
        The data sets stay reachable as ``window.vlmgraphNetwork = {network, nodes, edges}``."""
        return (
            f"var nodes = new vis.DataSet({_script_json(self.nodes)});\n"
            f"var edges = new vis.DataSet({_script_json(self.edges)});\n"
            f"var network = new vis.Network(document.getElementById(\"{NETWORK_ID}\"), "
            f"{{nodes: nodes, edges: edges}}, {_script_json(self.options)});\n"
            "window.vlmgraphNetwork = {network: network, nodes: nodes, edges: edges};\n"
            # the first fit knows node sizes but not label widths; fit again once labels are drawn
            "network.once(\"afterDrawing\", function () { network.fit(); });\n"
            f"{_CLICK}"
        )


def lineage_network(graph: nx.MultiDiGraph, model: str, depth: int = 3, direction: Direction = "up",
                    relations: Iterable[str] | None = None) -> tuple[nx.MultiDiGraph, NetworkData]:
    """A model's neighbourhood laid out left to right (ancestors left), with the developers of
    every node; `relations` defaults to LINEAGE_PAGE_RELATIONS."""
    walked = LINEAGE_PAGE_RELATIONS if relations is None else relations
    sub = neighbourhood(graph, model, depth, direction, relations=walked)
    focus = sub.graph["focus"]
    return sub, network_data(sub, focus=focus, levels=_levels(sub), edge_labels=True, options=LINEAGE_OPTIONS)


def entity_network(graph: nx.MultiDiGraph, entity: str, up: int = 2, down: int = 1,
                   relations: Iterable[str] | None = None, developers: bool = True,
                   edge_labels: bool = False) -> tuple[nx.MultiDiGraph, NetworkData]:
    """The neighbourhood of an entity page, in a small box: `up` steps of what it is built from
    (with their developers, when `developers`) and `down` steps of what is built on it (without:
    a popular encoder's users would bring a crowd of labs), along `relations` (default
    LINEAGE_PAGE_RELATIONS), laid out like a lineage page."""
    walked = LINEAGE_PAGE_RELATIONS if relations is None else relations
    sub = nx.compose(neighbourhood(graph, entity, up, "up", relations=walked, developers=developers),
                     neighbourhood(graph, entity, down, "down", relations=walked, developers=False))
    focus = resolve(graph, entity)
    sub.graph["focus"] = focus
    return sub, network_data(sub, focus=focus, levels=_levels(sub), edge_labels=edge_labels,
                             options=COMPACT_LINEAGE_OPTIONS)


def lineage_page(graph: nx.MultiDiGraph, model: str, depth: int = 3, direction: Direction = "up") -> str:
    """A page of a model's neighbourhood: ancestors on the left, descendants on the right."""
    sub, data = lineage_network(graph, model, depth, direction)
    title = f"Lineage of {sub.nodes[sub.graph['focus']]['label']}"
    subtitle = f"{_DIRECTIONS[direction]} to depth {depth}; click a node to open its page"
    return _page(data, title, subtitle, message=None)


def overview_page(graph: nx.MultiDiGraph, kinds: Iterable[str] | None = None, org: str | None = None,
                  year: int | None = None, max_nodes: int = OVERVIEW_LIMIT) -> str:
    """A physics-laid page of the whole graph, or of the entities of some kinds, of one
    organization or released in one year (with the organizations that developed them)."""
    chosen = _kinds(kinds)
    org_iri = _organization(graph, org) if org else None
    keep = {
        iri for iri, data in graph.nodes(data=True)
        if data["kind"] in chosen
        and (org_iri is None or iri == org_iri or graph.has_edge(iri, org_iri, "developedBy"))
        and (year is None or (data["release_date"] or "").startswith(f"{int(year):04d}"))
    }
    if "Organization" in chosen:  # a year's models keep the labs behind them in view
        keep |= {org for iri in list(keep) for _, org, relation in graph.out_edges(iri, keys=True)
                 if relation == "developedBy"}
    sub = graph.subgraph(keep)
    message = None
    if sub.number_of_nodes() > max_nodes:
        sub, message = _reduce(sub, max_nodes)
    elif sub.number_of_nodes() == 0:
        message = "No entity matches these filters."
    options = {
        "layout": {"randomSeed": 7, "improvedLayout": sub.number_of_nodes() <= 300},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
                    "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "edges": {"smooth": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    }
    filters = [", ".join(sorted(chosen)) if kinds else "", graph.nodes[org_iri]["label"] if org_iri else "",
               str(year) if year is not None else ""]
    title = "vlmgraph overview" + (f": {' · '.join(f for f in filters if f)}" if any(filters) else "")
    subtitle = f"{sub.number_of_nodes()} entities, {sub.number_of_edges()} relations; click a node to open its page"
    return _page(network_data(sub, focus=None, levels=None, edge_labels=False, options=options), title, subtitle,
                 message)


def write_page(path: Path, page: str) -> None:
    """Write a page all at once: a reader never sees half a file."""
    write_atomically(Path(path), page.encode("utf-8"))


def _kinds(kinds: Iterable[str] | None) -> set[str]:
    if not kinds:
        return set(KINDS)
    by_name = {kind.casefold(): kind for kind in KINDS}
    chosen = set()
    for name in kinds:
        if name.casefold() not in by_name:
            raise ValueError(f"unknown kind {name!r}; use one of: {', '.join(KINDS)}")
        chosen.add(by_name[name.casefold()])
    return chosen


def _organization(graph: nx.MultiDiGraph, name: str) -> str:
    iri = resolve(graph, name)
    if graph.nodes[iri]["kind"] != "Organization":
        raise ValueError(f"{name!r} is {graph.nodes[iri]['label']}, a {graph.nodes[iri]['kind']}, not an organization")
    return iri


def _reduce(sub: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str]:
    """The neighbourhoods of the most connected models, as many as fit in max_nodes."""
    models = sorted((iri for iri, kind in sub.nodes(data="kind") if kind in MODEL_KINDS),
                    key=lambda iri: (-sub.degree(iri), sub.nodes[iri]["label"].casefold(), iri))
    kept: set[str] = set()
    shown = 0
    for iri in models:
        around = {iri} | set(sub.successors(iri)) | set(sub.predecessors(iri))
        if len(kept | around) <= max_nodes:  # a hub too big to fit is skipped, smaller ones may still fit
            kept |= around
            shown += 1
    if not kept:  # not even one neighbourhood fits: the most connected models alone
        kept = set(models[:max_nodes])
    total = sub.number_of_nodes()
    message = (f"This view is reduced: it shows {len(kept)} of {total} entities — the {shown} most connected "
               f"models and their direct neighbours. {total - len(kept)} entities were left out; narrow the view "
               f"by kind, organization or year to see them.")
    return sub.subgraph(kept), message


def _levels(sub: nx.MultiDiGraph) -> dict[str, int]:
    """Columns for the left-to-right layout: what a model is built from stands left of it.

    Models take the longest lineage chain below them; datasets, organizations and families stand
    one column left of the first thing that uses them, so they sit beside it, not at the far edge.
    """
    lineage = nx.DiGraph()
    lineage.add_nodes_from(iri for iri, kind in sub.nodes(data="kind") if kind in MODEL_KINDS)
    lineage.add_edges_from((u, v) for u, v, k in sub.edges(keys=True) if k in LINEAGE_RELATIONS)
    dag = nx.condensation(lineage)  # a lineage cycle (a data error) must not hang the layout
    depth: dict[int, int] = {}
    for scc in reversed(list(nx.topological_sort(dag))):
        depth[scc] = 1 + max((depth[t] for t in dag.successors(scc)), default=-1)
    levels = {iri: depth[dag.graph["mapping"][iri]] for iri in lineage}
    for _ in range(sub.number_of_nodes()):
        placed = False
        for iri in sub:
            if iri in levels:
                continue
            users = [levels[u] for u in sub.predecessors(iri) if u in levels]
            if users:
                levels[iri] = min(users) - 1
                placed = True
        if not placed:
            break
    lowest = min(levels.values(), default=0)
    return {iri: levels.get(iri, lowest) - lowest for iri in sub}


def _size_text(count: int) -> str:
    for factor, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if count >= factor:
            return f"{count / factor:.3g}{suffix}"
    return str(count)


def _tooltip(data: dict) -> str:
    lines = [data["label"], data["kind"]]
    if data.get("release_date"):
        lines.append(f"released {data['release_date']}")
    if data.get("parameters"):
        lines.append(f"{_size_text(data['parameters'])} parameters (largest release)")
    if data.get("developers"):
        lines.append("by " + ", ".join(data["developers"]))
    if data.get("source"):
        lines.append(f"source: {data['source']}")
    return "\n".join(lines)


def _node_size(data: dict) -> float:
    """Grows with the log of the parameter count: 300M ≈ 22, 7B ≈ 29, 70B ≈ 34."""
    if data.get("parameters"):
        return round(10 + 5 * math.log10(max(data["parameters"], 10**6) / 10**6), 1)
    return 16 if data["kind"] in MODEL_KINDS else 13


def network_data(sub: nx.MultiDiGraph, focus: str | None, levels: dict[str, int] | None, edge_labels: bool,
                 options: dict) -> NetworkData:
    """Styled vis-network data of a subgraph: shape and colour by class, size by parameter count,
    colour and dash by relation; `levels` (node -> column) for a hierarchical layout."""
    network = Network(directed=True, cdn_resources="in_line")
    for iri in sorted(sub):
        data = sub.nodes[iri]
        colour, shape, _ = CLASS_STYLES[data["kind"]]
        extra = {"level": levels[iri]} if levels is not None else {}
        if iri == focus:
            extra.update(borderWidth=4, font={"size": 18})
        network.add_node(iri, label=data["label"], shape=shape, title=_tooltip(data), size=_node_size(data),
                         color={"background": colour, "border": "#222222" if iri == focus else colour},
                         href=data["page"], kind=data["kind"], **extra)
    for number, (u, v, relation) in enumerate(sorted(sub.edges(keys=True))):
        network.add_edge(u, v, id=f"e{number}", title=f"{sub.nodes[u]['label']} {relation} {sub.nodes[v]['label']}",
                         color={"color": RELATION_COLOURS[relation]}, dashes=relation in _CONTEXT,
                         width=1 if relation in _CONTEXT else 2, relation=relation,
                         **({"label": relation} if edge_labels else {}))
    nodes, edges, *_ = network.get_network_data()
    return NetworkData(nodes, edges, options)


def _script_json(value) -> str:
    """JSON safe inside <script>: a label holding '</script>' cannot end the element."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


_STYLE = f"""
body {{ font-family: system-ui, sans-serif; margin: 1rem; color: #222; }}
h1 {{ font-size: 1.4rem; margin: 0 0 .2rem; }}
p.subtitle {{ margin: 0 0 .5rem; color: #555; }}
p.vlmgraph-notice {{ background: #fff4d6; border: 1px solid #e0b84f; padding: .5rem .75rem; }}
ul.vlmgraph-legend {{ list-style: none; padding: 0; margin: 0 0 .5rem; display: flex; flex-wrap: wrap; gap: .3rem 1rem;
  font-size: .85rem; }}
ul.vlmgraph-legend span.line {{ display: inline-block; width: 1.6rem; border-top: 3px solid; vertical-align: middle; }}
ul.vlmgraph-legend span.dashed {{ border-top-style: dashed; }}
#{NETWORK_ID} {{ width: 100%; height: 80vh; border: 1px solid #ddd; }}
div.vis-tooltip {{ white-space: pre-line; max-width: 32rem; }}
"""

# A click on a node opens its entity page; a click on empty space or an edge does nothing.
_CLICK = """
network.on("click", function (params) {
  if (params.nodes.length === 1) {
    var node = nodes.get(params.nodes[0]);
    if (node && node.href) { window.location.href = node.href; }
  }
});
"""


def _page(data: NetworkData, title: str, subtitle: str, message: str | None) -> str:
    notice = f'<p class="vlmgraph-notice" role="status">{html.escape(message)}</p>\n' if message else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{(VIS_NETWORK_ASSETS / 'vis-network.css').read_text(encoding='utf-8')}</style>\n"
        f"<style>{_STYLE}</style>\n"
        f"<script>{(VIS_NETWORK_ASSETS / 'vis-network.min.js').read_text(encoding='utf-8')}</script>\n"
        "</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p class=\"subtitle\">{html.escape(subtitle)}</p>\n"
        f"{notice}{data.legend()}\n"
        f'<div id="{NETWORK_ID}"></div>\n'
        f"<script>\n{data.script()}</script>\n</body>\n</html>\n"
    )

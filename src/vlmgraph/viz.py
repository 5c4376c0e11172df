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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from importlib.util import find_spec

import networkx as nx

from .files import write_atomically
from .lineage import (KINDS, LINEAGE_RELATIONS, MODEL_KINDS, RELATIONS, Direction, layered_neighbourhood,
                      neighbourhood, resolve)
from .terms import DRAWN_KINDS, Style, relation_names
from .terms import RELATIONS as TERM_RELATIONS

NETWORK_ID = "vlmgraph-network"
SPEC_ID = "vlmgraph-spec"
OVERVIEW_LIMIT = 1500  # above this many nodes a physics layout no longer settles in a browser
# Grouping families re-runs the physics layout; above this many nodes it starts ungrouped (the
# reader can still group), so a large view draws in one layout pass.
GROUP_LIMIT = 600
DEFAULT_DEPTH = 6  # lineage steps from the model: every ancestry in the catalogue is shorter
# Found, not imported: importing pyvis (which imports IPython) took a third of a second of every
# command's and the server's start, and only building a page's node list needs it (network_data).
VIS_NETWORK_ASSETS = Path(find_spec("pyvis").origin).resolve().parent / "templates" / "lib" / "vis-9.1.2"
# viz.js (drawing, layer toggles, hover labels, clicks) and viz.css (legend swatches): served by the
# app under /static/viz/, written in line into the pages the CLI writes.
VIZ_ASSETS = Path(__file__).resolve().parent / "viz_assets"

# Styles of kinds and colours of relations, from the vocabulary tables; their order is the legend's.
KIND_STYLES: dict[str, Style] = {kind.name: kind.style for kind in DRAWN_KINDS}
KIND_NOUNS: dict[str, str] = {kind.name: kind.noun for kind in DRAWN_KINDS}
RELATION_COLOURS: dict[str, str] = {relation.name: relation.colour for relation in TERM_RELATIONS}
RELATION_LABELS: dict[str, str] = {relation.name: relation.label for relation in TERM_RELATIONS}
# The kinds a lineage view holds back until the reader switches their layer on.
LAYER_KINDS: tuple[str, ...] = tuple(kind.name for kind in DRAWN_KINDS if kind.style.layer)
# Who made a thing and which family it belongs to is context, drawn dashed and light.
_CONTEXT = relation_names("context")
# An entity page's mini-graph shows what a model is built from and trained on; benchmarks would swamp it.
LINEAGE_PAGE_RELATIONS = RELATIONS - {"developedBy", "evaluatedOn"}
_DIRECTIONS = {"up": "what it is built from", "down": "what is built on it", "both": "what it is built from and on"}

# A family tree read left to right: ancestors in the left columns, the model on the right. vis spaces
# nodes of one column by centre distance only, so nodeSpacing must exceed the tallest label box
# (LABEL_WIDTH wraps long names and subtitles; a box holds at most four lines), and levelSeparation
# the widest.
LABEL_WIDTH = 180
LINEAGE_OPTIONS = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 270,
                                "nodeSpacing": 100, "treeSpacing": 120}},
    "physics": {"enabled": False},
    "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.5},
              "font": {"size": 12, "align": "middle", "strokeWidth": 5}},
    "interaction": {"hover": True, "tooltipDelay": 120},
}

# An entity page's side panel: the shapes of the kinds, labels below, columns closer together.
COMPACT_LINEAGE_OPTIONS = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 170,
                                "nodeSpacing": 65, "treeSpacing": 80}},
    "physics": {"enabled": False},
    "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
              "font": {"size": 10, "align": "middle", "strokeWidth": 3}},
    "interaction": {"hover": True, "tooltipDelay": 120},
}


@dataclass(frozen=True)
class NetworkData:
    """What vis-network draws — styled node and edge lists and the options — and the script that
    draws it into the div ``NETWORK_ID`` (with viz.js). The standalone pages, the app's viz pages
    and its entity pages all use it, so a node looks the same everywhere. Nodes of the `layers`
    kinds are drawn only once switched on in the legend; with `hover_labels`, an edge shows its
    relation while the pointer is on it."""

    nodes: list[dict]
    edges: list[dict]
    options: dict
    layers: tuple[str, ...] = ()
    hover_labels: bool = False

    def legend(self) -> str:
        """The legend as HTML: a swatch per kind drawn (a toggle button per layer kind) and a line
        per relation. Only fixed kind and relation names: nothing to escape."""
        kinds = sorted({node["kind"] for node in self.nodes}, key=list(KIND_STYLES).index)
        relations = sorted({edge["relation"] for edge in self.edges}, key=list(RELATION_COLOURS).index)
        shapes = {node["kind"]: node["shape"] for node in self.nodes}
        items = []
        for kind in kinds:
            swatch = (f'<span class="swatch swatch-{shapes[kind]}" style="background:{KIND_STYLES[kind].colour}">'
                      f'</span>')
            if kind in self.layers:
                items.append(f'<li><button type="button" class="layer" data-layer="{kind}" aria-pressed="false" '
                             f'title="show or hide {KIND_NOUNS[kind]} nodes">{swatch} {_plural(KIND_NOUNS[kind])}'
                             f'</button></li>')
            else:
                items.append(f'<li data-kind="{kind}">{swatch} {KIND_NOUNS[kind]}</li>')
        items += [f'<li data-relation="{r}"><span class="line{" dashed" if r in _CONTEXT else ""}" style="border-color:'
                  f'{RELATION_COLOURS[r]}"></span> {RELATION_LABELS[r]}</li>' for r in relations]
        return (f'<ul class="vlmgraph-legend" aria-label="legend" data-legend-for="{NETWORK_ID}">'
                f'{"".join(items)}</ul>')

    def spec_json(self) -> str:
        """What viz.js draws (nodes, edges, options, layers), as JSON safe inside <script>."""
        return _script_json({"container": NETWORK_ID, "nodes": self.nodes, "edges": self.edges,
                             "options": self.options, "layers": list(self.layers), "hoverLabels": self.hover_labels})

    def embedded(self) -> str:
        """The drawing as HTML: the data in a JSON script element (``#vlmgraph-spec``, which a test
        can read from any page it fetches) and the call that draws it once vis-network and viz.js
        are loaded; the drawn data sets stay reachable as ``window.vlmgraphNetwork``."""
        return (f'<script type="application/json" id="{SPEC_ID}">{self.spec_json()}</script>\n'
                f'<script>vlmgraphDraw(JSON.parse(document.getElementById("{SPEC_ID}").textContent));</script>\n')


@dataclass(frozen=True)
class VizPage:
    """A viz page's parts: the app puts them in its site layout, ``standalone_html`` in a file that
    opens offline."""

    title: str
    subtitle: str
    data: NetworkData
    notice: str | None = None
    focus: str | None = None  # the IRI the page is about
    focus_page: str | None = None  # its entity page
    focus_label: str | None = None
    controls: str = ""  # HTML of the page's own controls (made safe by whoever builds it)
    assets: tuple[str, ...] = ()  # more scripts of viz_assets/, run after the drawing
    extra_json: str | None = None  # their data, as the JSON script element #vlmgraph-extra


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def lineage_network(graph: nx.MultiDiGraph, model: str, depth: int = DEFAULT_DEPTH,
                    direction: Direction = "up") -> tuple[nx.MultiDiGraph, NetworkData]:
    """A model's lineage view (lineage.layered_neighbourhood) as labelled boxes in columns by depth:
    the models drawn, their data, developers and families as layers."""
    sub = layered_neighbourhood(graph, model, depth, direction)
    focus = sub.graph["focus"]
    return sub, network_data(sub, focus=focus, levels=_levels(sub), edge_labels=False, options=LINEAGE_OPTIONS,
                             boxes=True)


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


def lineage_view(graph: nx.MultiDiGraph, model: str, depth: int = DEFAULT_DEPTH, direction: Direction = "up") -> VizPage:
    """The parts of a model's lineage page."""
    sub, data = lineage_network(graph, model, depth, direction)
    focus = sub.graph["focus"]
    return VizPage(f"Lineage of {sub.nodes[focus]['label']}",
                   f"{_DIRECTIONS[direction]}, {depth} step{'s' if depth != 1 else ''} deep; switch datasets, benchmarks, organizations and "
                   "families on in the legend; point at an edge for its relation, click a node to open its page",
                   data, focus=focus, focus_page=sub.nodes[focus]["page"],
                   focus_label=sub.nodes[focus]["label"])


def lineage_page(graph: nx.MultiDiGraph, model: str, depth: int = DEFAULT_DEPTH, direction: Direction = "up") -> str:
    """A self-contained page of a model's lineage: ancestors on the left, descendants on the right."""
    return standalone_html(lineage_view(graph, model, depth, direction))


def overview_page(graph: nx.MultiDiGraph, kinds: Iterable[str] | None = None, org: str | None = None,
                  year: int | None = None, max_nodes: int = OVERVIEW_LIMIT) -> str:
    """A self-contained page of the overview (see overview_view)."""
    return standalone_html(overview_view(graph, kinds, org, year, max_nodes))


def overview_view(graph: nx.MultiDiGraph, kinds: Iterable[str] | None = None, org: str | None = None,
                  year: int | None = None, max_nodes: int = OVERVIEW_LIMIT, filter_form: bool = False) -> VizPage:
    """A physics-laid view of the whole graph, or of the entities of some kinds, of one
    organization or released in one year (with the organizations that developed them). Members
    of a family are grouped into one node the reader opens (overview.js); a search box focuses a
    node. With `filter_form` (a served page), the filters are controls in the page: the whole
    graph is sent, what the filters leave out held back, and a change redraws in place
    (overview_filters.js) — unless the graph is past `max_nodes`, when the form reloads the view."""
    chosen = _kinds(kinds)
    org_iri = _organization(graph, org) if org else None
    keep = _overview_keep(graph, chosen, org_iri, year)
    in_page = filter_form and graph.number_of_nodes() <= max_nodes
    sub = graph if in_page else graph.subgraph(keep)
    message = None
    if not in_page and sub.number_of_nodes() > max_nodes:
        sub, message = _reduce(sub, max_nodes)
        keep = set(sub)
    elif not keep and not in_page:  # in the page, the filters' status line says so
        message = "No entity matches these filters."
    drawn = len(keep)
    options = {
        "layout": {"randomSeed": 7, "improvedLayout": drawn <= 300},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
                    "stabilization": {"enabled": True, "fit": True, "iterations": 300 if drawn <= GROUP_LIMIT else 150}},
        "edges": {"smooth": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
        # labels stay drawn further out than vis-network's default (it hides them below 5 px)
        "nodes": {"font": {"size": 16, "strokeWidth": 3}, "scaling": {"label": {"drawThreshold": 2}}},
    }
    title = "vlmgraph overview"
    if not in_page:
        filters = [", ".join(sorted(chosen)) if kinds else "", graph.nodes[org_iri]["label"] if org_iri else "",
                   str(year) if year is not None else ""]
        title += f": {' · '.join(f for f in filters if f)}" if any(filters) else ""
    subtitle = (f"{drawn} entities, {sub.subgraph(keep).number_of_edges()} relations; click a node to open its page"
                if not in_page else "The whole graph or part of it, laid out by its links; click a node to open its page")
    data = network_data(sub, focus=None, levels=None, edge_labels=False, options=options)
    for node in data.nodes:
        entity = graph.nodes[node["id"]]
        # the family a node is grouped into: its own, from the whole graph
        family = next((graph.nodes[t]["label"] for _, t, k in sorted(graph.out_edges(node["id"], keys=True))
                       if k == "memberOfFamily"), None)
        if family:
            node["family"] = family
        if in_page:  # what overview_filters.js filters by
            node.update(developers=list(entity.get("developers") or ()), released=entity.get("release_date") or "")
            if node["id"] not in keep:
                node["held"] = True
    controls = _overview_controls(graph, sorted(chosen) if kinds else [], graph.nodes[org_iri]["label"] if org_iri else "",
                                  year, filter_form, in_page, grouped=drawn <= GROUP_LIMIT)
    return VizPage(title, subtitle, data, notice=message, controls=controls,
                   assets=("overview.js", "overview_filters.js") if in_page else ("overview.js",))


def _overview_keep(graph: nx.MultiDiGraph, chosen: set[str], org_iri: str | None, year: int | None) -> set[str]:
    """What the overview's filters keep; overview_filters.js keeps the same in the page."""
    keep = {
        iri for iri, data in graph.nodes(data=True)
        if data["kind"] in chosen
        and (org_iri is None or iri == org_iri or graph.has_edge(iri, org_iri, "developedBy"))
        and (year is None or (data["release_date"] or "").startswith(f"{int(year):04d}"))
    }
    if "Organization" in chosen:  # a year's models keep the labs behind them in view
        keep |= {org for iri in list(keep) for _, org, relation in graph.out_edges(iri, keys=True)
                 if relation == "developedBy"}
    return keep


def _overview_controls(graph: nx.MultiDiGraph, kinds: list[str], org: str, year: int | None, filter_form: bool,
                       in_page: bool, grouped: bool) -> str:
    search = ('<form class="viz-controls" role="search" onsubmit="return false">'
              f'<label><input type="checkbox" id="overview-group"{" checked" if grouped else ""}> group families</label>'
              '<label>Find <input type="search" id="overview-search" placeholder="a node by name"></label>'
              '<button type="submit">Focus</button><span id="overview-found" class="muted" role="status"></span></form>')
    if not filter_form:
        return search
    boxes = "".join(f'<label><input type="checkbox" name="kind" value="{kind.name}"'
                    f'{" checked" if kind.name in kinds else ""}> {_plural(kind.noun)}</label>' for kind in DRAWN_KINDS)
    organizations = sorted((data["label"] for _, data in graph.nodes(data=True) if data["kind"] == "Organization"),
                           key=str.casefold)
    years = sorted({data["release_date"][:4] for _, data in graph.nodes(data=True)
                    if re.match(r"\d{4}", data.get("release_date") or "")})
    if year is not None and f"{int(year):04d}" not in years:
        years = sorted(years + [f"{int(year):04d}"])

    def select(name: str, label: str, values: list[str], chosen: str) -> str:
        options = "".join(f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>{html.escape(v)}</option>'
                          for v in values)
        return f'<label>{label} <select name="{name}"><option value="">any</option>{options}</select></label>'

    # in place, the form is read by overview_filters.js; past the size the page holds, it reloads the view
    return (f'<form class="viz-controls" id="overview-filters" method="get" action="/viz/overview"'
            f' data-in-page="{"true" if in_page else "false"}">{boxes}'
            + select("org", "Organization", organizations, org)
            + select("year", "Year", years, f"{int(year):04d}" if year is not None else "")
            + '<button type="submit">Show</button><span id="overview-count" class="muted" role="status"></span></form>'
            + search)


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


def _tooltip(sub: nx.MultiDiGraph, iri: str) -> str:
    data = sub.nodes[iri]
    lines = [data["label"], KIND_NOUNS[data["kind"]]]
    if _families(sub, iri):
        lines.append("family: " + ", ".join(_families(sub, iri)))
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
                 options: dict, boxes: bool = False) -> NetworkData:
    """Styled vis-network data of a subgraph: colour by kind, colour and dash by relation, `levels`
    (node -> column) for a hierarchical layout. With `boxes` (a lineage view), every node is a
    labelled box whose subtitle names its developers, family and size, the layer kinds wait for
    their legend toggle, and edges point from what came first to what was made from it, labelled
    on hover; otherwise nodes have their kind's shape, sized by parameter count."""
    from pyvis.network import Network

    network = Network(directed=True, cdn_resources="in_line")
    for iri in sorted(sub):
        data = sub.nodes[iri]
        style = KIND_STYLES[data["kind"]]
        extra = {"level": levels[iri]} if levels is not None else {}
        if boxes:
            extra.update(_box(sub, iri, focus))
            if style.layer:
                extra["layer"] = True
        else:
            extra.update(shape=style.shape, size=_node_size(data),
                         color={"background": style.colour, "border": "#222222" if iri == focus else style.colour})
            if iri == focus:
                extra.update(borderWidth=4, font={"size": 18})
        network.add_node(iri, label=extra.pop("label", data["label"]), title=_tooltip(sub, iri), href=data["page"],
                         kind=data["kind"], name=data["label"], **extra)
    for number, (u, v, relation) in enumerate(sorted(sub.edges(keys=True))):
        extra = {"label": relation} if edge_labels else {}
        if boxes:  # a family tree's arrows run from the ancestor to what was made from it
            extra.update(arrows="from", relationLabel=RELATION_LABELS[relation])
        network.add_edge(u, v, id=f"e{number}", title=f"{sub.nodes[u]['label']} {RELATION_LABELS[relation]} "
                                                      f"{sub.nodes[v]['label']}",
                         color={"color": RELATION_COLOURS[relation]}, dashes=relation in _CONTEXT,
                         width=1 if relation in _CONTEXT else 2, relation=relation, **extra)
    nodes, edges, *_ = network.get_network_data()
    return NetworkData(nodes, edges, options, layers=LAYER_KINDS if boxes else (), hover_labels=boxes)


def _box(sub: nx.MultiDiGraph, iri: str, focus: str | None) -> dict:
    """A lineage view's node: the name in bold over a subtitle (developers · family · size), filled
    with a tint of its kind's colour and edged with the colour itself."""
    data = sub.nodes[iri]
    colour = KIND_STYLES[data["kind"]].colour
    subtitle = " · ".join(part for part in (_developers_text(data), ", ".join(_families(sub, iri)),
                                            _size_text(data["parameters"]) if data.get("parameters") else "") if part)
    label = f"<b>{_vis_html(data['label'])}</b>" + (f"\n<i>{_vis_html(subtitle)}</i>" if subtitle else "")
    is_focus = iri == focus
    return {"label": label, "shape": "box", "margin": 8, "borderWidth": 3 if is_focus else 1.5,
            "widthConstraint": {"maximum": LABEL_WIDTH},
            "color": {"background": _tint(colour, 0.82 if not is_focus else 0.6), "border": colour,
                      "highlight": {"background": _tint(colour, 0.5), "border": "#222222"},
                      "hover": {"background": _tint(colour, 0.7), "border": colour}},
            "font": {"multi": "html", "size": 14, "color": "#1f2328", "face": "sans-serif",
                     "ital": {"size": 12, "color": "#4d5560", "face": "sans-serif"}}}


def _developers_text(data: dict) -> str:
    developers = list(data.get("developers") or ())
    return ", ".join(developers[:2]) + (f" +{len(developers) - 2}" if len(developers) > 2 else "")


def _families(sub: nx.MultiDiGraph, iri: str) -> list[str]:
    return sorted(sub.nodes[t]["label"] for _, t, k in sub.out_edges(iri, keys=True) if k == "memberOfFamily")


def _vis_html(text: str) -> str:
    """Text for a vis-network label in html mode, which reads only &lt; and &amp; as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _tint(colour: str, amount: float) -> str:
    """`colour` mixed with white: amount 0 is the colour, 1 is white."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _script_json(value) -> str:
    """JSON safe inside <script>: a label holding '</script>' cannot end the element."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


_STANDALONE_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
p.subtitle { margin: 0 0 .5rem; color: #555; }
"""


def standalone_html(view: VizPage) -> str:
    """A page that opens from a file with no network: vis-network, viz.js and the styles in line."""
    notice = f'<p class="vlmgraph-notice" role="status">{html.escape(view.notice)}</p>\n' if view.notice else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(view.title)}</title>\n"
        f"<style>{(VIS_NETWORK_ASSETS / 'vis-network.css').read_text(encoding='utf-8')}</style>\n"
        f"<style>{(VIZ_ASSETS / 'viz.css').read_text(encoding='utf-8')}{_STANDALONE_STYLE}</style>\n"
        f"<script>{(VIS_NETWORK_ASSETS / 'vis-network.min.js').read_text(encoding='utf-8')}</script>\n"
        f"<script>{(VIZ_ASSETS / 'viz.js').read_text(encoding='utf-8')}</script>\n"
        "</head>\n<body>\n"
        f"<h1>{html.escape(view.title)}</h1>\n<p class=\"subtitle\">{html.escape(view.subtitle)}</p>\n"
        f"{view.controls}{notice}{view.data.legend()}\n"
        f'<div id="{NETWORK_ID}" class="vlmgraph-canvas"></div>\n'
        f"{view.data.embedded()}"
        + (f'<script type="application/json" id="vlmgraph-extra">{view.extra_json}</script>\n'
           if view.extra_json else "")
        + "".join(f"<script>{(VIZ_ASSETS / name).read_text(encoding='utf-8')}</script>\n" for name in view.assets)
        + "</body>\n</html>\n"
    )

"""The release timeline: vision-language models by release date (x) in lanes by the family of their
vision encoder or of their language backbone, with the derivation edges between them.

Here: what each model is (month, lane under either laning, own family, organizations, size), the
lanes in a fixed order, the years and the default window. The page packs the boxes
(viz_assets/timeline_layout.js) because only the browser knows how wide a label is drawn, and
because a filter, a lane switch or another window must re-pack what is left without a round trip.
"""

from __future__ import annotations

import html
import re
from collections import Counter

import networkx as nx

from .lineage import DERIVATION_RELATIONS
from .viz import (KIND_STYLES, RELATION_COLOURS, RELATION_LABELS, NetworkData, VizPage, _script_json, _size_text, _tint,
                  standalone_html)

NO_FAMILY = "no family recorded"
# lane key -> (component relation, what the lanes are called in the page, the lane of models without one)
LANINGS = {"encoder": ("hasVisionEncoder", "vision-encoder family", "no vision encoder"),
           "backbone": ("hasLanguageBackbone", "language-backbone family", "no language backbone")}
# Sizes the page filters by: (name, smallest, largest) in parameters.
SIZES = (("under 3B", 0, 3e9), ("3B–10B", 3e9, 10e9), ("10B–40B", 10e9, 40e9), ("40B and over", 40e9, float("inf")))
STAND_IN = 40  # px a month and a lane apart, where nodes stand until the page has packed them
FONT_SIZE = 13  # px of a label at the page's zoom, which stays 1: readable without zooming in
# The label's font and margins, as timeline_layout.js measures them to pack the boxes. vis-network
# grows a box's bounding box by its corner radius: a small one lets rows stand close.
BOX = {"font": {"size": FONT_SIZE, "face": "sans-serif", "color": "#1f2328"},
       "margin": {"top": 4, "bottom": 4, "left": 6, "right": 6}, "heightConstraint": {"minimum": 14},
       "shapeProperties": {"borderRadius": 2}}


def _month(date: str) -> int | None:
    """Months since year 0 of an ISO date ('2023-10', '2023-10-05', '2023': mid-year)."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?", date or "")
    if not match:
        return None
    return int(match[1]) * 12 + (int(match[2]) - 1 if match[2] else 6)


def component_families(graph: nx.MultiDiGraph, model: str, relation: str) -> list[str]:
    """The families of a model's components along `relation`: each component's own family, or that
    of the nearest model it was derived from (an encoder fine-tuned from CLIP is in CLIP's lane)."""
    found = set()
    for _, component, key in graph.out_edges(model, keys=True):
        if key != relation:
            continue
        seen, frontier = {component}, [component]
        while frontier:
            families = {t for n in frontier for _, t, k in graph.out_edges(n, keys=True) if k == "memberOfFamily"}
            if families:
                found |= {graph.nodes[f]["label"] for f in families}
                break
            frontier = sorted({t for n in frontier for _, t, k in graph.out_edges(n, keys=True)
                               if k in DERIVATION_RELATIONS} - seen)
            seen.update(frontier)
        else:
            found.add(NO_FAMILY)
    return sorted(found, key=str.casefold)


def lane_order(lane_of: dict[str, str], months: dict[str, int]) -> list[str]:
    """Lanes top to bottom by their first model, so the page reads from old families to new ones;
    the lanes of models without a component or a known family last."""
    first: dict[str, int] = {}
    for iri, lane in lane_of.items():
        first[lane] = min(first.get(lane, months[iri]), months[iri])
    return sorted(first, key=lambda name: (name.startswith("no "), first[name], name.casefold()))


def busiest_year(months: dict[str, int]) -> int | None:
    """The year most models were released in: the default window, the densest year and the one where
    the most lanes are busy (in 2024 both CLIP's and SigLIP's)."""
    counts = Counter(month // 12 for month in months.values())
    return min(counts, key=lambda year: (-counts[year], -year)) if counts else None


def timeline_data(graph: nx.MultiDiGraph) -> tuple[NetworkData, dict]:
    """The models and edges of the timeline and what timeline.js needs: each laning's lane order,
    the years, the default window and the filter choices. Nodes stand in one row per lane until the
    page packs them."""
    months = {iri: _month(data["release_date"]) for iri, data in graph.nodes(data=True)
              if data["kind"] == "VisionLanguageModel" and _month(data["release_date"]) is not None}
    models = sorted(months)
    first = min(months.values(), default=0)
    families = {iri: {lane: component_families(graph, iri, relation) for lane, (relation, _, _) in LANINGS.items()}
                for iri in models}
    # a model with components of two families (two encoders) stands in the lane of the first
    lanes = {iri: {lane: (families[iri][lane] or [none])[0] for lane, (_, _, none) in LANINGS.items()}
             for iri in models}
    lanings = {lane: {"label": label, "lanes": lane_order({iri: lanes[iri][lane] for iri in models}, months)}
               for lane, (_, label, _) in LANINGS.items()}
    colour = KIND_STYLES["VisionLanguageModel"].colour
    nodes = []
    for iri in models:
        data = graph.nodes[iri]
        own_families = sorted(graph.nodes[t]["label"] for _, t, k in graph.out_edges(iri, keys=True)
                              if k == "memberOfFamily")
        nodes.append({
            "id": iri, "name": data["label"], "label": data["label"], "kind": data["kind"], "href": data["page"],
            "x": (months[iri] - first) * STAND_IN, "y": lanings["encoder"]["lanes"].index(lanes[iri]["encoder"]) * STAND_IN,
            "title": "\n".join([data["label"], f"released {data['release_date']}"]
                               + ([f"by {', '.join(data['developers'])}"] if data["developers"] else [])
                               + [f"{LANINGS[lane][1]}: {', '.join(families[iri][lane])}"
                                  for lane in LANINGS if families[iri][lane]]
                               + ([f"{_size_text(data['parameters'])} parameters"] if data["parameters"] else [])),
            "shape": "box", **BOX, "color": {"background": _tint(colour, 0.84), "border": colour,
                                             "highlight": {"background": _tint(colour, 0.6), "border": "#222222"},
                                             "hover": {"background": _tint(colour, 0.72), "border": colour}},
            "organizations": list(data["developers"]), "families": own_families, "size": _size_bucket(data["parameters"]),
            "month": months[iri], "lanes": lanes[iri], "date": data["release_date"],
        })
    drawn = set(models)
    edges = [{"id": f"e{n}", "from": u, "to": v, "relation": k, "relationLabel": RELATION_LABELS[k], "arrows": "from",
              "title": f"{graph.nodes[u]['label']} {RELATION_LABELS[k]} {graph.nodes[v]['label']}",
              "color": {"color": RELATION_COLOURS[k], "opacity": 0.75}, "width": 1.5}
             for n, (u, v, k) in enumerate(sorted((u, v, k) for u, v, k in graph.edges(keys=True)
                                                  if k in DERIVATION_RELATIONS and u in drawn and v in drawn))]
    # The page sets the view (zoom 1, the window filling the width) and the page scrolls, so the
    # canvas neither zooms nor pans: a wheel scrolls the page as on any other.
    options = {"physics": {"enabled": False}, "layout": {"hierarchical": {"enabled": False}},
               "edges": {"smooth": {"type": "curvedCW", "roundness": 0.15},
                         "font": {"size": 12, "align": "middle", "strokeWidth": 5}},
               "interaction": {"hover": True, "tooltipDelay": 120, "dragNodes": False, "dragView": False,
                               "zoomView": False, "keyboard": False}}
    busiest = busiest_year(months)
    years = sorted({m // 12 for m in months.values()})
    extra = {"lanings": lanings, "years": list(range(years[0], years[-1] + 1)) if years else [],
             "window": [busiest, busiest] if busiest is not None else [],
             "organizations": sorted({o for n in nodes for o in n["organizations"]}, key=str.casefold),
             "families": sorted({f for n in nodes for f in n["families"]}, key=str.casefold),
             "sizes": [name for name, _, _ in SIZES] + ["size unknown"]}
    return NetworkData(nodes, edges, options, hover_labels=True), extra


def _size_bucket(parameters: int | None) -> str:
    if parameters is None:
        return "size unknown"
    return next(name for name, low, high in SIZES if low <= parameters < high)


def timeline_view(graph: nx.MultiDiGraph) -> VizPage:
    """The timeline page's parts: the drawing, the window, lane and filter controls, the scripts and their data."""
    data, extra = timeline_data(graph)
    return VizPage("Release timeline", f"{len(data.nodes)} vision-language models by release month, in lanes by encoder "
                   "or backbone family; a stacked box is a family's releases of one month (click to open it).",
                   data, controls=_controls(extra), assets=("timeline_layout.js", "timeline.js"),
                   extra_json=_script_json(extra))


def timeline_page(graph: nx.MultiDiGraph) -> str:
    """A self-contained timeline page."""
    return standalone_html(timeline_view(graph))


def _controls(extra: dict) -> str:
    def select(id_: str, label: str, options: list[tuple[str, str]], chosen: str = "") -> str:
        choices = "".join(f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>{html.escape(t)}'
                          f'</option>' for v, t in options)
        return f'<label>{label} <select id="{id_}">{choices}</select></label>'

    years = [(str(y), str(y)) for y in extra["years"]]
    start, end = (str(y) for y in extra["window"]) if extra["window"] else ("", "")
    return ('<form class="viz-controls" id="timeline-controls" onsubmit="return false">'
            + select("timeline-from", "From", years, start) + select("timeline-to", "to", years, end)
            + '<button type="button" id="timeline-earlier">Earlier</button>'
            + '<button type="button" id="timeline-later">Later</button>'
            + select("timeline-lanes", "Lanes by", [(lane, laning["label"]) for lane, laning in extra["lanings"].items()])
            + '<label><input type="checkbox" id="timeline-group" checked> stack a family’s releases of one month</label>'
            + select("timeline-organization", "Organization", [("", "any")] + [(o, o) for o in extra["organizations"]])
            + select("timeline-family", "Family", [("", "any")] + [(f, f) for f in extra["families"]])
            + select("timeline-size", "Size", [("", "any")] + [(z, z) for z in extra["sizes"]])
            + '<span id="timeline-count" class="muted" role="status"></span></form>')

"""The release timeline: vision-language models placed by release date (x) in lanes by the family
of their vision encoder or of their language backbone, with the derivation edges between them.

Positions are computed here, for both ways of laning, so the page only moves nodes when the reader
switches lanes: within a lane, models that would overlap are put on rows below one another. The
page filters by organization, family and size without a round trip (viz_assets/timeline.js).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import networkx as nx

from .lineage import DERIVATION_RELATIONS
from .viz import (KIND_STYLES, LABEL_WIDTH, RELATION_COLOURS, RELATION_LABELS, NetworkData, VizPage, _script_json,
                  _size_text, _tint, _vis_html, standalone_html)

MONTH_WIDTH = 34  # px of x per month
ROW_HEIGHT = 46  # px between rows of one lane
LANE_GAP = 26  # px between lanes
CHAR_WIDTH = 7.4  # px of a bold 13 px label character, to keep boxes of one row apart
NO_FAMILY = "no family recorded"
# lane key -> (component relation, what the lanes are called in the page)
LANINGS = {"encoder": ("hasVisionEncoder", "vision-encoder family", "no vision encoder"),
           "backbone": ("hasLanguageBackbone", "language-backbone family", "no language backbone")}
# Sizes the page filters by: (name, smallest, largest) in parameters.
SIZES = (("under 3B", 0, 3e9), ("3B–10B", 3e9, 10e9), ("10B–40B", 10e9, 40e9), ("40B and over", 40e9, float("inf")))


@dataclass(frozen=True)
class Lane:
    name: str
    top: float
    bottom: float


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


def _layout(graph: nx.MultiDiGraph, models: list[str], months: dict[str, int], first: int,
            lane_of: dict[str, str]) -> tuple[dict[str, tuple[float, float]], list[Lane]]:
    """x by month; lanes top to bottom by their earliest model; rows in a lane so boxes do not meet."""
    lanes: dict[str, list[str]] = {}
    for iri in sorted(models, key=lambda i: (months[i], graph.nodes[i]["label"].casefold())):
        lanes.setdefault(lane_of[iri], []).append(iri)
    order = sorted(lanes, key=lambda name: (name == NO_FAMILY or name.startswith("no "), months[lanes[name][0]],
                                            name.casefold()))
    positions, bands, top = {}, [], 0.0
    for name in order:
        row_ends: list[float] = []  # the right edge of the last box of each row
        for iri in lanes[name]:
            x = (months[iri] - first) * MONTH_WIDTH
            half = min(LABEL_WIDTH, CHAR_WIDTH * len(graph.nodes[iri]["label"]) + 24) / 2
            row = next((r for r, end in enumerate(row_ends) if end + 12 < x - half), len(row_ends))
            if row == len(row_ends):
                row_ends.append(0.0)
            row_ends[row] = x + half
            positions[iri] = (x, top + ROW_HEIGHT / 2 + row * ROW_HEIGHT)
        bottom = top + ROW_HEIGHT * len(row_ends)
        bands.append(Lane(name, top, bottom))
        top = bottom + LANE_GAP
    return positions, bands


def timeline_data(graph: nx.MultiDiGraph) -> tuple[NetworkData, dict]:
    """The nodes and edges of the timeline (positioned for encoder lanes) and what timeline.js needs:
    both layouts, the lanes, the years and the filter choices."""
    months = {iri: _month(data["release_date"]) for iri, data in graph.nodes(data=True)
              if data["kind"] == "VisionLanguageModel" and _month(data["release_date"]) is not None}
    models = sorted(months)
    first = min(months.values(), default=0)
    families = {iri: {lane: component_families(graph, iri, relation) or [none]
                      for lane, (relation, _, none) in LANINGS.items()} for iri in models}
    layouts = {}
    for lane in LANINGS:
        positions, bands = _layout(graph, models, months, first, {iri: families[iri][lane][0] for iri in models})
        layouts[lane] = {"positions": {iri: [x, y] for iri, (x, y) in positions.items()},
                         "lanes": [{"name": b.name, "top": b.top, "bottom": b.bottom} for b in bands]}
    colour = KIND_STYLES["VisionLanguageModel"].colour
    nodes = []
    for iri in models:
        data = graph.nodes[iri]
        own_families = sorted(graph.nodes[t]["label"] for _, t, k in graph.out_edges(iri, keys=True)
                              if k == "memberOfFamily")
        x, y = layouts["encoder"]["positions"][iri]
        nodes.append({
            "id": iri, "name": data["label"], "kind": data["kind"], "href": data["page"], "x": x, "y": y,
            "label": f"<b>{_vis_html(data['label'])}</b>\n<i>{_vis_html(data['release_date'])}</i>",
            "title": "\n".join([data["label"], f"released {data['release_date']}"]
                               + ([f"by {', '.join(data['developers'])}"] if data["developers"] else [])
                               + [f"{LANINGS[lane][1]}: {', '.join(families[iri][lane])}" for lane in LANINGS]
                               + ([f"{_size_text(data['parameters'])} parameters"] if data["parameters"] else [])),
            "shape": "box", "margin": 6, "widthConstraint": {"maximum": LABEL_WIDTH},
            "color": {"background": _tint(colour, 0.84), "border": colour},
            "font": {"multi": "html", "size": 13, "face": "sans-serif", "color": "#1f2328",
                     "ital": {"size": 11, "color": "#4d5560", "face": "sans-serif"}},
            "organizations": list(data["developers"]), "families": own_families, "size": _size_bucket(data["parameters"]),
            "month": months[iri],
        })
    drawn = set(models)
    edges = [{"id": f"e{n}", "from": u, "to": v, "relation": k, "relationLabel": RELATION_LABELS[k], "arrows": "from",
              "title": f"{graph.nodes[u]['label']} {RELATION_LABELS[k]} {graph.nodes[v]['label']}",
              "color": {"color": RELATION_COLOURS[k]}, "width": 2}
             for n, (u, v, k) in enumerate(sorted((u, v, k) for u, v, k in graph.edges(keys=True)
                                                  if k in DERIVATION_RELATIONS and u in drawn and v in drawn))]
    options = {"physics": {"enabled": False}, "layout": {"hierarchical": {"enabled": False}},
               "edges": {"smooth": {"type": "curvedCW", "roundness": 0.15},
                         "font": {"size": 12, "align": "middle", "strokeWidth": 5}},
               "interaction": {"hover": True, "tooltipDelay": 120, "dragNodes": False}}
    years = sorted({m // 12 for m in months.values()})
    extra = {"layouts": layouts,
             "firstMonth": first, "monthWidth": MONTH_WIDTH, "years": years,
             "organizations": sorted({o for n in nodes for o in n["organizations"]}, key=str.casefold),
             "families": sorted({f for n in nodes for f in n["families"]}, key=str.casefold),
             "sizes": [name for name, _, _ in SIZES] + ["size unknown"]}
    return NetworkData(nodes, edges, options, hover_labels=True), extra


def _size_bucket(parameters: int | None) -> str:
    if parameters is None:
        return "size unknown"
    return next(name for name, low, high in SIZES if low <= parameters < high)


def timeline_view(graph: nx.MultiDiGraph) -> VizPage:
    """The timeline page's parts: the drawing, the lane and filter controls, timeline.js and its data."""
    data, extra = timeline_data(graph)
    return VizPage("Release timeline", f"{len(data.nodes)} vision-language models by release date, in lanes by the "
                   "family of their vision encoder or language backbone; arrows run from a model to what was made "
                   "from it; click a model to open its page", data, controls=_controls(extra),
                   assets=("timeline.js",), extra_json=_script_json(extra))


def timeline_page(graph: nx.MultiDiGraph) -> str:
    """A self-contained timeline page."""
    return standalone_html(timeline_view(graph))


def _controls(extra: dict) -> str:
    def select(id_: str, label: str, options: list[tuple[str, str]]) -> str:
        choices = "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options)
        return f'<label>{label} <select id="{id_}">{choices}</select></label>'

    return ('<form class="viz-controls" id="timeline-controls" onsubmit="return false">'
            + select("timeline-lanes", "Lanes by", [(lane, label) for lane, (_, label, _) in LANINGS.items()])
            + select("timeline-organization", "Organization", [("", "any")] + [(o, o) for o in extra["organizations"]])
            + select("timeline-family", "Family", [("", "any")] + [(f, f) for f in extra["families"]])
            + select("timeline-size", "Size", [("", "any")] + [(z, z) for z in extra["sizes"]])
            + '<span id="timeline-count" class="muted" role="status"></span></form>')

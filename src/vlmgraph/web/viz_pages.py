"""/viz/lineage/{name} and /viz/overview: the pages `vlmgraph viz lineage` and `vlmgraph viz overview`
write, served with the same options (depth, direction; kind, org, year). Self-contained pages:
vis-network is written in line, nothing is fetched from elsewhere."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..catalogue import Catalogue
from ..lineage import UnknownName, local_layered_graph, resolve
from ..terms import DRAWN_KINDS
from ..timeline import timeline_view
from ..viz import DEFAULT_DEPTH, lineage_view, overview_view
from .site import catalogue_of, problem_page
from .templating import render

router = APIRouter(prefix="/viz", tags=["lineage pages"])

DIRECTIONS = ("up", "down", "both")
MAX_DEPTH = 20  # every lineage chain in the catalogue is far shorter


class BadOption(ValueError):
    pass


def _integer(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadOption(f"{name} must be a whole number, not {raw[:50]!r}") from None
    if not low <= value <= high:
        raise BadOption(f"{name} must be between {low} and {high}, not {value}")
    return value


@router.get("/lineage/{name:path}", summary="Interactive lineage page of a model", response_class=HTMLResponse,
            description=f"`name` is an id, label, alias or IRI. `depth` (0–20, default {DEFAULT_DEPTH}) and `direction` "
                        "(up: what it is built from, down: what is built on it, both) as in `vlmgraph viz lineage`.")
async def lineage(request: Request, name: str, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    try:
        depth = _integer(request, "depth", DEFAULT_DEPTH, 0, MAX_DEPTH)
        direction = request.query_params.get("direction", "up").strip().lower()
        if direction not in DIRECTIONS:
            raise BadOption(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction[:50]!r}")
    except BadOption as exc:
        return problem_page(request, 400, "Bad option", str(exc))
    try:
        iri = catalogue.names.resolve(name).value
        graph = local_layered_graph(catalogue.store, iri, depth if direction != "down" else 0,
                                    depth if direction != "up" else 0, names=catalogue.names)
        iri = resolve(graph, iri)  # an entity outside the lineage graph (a paper, a concept) is refused here
    except UnknownName as exc:
        return problem_page(request, 404, "Not found", f"No lineage for {name[:200]!r}: {exc}", asked=name)
    return render(request, "viz.html", page="lineage", view=lineage_view(graph, iri, depth, direction))


@router.get("/overview", summary="Interactive page of the whole graph, or part of it", response_class=HTMLResponse,
            description="Filters as in `vlmgraph viz overview`: `kind` (repeatable; "
                        f"{', '.join(kind.name for kind in DRAWN_KINDS)}), `org` (an organization by name) and `year`.")
async def overview(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    graph = catalogue.lineage_graph()
    kinds = [k for value in request.query_params.getlist("kind") for k in value.split(",") if k.strip()]
    org = (request.query_params.get("org") or "").strip() or None
    try:
        year = _integer(request, "year", None, 1, 9999)
        view = overview_view(graph, kinds=[k.strip() for k in kinds] or None, org=org, year=year, filter_form=True)
    except BadOption as exc:
        return problem_page(request, 400, "Bad option", str(exc))
    except UnknownName as exc:
        return problem_page(request, 400, "Unknown organization", f"org: {exc}", asked=org)
    except ValueError as exc:  # what viz raises for a bad kind, or an org that is not an organization
        return problem_page(request, 400, "Bad option", str(exc))
    return render(request, "viz.html", page="overview", view=view)


@router.get("/timeline", summary="Release timeline of the vision-language models", response_class=HTMLResponse,
            description="Models by release date in lanes by vision-encoder or language-backbone family (switched in "
                        "the page), with derivation edges; filters by organization, family and size in the page. "
                        "The page `vlmgraph viz timeline` writes.")
async def timeline(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    return render(request, "viz.html", page="timeline", view=timeline_view(catalogue.lineage_graph()))

"""Search by name: GET /api/search (JSON, for the header's autocomplete) and GET /search (the
results page the header form submits to when JavaScript is off, or Enter is pressed)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..catalogue import Catalogue
from ..names import MAX_QUERY, RANKS, QueryTooLong
from .site import catalogue_of, problem_page
from .templating import render

router = APIRouter(tags=["search"])

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
PAGE_LIMIT = 50


class BadLimit(ValueError):
    pass


def _limit(request: Request, default: int) -> int:
    raw = request.query_params.get("limit")
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadLimit(f"limit must be a whole number, not {raw[:50]!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise BadLimit(f"limit must be between 1 and {MAX_LIMIT}, not {value}")
    return value


_API_DESCRIPTION = (
    "Entities whose label, alias or id matches `q`, best first: exact matches, then prefix matches, matches at "
    "the start of a later word, substring matches and fuzzy matches. Case, accents and punctuation are "
    "ignored (`llava 1.5` finds LLaVA-1.5). Each result gives the entity's `label`, `kind` (its most specific "
    "class) and `kindLabel`, its `iri`, its `page` in this app, the name that matched (`match`) and the `rank` "
    f"of the match ({', '.join(RANKS)}). An empty `q` gives []; a `q` over {MAX_QUERY} characters is refused (400)."
)


@router.get("/api/search", summary="Find entities by name or alias (autocomplete)", description=_API_DESCRIPTION,
            openapi_extra={"parameters": [
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": MAX_QUERY},
                 "description": "what the user typed"},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                 "description": "how many results at most"},
            ]},
            responses={200: {"content": {"application/json": {"example": [
                {"label": "LLaVA-1.5", "kind": "VisionLanguageModel", "kindLabel": "Vision-language model",
                 "iri": "https://w3id.org/vlmgraph/resource/model/llava-1.5", "page": "/resource/model/llava-1.5",
                 "match": "LLaVA-1.5", "rank": "exact"}]}}},
                       400: {"description": "q too long, or a bad limit"}})
async def api_search(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    q = request.query_params.get("q", "")
    try:
        hits = catalogue.names.search(q, limit=_limit(request, DEFAULT_LIMIT))
    except (QueryTooLong, BadLimit) as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse([hit.as_json() for hit in hits])


@router.get("/search", include_in_schema=False)
async def search_page(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    q = request.query_params.get("q", "").strip()
    index = catalogue.names
    try:
        hits = index.search(q, limit=PAGE_LIMIT)
    except QueryTooLong as exc:
        return problem_page(request, 400, "Search text too long", str(exc))
    exact = [hit for hit in hits if hit.rank == "exact"]
    if len(exact) == 1:
        return RedirectResponse(exact[0].page, status_code=303)
    return render(request, "search.html", page="search", q=q, hits=hits)

"""The query page at ``/``: an editor with the prefixes filled in and the named queries one click away."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from pyoxigraph import NamedNode

from ..catalogue import Catalogue
from ..execution import QueryError
from ..names import NameIndex
from ..queries import NamedQuery
from ..sparql_text import scan, where_brace
from ..terms import FIELD_PROPERTIES, KINDS, RELATIONS
from ..vocab import ONTOLOGY_NS, PREFIXES, prefixed_name
from .site import catalogue_of
from .templating import render

router = APIRouter(include_in_schema=False)

STARTER = """SELECT ?model ?label ?encoder ?encoderLabel WHERE {
  ?model a vlm:VisionLanguageModel ;
         rdfs:label ?label ;
         vlm:hasVisionEncoder ?encoder .
  ?encoder rdfs:label ?encoderLabel .
}
ORDER BY ?label
LIMIT 100
"""


def prologue(text: str) -> str:
    """PREFIX lines for the prefixes a query uses, so the text runs on any SPARQL endpoint as is."""
    written = {token.split(":", 1)[0] for what, _, token in scan(text) if what == "pname"}
    used = [name for name in PREFIXES if name in written]
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in used)


def editable_text(query: NamedQuery, resolver: NameIndex, given: dict[str, str] | None = None) -> str:
    """A named query as a user would type it: its summary as a comment, its parameters bound to
    their defaults (or to the `given` values, names resolved as the CLI resolves them: QueryError
    when one does not) in a BIND line the user can edit, as `bind_parameters` binds them, every
    prefix declared."""
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#+")).strip()
    if given is not None:
        bound = query.bind({k: v for k, v in given.items() if v.strip()}, resolver)
    else:
        try:
            bound = query.bind({}, resolver)  # every parameter at its default
        except QueryError:
            bound = {}  # a required parameter without a default, or a default that no longer resolves: left free
    by_variable = {p.variable: p for p in query.parameters}
    shown = {p.name: (given or {}).get(p.name, "").strip() or p.default for p in query.parameters}
    lines = [f"BIND({_written(term)} AS ?{variable.value})  # {by_variable[variable.value].name}: "
             f"{shown[by_variable[variable.value].name]}" for variable, term in bound.items()]
    brace = where_brace(body)
    if lines and brace is not None:
        body = body[:brace + 1] + "\n  " + "\n  ".join(lines) + body[brace + 1:]
    return f"# {query.summary}\n{prologue(body)}\n{body}\n"


def _written(term) -> str:
    """A bound value as people read and paste it: model:llava-1.5 rather than the full IRI."""
    return prefixed_name(term.value) if isinstance(term, NamedNode) else str(term)


@router.get("/", response_class=HTMLResponse)
async def query_page(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> HTMLResponse:
    examples = [
        {"name": q.name, "summary": q.summary, "description": q.description,
         "text": editable_text(q, catalogue.names),
         "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in q.parameters]}
        for q in catalogue.queries.values()
    ]
    return render(request, "query.html", page="query", examples=examples,
                  starter=prologue(STARTER) + "\n" + STARTER, prefixes=PREFIXES, terms=vocabulary_terms())


def vocabulary_terms() -> list[str]:
    """The vlm: classes and properties the editor completes, from the vocabulary tables."""
    names = {kind.iri for kind in KINDS} | {iri for kind in KINDS for iri in kind.classes}
    names |= {relation.iri for relation in RELATIONS} | {node.value for node in FIELD_PROPERTIES.values()}
    return sorted(iri.removeprefix(ONTOLOGY_NS) for iri in names if iri.startswith(ONTOLOGY_NS))


@router.get("/query-text/{name}")
async def query_text(name: str, request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> PlainTextResponse:
    """A named query's editable text with the parameters given in the query string bound (names
    resolved as the CLI resolves them); 400 with the reason when one does not resolve."""
    try:
        query = catalogue.named(name)
        return PlainTextResponse(editable_text(query, catalogue.names, dict(request.query_params)))
    except QueryError as exc:
        return PlainTextResponse(str(exc), status_code=400)


def example_url(query: NamedQuery) -> str:
    defaults = {p.name: p.default for p in query.parameters if p.default is not None}
    return f"/api/queries/{query.name}" + (f"?{urlencode(defaults)}" if defaults else "")


@router.get("/api", response_class=HTMLResponse)
async def api_page(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> HTMLResponse:
    """The named-query operations for people; /openapi.json describes the same for machines."""
    queries = [{"name": q.name, "summary": q.summary, "description": q.description, "parameters": q.parameters,
                "example_url": example_url(q)} for q in catalogue.queries.values()]
    return render(request, "api.html", page="api", queries=queries)

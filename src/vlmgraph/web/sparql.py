"""SPARQL 1.1 Protocol router: GET and POST /sparql, read-only, no outgoing connections.

A request is checked here, on the event loop (one scan of the query text, content negotiation),
and answered by the query process (query_workers), awaited without blocking the loop.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..query_workers import QueryJob, QueryRejected, QueryTimeout
from ..sparql_errors import mistake, unknown_prefix_message
from ..sparql_text import QueryText, inspect, line_and_column
from ..vocab import PREFIXES
from ..formats import formats, media_types
from .negotiation import ConflictingFormats, NotAcceptable, best_match, choose
from .query_page import query_page
from .service_description import service_description

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter: send one {name} per request")
    return values[0] if values else None


def _formats(params: list[tuple[str, str]]) -> list[str]:
    """Every `format` value: clients repeat it with equivalent values (see negotiation.choose)."""
    return [value for key, value in params if key == "format"]


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not UTF-8 (byte {exc.start})") from None


async def _read_body(request: Request) -> bytes:
    limit = request.app.state.settings.max_request_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body over the limit of {limit:,} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(413, f"request body over the limit of {limit:,} bytes")
    return body


def _url_params(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, decoded once: FastAPI has parsed them already (request.query_params) for
    every request. A query string beyond ASCII (which h11 refuses anyway) is read as UTF-8 instead."""
    if request.scope.get("query_string", b"").isascii():
        return request.query_params.multi_items()
    return parse_qsl(request.url.query, keep_blank_values=True)


async def _protocol_request(request: Request) -> tuple[str | None, list[tuple[str, str]]]:
    """The query text (None when absent) and every protocol parameter of the request."""
    url_params = _url_params(request)
    if request.method == "GET":
        if _single(url_params, "update") is not None:
            raise ProtocolError(403, READ_ONLY)
        return _single(url_params, "query"), url_params
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == DIRECT_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    if media_type == FORM:
        text = _decode(await _read_body(request), "form body")
        form = parse_qsl(text, keep_blank_values=True)
        if _single(form, "update") is not None:
            raise ProtocolError(403, READ_ONLY)
        if _single(url_params, "query") is not None:
            raise ProtocolError(400, "a POSTed form must carry the query in its body, not in the URL")
        query = _single(form, "query")
        if query is None:
            raise ProtocolError(400, "missing 'query' parameter in the form body")
        return query, form + url_params
    if media_type == DIRECT_QUERY:
        if _single(url_params, "query") is not None:
            raise ProtocolError(400, "a direct POST carries the query in its body, not also in the URL")
        return _decode(await _read_body(request), "query"), url_params
    raise ProtocolError(415, f"unsupported media type {media_type or '(none)'!r}: use {FORM} or {DIRECT_QUERY}")


def _check(query: str) -> QueryText:
    """What the text says (one scan); refuses what a public read-only endpoint must not run."""
    if not query.strip():
        raise ProtocolError(400, "empty query")
    text = inspect(query, PREFIXES)
    if text.form == "UPDATE":
        raise ProtocolError(403, READ_ONLY)
    if text.undeclared is not None:  # named here: the query process sees only the parser's position
        raise ProtocolError(400, unknown_prefix_message(text.undeclared[1],
                                                        *line_and_column(query, text.undeclared[0]), PREFIXES))
    if "SERVICE" in text.keywords:
        raise ProtocolError(400, "SERVICE is not allowed: this endpoint makes no outgoing connections")
    return text


async def run_query(request: Request, query: str, params: list[tuple[str, str]]) -> Response:
    settings = request.app.state.settings
    text = _check(query)
    kind = "graph" if text.form in ("CONSTRUCT", "DESCRIBE") else "results"
    try:
        media_type, fmt = choose(request.headers.get("accept"), kind, _formats(params))
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from None
    except ConflictingFormats as exc:
        raise ProtocolError(400, str(exc)) from None
    job = QueryJob(
        query=query,
        format=fmt.name,
        default_graphs=[v for k, v in params if k == "default-graph-uri"],
        named_graphs=[v for k, v in params if k == "named-graph-uri"],
        max_bytes=settings.max_result_bytes,
        base_iri=str(request.url.replace(query="")),
        dataset_clause=text.has_dataset_clause,
    )
    try:  # in the query process (query_workers), awaited on the event loop: nothing here blocks it
        body = await request.app.state.workers.run(job)
    except QueryTimeout as exc:
        raise ProtocolError(503, str(exc)) from None
    except QueryRejected as exc:
        # The query process sees only the parser's position; the text here can name the misspelled word.
        found = mistake(query, PREFIXES) if str(exc).startswith("SPARQL syntax error") else None
        raise ProtocolError(400, found or str(exc)) from None
    if media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/json", "/xml", "/trig", "triples")):
        media_type += "; charset=utf-8"
    return Response(content=body, media_type=media_type, headers={"Vary": "Accept"})


_DESCRIPTION = ("SPARQL 1.1 Protocol: GET with ?query=, POST as a form or as application/sparql-query. "
                "Read-only; SERVICE is refused. Without a query, GET returns the service description.")


@router.get("/sparql", summary="SPARQL 1.1 query (GET)", description=_DESCRIPTION)
async def sparql_get(request: Request) -> Response:
    return await _answer(request)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)", description=_DESCRIPTION)
async def sparql_post(request: Request) -> Response:
    return await _answer(request)


def _wants_page(accept: str | None) -> bool:
    """A browser (Accept: text/html…) opening /sparql gets the query page, as on Fuseki or YASGUI-fronted
    endpoints; an RDF client (or one accepting anything, */*) gets the service description."""
    offered = {**media_types(formats("graph", results_only=True)), "text/html": None}
    try:
        return best_match(accept, offered)[0] == "text/html"
    except NotAcceptable:
        return False


async def _answer(request: Request) -> Response:
    try:
        query, params = await _protocol_request(request)
        if query is None:
            if request.method == "POST":
                raise ProtocolError(400, "missing 'query' parameter")
            if not _formats(params) and _wants_page(request.headers.get("accept")):
                return await query_page(request, request.app.state.catalogue)
            return service_description(request, _formats(params))
        return await run_query(request, query, params)
    except ProtocolError as exc:
        return error(exc.status, exc.message)

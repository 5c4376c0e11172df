"""Every named query of queries/ as a documented REST operation: GET /api/queries/{name}?param=…"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from ..catalogue import Catalogue
from ..execution import QueryError
from ..formats import formats
from ..queries import NamedQuery, bind_parameters
from .site import catalogue_of
from .sparql import ProtocolError, error, run_query

_RESULT_NAMES = ", ".join(f.name for f in formats("results"))
_SCHEMA = {"iri": {"type": "string"}, "string": {"type": "string"}, "integer": {"type": "integer"},
           "decimal": {"type": "number"}}


def router_for(queries: dict[str, NamedQuery]) -> APIRouter:
    router = APIRouter(prefix="/api/queries", tags=["named queries"])

    @router.get("", summary="List the named queries")
    async def list_queries() -> JSONResponse:
        return JSONResponse([
            {"name": q.name, "summary": q.summary, "description": q.description, "tags": list(q.tags),
             "path": f"/api/queries/{q.name}",
             "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default}
                            for p in q.parameters]}
            for q in queries.values()
        ])

    for query in queries.values():
        router.add_api_route(
            f"/{query.name}", _endpoint(query), methods=["GET"], summary=query.summary,
            description=query.description + "\n\nResults are negotiated by `Accept` or `format` "
                                            f"({_RESULT_NAMES}).",
            name=query.name, openapi_extra={"parameters": [_parameter(p) for p in query.parameters] + [
                {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": f"{_RESULT_NAMES} (overrides Accept)"}]},
        )
    return router


def _parameter(parameter) -> dict:
    description = {"iri": "an entity: its name, an alias, its id or its IRI"}.get(parameter.type, parameter.type)
    spec = {"name": parameter.name, "in": "query", "required": parameter.required and parameter.default is None,
            "schema": dict(_SCHEMA[parameter.type]), "description": description}
    if parameter.default is not None:
        spec["schema"]["default"] = parameter.default
    return spec


def _endpoint(query: NamedQuery):
    async def endpoint(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
        params = list(request.query_params.multi_items())
        values = {k: v for k, v in params if k != "format"}
        try:
            bound = query.bind(values, catalogue.names)
            return await run_query(request, bind_parameters(query.text, bound), params)
        except QueryError as exc:
            return error(400, str(exc))
        except ProtocolError as exc:
            return error(exc.status, exc.message)

    endpoint.__name__ = f"query_{query.name.replace('-', '_')}"
    return endpoint

"""Jinja2 templates and the static files every HTML page of the app shares."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..viz import VIS_NETWORK_ASSETS, VIZ_ASSETS
from ..vocab import prefixed_name

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["prefixed"] = prefixed_name  # model:llava-1.5: what a query accepts when pasted


def mount_static(app: FastAPI) -> None:
    """Serve our own assets and the vis-network build pyvis ships: no page loads anything from elsewhere."""
    app.mount("/static/vendor/vis-network", StaticFiles(directory=str(VIS_NETWORK_ASSETS)), name="vis-network")
    app.mount("/static/viz", StaticFiles(directory=str(VIZ_ASSETS)), name="viz")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("page", None)
    return templates.TemplateResponse(
        request, template, {"statistics": request.app.state.catalogue.statistics, "endpoint": str(request.url_for("sparql_get")), **context},
        status_code=status_code,
    )

"""The app over a freshly built store of the real catalogue, for the entity, search and viz tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from vlmgraph.store import build
from vlmgraph.web.app import Settings, create_app

from .conftest import DATA

# A <script>, <link>, <img> or <iframe> loading from another host.
REMOTE_ASSET = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def make_client(tmp_path_factory) -> TestClient:
    """A client of the app; the lifespan (query worker processes) is not started: these pages need none."""
    folder = tmp_path_factory.mktemp("site") / "build"
    build(DATA, folder)
    return TestClient(create_app(Settings(folder, workers=1)))

SPEC = re.compile(r'<script type="application/json" id="vlmgraph-spec">(.*?)</script>', re.S)


def drawing(page: str) -> dict:
    """What a page gives vis-network to draw: {nodes, edges, options, layers, …}."""
    import json

    return json.loads(SPEC.search(page).group(1))

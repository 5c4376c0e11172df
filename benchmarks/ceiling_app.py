"""The ceiling: the least a SPARQL endpoint over pyoxigraph can be — FastAPI, one open store, no checks.

    python ceiling_app.py STORE_DIR PORT

GET /sparql?query=… runs the query on the store (union default graph, vlmgraph's prefixes) and
returns SPARQL JSON, or N-Triples for CONSTRUCT. No content negotiation, size limits, time
limits or worker processes: whatever vlmgraph serve spends on top of this is the price of
those. Same store folder, same uvicorn, same host as vlmgraph serve.
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI, Query
from fastapi.responses import Response
from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat, Store

from vlmgraph.vocab import PREFIXES


def create_app(store_dir: str) -> FastAPI:
    store = Store.read_only(f"{store_dir}/oxigraph")
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str = Query(...)) -> Response:  # a plain def: FastAPI runs it in its thread pool
        outcome = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(outcome, QueryTriples):
            return Response(outcome.serialize(format=RdfFormat.N_TRIPLES), media_type="application/n-triples")
        return Response(outcome.serialize(format=QueryResultsFormat.JSON),
                        media_type="application/sparql-results+json")

    return app


if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")

"""Upload the built graphs to a SPARQL server so that queries never see half a version.

Each graph goes to a fresh staging graph IRI first — by Graph Store Protocol PUT/POST when a
GSP URL is given, otherwise by SPARQL Update INSERT DATA, in batches — and is counted there.
Then ONE update request swaps it in::

    DROP SILENT GRAPH <g> ; MOVE GRAPH <staging of g> TO <g> ; …

A SPARQL 1.1 Update request is applied atomically (Update §2.2: "each request SHOULD be
treated atomically"), so a reader sees the old graphs or the new ones. MOVE keeps the
canonical graph IRIs, so ``GRAPH ?g`` answers the same names as the embedded store; a pointer
graph with versioned IRIs would have needed every reader to look the version up first. The
staging graphs are listed in a small control graph *before* the upload starts: a publish
killed half-way leaves the published graphs untouched, and the next publish drops what the
list names. Blank nodes (the ontology's OWL lists) are sent in one ``INSERT {…} WHERE {}``
per graph, since their labels only hold within one request and Virtuoso refuses them in
INSERT DATA.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable

from pyoxigraph import BlankNode, NamedNode, QueryResultsFormat, RdfFormat, Triple, parse_query_results, serialize

from .graph_store import GraphStore
from .remote_store import CANONICAL_GRAPHS, GraphNames
from .sparql_client import RESULTS_JSON, NotSparql, RequestRejected, SparqlClient

# Triples per request. Measured on data/ (8,680 triples): see docs/remote-store.md.
DEFAULT_BATCH = 10_000
_IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"
_CREATED = "http://purl.org/dc/terms/created"


@dataclass(frozen=True)
class Target:
    """Where to publish: the query endpoint, and optionally a separate update endpoint or GSP URL."""

    endpoint: str
    update: str | None = None
    gsp: str | None = None
    graph_prefix: str | None = None

    @property
    def update_url(self) -> str:
        return self.update or self.endpoint


@dataclass
class Published:
    graphs: dict[str, int] = field(default_factory=dict)  # published graph IRI -> triples
    stale_dropped: int = 0
    upload_seconds: float = 0.0
    switch_seconds: float = 0.0
    requests: int = 0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def publish(store: GraphStore, target: Target, client: SparqlClient, *, batch_size: int = DEFAULT_BATCH,
            progress: Callable[[int], None] | None = None, total: Callable[[int], None] | None = None) -> Published:
    """Publish the ontology and data graphs of ``store``. ``total(n)`` is told the number of
    triples once, ``progress(k)`` each time k more are on the server."""
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    names = GraphNames(target.graph_prefix)
    report = Published()
    report.stale_dropped = drop_stale_staging(client, target, names)
    counts = {iri: _count(store, iri) for iri in CANONICAL_GRAPHS}
    if total:
        total(sum(counts.values()))
    run = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)
    staging = {iri: names.staging(iri, run) for iri in CANONICAL_GRAPHS}
    _register(client, target, names, staging)
    try:
        started = time.monotonic()
        for iri in CANONICAL_GRAPHS:
            report.requests += _upload(store, iri, staging[iri], target, client, batch_size, progress)
        report.upload_seconds = time.monotonic() - started
        _verify(client, target, names, staging, counts)
        started = time.monotonic()
        client.update(target.update_url, _switch(names, staging, counts))
        report.switch_seconds = time.monotonic() - started
    except BaseException:
        _drop_quietly(client, target, names, list(staging.values()))
        raise
    report.graphs = {names.publish_name(iri): counts[iri] for iri in CANONICAL_GRAPHS}
    return report


def _count(store: GraphStore, iri: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


def drop_stale_staging(client: SparqlClient, target: Target, names: GraphNames) -> int:
    """Drop the staging graphs an earlier, interrupted publish left behind; how many there were."""
    body, media_type = client.query(target.endpoint, f"SELECT DISTINCT ?staging WHERE {{ ?staging <{_IS_VERSION_OF}> ?g }}",
                                    RESULTS_JSON, [names.control], [names.empty])
    if "json" not in media_type:
        raise NotSparql(f"{target.endpoint} is not a SPARQL endpoint: it answered a query with "
                        f"{media_type or 'no media type'}")
    try:
        stale = [row["staging"].value for row in parse_query_results(body, QueryResultsFormat.JSON)]
    except (SyntaxError, ValueError):
        raise NotSparql(f"{target.endpoint} answered with something that is not SPARQL JSON results") from None
    if stale:
        client.update(target.update_url, _drop(names, stale))
    return len(stale)


def _register(client: SparqlClient, target: Target, names: GraphNames, staging: dict[str, str]) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    entries = " ".join(f"<{graph}> <{_IS_VERSION_OF}> <{names.publish_name(iri)}> ; "
                       f"<{_CREATED}> \"{now}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> ."
                       for iri, graph in staging.items())
    client.update(target.update_url, f"INSERT DATA {{ GRAPH <{names.control}> {{ {entries} }} }}")


def _drop(names: GraphNames, graphs: Iterable[str]) -> str:
    graphs = list(graphs)
    drops = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
    forget = " ; ".join(f"DELETE WHERE {{ GRAPH <{names.control}> {{ <{g}> ?p ?o }} }}" for g in graphs)
    return f"{drops} ; {forget}"


def _drop_quietly(client: SparqlClient, target: Target, names: GraphNames, graphs: list[str]) -> None:
    """Best effort after a failure; what stays behind is dropped by the next publish."""
    try:
        client.update(target.update_url, _drop(names, graphs))
    except Exception:
        pass


def _batches(store: GraphStore, iri: str, size: int) -> Iterable[tuple[list[Triple], bool]]:
    """(triples, has blank nodes): full batches of ground triples, then every blank-node triple together."""
    ground: list[Triple] = []
    blank: list[Triple] = []
    for quad in store.quads_for_pattern(None, None, None, NamedNode(iri)):
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            blank.append(quad.triple)
            continue
        ground.append(quad.triple)
        if len(ground) >= size:
            yield ground, False
            ground = []
    if ground:
        yield ground, False
    if blank:
        yield blank, True


def _upload(store: GraphStore, iri: str, staging: str, target: Target, client: SparqlClient, size: int,
            progress: Callable[[int], None] | None) -> int:
    requests = 0
    for triples, has_blank_nodes in _batches(store, iri, size):
        text = serialize(triples, format=RdfFormat.N_TRIPLES)
        if target.gsp:  # PUT creates the staging graph, POST adds to it
            client.store_graph(target.gsp, staging, text, replace=requests == 0)
        elif has_blank_nodes:  # a template's blank nodes are fresh for the one (empty) solution
            client.update(target.update_url, f"INSERT {{ GRAPH <{staging}> {{\n{text.decode()}}} }} WHERE {{}}")
        else:
            client.update(target.update_url, f"INSERT DATA {{ GRAPH <{staging}> {{\n{text.decode()}}} }}")
        requests += 1
        if progress:
            progress(len(triples))
    return requests


def _verify(client: SparqlClient, target: Target, names: GraphNames, staging: dict[str, str],
            counts: dict[str, int]) -> None:
    """Every triple sent must be on the server before anything is switched."""
    body, _ = client.query(target.endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                           RESULTS_JSON, [names.empty], list(staging.values()))
    try:
        held = {row["g"].value: int(row["n"].value) for row in parse_query_results(body, QueryResultsFormat.JSON)}
    except (SyntaxError, ValueError):
        raise NotSparql(f"{target.endpoint} answered with something that is not SPARQL JSON results") from None
    for iri, graph in staging.items():
        if held.get(graph, 0) != counts[iri]:
            raise RequestRejected(f"the server at {target.update_url} kept {held.get(graph, 0):,} of the "
                                  f"{counts[iri]:,} triples sent to {graph}; nothing was switched")


def _switch(names: GraphNames, staging: dict[str, str], counts: dict[str, int]) -> str:
    """The one update request that replaces the published graphs by the staging ones."""
    operations = []
    for iri, graph in staging.items():
        published = names.publish_name(iri)
        operations.append(f"DROP SILENT GRAPH <{published}>")  # MOVE replaces, but not on every server
        if counts[iri]:
            operations.append(f"MOVE GRAPH <{graph}> TO <{published}>")
    operations += [f"DELETE WHERE {{ GRAPH <{names.control}> {{ <{g}> ?p ?o }} }}" for g in staging.values()]
    return " ;\n".join(operations)

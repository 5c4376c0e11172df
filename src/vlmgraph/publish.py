"""Upload the built graphs to a SPARQL server so that queries never see half a version.

Each graph goes to a fresh version IRI (``…/graph/data/v/<run>``) — by Graph Store Protocol
PUT/POST when a GSP URL is given, otherwise by SPARQL Update INSERT DATA, in batches — and is
counted there. Then ONE small update request moves the pointer of the control graph::

    <…/graph/data> dcat:hasCurrentVersion <…/graph/data/v/<run>> .

A SPARQL 1.1 Update request is applied atomically (Update §2.2: "each request SHOULD be
treated atomically"), and this one rewrites one triple per graph whatever the size of the graphs. (The
first design moved the uploaded graph onto the canonical IRI with MOVE GRAPH, also one
request; but MOVE copies every triple: 0.3 s for data/ on Virtuoso, 2.5 s on Oxigraph server,
and past a 300 s timeout on Oxigraph for 10,000 synthetic models — too long a write
transaction.) ``RemoteStore`` reads the pointer, queries the current versions and answers
with the canonical graph IRIs, so ``GRAPH ?g`` still reads as it does embedded.

Every version is listed in the control graph *before* its upload starts, so a publish killed
half-way leaves the current version answering and the next publish drops what is listed but
not current. The replaced version is dropped at the end, after a grace period longer than a
reader trusts the pointer it read (``VERSION_TTL``). Blank nodes (the ontology's OWL lists)
are sent in one ``INSERT {…} WHERE {}`` per graph: their labels only hold within one request,
and Virtuoso refuses them in INSERT DATA.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable

from pyoxigraph import BlankNode, NamedNode, QueryResultsFormat, RdfFormat, Triple, parse_query_results, serialize

from .graph_store import GraphStore
from .remote_store import CANONICAL_GRAPHS, HAS_CURRENT_VERSION, IS_VERSION_OF, VERSION_TTL, GraphNames, read_versions
from .sparql_client import RESULTS_JSON, NotSparql, RequestRejected, SparqlClient

# Triples per request. Virtuoso 7's SPARQL compiler runs out of memory parsing an INSERT DATA
# of ~5,000 triples; 4,000 was also the fastest batch on data/ (see docs/remote-store.md).
DEFAULT_BATCH = 4_000
GRACE = VERSION_TTL + 1.0
_CREATED = "http://purl.org/dc/terms/created"
_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


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
    graphs: dict[str, str] = field(default_factory=dict)  # published graph name -> its new version
    triples: dict[str, int] = field(default_factory=dict)  # published graph name -> triples
    stale_dropped: int = 0
    replaced_dropped: int = 0
    upload_seconds: float = 0.0
    switch_seconds: float = 0.0
    requests: int = 0

    @property
    def total(self) -> int:
        return sum(self.triples.values())


def publish(store: GraphStore, target: Target, client: SparqlClient, *, batch_size: int = DEFAULT_BATCH,
            grace: float = GRACE, progress: Callable[[int], None] | None = None,
            total: Callable[[int], None] | None = None) -> Published:
    """Publish the ontology, data and statistics graphs of ``store``. ``total(n)`` is told the number of
    triples once, ``progress(k)`` each time k more are on the server."""
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    names = GraphNames(target.graph_prefix)
    report = Published()
    current, versions = read_versions(client, target.endpoint, names)
    stale = [version for version in versions if version not in current.values()]
    if stale:  # left by a publish that was killed, or not yet dropped after its grace period
        client.update(target.update_url, _drop(names, stale))
    report.stale_dropped = len(stale)
    counts = {iri: _count(store, iri) for iri in CANONICAL_GRAPHS}
    if total:
        total(sum(counts.values()))
    run = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)
    fresh = {iri: names.version(iri, run) for iri in CANONICAL_GRAPHS}
    client.update(target.update_url, _register(names, fresh))
    try:
        started = time.monotonic()
        for iri in CANONICAL_GRAPHS:
            report.requests += _upload(store, iri, fresh[iri], target, client, batch_size, progress)
        report.upload_seconds = time.monotonic() - started
        _verify(client, target, names, fresh, counts)
        started = time.monotonic()
        client.update(target.update_url, _switch(names, fresh))
        report.switch_seconds = time.monotonic() - started
    except BaseException:
        _drop_quietly(client, target, names, list(fresh.values()))
        raise
    report.graphs = {names.published(iri): fresh[iri] for iri in CANONICAL_GRAPHS}
    report.triples = {names.published(iri): counts[iri] for iri in CANONICAL_GRAPHS}
    replaced = list(current.values())
    if replaced:  # readers that read the old pointer may still be using these for VERSION_TTL
        time.sleep(grace)
        client.update(target.update_url, _drop(names, replaced))
    report.replaced_dropped = len(replaced)
    return report


def _count(store: GraphStore, iri: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


def _register(names: GraphNames, fresh: dict[str, str]) -> str:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    entries = " ".join(f"<{version}> <{IS_VERSION_OF}> <{names.published(iri)}> ; <{_CREATED}> \"{now}\"^^<{_DATETIME}> ."
                       for iri, version in fresh.items())
    return f"INSERT DATA {{ GRAPH <{names.control}> {{ {entries} }} }}"


def _switch(names: GraphNames, fresh: dict[str, str]) -> str:
    """The one update request that makes the fresh versions current."""
    pointers = " ".join(f"<{names.published(iri)}> <{HAS_CURRENT_VERSION}> <{version}> ." for iri, version in fresh.items())
    forget = " ;\n".join(f"DELETE WHERE {{ GRAPH <{names.control}> {{ <{names.published(iri)}> <{HAS_CURRENT_VERSION}> ?old }} }}"
                         for iri in fresh)
    return f"{forget} ;\nINSERT DATA {{ GRAPH <{names.control}> {{ {pointers} }} }}"


def _drop(names: GraphNames, graphs: Iterable[str]) -> str:
    graphs = list(graphs)
    drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
    forget = " ;\n".join(f"DELETE WHERE {{ GRAPH <{names.control}> {{ <{g}> ?p ?o }} }}" for g in graphs)
    return f"{drops} ;\n{forget}"


def _drop_quietly(client: SparqlClient, target: Target, names: GraphNames, graphs: list[str]) -> None:
    """Best effort after a failure; whatever stays behind is dropped by the next publish."""
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


def _upload(store: GraphStore, iri: str, version: str, target: Target, client: SparqlClient, size: int,
            progress: Callable[[int], None] | None) -> int:
    requests = 0
    for triples, has_blank_nodes in _batches(store, iri, size):
        text = serialize(triples, format=RdfFormat.N_TRIPLES)
        if target.gsp:  # PUT creates the graph, POST adds to it
            client.store_graph(target.gsp, version, text, replace=requests == 0)
        elif has_blank_nodes:  # a template's blank nodes are fresh for its one (empty) solution
            client.update(target.update_url, f"INSERT {{ GRAPH <{version}> {{\n{text.decode()}}} }} WHERE {{}}")
        else:
            client.update(target.update_url, f"INSERT DATA {{ GRAPH <{version}> {{\n{text.decode()}}} }}")
        requests += 1
        if progress:
            progress(len(triples))
    return requests


def _verify(client: SparqlClient, target: Target, names: GraphNames, fresh: dict[str, str],
            counts: dict[str, int]) -> None:
    """Every triple sent must be on the server before anything is switched."""
    body, media_type = client.query(target.endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                    RESULTS_JSON, [names.empty], list(fresh.values()))
    try:
        held = {row["g"].value: int(row["n"].value) for row in parse_query_results(body, QueryResultsFormat.JSON)}
    except (SyntaxError, ValueError):
        raise NotSparql(f"{target.endpoint} answered with something that is not SPARQL JSON results") from None
    for iri, version in fresh.items():
        if held.get(version, 0) != counts[iri]:
            raise RequestRejected(f"the server at {target.update_url} kept {held.get(version, 0):,} of the "
                                  f"{counts[iri]:,} triples sent to {version}; the published version is unchanged")

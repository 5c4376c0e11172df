"""A served graph on a SPARQL 1.1 server: the query side of ``graph_store.GraphStore``, remotely.

``RemoteStore`` answers ``query`` and ``quads_for_pattern`` as ``pyoxigraph.Store`` does, with
the same pyoxigraph types, from any SPARQL 1.1 endpoint (Virtuoso, Oxigraph server, Fuseki…),
so the named queries, lineage, pages and the web endpoint run unchanged on a big server.

Same answers means the same dataset. vlmgraph queries "the union of its graphs"; a server's
default graph is whatever it likes (Virtuoso's is every graph, its system graphs included).
So every request names its dataset with the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters, built the way pyoxigraph builds it for the same arguments but
from the current versions of the published vlmgraph graphs only (``publish`` uploads versions
and moves a pointer; the pointer is read here, at most every ``VERSION_TTL`` seconds). Graph
IRIs go out canonical→version and come back version→canonical, so ``GRAPH ?g`` answers read as
embedded. ``FROM``/``FROM NAMED`` clauses are read here and removed from the text (the
protocol's dataset overrides them, but Virtuoso merges them instead).

Queries are parsed by pyoxigraph first (against an empty store, never evaluated), so a syntax
error reads exactly as it does embedded and costs no round trip.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from typing import Iterator

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from .graph_store import GraphName, Subject, Term
from .execution import QueryError, syntax_error_message
from .query_workers import QueryJob, QueryRejected, QueryTimeout
from .query_workers import answer as answer_job
from .sparql_client import (
    N_TRIPLES,
    RESULTS_JSON,
    NotSparql,
    RemoteStoreError,
    RemoteTimeout,
    ServerUnreachable,
    AuthenticationRefused,
    SparqlClient,
    credentials,
    split_userinfo,
)
from .sparql_text import QUERY_FORMS, tokens
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, STATISTICS_GRAPH

CANONICAL_GRAPHS = (ONTOLOGY_GRAPH.value, DATA_GRAPH.value, STATISTICS_GRAPH.value)
DEFAULT_GRAPH_PREFIX = "https://w3id.org/vlmgraph/graph/"
HAS_CURRENT_VERSION = "http://www.w3.org/ns/dcat#hasCurrentVersion"
IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"
# How long a RemoteStore trusts the version it read; a publish keeps the version it replaced
# that long (and a little more) before dropping it, so no reader is left with a dropped graph.
VERSION_TTL = 5.0
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_EMPTY = Store()  # parses queries; holds nothing, so nothing is ever evaluated against data


class GraphNames:
    """The graph IRIs on the server, and the canonical ones vlmgraph's queries use.

    Each vlmgraph graph has a published name (the prefix + ``ontology``/``data``/``statistics``; with the
    default prefix, the canonical IRI itself) and, on the server, versions of it
    (``…/data/v/<run>``). A small control graph records every version and which one is
    current (``<published> dcat:hasCurrentVersion <version>``): switching versions rewrites
    one triple per graph, whatever the size of the graphs. Beside them, a graph nothing is ever written
    to names an empty default graph.
    """

    def __init__(self, prefix: str | None = None):
        self.prefix = prefix or DEFAULT_GRAPH_PREFIX
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\"{}|^`\\\s]*", self.prefix):
            raise RemoteStoreError(f"graph prefix {self.prefix!r} is not an absolute IRI")
        self._published = {iri: self.prefix + iri.rsplit("/", 1)[1] for iri in CANONICAL_GRAPHS}
        self._canonical = {published: iri for iri, published in self._published.items()}
        self.empty = self.prefix + "none"
        self.control = self.prefix + "versions"

    def published(self, canonical: str) -> str:
        return self._published[canonical]

    def canonical(self, iri: str) -> str | None:
        """The canonical IRI of a vlmgraph graph named either way, None for any other graph."""
        return iri if iri in self._published else self._canonical.get(iri)

    def version(self, canonical: str, run: str) -> str:
        return f"{self._published[canonical]}/v/{run}"


def read_versions(client: SparqlClient, endpoint: str, names: GraphNames) -> tuple[dict[str, str], dict[str, str]]:
    """(canonical IRI -> current version, every version on the server -> its canonical IRI)."""
    query = (f"SELECT ?graph ?version ?current WHERE {{ ?version <{IS_VERSION_OF}> ?graph "
             f"OPTIONAL {{ ?graph <{HAS_CURRENT_VERSION}> ?current }} }}")
    body, media_type = client.query(endpoint, query, RESULTS_JSON, [names.control], [names.empty])
    if "json" not in media_type:
        raise NotSparql(f"{endpoint} is not a SPARQL endpoint: it answered a query with "
                        f"{media_type or 'no media type'}, not SPARQL results")
    try:
        rows = list(parse_query_results(body, QueryResultsFormat.JSON))
    except (SyntaxError, ValueError):
        raise NotSparql(f"{endpoint} answered with something that is not SPARQL JSON results") from None
    current: dict[str, str] = {}
    versions: dict[str, str] = {}
    for row in rows:
        canonical = names.canonical(row["graph"].value)
        if canonical is None:
            continue
        versions[row["version"].value] = canonical
        if row["current"] is not None:
            current[canonical] = row["current"].value
    return current, versions


@dataclass(frozen=True)
class _DatasetClause:
    start: int
    end: int
    named: bool
    term: str  # as written: <iri>, a prefixed name or a relative IRI


_CLAUSE = re.compile(r"\s+(NAMED\s+)?(<[^<>\"{}|^`\\\s]*>|[^\s{}<>()]*:[^\s{}<>()]*)", re.I)


def dataset_clauses(text: str) -> list[_DatasetClause]:
    """The query's FROM and FROM NAMED clauses, where they are in the text."""
    clauses = []
    for position, token in tokens(text):
        if token != "FROM":
            continue
        match = _CLAUSE.match(text, position + 4)
        if not match:
            raise QueryError(f"cannot read the graph named after FROM at character {position + 1}")
        clauses.append(_DatasetClause(position, match.end(), bool(match.group(1)), match.group(2)))
    return clauses


def _form_position(text: str) -> tuple[int, str]:
    return next(((i, t) for i, t in tokens(text) if t in QUERY_FORMS), (len(text), ""))


def _graph_list(graphs) -> list:
    if graphs is None:
        return []
    return [graphs] if isinstance(graphs, (NamedNode, BlankNode, DefaultGraph)) else list(graphs)


@dataclass(frozen=True)
class _ServerGraphs:
    """Where the vlmgraph graphs are on the server right now, both ways."""

    to_server: dict[str, str]  # canonical IRI -> the graph on the server (its current version)
    to_canonical: dict[str, str]

    @classmethod
    def of(cls, names: GraphNames, current: dict[str, str]) -> "_ServerGraphs":
        # Nothing published by vlmgraph: the graphs under their published names (loaded by hand).
        to_server = {iri: current.get(iri, names.published(iri)) for iri in CANONICAL_GRAPHS}
        return cls(to_server, {server: iri for iri, server in to_server.items()})


class RemoteStore:
    """The GraphStore protocol over a SPARQL 1.1 endpoint, limited to the published vlmgraph graphs."""

    def __init__(self, endpoint: str, *, auth=None, token: str | None = None, timeout: float = 30.0,
                 graph_prefix: str | None = None, max_response_bytes: int = 1_000_000_000,
                 version_ttl: float = VERSION_TTL):
        if not re.match(r"https?://[^/]", endpoint):
            raise RemoteStoreError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint")
        self.endpoint = endpoint
        self.graphs = GraphNames(graph_prefix)
        self.max_response_bytes = max_response_bytes
        self.version_ttl = version_ttl
        self.client = SparqlClient(credentials(auth, token), timeout)
        self._server_graphs: tuple[float, _ServerGraphs] | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    def close(self) -> None:
        self.client.close()

    # -- the GraphStore protocol ------------------------------------------------------------
    def query(self, query: str, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None,
              use_default_graph_as_union: bool = False, default_graph=None, named_graphs=None,
              substitutions: dict | None = None):
        """Run a query on the server; SELECT gives QuerySolutions, ASK a QueryBoolean,
        CONSTRUCT/DESCRIBE QueryTriples: the very types ``pyoxigraph.Store.query`` returns."""
        if use_default_graph_as_union and default_graph is not None:
            raise ValueError("The query() method use_default_graph_as_union and default_graph arguments "
                             "should not be set at the same time")
        if substitutions:
            from .queries import bind_parameters  # the same binding the named queries use

            query = bind_parameters(query, substitutions)
        kind = self._check(query, prefixes, base_iri)
        clauses = dataset_clauses(query)
        graphs = self.server_graphs()
        default, named = self._dataset(query, clauses, graphs, prefixes, base_iri, use_default_graph_as_union,
                                       default_graph, named_graphs)
        text = self._server_text(query, clauses, graphs, prefixes, base_iri)
        accept = N_TRIPLES if kind == "graph" else RESULTS_JSON
        body, media_type = self.client.query(self.endpoint, text, accept, default, named, self.max_response_bytes)
        if kind == "graph":
            return self._triples(body, media_type, graphs)
        return self._solutions(body, media_type, graphs, boolean=kind == "boolean")

    def quads_for_pattern(self, subject: Subject | None, predicate: NamedNode | None, object: Term | None,
                          graph_name: GraphName | None = None) -> Iterator[Quad]:
        if isinstance(graph_name, DefaultGraph):
            return iter(())  # a vlmgraph store keeps nothing in its default graph
        for term in (subject, predicate, object, graph_name):
            if isinstance(term, BlankNode):
                raise QueryError("a blank node cannot be looked up on a remote store: "
                                 "servers do not keep blank node labels across requests")
        if graph_name is not None and self.graphs.canonical(graph_name.value) is None:
            return iter(())
        pattern = " ".join(str(t) if t is not None else v for t, v in
                           ((subject, "?s"), (predicate, "?p"), (object, "?o")))
        graphs = [graph_name] if graph_name is not None else None
        rows = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}", named_graphs=graphs)
        # Read at once: pyoxigraph's solutions may only be dropped by the thread that made them, and a
        # half-read iterator (exists() reads one quad) can be collected anywhere.
        return iter([Quad(row["s"] if subject is None else subject, row["p"] if predicate is None else predicate,
                          row["o"] if object is None else object, row["g"]) for row in rows])

    def __len__(self) -> int:
        """Triples in the published graphs: what len() of the embedded store counts."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))["n"].value)

    def server_graphs(self) -> _ServerGraphs:
        """The current versions, read again once version_ttl has passed (one small query)."""
        cached = self._server_graphs
        now = time.monotonic()
        if cached is None or now - cached[0] >= self.version_ttl:
            current, _ = read_versions(self.client, self.endpoint, self.graphs)
            cached = (now, _ServerGraphs.of(self.graphs, current))
            self._server_graphs = cached
        return cached[1]

    # -- whole protocol requests, as the web endpoint's query process answers them ---------
    def answer(self, job: QueryJob) -> bytes:
        """Serialized results of a protocol request, within the job's size limit (the download
        itself is capped by max_response_bytes); raises QueryRejected (the query's fault) or
        QueryTimeout (the server did not answer, or not in time)."""
        try:
            status, payload = answer_job(self, job)
        except (RemoteTimeout, ServerUnreachable, AuthenticationRefused, NotSparql) as exc:
            raise QueryTimeout(str(exc)) from None  # the server's state, not the query's fault: 503
        except QueryError as exc:
            raise QueryRejected(str(exc)) from None
        if status != "ok":
            raise QueryRejected(str(payload))
        return payload

    # -- the parts ---------------------------------------------------------------------------
    def _check(self, query: str, prefixes, base_iri) -> str:
        """'solutions', 'boolean' or 'graph'; a syntax error raises as it would embedded."""
        position, form = _form_position(query)
        probe = query
        if form == "ASK":  # an ASK is evaluated at once; a SELECT only when read, which never happens
            probe = query[:position] + "SELECT (true AS ?vlmgraph_ask)" + query[position + 3:]
        try:
            outcome = _EMPTY.query(probe, prefixes=prefixes, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(syntax_error_message(exc)) from None
        if form == "ASK":
            return "boolean"
        return "graph" if type(outcome).__name__ == "QueryTriples" else "solutions"

    def _dataset(self, query, clauses, graphs: _ServerGraphs, prefixes, base_iri, union, default_graph,
                 named_graphs):
        """(default-graph-uri values, named-graph-uri values) as pyoxigraph would choose the
        graphs for these arguments, limited to the published graphs (never an empty list: the
        protocol reads an absent parameter as 'the server's choice')."""
        ours = list(graphs.to_server.values())
        from_default = [self._resolve(query, c.term, prefixes, base_iri) for c in clauses if not c.named]
        from_named = [self._resolve(query, c.term, prefixes, base_iri) for c in clauses if c.named]
        if union:
            default = ours
        elif default_graph is not None:
            default = self._ours(_graph_list(default_graph), graphs)
        elif clauses:
            default = self._ours(from_default, graphs)
        else:
            default = []  # the store's own default graph, which vlmgraph leaves empty
        if named_graphs is not None:
            named = self._ours(_graph_list(named_graphs), graphs)
        elif clauses:
            named = self._ours(from_named, graphs)
        else:
            named = ours
        return default or [self.graphs.empty], named or [self.graphs.empty]

    def _ours(self, requested: list, graphs: _ServerGraphs) -> list[str]:
        """The server IRIs of those graphs that are vlmgraph's; any other graph holds nothing here."""
        names = []
        for graph in requested:
            if not isinstance(graph, (str, NamedNode)):
                continue  # the default graph or a blank node: empty in a vlmgraph store
            canonical = self.graphs.canonical(graph if isinstance(graph, str) else graph.value)
            if canonical and graphs.to_server[canonical] not in names:
                names.append(graphs.to_server[canonical])
        return names

    def _resolve(self, query: str, term: str, prefixes, base_iri) -> str:
        """The IRI a FROM clause names, resolved by pyoxigraph against the query's own prologue."""
        prologue = query[:_form_position(query)[0]]
        try:
            rows = _EMPTY.query(f"{prologue} SELECT ?g WHERE {{ BIND({term} AS ?g) }}", prefixes=prefixes,
                                base_iri=base_iri)
            return next(iter(rows))["g"].value
        except (SyntaxError, StopIteration, TypeError):
            raise QueryError(f"cannot read the graph IRI {term} of a FROM clause") from None

    def _server_text(self, query: str, clauses, graphs: _ServerGraphs, prefixes, base_iri) -> str:
        """The query as the server gets it: FROM clauses out, prefixes and base declared, and the
        graphs the query names (GRAPH <…/data>) pointed at their versions on the server."""
        for clause in reversed(clauses):
            query = query[:clause.start] + " " * (clause.end - clause.start) + query[clause.end:]
        declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([^\s:]*):", query)}
        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items()
                           if name not in declared)
        if base_iri:
            prologue = f"BASE <{base_iri}>\n" + prologue
        names = {name: graphs.to_server[canonical] for canonical in CANONICAL_GRAPHS
                 for name in (canonical, self.graphs.published(canonical))}
        query = re.sub("<(" + "|".join(map(re.escape, names)) + ")>", lambda m: f"<{names[m.group(1)]}>", query)
        return prologue + query

    def _solutions(self, body: bytes, media_type: str, graphs: _ServerGraphs, boolean: bool):
        if "json" not in media_type:
            raise NotSparql(f"{self.endpoint} is not a SPARQL endpoint: it answered a query with "
                            f"{media_type or 'no media type'}, not SPARQL results")
        try:
            document = json.loads(body)
            if boolean and "boolean" not in document:
                # Virtuoso 7 answers ASK with a one-column table: a row for true, none for false.
                document = {"head": {}, "boolean": bool(document["results"]["bindings"])}
            if "results" in document:
                for row in document["results"]["bindings"]:
                    for name, term in row.items():
                        row[name] = _normalized(term, graphs.to_canonical)
            return parse_query_results(json.dumps(document).encode(), QueryResultsFormat.JSON)
        except (ValueError, KeyError, TypeError, AttributeError, SyntaxError) as exc:
            raise NotSparql(f"{self.endpoint} answered with something that is not SPARQL JSON results: "
                            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None

    def _triples(self, body: bytes, media_type: str, graphs: _ServerGraphs):
        """Triples as the QueryTriples pyoxigraph gives embedded: loaded into a scratch store and
        read back with CONSTRUCT, so callers can serialize them like any query result."""
        if media_type not in (N_TRIPLES, "text/plain"):
            raise NotSparql(f"{self.endpoint} is not a SPARQL endpoint: it answered a CONSTRUCT with "
                            f"{media_type or 'no media type'}, not N-Triples")
        scratch = Store()
        try:
            triples = parse(body, format=RdfFormat.N_TRIPLES)
            if any(server.encode() in body for server in graphs.to_canonical):  # a graph's name in a triple
                rename = graphs.to_canonical
                triples = (Triple(*(NamedNode(rename.get(t.value, t.value)) if isinstance(t, NamedNode) else t
                                    for t in triple)) for triple in triples)
            scratch.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
        except SyntaxError as exc:
            raise NotSparql(f"{self.endpoint} answered with N-Triples that do not parse: {exc}") from None
        return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _normalized(term: dict, to_canonical: dict[str, str]) -> dict:
    """One JSON result term as pyoxigraph reads it and vlmgraph writes it: graph versions back
    to canonical IRIs, blank node labels made valid (Virtuoso's are 'nodeID://b1'), booleans
    in their canonical lexical form (Virtuoso answers '1')."""
    kind = term.get("type")
    if kind == "uri":
        term["value"] = to_canonical.get(term["value"], term["value"])
    elif kind == "bnode":
        term["value"] = _bnode_label(term["value"])
    elif kind in ("literal", "typed-literal") and term.get("datatype") == _XSD_BOOLEAN:
        term["value"] = {"1": "true", "0": "false"}.get(term["value"], term["value"])
    elif kind == "triple":
        term["value"] = {k: _normalized(v, to_canonical) for k, v in term["value"].items()}
    return term


def _bnode_label(label: str) -> str:
    return label if re.fullmatch(r"[A-Za-z0-9_]+", label) else "b" + re.sub(r"[^A-Za-z0-9_]", "_", label)


def open_remote(url: str, *, auth=None, token: str | None = None, timeout: float = 30.0,
                graph_prefix: str | None = None, max_response_bytes: int = 1_000_000_000) -> RemoteStore:
    """A RemoteStore for a --store URL. Credentials may be in the URL (http://user:pw@host/sparql)
    or the environment (VLMGRAPH_STORE_AUTH=user:pw, VLMGRAPH_STORE_TOKEN, VLMGRAPH_GRAPH_PREFIX)."""
    url, userinfo = split_userinfo(url)
    auth = auth or userinfo or os.environ.get("VLMGRAPH_STORE_AUTH") or None
    token = token or (None if auth else os.environ.get("VLMGRAPH_STORE_TOKEN")) or None
    prefix = graph_prefix or os.environ.get("VLMGRAPH_GRAPH_PREFIX") or None
    return RemoteStore(url, auth=auth, token=token, timeout=timeout, graph_prefix=prefix,
                       max_response_bytes=max_response_bytes)

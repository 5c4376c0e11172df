"""A runner for the W3C SPARQL query evaluation tests (tests/w3c-sparql-query/), over two engines.

Each mf:QueryEvaluationTest / mf:CSVResultFormatTest names a query, its data (the default graph,
qt:data), its named graphs (qt:graphData) and the expected result (.srx, .srj, .csv, .tsv, or
RDF: a graph for CONSTRUCT/DESCRIBE, a result set in the rs: vocabulary for SELECT/ASK).

`PyoxigraphEngine` runs a test as pyoxigraph alone would: a fresh in-memory store per test, the
data in its default graph. `EndpointEngine` runs it through vlmgraph's SPARQL endpoint: one
store holds every data file as a named graph (the file's URL), and a test picks its own dataset
the way any client of a multi-graph store does — through its FROM / FROM NAMED, or else the
protocol's default-graph-uri / named-graph-uri. Both answers are serialized in the expected
result's format and read back by the same rdflib parsers, then compared by `compare`.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import rdflib
from pyoxigraph import (BlankNode, DefaultGraph, NamedNode, Quad, QueryBoolean, QueryResultsFormat,
                        QuerySolutions, RdfFormat, Store, parse, serialize)
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result

from vlmgraph.sparql_text import has_dataset_clause, query_form, tokens

ROOT = Path(__file__).resolve().parent / "w3c-sparql-query" / "sparql"
MANIFESTS = ("sparql10/manifest-evaluation.ttl", "sparql11/manifest-sparql11-query.ttl",
             "sparql11/csv-tsv-res/manifest.ttl", "sparql11/json-res/manifest.ttl")
EVALUATION_TYPES = ("QueryEvaluationTest", "CSVResultFormatTest")
NO_DATA = "urn:x-vlmgraph-test:no-data"  # a graph no store holds: an empty default graph
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.I)  # the suites write FROM with <IRI>s only
_PREFIXES = """PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


@dataclass(frozen=True)
class QueryTest:
    id: str  # "sparql10/dataset#dawg-dataset-01": the manifest's folder and the test's name
    query: Path
    result: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    lax: bool = False  # mf:LaxCardinality (REDUCED): duplicates may be dropped, or not

    @property
    def suite(self) -> str:
        return self.id.split("#")[0]

    @cached_property
    def text(self) -> str:
        return self.query.read_text(encoding="utf-8")

    @cached_property
    def from_files(self) -> tuple[Path, ...]:
        """Files the query names in FROM / FROM NAMED: the dataset tests expect them loaded by name."""
        base = self.query.as_uri()
        return tuple(_path(urljoin(base, iri)) for iri in _FROM.findall(self.text))

    @cached_property
    def form(self) -> str | None:
        return query_form(self.text)


def _path(iri: str) -> Path:
    return Path(unquote(urlparse(iri).path))


def load_tests() -> list[QueryTest]:
    """Every evaluation test of the manifests (following mf:include), in a stable order."""
    manifests = Store()
    pending, seen = [ROOT / name for name in MANIFESTS], set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        manifests.load(path=str(path), format=RdfFormat.TURTLE, base_iri=path.as_uri(),
                       to_graph=NamedNode(path.as_uri()))
        for row in manifests.query(_PREFIXES + f"SELECT ?m FROM <{path.as_uri()}> WHERE {{ ?x mf:include/rdf:rest*/rdf:first ?m }}"):
            pending.append(_path(row["m"].value))
    found: dict[str, dict] = {}
    types = " ".join(f"mf:{name}" for name in EVALUATION_TYPES)
    query = _PREFIXES + f"""SELECT ?manifest ?test ?query ?result ?data ?graph ?lax WHERE {{ GRAPH ?manifest {{
        ?list_owner mf:entries/rdf:rest*/rdf:first ?test . ?test a ?type ; mf:action ?action ; mf:result ?result .
        ?action qt:query ?query . OPTIONAL {{ ?action qt:data ?data }} OPTIONAL {{ ?action qt:graphData ?graph }}
        BIND(EXISTS {{ ?test mf:resultCardinality mf:LaxCardinality }} AS ?lax)
        VALUES ?type {{ {types} }} }} }}"""
    for row in manifests.query(query):
        folder = _path(row["manifest"].value).parent.relative_to(ROOT).as_posix()
        iri = row["test"].value
        test_id = f"{folder}#{iri.rsplit('#', 1)[-1] if '#' in iri else iri.rsplit('/', 1)[-1]}"
        entry = found.setdefault(test_id, {"query": _path(row["query"].value), "result": _path(row["result"].value),
                                           "data": set(), "graph_data": set(), "lax": row["lax"].value == "true"})
        if row["data"] is not None:
            entry["data"].add(_path(row["data"].value))
        if row["graph"] is not None:
            entry["graph_data"].add(_path(row["graph"].value))
    return [QueryTest(test_id, e["query"], e["result"], tuple(sorted(e["data"])), tuple(sorted(e["graph_data"])),
                      e["lax"]) for test_id, e in sorted(found.items())]


def triples_of(path: Path):
    """A data file's triples, its blank nodes fresh: two files' `_:a` are different nodes."""
    fresh: dict[str, BlankNode] = {}

    def own(term):
        return fresh.setdefault(term.value, BlankNode()) if isinstance(term, BlankNode) else term

    fmt = RdfFormat.from_extension(path.suffix[1:])
    for triple in parse(path=str(path), format=fmt, base_iri=path.as_uri()):
        yield own(triple.subject), triple.predicate, own(triple.object)


# ---- what a test expects, and what an engine answers, as one comparable value ----

@dataclass
class Outcome:
    kind: str  # "solutions", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, rdflib.term.Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None


# how each kind of expected file is asked for and read back: (media type, rdflib parser)
RESULT_FORMATS = {".srx": ("application/sparql-results+xml", "xml"),
                  ".srj": ("application/sparql-results+json", "json"),
                  ".csv": ("text/csv", "csv"), ".tsv": ("text/tab-separated-values", "tsv")}
RS = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


def wanted_format(test: QueryTest) -> tuple[str, str]:
    """(media type to ask for, rdflib parser name) for the test's expected result."""
    if test.result.suffix in RESULT_FORMATS:
        return RESULT_FORMATS[test.result.suffix]
    if test.form in ("CONSTRUCT", "DESCRIBE"):
        return "text/turtle", "turtle"
    return RESULT_FORMATS[".srj"]  # a result set written in RDF: any results format will do


def read_outcome(data: bytes, parser: str, base: str) -> Outcome:
    if parser in ("turtle", "xml-rdf", "nt"):
        return Outcome("graph", graph=rdflib.Graph(bind_namespaces="none").parse(data=data, format=parser, publicID=base))
    result = Result.parse(io.BytesIO(data), format=parser)
    if result.type == "ASK":
        return Outcome("boolean", boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or []]
    rows = [{str(k): v for k, v in row.asdict().items() if v is not None} for row in result]
    return Outcome("solutions", variables, rows)


def expected_outcome(test: QueryTest) -> Outcome:
    suffix, data = test.result.suffix, test.result.read_bytes()
    if suffix in RESULT_FORMATS:
        return read_outcome(data, RESULT_FORMATS[suffix][1], test.result.as_uri())
    parser = {".ttl": "turtle", ".rdf": "xml", ".nt": "nt"}[suffix]
    graph = rdflib.Graph(bind_namespaces="none").parse(data=data, format=parser, publicID=test.result.as_uri())
    if test.form in ("CONSTRUCT", "DESCRIBE"):
        return Outcome("graph", graph=graph)
    return _result_set(graph)


def _result_set(graph: rdflib.Graph) -> Outcome:
    """A SELECT/ASK result written in the DAWG result-set vocabulary (rs:)."""
    result_set = next(graph.subjects(rdflib.RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return Outcome("boolean", boolean=boolean.toPython())
    variables = sorted(str(v) for v in graph.objects(result_set, RS.resultVariable))
    solutions = sorted(graph.objects(result_set, RS.solution),  # rs:index orders an ordered result
                       key=lambda solution: int(graph.value(solution, RS["index"]) or 0))
    rows = [{str(graph.value(b, RS.variable)): graph.value(b, RS.value) for b in graph.objects(solution, RS.binding)}
            for solution in solutions]
    return Outcome("solutions", variables, rows)


# ---- comparison: multisets of solutions up to blank node renaming; sequences under ORDER BY ----

NUMERIC = {XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.int, XSD.long, XSD.short, XSD.byte,
           XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
           XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


def term_key(term):
    """A value two equal answers share: numbers of one datatype by value ("2.0" = "2.00" as
    xsd:decimal), simple literals and xsd:string alike (RDF 1.1), language tags in any case.
    Blank nodes are matched separately."""
    if isinstance(term, rdflib.BNode):
        return None
    if isinstance(term, rdflib.Literal):
        if term.datatype in NUMERIC:
            value = term.toPython()
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                return ("number", str(term.datatype), "NaN" if value != value else value)
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
        return ("literal", str(term), datatype)
    return ("iri", str(term))


def _row_shape(row: dict) -> tuple:
    return tuple(sorted((var, term_key(term)) for var, term in row.items()))


def _rows_match(expected: dict, actual: dict, forward: dict, backward: dict) -> list | None:
    """The new blank node pairs that make two rows equal under the mapping so far, or None."""
    if expected.keys() != actual.keys():
        return None
    added: dict = {}
    for var, term in expected.items():
        other = actual[var]
        if isinstance(term, rdflib.BNode) != isinstance(other, rdflib.BNode):
            return None
        if not isinstance(term, rdflib.BNode):
            if term_key(term) != term_key(other):
                return None
            continue
        mapped = forward.get(term, added.get(term))
        if mapped is None:
            if other in backward or other in added.values():
                return None  # a bijection: two blank nodes never map to one
            added[term] = other
        elif mapped != other:
            return None
    return list(added.items())


def same_solutions(expected: list[dict], actual: list[dict], ordered: bool) -> bool:
    if len(expected) != len(actual):
        return False
    if ordered:
        return _search(expected, [[i] for i in range(len(actual))], actual, {}, {}, set())
    shapes: dict[tuple, list[int]] = {}
    for index, row in enumerate(actual):
        shapes.setdefault(_row_shape(row), []).append(index)
    candidates = [shapes.get(_row_shape(row), []) for row in expected]
    if any(not c for c in candidates):
        return False
    return _search(expected, candidates, actual, {}, {}, set())


def _search(expected, candidates, actual, forward, backward, used, position=0) -> bool:
    """Backtracking over blank node mappings; rows without blank nodes never branch."""
    if position == len(expected):
        return True
    for index in candidates[position]:
        if index in used:
            continue
        added = _rows_match(expected[position], actual[index], forward, backward)
        if added is None:
            continue
        for a, b in added:
            forward[a], backward[b] = b, a
        used.add(index)
        if _search(expected, candidates, actual, forward, backward, used, position + 1):
            return True
        used.discard(index)
        for a, b in added:
            del forward[a], backward[b]
        if not any(isinstance(t, rdflib.BNode) for t in expected[position].values()):
            return False  # an equal row elsewhere would fail the same way
    return False


def _distinct(rows: list[dict]) -> list[dict]:
    seen, kept = set(), []
    for row in rows:
        key = tuple(sorted((var, term_key(term) or term) for var, term in row.items()))
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def has_order_by(text: str) -> bool:
    """ORDER BY of the outer query (a subquery's ORDER BY does not order the result)."""
    depth, previous = 0, None
    for _, token in tokens(text):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth == 0 and previous == "ORDER" and token == "BY":
            return True
        previous = token
    return False


def compare(test: QueryTest, expected: Outcome, actual: Outcome) -> str | None:
    """None when `actual` answers the test, else what differs."""
    if expected.kind != actual.kind:
        return f"expected a {expected.kind} result, got {actual.kind}"
    if expected.kind == "boolean":
        return None if expected.boolean == actual.boolean else f"expected {expected.boolean}, got {actual.boolean}"
    if expected.kind == "graph":
        return None if isomorphic(expected.graph, actual.graph) else (
            f"graphs differ ({len(expected.graph)} expected triples, {len(actual.graph)} returned)")
    ordered = has_order_by(test.text)
    if test.lax:  # each distinct expected solution, as often as between once and as often as expected
        expected_rows = _distinct(expected.rows)
        if len(_distinct(actual.rows)) == len(actual.rows) and same_solutions(expected_rows, actual.rows, False):
            return None
    if not same_solutions(expected.rows, actual.rows, ordered):
        return (f"solutions differ ({len(expected.rows)} expected, {len(actual.rows)} returned"
                f"{', compared in order' if ordered else ''})")
    return None


# ---- the two engines ----

class PyoxigraphEngine:
    """pyoxigraph on its own: a store per test, the data in the default graph, nothing predefined."""

    name = "pyoxigraph"

    def answer(self, test: QueryTest) -> tuple[bytes, str]:
        store = Store()
        for path in test.data:
            store.extend(Quad(s, p, o, DefaultGraph()) for s, p, o in triples_of(path))
        for path in set(test.graph_data) | set(test.from_files):
            store.extend(Quad(s, p, o, NamedNode(path.as_uri())) for s, p, o in triples_of(path))
        outcome = store.query(test.text, base_iri=test.query.as_uri())
        media_type, parser = wanted_format(test)
        if isinstance(outcome, (QuerySolutions, QueryBoolean)):
            results = {"xml": QueryResultsFormat.XML, "json": QueryResultsFormat.JSON,
                       "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}[parser]
            return outcome.serialize(format=results), parser
        return serialize(outcome, format=RdfFormat.TURTLE), "turtle"


class EndpointEngine:
    """vlmgraph's /sparql (a TestClient over the app), one store holding every file as a named graph."""

    name = "vlmgraph"

    def __init__(self, client):
        self.client = client

    @staticmethod
    def fill(store: Store, tests: list[QueryTest]) -> None:
        files = sorted({path for test in tests for path in (*test.data, *test.graph_data, *test.from_files)})
        for path in files:
            store.extend(Quad(s, p, o, NamedNode(path.as_uri())) for s, p, o in triples_of(path))

    def answer(self, test: QueryTest) -> tuple[bytes, str]:
        media_type, parser = wanted_format(test)
        params: list[tuple[str, str]] = []
        if not has_dataset_clause(test.text):
            params += [("default-graph-uri", p.as_uri()) for p in test.data] or [("default-graph-uri", NO_DATA)]
            params += [("named-graph-uri", p.as_uri()) for p in test.graph_data]
        # relative IRIs in the test resolve against the query file, as its manifest means them
        query = f"BASE <{test.query.as_uri()}>\n{test.text}"
        response = self.client.post("/sparql", params=params, content=query.encode("utf-8"),
                                    headers={"Content-Type": "application/sparql-query", "Accept": media_type})
        if response.status_code != 200:
            raise EngineError(f"HTTP {response.status_code}: {response.text.strip()[:200]}")
        returned = response.headers.get("content-type", "").split(";")[0]
        if returned != media_type:
            raise EngineError(f"asked for {media_type}, got {returned}")
        return response.content, parser


class EngineError(Exception):
    pass


@dataclass
class Verdict:
    test: QueryTest
    problem: str | None  # None: passed

    @property
    def passed(self) -> bool:
        return self.problem is None


def expected_outcomes(tests: list[QueryTest]) -> dict[str, Outcome | str]:
    """Each test's expected result, read once for both engines (a message when unreadable)."""
    outcomes: dict[str, Outcome | str] = {}
    for test in tests:
        try:
            outcomes[test.id] = expected_outcome(test)
        except Exception as exc:  # a suite file rdflib cannot read fails that test, not the run
            outcomes[test.id] = f"expected result unreadable: {type(exc).__name__}: {exc}"
    return outcomes


def run(engine, tests: list[QueryTest], expected: dict[str, Outcome | str], threads: int = 1) -> dict[str, Verdict]:
    def one(test: QueryTest) -> Verdict:
        wanted = expected[test.id]
        if isinstance(wanted, str):
            return Verdict(test, wanted)
        try:
            data, parser = engine.answer(test)
            return Verdict(test, compare(test, wanted, read_outcome(data, parser, test.query.as_uri())))
        except Exception as exc:  # an engine error is that engine failing this test
            return Verdict(test, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")

    with ThreadPoolExecutor(threads) as pool:
        return {verdict.test.id: verdict for verdict in pool.map(one, tests)}


def summary(verdicts: dict[str, Verdict]) -> dict[str, tuple[int, int]]:
    """suite -> (passed, total); and "all"."""
    counts: dict[str, list[int]] = {}
    for verdict in verdicts.values():
        for suite in (verdict.test.suite, "all"):
            entry = counts.setdefault(suite, [0, 0])
            entry[0] += verdict.passed
            entry[1] += 1
    return {suite: (p, t) for suite, (p, t) in sorted(counts.items())}

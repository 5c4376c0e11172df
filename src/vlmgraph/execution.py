"""Run SPARQL on a store and turn what comes back into rows or bytes, with errors in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from typing import Sequence

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples

from .formats import UnknownFormat, find, serialize_results
from .graph_store import GraphStore
from .sparql_errors import explain
from .sparql_text import has_dataset_clause
from .vocab import PREFIXES


class QueryError(Exception):
    """A query that cannot run: bad syntax, a bad parameter, an unknown name. The message says which."""


@dataclass
class Result:
    """What a query returned, ready to print or serialize."""

    kind: str  # "solutions", "boolean" or "triples"
    variables: list[str] = field(default_factory=list)
    rows: list[list[object | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[object] = field(default_factory=list)


def dataset(sparql: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (), *,
            dataset_clause: bool | None = None) -> dict:
    """The `Store.query` arguments that give a query its RDF dataset.

    The protocol's default-graph-uri / named-graph-uri, when any is given, define the whole dataset
    (SPARQL 1.1 Protocol §2.1.4): a graph not listed is not in it. Otherwise the query's own FROM /
    FROM NAMED do (§13.2), which pyoxigraph honours only when no dataset argument is passed.
    Without either, the default graph is the union of all graphs. A graph the store does not hold
    is an empty graph; nothing is ever fetched. ValueError for an IRI that is not absolute.
    `dataset_clause` says whether the text has FROM / FROM NAMED, when the caller scanned it already.
    """
    if default_graphs or named_graphs:
        return {"default_graph": [_graph(iri) for iri in default_graphs],
                "named_graphs": [_graph(iri) for iri in named_graphs]}
    if has_dataset_clause(sparql) if dataset_clause is None else dataset_clause:
        return {}
    return {"use_default_graph_as_union": True}


def _graph(iri: str) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError:
        raise ValueError(f"graph {iri!r} is not an absolute IRI") from None


def execute(store: GraphStore, sparql: str):
    """Run a query over its dataset (by default the union of the store's graphs, or what its FROM /
    FROM NAMED name); the vlmgraph prefixes need no PREFIX lines."""
    try:
        return store.query(sparql, prefixes=PREFIXES, **dataset(sparql))
    except SyntaxError as exc:
        raise QueryError(syntax_error_message(exc, sparql)) from None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def syntax_error_message(exc: SyntaxError, query: str | None = None) -> str:
    """pyoxigraph says 'error at 3:11: expected …'; a person reads 'line 3, column 11' and, when the
    query text is given, which prefix is undefined or which keyword is misspelled (sparql_errors)."""
    match = re.match(r"error at (\d+):(\d+):\s*(.*)", str(exc), re.S)
    if match:
        line, column, detail = match.groups()
        return explain(detail, int(line), int(column), query, PREFIXES)
    return f"SPARQL syntax error: {exc}"


def collect(outcome) -> Result:
    if isinstance(outcome, QueryBoolean):
        return Result("boolean", boolean=bool(outcome))
    if isinstance(outcome, QuerySolutions):
        variables = [v.value for v in outcome.variables]
        return Result("solutions", variables, [[solution[v] for v in variables] for solution in outcome])
    if isinstance(outcome, QueryTriples):
        return Result("triples", triples=list(outcome))
    raise QueryError(f"unexpected query result {type(outcome).__name__}")


def serialize(outcome, format_name: str) -> bytes:
    """A query's result in the format called `format_name`, of the kind the result needs."""
    kind = "results" if isinstance(outcome, (QuerySolutions, QueryBoolean)) else "graph"
    try:
        return serialize_results(outcome, find(format_name, kind))
    except UnknownFormat as exc:
        raise QueryError(str(exc)) from None

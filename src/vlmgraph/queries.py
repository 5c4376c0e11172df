"""The registry of named queries in ``queries/*.rq``, and binding their parameters.

Named queries follow the grlc convention: ``#+ summary:`` / ``#+ description:`` / ``#+ tags:``
/ ``#+ defaults:`` decorator lines (YAML) at the top, and parameters written as variables
``?_name`` (required) or ``?__name`` (optional) with an optional type suffix: ``_iri`` (an entity:
a label, alias, id or IRI, resolved to the IRI), ``_integer``, ``_decimal``; no suffix is a string.
Values become RDF terms first (an IRI is checked, a literal escaped by pyoxigraph) and enter the
query as ``BIND(term AS ?var)`` at the head of the WHERE group: a value can never change the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Mapping

import yaml
from pyoxigraph import Literal, Variable

from .execution import QueryError, execute
from .graph_store import GraphStore
from .names import NameIndex, UnknownName, segment_of_iri
from .paths import shipped
from .sparql_text import where_brace
from .terms import KIND_BY_NAME
from .vocab import XSD, prefixed_name

DEFAULT_QUERY_DIR = shipped("queries")

_PARAMETER = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*?)(?:_(iri|integer|decimal))?\b")
_TYPES = {"iri", "integer", "decimal"}


@dataclass(frozen=True)
class Parameter:
    name: str
    variable: str
    type: str  # "string", "iri", "integer" or "decimal"
    required: bool
    default: str | None = None
    kinds: tuple[str, ...] = ()  # for "iri": which kinds of entity a name should resolve to first


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]

    def bind(self, values: Mapping[str, str], resolver: NameIndex | None = None,
             notice: Callable[[str], None] | None = None) -> dict[Variable, object]:
        """Turn user-given strings into RDF terms for this query's parameters. `notice` hears of each
        name that stood for an entity spelled otherwise ('llava1.5' is LLaVA-1.5)."""
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            known = ", ".join(p.name for p in self.parameters) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} (its parameters: {known})")
        bound: dict[Variable, object] = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            if raw is None:
                if parameter.required:
                    raise QueryError(f"query {self.name!r} needs --param {parameter.name}=…")
                continue
            bound[Variable(parameter.variable)] = _term(self, parameter, raw, resolver, notice)
        return bound


def _term(query: NamedQuery, parameter: Parameter, raw: str, resolver: NameIndex | None,
          notice: Callable[[str], None] | None):
    if parameter.type == "iri":
        if resolver is None:
            raise QueryError(f"parameter {parameter.name!r} names an entity but no store is open to look it up")
        try:
            iri = resolver.resolve(raw, parameter.kinds) if parameter.kinds else resolver.resolve(raw)
        except UnknownName as exc:
            raise QueryError(f"parameter {parameter.name!r}: {exc}") from None
        named = f"{resolver.label(iri.value)} ({prefixed_name(iri.value)})"
        # `#+ kinds:` lists what the query can answer for: anything else would answer nothing, silently.
        if parameter.kinds and segment_of_iri(iri.value) not in parameter.kinds:
            kind = resolver.kind_of(iri.value)
            noun = KIND_BY_NAME[kind].noun if kind else segment_of_iri(iri.value)
            raise QueryError(f"parameter {parameter.name!r}: {raw!r} is {named}, a {noun}; query {query.name!r} "
                             f"takes a {' or a '.join(parameter.kinds)}")
        if notice is not None and not resolver.names_exactly(raw, iri.value):
            notice(f"{parameter.name}={raw!r} is {named}")
        return iri
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw.strip()):
            raise QueryError(f"parameter {parameter.name!r} must be a whole number, got {raw!r}")
        return Literal(str(int(raw)), datatype=XSD.integer)
    if parameter.type == "decimal":
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            raise QueryError(f"parameter {parameter.name!r} must be a number, got {raw!r}") from None
        return Literal(format(number, "f"), datatype=XSD.decimal)
    return Literal(raw)


def _decorators(text: str, path: Path) -> dict[str, object]:
    """`#+ key: value` lines. Values are free text (colons allowed), except structured keys and
    indented continuation blocks, which are YAML."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        body = line[2:]
        match = re.match(r"\s?([A-Za-z_]+):\s*(.*)$", body)
        if match and not body.startswith("  "):
            current = match.group(1)
            blocks[current] = [match.group(2)] if match.group(2) else []
        elif current is not None:
            blocks[current].append(body)
        else:
            raise QueryError(f"{path}: decorator line {line!r} is not 'key: value'")
    meta: dict[str, object] = {}
    for key, lines in blocks.items():
        if key in _STRUCTURED or len(lines) > 1:
            try:
                meta[key] = yaml.safe_load("\n".join(lines))
            except yaml.YAMLError as exc:
                raise QueryError(f"{path}: the '#+ {key}:' decorator is not valid YAML: {exc}") from None
        else:
            meta[key] = lines[0] if lines else ""
    return meta


_STRUCTURED = {"tags", "defaults", "enumerate", "kinds"}


def parse_named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta = _decorators(text, path)
    defaults: dict[str, str] = {}
    for item in meta.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update({str(k): str(v) for k, v in item.items()})
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    parameters: dict[str, Parameter] = {}
    for match in _PARAMETER.finditer(body):
        underscores, name, kind = match.groups()
        variable = match.group(0)[1:]
        kinds = tuple((meta.get("kinds") or {}).get(name, ())) if isinstance(meta.get("kinds"), dict) else ()
        parameters.setdefault(
            name, Parameter(name, variable, kind or "string", underscores == "_", defaults.get(name), kinds)
        )
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta.get("summary", path.stem)),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(str(tag) for tag in meta.get("tags") or ()),
        parameters=tuple(parameters.values()),
    )


def named_queries(query_dir: Path | None = None) -> dict[str, NamedQuery]:
    directory = Path(query_dir or DEFAULT_QUERY_DIR)
    return {q.name: q for q in (parse_named_query(p) for p in sorted(directory.glob("*.rq")))}


def bind_parameters(sparql: str, bindings: Mapping[Variable, object]) -> str:
    """Insert ``BIND(term AS ?var)`` right after the opening brace of the WHERE clause.

    At the head of the group, so the variable is bound wherever the group uses it (a block at the
    end of the query would join after aggregation), and can be projected like any other.
    pyoxigraph's own substitution only applies to projected variables. BIND, not a ``VALUES ?var
    { term }`` block, which means the same: Virtuoso 7.2 ignores a VALUES-bound start of a
    transitive path (``?_model_iri (p|q)* ?x``) and walks from every node. Nor the term written in
    place of the variable: pyoxigraph then plans some queries from their other patterns (`lineage`
    took 115 s instead of 60 ms at 10,000 models). docs/remote-store.md has the measurements.
    """
    if not bindings:
        return sparql
    block = " ".join(f"BIND({term} AS {variable})" for variable, term in bindings.items())
    position = where_brace(sparql)
    if position is None:
        raise QueryError("the query has no WHERE group to bind its parameters in")
    return f"{sparql[:position + 1]} {block} {sparql[position + 1:]}"


def run_named(store: GraphStore, query: NamedQuery, values: Mapping[str, str], names: NameIndex | None = None,
              notice: Callable[[str], None] | None = None):
    """Run a named query with its parameters bound (names resolved through `names`, or a new index)."""
    return execute(store, bind_parameters(query.text, query.bind(values, names or NameIndex(store), notice)))

"""`vlmgraph query | queries`: run SPARQL or a named query; list the named queries."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..execution import QueryError, serialize
from ..formats import FORMATS
from ..queries import named_queries, parse_named_query
from .common import DataOption, OntologyOption, StoreOption, open_catalogue, out, reporting, say
from .tables import print_result

_RESULT_NAMES = ", ".join(dict.fromkeys(f.name for f in FORMATS if f.in_results))


def query(
    name: Optional[str] = typer.Argument(None, help="A query of queries/ by name, or the path of an .rq file."),
    expression: Optional[str] = typer.Option(None, "-e", "--expression", help="SPARQL text to run."),
    param: List[str] = typer.Option([], "--param", "-p", help="name=value for a named query's parameter."),
    format: str = typer.Option("table", "--format", "-f", help=f"table, or one of: {_RESULT_NAMES} (the query's "
                                                                "kind decides: xml is SPARQL XML for SELECT, RDF/XML "
                                                                "for CONSTRUCT)."),
    data: Optional[Path] = DataOption, store: Optional[str] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Run a SPARQL query. The vlm:, rdfs:, skos:, dct:… prefixes and one per kind of resource (model:,
    dataset:, family:, organization:…) are predefined."""
    with reporting():
        if name is None and expression is None:
            raise QueryError("no query given: name a query (`vlmgraph queries` lists them), give an .rq file, "
                             "or -e 'SELECT …'")
        if name is not None and expression is not None:
            raise QueryError(f"give a query name or file, or -e 'SPARQL', not both (got {name!r} and -e)")
        values = _parse_params(param)
        if name is not None and name.endswith(".rq") and not Path(name).is_file():
            raise QueryError(f"no query file {name}" + ("" if Path(name).parent.is_dir() else
                                                        f" (no folder {Path(name).parent})"))
        catalogue = open_catalogue(data, store, ontology)
        if expression is not None:
            if values:
                raise QueryError("--param is for named queries; -e text has no parameters")
            outcome = catalogue.query(expression)
        else:
            named = parse_named_query(Path(name)) if name.endswith(".rq") else catalogue.named(name)
            outcome = catalogue.run_named(named, values, notice=lambda message: say(f"note: {message}"))
        if format == "table":
            print_result(outcome)
        else:
            sys.stdout.buffer.write(serialize(outcome, format))
            sys.stdout.buffer.flush()


def list_queries() -> None:
    """List the named queries of queries/ with their parameters."""
    with reporting():
        table = Table("name", "parameters", "summary")
        for q in named_queries().values():
            params = ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.parameters)
            table.add_row(q.name, params, q.summary)
        out.print(table)


def _parse_params(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param takes name=value, got {item!r}")
        values[key.strip()] = value
    return values

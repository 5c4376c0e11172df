"""Query results as a table for people (rich), with a count of rows on stderr."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode
from rich.table import Table

from ..execution import collect
from ..vocab import PREFIXES
from .common import err, out


def _compact(term) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, iri in PREFIXES.items():
            # Display only (not SPARQL syntax): res:model/llava-1.5 reads better than the full IRI.
            if term.value.startswith(iri) and (prefix == "res" or "/" not in term.value[len(iri):]):
                return f"{prefix}:{term.value[len(iri):]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def print_result(outcome) -> None:
    """Print what a query returned: a table of solutions or triples, or true/false."""
    result = collect(outcome)
    if result.kind == "boolean":
        out.print("true" if result.boolean else "false")
        return
    if result.kind == "triples":
        table = Table("subject", "predicate", "object")
        for triple in result.triples:
            table.add_row(_compact(triple.subject), _compact(triple.predicate), _compact(triple.object))
    else:
        table = Table(*result.variables)
        for row in result.rows:
            table.add_row(*(_compact(term) for term in row))
    out.print(table)
    count = len(result.rows) if result.kind == "solutions" else len(result.triples)
    err.print(f"{count} {'row' if result.kind == 'solutions' else 'triple'}{'' if count == 1 else 's'}",
              style="dim")

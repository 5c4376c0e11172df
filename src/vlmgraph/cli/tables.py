"""Query results for people: a table on a terminal, full aligned text in a pipe or a file, a count
of rows on stderr. A resource is printed as a prefixed name that parses when pasted into a query."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode
from rich.table import Table
from rich.text import Text

from ..execution import collect
from ..vocab import prefixed_name
from .common import err, out


def cell(term) -> str:
    """A term as a table shows it: model:llava-1.5, vlm:fineTunedFrom, <https://…>, _:b0, or a literal's text."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return prefixed_name(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def aligned(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest value, two spaces apart, nothing cut: what `cut`, `awk` and a
    reader of a saved file need. Line breaks and tabs inside a value become spaces."""
    lines = [[" ".join(value.split()) if value else "" for value in row] for row in [header, *rows]]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "".join("  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip() + "\n"
                   for line in lines)


def print_result(outcome) -> None:
    """Print what a query returned: a table of solutions or triples, or true/false."""
    result = collect(outcome)
    if result.kind == "boolean":
        out.print("true" if result.boolean else "false")
        return
    if result.kind == "triples":
        header = ["subject", "predicate", "object"]
        rows = [[cell(t.subject), cell(t.predicate), cell(t.object)] for t in result.triples]
    else:
        header = list(result.variables)
        rows = [[cell(term) for term in row] for row in result.rows]
    if out.is_terminal:
        table = Table(*header)
        for row in rows:
            table.add_row(*(Text(value) for value in row))  # Text: a '[…]' in a label is not markup
        out.print(table, highlight=False)
    else:  # a pipe or a file: rich would cut values to an 80-column width
        out.file.write(aligned(header, rows))
        out.file.flush()
    noun = "row" if result.kind == "solutions" else "triple"
    err.print(f"{len(rows)} {noun}{'' if len(rows) == 1 else 's'}", style="dim")

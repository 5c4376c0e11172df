"""The `vlmgraph` command: parses arguments, calls the modules, prints."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from .catalog import read_catalog
from .integrity import check_integrity

app = typer.Typer(no_args_is_help=True, add_completion=False, help="A knowledge graph of vision-language models.")
err = Console(stderr=True, soft_wrap=True)

DataOption = typer.Option(Path("data"), "--data", help="Folder of source records.")


@app.command()
def validate(data: Path = DataOption) -> None:
    """Check every record: schema, references, integrity."""
    catalog = read_catalog(data)
    problems = catalog.problems + (check_integrity(catalog) if not catalog.problems else [])
    for problem in problems:
        err.print(str(problem), markup=False, highlight=False)
    if problems:
        err.print(f"{len(problems)} problem(s)", style="red")
        raise typer.Exit(1)
    err.print(f"{len(catalog.records)} records in {len(catalog.files)} files: no problems", style="green")


@app.callback()
def main() -> None:
    """A knowledge graph of vision-language models."""

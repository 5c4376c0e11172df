"""`vlmgraph import …` and `vlmgraph render …`: thin, parse options, call the importers, print."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional

import typer
from rich.table import Table

from .common import DataOption, OntologyOption, StoreOption, data_dir, err, open_catalogue, out, reporting, say

if TYPE_CHECKING:  # the importers are loaded by the import commands only, not at every command's start
    from ..importers.report import ImportReport
    from ..importers.run import Importer

import_app = typer.Typer(no_args_is_help=True, add_completion=False,
                         help="Read awesome-lists and Hugging Face repositories: match, report differences, draft records.")
render_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Write documents from the graph.")
OutOption = typer.Option(None, "--out", help="Write candidate records for what is new here, in the data/ layout.")


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


FormatOption = typer.Option(ReportFormat.table, "--format", "-f", help="table for people, json for programs.")


@contextmanager
def _reporting() -> Iterator[None]:
    """The shared one-line errors, and the Hub's and the file system's."""
    from ..importers.huggingface import HubError

    with reporting():
        try:
            yield
        except (HubError, OSError) as exc:
            say(f"error: {exc}")
            raise typer.Exit(1)


def _importer(data: Optional[Path], store: Optional[Path], ontology: Optional[Path]) -> Importer:
    """An importer over the catalogue, resolving names through the catalogue's one name index."""
    from ..importers.lookup import StoreLookup
    from ..importers.run import Importer

    catalogue = open_catalogue(data, store, ontology)
    return Importer(catalogue.store, StoreLookup(catalogue.store, catalogue.names))


@import_app.command("awesome-list")
def awesome_list(file: Path = typer.Argument(..., help="The Markdown list."), out_dir: Optional[Path] = OutOption,
                 format: ReportFormat = FormatOption, data: Optional[Path] = DataOption, store: Optional[Path] = StoreOption,
                 ontology: Optional[Path] = OntologyOption) -> None:
    """Match every bold entry of an awesome-list to the graph; report differences and entities the list lacks."""
    with _reporting():
        if not file.is_file():
            raise ValueError(f"{file}: no such file")
        report = _importer(data, store, ontology).awesome_list(file, out_dir, data_dir(data))
    _print(report, format, missing=True)


@import_app.command("hf")
def hub(sources: List[str] = typer.Argument(..., help="Snapshot folders, or owner/name repository ids to download."),
        out_dir: Optional[Path] = OutOption, format: ReportFormat = FormatOption, data: Optional[Path] = DataOption,
        store: Optional[Path] = StoreOption, ontology: Optional[Path] = OntologyOption,
        cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Hub download cache (default: huggingface_hub's).")) -> None:
    """Read Hugging Face model repositories (card header and config.json) and match them to the graph."""
    with _reporting():
        report = _importer(data, store, ontology).hub(list(sources), out_dir, data_dir(data), cache_dir)
    _print(report, format, missing=False)


@render_app.command("awesome-list")
def render_awesome_list(output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write (default: standard output)."),
                        data: Optional[Path] = DataOption, store: Optional[Path] = StoreOption,
                        ontology: Optional[Path] = OntologyOption) -> None:
    """Write an awesome-list of the graph: models by year, datasets and benchmarks by category, tools."""
    from ..files import write_atomically
    from ..render_awesome_list import render_awesome_list as render

    with _reporting():
        text = render(open_catalogue(data, store, ontology).store)
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomically(output, text.encode("utf-8"))
            say(f"wrote {output} ({text.count(chr(10) + '- **')} entries)")


def _print(report: ImportReport, format: ReportFormat, missing: bool) -> None:
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=_plain) + "\n")
        return
    table = Table("line", "kind", "name", "status", "entity", "diff.")
    table.columns[4].no_wrap = True
    for entry in report.entries:
        entity = entry.entity or ""
        if len(entry.entities) > 1:
            entity += f" (+{len(entry.entities) - 1})"
        status = entry.status + (f", duplicate of line {entry.duplicate_of}" if entry.duplicate_of else "")
        table.add_row(str(entry.line or ""), entry.kind, entry.name, status, entity, str(len(entry.differences) or ""))
    out.print(table)
    for entry in report.entries:
        where = f"line {entry.line} " if entry.line else ""
        for d in entry.differences:
            said = f"{where}{entry.name} [{d.entity}] {d.field}: the input says {_short(d.listed)!r}; "
            if d.known_correction:
                said += f"known correction: {_short(d.known_correction.corrected)} (source {d.known_correction.source})"
            else:
                said += f"the graph says {_short(d.graph)!r}" + (f" (source {d.source})" if d.source else "")
            out.print(said, markup=False, highlight=False)
        for component in entry.components:
            found = ", ".join(component.entities) or "not in the graph"
            out.print(f"{entry.name}: {component.role} {component.name!r} ({component.read_from}) -> {found}",
                      markup=False, highlight=False)
        if entry.note:
            out.print(f"{where}{entry.name}: {entry.note}", markup=False, highlight=False)
        if entry.draft:
            out.print(f"{entry.name}: drafted {entry.draft}", markup=False, highlight=False)
    if missing and report.missing:
        names = ", ".join(f"{m['name']} [{m['entity']}]" for m in report.missing)
        out.print(f"in the graph, not in the input ({len(report.missing)}): {names}", markup=False, highlight=False)
    c = report.counts()
    err.print(f"{c['entries']} {'entry' if c['entries'] == 1 else 'entries'}: {c['matched']} matched, {c['new']} new, {c['unparsable']} unparsable; "
              f"{c['differences']} differences ({c['known_corrections']} known corrections)"
              + (f"; {c['missing_from_input']} graph entities not in the input" if missing else ""), highlight=False)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value):
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value):
        return asdict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")

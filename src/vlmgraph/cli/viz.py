"""`vlmgraph viz …`: write lineage and overview pages. Thin: parse, call lineage and viz, report."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..lineage import resolve
from ..timeline import timeline_page
from ..terms import DRAWN_KINDS
from ..viz import DEFAULT_DEPTH, lineage_page, overview_page, write_page
from .common import DataOption, OntologyOption, StoreOption, open_catalogue, reporting, say

viz_app = typer.Typer(no_args_is_help=True, add_completion=False,
                      help="Interactive pages (offline HTML) of a model's lineage or of the whole graph.")
DIRECTIONS = ("up", "down", "both")


def _write(target: Path, page: str) -> None:
    try:
        write_page(target, page)
    except OSError as exc:  # the temporary file's name in exc would only confuse: name the target
        raise ValueError(f"cannot write {target}: {exc.strerror}") from None


def _graph(data: Optional[Path], store: Optional[str], ontology: Optional[Path]):
    """The lineage graph of the store for these inputs, rebuilt first when they changed."""
    return open_catalogue(data, store, ontology).lineage_graph()


@viz_app.command()
def lineage(
    name: str = typer.Argument(..., help="A model by name, alias, id or IRI."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file (default: lineage-<id>.html)."),
    depth: int = typer.Option(DEFAULT_DEPTH, "--depth", help="How many lineage steps from the model to show."),
    direction: str = typer.Option("up", "--direction", help="up (what it is built from), down (what is built on it) "
                                                             "or both."),
    data: Optional[Path] = DataOption, store: Optional[str] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Write an interactive page of a model's lineage."""
    with reporting():
        if direction not in DIRECTIONS:
            raise ValueError(f"--direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
        if depth < 0:
            raise ValueError(f"--depth must be 0 or more, not {depth}")
        graph = _graph(data, store, ontology)
        iri = resolve(graph, name)
        target = output or Path(f"lineage-{iri.rsplit('/', 1)[-1]}.html")
        _write(target, lineage_page(graph, iri, depth, direction))
    say(f"wrote {target}: the lineage of {graph.nodes[iri]['label']}")


@viz_app.command()
def overview(
    output: Path = typer.Option(Path("overview.html"), "-o", "--output", help="HTML file."),
    kind: List[str] = typer.Option([], "--kind", help="Only entities of this class (repeatable): "
                                                      f"{', '.join(kind.name for kind in DRAWN_KINDS)}."),
    org: Optional[str] = typer.Option(None, "--org", help="Only what this organization developed."),
    year: Optional[int] = typer.Option(None, "--year", help="Only what was released in this year."),
    data: Optional[Path] = DataOption, store: Optional[str] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Write an interactive page of the whole graph, or of part of it."""
    with reporting():
        graph = _graph(data, store, ontology)
        _write(output, overview_page(graph, kinds=kind or None, org=org, year=year))
    say(f"wrote {output}")


@viz_app.command()
def timeline(
    output: Path = typer.Option(Path("timeline.html"), "-o", "--output", help="HTML file."),
    data: Optional[Path] = DataOption, store: Optional[Path] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Write the release timeline: models by date, in lanes by encoder or backbone family."""
    with reporting():
        graph = _graph(data, store, ontology)
        _write(output, timeline_page(graph))
    say(f"wrote {output}")

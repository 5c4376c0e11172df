"""`vlmgraph viz …`: write lineage and overview pages. Thin: parse, call lineage and viz, report.

Kept apart from cli.py, which mounts it (`app.add_typer(viz_app, name="viz")`); it therefore
imports nothing from cli.py and repeats the two small helpers it needs.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console

from .graph_store import is_remote
from .lineage import UnknownName, lineage_graph, resolve
from .problems import ProblemsFound
from .queries import QueryError
from .remote_store import open_remote
from .store import build, open_store
from .viz import lineage_page, overview_page, write_page

viz_app = typer.Typer(no_args_is_help=True, add_completion=False,
                      help="Interactive pages (offline HTML) of a model's lineage or of the whole graph.")
err = Console(stderr=True, soft_wrap=True)

DataOption = typer.Option(Path("data"), "--data", help="Folder of source records (YAML).")
StoreOption = typer.Option("build", "--store", envvar="VLMGRAPH_STORE",
                           help="Folder of the built store (created when missing), or the URL of a SPARQL endpoint "
                                "the graphs were published to.")
OntologyOption = typer.Option(None, "--ontology", help="Folder with vlmgraph.ttl (default: the bundled one).")
DIRECTIONS = ("up", "down", "both")


@contextmanager
def _reporting() -> Iterator[None]:
    """Every error a user can cause becomes one line on stderr and exit status 1, never a traceback.
    ValueError is what lineage and viz raise for a bad option value (a kind, a depth)."""
    try:
        yield
    except ProblemsFound as exc:
        for problem in exc.problems:
            err.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(1)
    except (UnknownName, QueryError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1)


def _write(target: Path, page: str) -> None:
    try:
        write_page(target, page)
    except OSError as exc:  # the temporary file's name in exc would only confuse: name the target
        raise ValueError(f"cannot write {target}: {exc.strerror}") from None


def _graph(data: Path, store: str, ontology: Optional[Path]):
    """The lineage graph of the store for these inputs, rebuilt first when they changed."""
    if is_remote(store):
        return lineage_graph(open_remote(store))
    with err.status("building the store…"):
        build(data, store, ontology)
    return lineage_graph(open_store(store))


@viz_app.command()
def lineage(
    name: str = typer.Argument(..., help="A model by name, alias, id or IRI."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file (default: lineage-<id>.html)."),
    depth: int = typer.Option(3, "--depth", help="How many steps from the model to show."),
    direction: str = typer.Option("up", "--direction", help="up (what it is built from), down (what is built on it) "
                                                             "or both."),
    data: Path = DataOption, store: str = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Write an interactive page of a model's lineage."""
    with _reporting():
        if direction not in DIRECTIONS:
            raise ValueError(f"--direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
        if depth < 0:
            raise ValueError(f"--depth must be 0 or more, not {depth}")
        graph = _graph(data, store, ontology)
        iri = resolve(graph, name)
        target = output or Path(f"lineage-{iri.rsplit('/', 1)[-1]}.html")
        _write(target, lineage_page(graph, iri, depth, direction))
    err.print(f"wrote {target}: the lineage of {graph.nodes[iri]['label']}", markup=False, highlight=False)


@viz_app.command()
def overview(
    output: Path = typer.Option(Path("overview.html"), "-o", "--output", help="HTML file."),
    kind: List[str] = typer.Option([], "--kind", help="Only entities of this class (repeatable): "
                                                      "VisionLanguageModel, LanguageModel, VisionEncoder, Dataset, "
                                                      "Benchmark, Organization, ModelFamily."),
    org: Optional[str] = typer.Option(None, "--org", help="Only what this organization developed."),
    year: Optional[int] = typer.Option(None, "--year", help="Only what was released in this year."),
    data: Path = DataOption, store: str = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Write an interactive page of the whole graph, or of part of it."""
    with _reporting():
        graph = _graph(data, store, ontology)
        _write(output, overview_page(graph, kinds=kind or None, org=org, year=year))
    err.print(f"wrote {output}", markup=False, highlight=False)

"""What every `vlmgraph` command shares: the consoles, the --data/--store/--ontology options, turning
errors into one line each, and opening the catalogue. Nothing here prints results."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NoReturn, Optional

import typer
from rich.console import Console

from ..catalogue import Catalogue
from ..execution import QueryError
from ..formats import UnknownFormat
from ..graph_store import is_remote
from ..names import UnknownName
from ..paths import default_data_dir, default_store_dir
from ..problems import Problem, ProblemsFound

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataOption = typer.Option(None, "--data", help="Folder of source records (YAML). Default: ./data, else the "
                                                "catalogue shipped with vlmgraph.")
StoreOption = typer.Option(None, "--store", envvar="VLMGRAPH_STORE",
                           help="Folder of the built store (created when missing; default: ./build for ./data, else a "
                                "folder in the user's cache), or the URL of a SPARQL endpoint the graphs were published "
                                "to (`vlmgraph publish`).")
OntologyOption = typer.Option(None, "--ontology", help="Folder with vlmgraph.ttl and shapes.ttl (default: the bundled one).")


def say(message: str, style: str | None = None) -> None:
    """A line for the user on stderr, printed as written (no markup, no highlighting)."""
    err.print(message, style=style, markup=False, highlight=False)


def fail(problems: list[Problem]) -> NoReturn:
    for problem in problems:
        say(str(problem))
    err.print(f"{len(problems)} problem(s)", style="red")
    raise typer.Exit(1)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn the errors users can cause into one clear line each and exit status 1 — never a traceback.
    ValueError is what lineage and viz raise for a bad option value (a kind, a depth)."""
    try:
        yield
    except ProblemsFound as exc:
        fail(exc.problems)
    except (QueryError, UnknownName, UnknownFormat, ValueError) as exc:
        say(f"error: {exc}")
        raise typer.Exit(1)


def data_dir(data: Optional[Path]) -> Path:
    return data if data is not None else default_data_dir()


def store_location(data: Optional[Path], store: Optional[str]) -> Path | str:
    """Where the graph is: --store as given (a folder or an endpoint URL), else the default folder."""
    if store is not None and is_remote(store):
        return store
    return Path(store) if store is not None else default_store_dir(data_dir(data))


def store_dir(data: Optional[Path], store: Optional[str]) -> Path:
    """A store folder, for the commands that write one; a URL is refused with what to do instead."""
    location = store_location(data, store)
    if isinstance(location, str):
        raise ValueError(f"--store {location} is a SPARQL endpoint; this command needs a store folder "
                         "(to put the graph on a server, use `vlmgraph publish --endpoint URL`)")
    return location


def open_catalogue(data: Optional[Path], store: Optional[str], ontology: Optional[Path]) -> Catalogue:
    """The catalogue for these inputs: a remote endpoint as it is, or the local store, rebuilt first
    when the records or the ontology changed."""
    location = store_location(data, store)
    if isinstance(location, str):
        return Catalogue.open(location)
    with err.status("building the store…") as status:
        return Catalogue.open(location, data=data_dir(data), ontology=ontology,
                              progress=lambda message: status.update(message + "…"))

"""The `vlmgraph` command: parses arguments, calls the modules, prints. No SPARQL lives here."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from pyoxigraph import BlankNode, Literal, NamedNode
from rich.console import Console
from rich.table import Table

from . import export as exporting
from .cli_publish import publish as publish_command
from .cli_synth import synth as synth_command
from .cli_viz import viz_app
from .graph_store import is_remote
from .problems import Problem, ProblemsFound
from .queries import QueryError, collect, execute, named_queries, parse_named_query, run_named, serialize
from .remote_store import open_remote
from .store import build as build_store
from .store import open_store
from .vocab import PREFIXES

app = typer.Typer(no_args_is_help=True, add_completion=False, help="A knowledge graph of vision-language models.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataOption = typer.Option(Path("data"), "--data", help="Folder of source records (YAML).")
StoreOption = typer.Option(Path("build"), "--store", help="Folder of the built store (created when missing).")
# Commands that only read the graph may read it from a SPARQL server instead (see remote_store).
ReadStoreOption = typer.Option("build", "--store", envvar="VLMGRAPH_STORE",
                               help="Folder of the built store, or the URL of a SPARQL endpoint the graphs were published to.")
OntologyOption = typer.Option(None, "--ontology", help="Folder with vlmgraph.ttl and shapes.ttl (default: the bundled one).")


def fail(problems: list[Problem]) -> None:
    for problem in problems:
        err.print(str(problem), markup=False, highlight=False)
    err.print(f"{len(problems)} problem(s)", style="red")
    raise typer.Exit(1)


@contextmanager
def reporting_problems() -> Iterator[None]:
    """Turn the errors users can cause into one clear line each and exit status 1 — never a traceback."""
    try:
        yield
    except ProblemsFound as exc:
        fail(exc.problems)
    except QueryError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1)


def _store(data: Path, store, ontology: Optional[Path]):
    """The store for these inputs, rebuilt first when the records or the ontology changed."""
    if is_remote(str(store)):
        return open_remote(str(store))
    with err.status("building the store…"):
        build_store(data, store, ontology)
    return open_store(store)


app.add_typer(viz_app, name="viz", help="Interactive lineage graphs (self-contained HTML).")
app.command("synth")(synth_command)
app.command("publish")(publish_command)


@app.callback()
def main() -> None:
    """A knowledge graph of vision-language models: build it, check it, query it, export it."""


@app.command()
def build(data: Path = DataOption, store: Path = StoreOption, ontology: Optional[Path] = OntologyOption,
          force: bool = typer.Option(False, "--force", help="Rebuild even when the inputs are unchanged.")) -> None:
    """Build the store from the records and the ontology (reused when nothing changed)."""
    with reporting_problems():
        with err.status("building the store…") as status:
            info = build_store(data, store, ontology, force=force, progress=lambda m: status.update(m + "…"))
    verb = "up to date" if info.reused else "built"
    err.print(f"{store}: {verb}: {info.records:,} records, {info.triples:,} triples "
              f"({info.data_triples:,} data)", highlight=False)


@app.command()
def validate(data: Path = DataOption, ontology: Optional[Path] = OntologyOption,
             shacl: bool = typer.Option(True, help="Check the SHACL shapes."),
             owl: bool = typer.Option(True, help="Check OWL consistency with HermiT (needs Java).")) -> None:
    """Check every record: schema, references, integrity rules, SHACL shapes, OWL consistency."""
    from .validate import validate as run_checks

    with reporting_problems():
        with err.status("validating…"):
            problems = run_checks(data, ontology, shacl=shacl, owl=owl)
    if problems:
        fail(problems)
    err.print("no problems: schema, references, integrity"
              + (", SHACL" if shacl else "") + (", OWL (HermiT)" if owl else ""), style="green")


@app.command()
def stats(data: Path = DataOption, store: str = ReadStoreOption, ontology: Optional[Path] = OntologyOption) -> None:
    """Entities per class and triples per graph."""
    with reporting_problems():
        db = _store(data, store, ontology)
        query = named_queries()["class-counts"]
        _print_table(collect(run_named(db, query, {})))


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"
    turtle = "turtle"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"


@app.command()
def query(
    name: Optional[str] = typer.Argument(None, help="A query of queries/ by name, or the path of an .rq file."),
    expression: Optional[str] = typer.Option(None, "-e", "--expression", help="SPARQL text to run."),
    param: List[str] = typer.Option([], "--param", "-p", help="name=value for a named query's parameter."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    data: Path = DataOption, store: str = ReadStoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Run a SPARQL query. The vlm:, res:, rdfs:, skos:, dct:… prefixes are predefined."""
    with reporting_problems():
        if (name is None) == (expression is None):
            raise QueryError("give a query name or file, or -e 'SPARQL', not both")
        values = _parse_params(param)
        db = _store(data, store, ontology)
        if expression is not None:
            if values:
                raise QueryError("--param is for named queries; -e text has no parameters")
            outcome = execute(db, expression)
        else:
            path = Path(name)
            if path.suffix == ".rq" and path.is_file():
                named = parse_named_query(path)
            else:
                available = named_queries()
                if name not in available:
                    raise QueryError(f"no query named {name!r}; `vlmgraph queries` lists them")
                named = available[name]
            outcome = run_named(db, named, values)
        if format is OutputFormat.table:
            _print_table(collect(outcome))
        else:
            sys.stdout.buffer.write(serialize(outcome, format.value))
            sys.stdout.buffer.flush()


@app.command("queries")
def list_queries() -> None:
    """List the named queries of queries/ with their parameters."""
    with reporting_problems():
        table = Table("name", "parameters", "summary")
        for q in named_queries().values():
            params = ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.parameters)
            table.add_row(q.name, params, q.summary)
        out.print(table)


@app.command()
def export(
    format: str = typer.Option("turtle", "--format", "-f", help=f"One of: {', '.join(exporting.FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write (default: standard output)."),
    data_only: bool = typer.Option(False, "--data-only", help="Leave the ontology out."),
    data: Path = DataOption, store: Path = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Export the graph: the ontology and the data together, or the data alone."""
    with reporting_problems():
        if format not in exporting.FORMATS:
            raise QueryError(f"unknown format {format!r}; use one of: {', '.join(exporting.FORMATS)}")
        content = exporting.export_bytes(_store(data, store, ontology), format, data_only)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        exporting.write_atomically(output, content)
        err.print(f"wrote {output} ({len(content):,} bytes)", highlight=False)


def _parse_params(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param takes name=value, got {item!r}")
        values[key.strip()] = value
    return values


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


def _print_table(result) -> None:
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


@app.command()
def lint(data: Path = DataOption,
         fix: bool = typer.Option(False, "--fix", help="Rewrite the files into canonical form.")) -> None:
    """Check that record files are in canonical form (field order, no defaults, sorted lists)."""
    from .catalog import read_catalog
    from .lint import files_not_canonical
    from .lint import fix as rewrite

    catalog = read_catalog(data)
    if catalog.problems:
        fail(catalog.problems)
    differing = files_not_canonical(catalog, data)
    if fix:
        rewrite(differing)
        err.print(f"rewrote {len(differing)} file(s) into canonical form", highlight=False)
        return
    for path in differing:
        err.print(f"{path}: not in canonical form (run `vlmgraph lint --fix`)", markup=False, highlight=False)
    if differing:
        raise typer.Exit(1)
    err.print(f"{len(catalog.files)} files in canonical form", style="green")


@app.command()
def schema(output: Path = typer.Option(Path("schema"), "-o", "--output", help="Folder for the JSON Schemas.")) -> None:
    """Write a JSON Schema per kind of record, for editors that validate YAML as you type."""
    from .lint import json_schemas

    output.mkdir(parents=True, exist_ok=True)
    for name, text in json_schemas().items():
        exporting.write_atomically(output / name, text.encode("utf-8"))
    err.print(f"wrote {len(json_schemas())} schemas to {output}/", highlight=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before it is stopped."),
    workers: int = typer.Option(3, "--workers", help="Query worker processes (queries run outside the server loop)."),
    cors_origin: List[str] = typer.Option(["*"], "--cors-origin", help="Origins allowed to read from browsers."),
    data: Path = DataOption, store: str = ReadStoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Serve the SPARQL endpoint, the named-query API and the pages (read-only)."""
    import uvicorn

    from .web.app import Settings, create_app

    with reporting_problems():
        if not is_remote(store):
            with err.status("building the store…"):
                build_store(data, Path(store), ontology)
        location = store if is_remote(store) else Path(store)
        application = create_app(Settings(location, timeout=timeout, workers=workers, cors_origins=tuple(cors_origin)))
    err.print(f"vlmgraph: SPARQL endpoint at http://{host}:{port}/sparql", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")

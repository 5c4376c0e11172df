"""`vlmgraph build | validate | stats | export | lint | schema`: make, check, count and write the graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..formats import NETWORK_FORMATS, UnknownFormat, find, find_network, formats
from ..store import build as build_store
from .common import DataOption, OntologyOption, StoreOption, data_dir, err, fail, open_catalogue, reporting, say, \
    store_dir
from .tables import print_result


def build(data: Optional[Path] = DataOption, store: Optional[str] = StoreOption,
          ontology: Optional[Path] = OntologyOption,
          force: bool = typer.Option(False, "--force", help="Rebuild even when the inputs are unchanged.")) -> None:
    """Build the store from the records and the ontology (reused when nothing changed)."""
    with reporting():
        target = store_dir(data, store)
        with err.status("building the store…") as status:
            info = build_store(data_dir(data), target, ontology, force=force,
                               progress=lambda m: status.update(m + "…"))
    verb = "up to date" if info.reused else "built"
    say(f"{target}: {verb}: {info.records:,} records, {info.triples:,} triples ({info.data_triples:,} data)")


def validate(data: Optional[Path] = DataOption, ontology: Optional[Path] = OntologyOption,
             shacl: bool = typer.Option(True, help="Check the SHACL shapes."),
             owl: bool = typer.Option(True, help="Check OWL consistency with HermiT (needs Java).")) -> None:
    """Check every record: schema, references, integrity rules, SHACL shapes, OWL consistency."""
    from ..validate import validate as run_checks

    with reporting():
        with err.status("validating…"):
            problems = run_checks(data_dir(data), ontology, shacl=shacl, owl=owl)
    if problems:
        fail(problems)
    err.print("no problems: schema, references, integrity"
              + (", SHACL" if shacl else "") + (", OWL (HermiT)" if owl else ""), style="green")


def stats(data: Optional[Path] = DataOption, store: Optional[str] = StoreOption,
          ontology: Optional[Path] = OntologyOption) -> None:
    """Entities per class and triples per graph."""
    with reporting():
        catalogue = open_catalogue(data, store, ontology)
        print_result(catalogue.run_named("class-counts", {}))


def export(
    format: str = typer.Option("ttl", "--format", "-f",
                               help=f"RDF: {', '.join(f.name for f in formats('graph'))}; the lineage graph for "
                                    f"network tools: {', '.join(f.name for f in NETWORK_FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write (default: standard output)."),
    data_only: bool = typer.Option(False, "--data-only", help="Leave the ontology out."),
    ontology_only: bool = typer.Option(False, "--ontology-only", help="Only the ontology (as in "
                                                                       "ontology/vlmgraph.owl with -f xml)."),
    data: Optional[Path] = DataOption, store: Optional[str] = StoreOption, ontology: Optional[Path] = OntologyOption,
) -> None:
    """Export the graph (the ontology and the data, or one of them), or its lineage projection as a network."""
    from ..export import export_bytes

    with reporting():
        network = find_network(format)
        if network is not None:
            if data_only or ontology_only:
                raise ValueError(f"{network.name} holds the lineage graph of the data; --data-only and "
                                 "--ontology-only are for RDF formats")
            from ..network import write

            content = write(network, open_catalogue(data, store, ontology).lineage_graph())
        else:
            try:
                fmt = find(format, "graph")
            except UnknownFormat as exc:
                raise UnknownFormat(f"{exc}, or for the lineage network: "
                                    f"{', '.join(f.name for f in NETWORK_FORMATS)}") from None
            content = export_bytes(open_catalogue(data, store, ontology).store, fmt, data_only, ontology_only)
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        _write(output, content)
    say(f"wrote {output} ({len(content):,} bytes)")


def _write(target: Path, content: bytes) -> None:
    from ..files import write_atomically

    try:
        write_atomically(target, content)
    except OSError as exc:  # one line naming the target, not the temporary file
        raise ValueError(f"cannot write {target}: {exc.strerror}") from None


def lint(data: Optional[Path] = DataOption,
         fix: bool = typer.Option(False, "--fix", help="Rewrite the files into canonical form.")) -> None:
    """Check that record files are in canonical form (field order, no defaults, sorted lists)."""
    from ..catalog import read_catalog
    from ..lint import files_not_canonical
    from ..lint import fix as rewrite

    folder = data_dir(data)
    catalog = read_catalog(folder)
    if catalog.problems:
        fail(catalog.problems)
    differing = files_not_canonical(catalog, folder)
    if fix:
        rewrite(differing)
        say(f"rewrote {len(differing)} file(s) into canonical form")
        return
    for path in differing:
        say(f"{path}: not in canonical form (run `vlmgraph lint --fix`)")
    if differing:
        raise typer.Exit(1)
    err.print(f"{len(catalog.files)} files in canonical form", style="green")


def schema(output: Path = typer.Option(Path("schema"), "-o", "--output", help="Folder for the JSON Schemas.")) -> None:
    """Write a JSON Schema per kind of record, for editors that validate YAML as you type."""
    from ..files import write_atomically
    from ..lint import json_schemas

    schemas = json_schemas()
    with reporting():
        output.mkdir(parents=True, exist_ok=True)
        for name, text in schemas.items():
            write_atomically(output / name, text.encode("utf-8"))
    say(f"wrote {len(schemas)} schemas to {output}/")

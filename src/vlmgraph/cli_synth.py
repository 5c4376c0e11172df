"""`vlmgraph synth`: write a synthetic catalogue for measuring vlmgraph at scale. Thin: parse, call synth, report.

Kept apart from cli.py, which mounts it with one line, like cli_viz.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from .synth import Counts, write_catalogue

err = Console(stderr=True, soft_wrap=True)


def synth(
    models: int = typer.Option(..., "--models", "-n", help="How many vision-language models (the other kinds scale "
                                                            "with it: N/20 language models, N/100 encoders…)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write (new, empty, or an earlier synthetic "
                                                            "catalogue, which is replaced)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same models and seed give the same bytes."),
) -> None:
    """Write a synthetic catalogue in the data/ format (clearly labelled synthetic) for benchmarks."""
    try:
        counts = Counts.for_models(models)
        with err.status(f"writing {models:,} synthetic models…"):
            files = write_catalogue(output, models, seed)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1)
    except OSError as exc:
        err.print(f"error: cannot write {output}: {exc.strerror}", markup=False, highlight=False)
        raise typer.Exit(1)
    err.print(f"wrote {output}/ ({files} files): {counts.models:,} vision-language models, "
              f"{counts.language_models:,} language models, {counts.encoders:,} vision encoders, "
              f"{counts.datasets:,} datasets, {counts.benchmarks:,} benchmarks, "
              f"{counts.organizations:,} organizations, {counts.models:,} results", markup=False, highlight=False)

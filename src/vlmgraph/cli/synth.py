"""`vlmgraph synth`: write a synthetic catalogue for measuring vlmgraph at scale. Thin: parse, call synth, report.

"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import err, say


def synth(
    models: int = typer.Option(..., "--models", "-n", help="How many vision-language models (the other kinds scale "
                                                            "with it: N/20 language models, N/100 encoders…)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write (new, empty, or an earlier synthetic "
                                                            "catalogue, which is replaced)."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same models and seed give the same bytes."),
) -> None:
    """Write a synthetic catalogue in the data/ format (clearly labelled synthetic) for benchmarks."""
    from ..synth import Counts, write_catalogue  # the record models: not for every command's start

    try:
        counts = Counts.for_models(models)
        with err.status(f"writing {models:,} synthetic models…"):
            files = write_catalogue(output, models, seed)
    except ValueError as exc:
        say(f"error: {exc}")
        raise typer.Exit(1)
    except OSError as exc:
        say(f"error: cannot write {output}: {exc.strerror}")
        raise typer.Exit(1)
    say(f"wrote {output}/ ({files} files): {counts.models:,} vision-language models, "
              f"{counts.language_models:,} language models, {counts.encoders:,} vision encoders, "
              f"{counts.datasets:,} datasets, {counts.benchmarks:,} benchmarks, "
              f"{counts.organizations:,} organizations, {counts.models:,} results")

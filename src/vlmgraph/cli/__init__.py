"""The `vlmgraph` command: parses arguments, calls the modules, prints. No SPARQL lives here.

One module per group of commands; `common` holds the options and error handling they share.
"""

from __future__ import annotations

import typer

from . import graph, publish, query, serve, synth
from .importing import import_app, render_app
from .viz import viz_app

app = typer.Typer(no_args_is_help=True, add_completion=False, help="A knowledge graph of vision-language models.")


@app.callback()
def main() -> None:
    """A knowledge graph of vision-language models: build it, check it, query it, export it."""


app.command("synth")(synth.synth)
app.command("publish")(publish.publish)
for command in (graph.build, graph.validate, graph.stats, query.query):
    app.command()(command)
app.command("queries")(query.list_queries)
for command in (graph.export, graph.lint, graph.schema, serve.serve):
    app.command()(command)
app.add_typer(viz_app, name="viz", help="Interactive lineage graphs (self-contained HTML).")
app.add_typer(import_app, name="import")
app.add_typer(render_app, name="render")

__all__ = ["app"]

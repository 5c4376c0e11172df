"""`vlmgraph publish`: upload the built graphs to a SPARQL server. Thin: parse, build, call publish, report."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..publish import DEFAULT_BATCH, GRACE, Target
from ..publish import publish as publish_graphs
from ..sparql_client import SparqlClient, credentials
from ..store import build, open_store
from .common import DataOption, OntologyOption, data_dir, err, reporting, say, store_dir


def publish(
    endpoint: str = typer.Option(..., "--endpoint", help="The server's SPARQL query endpoint (checked before and "
                                                         "after the upload)."),
    gsp: Optional[str] = typer.Option(None, "--gsp", help="Graph Store Protocol URL: upload by PUT/POST of N-Triples "
                                                          "(e.g. Virtuoso's /sparql-graph-crud-auth)."),
    update: Optional[str] = typer.Option(None, "--update", help="SPARQL Update endpoint (default: --endpoint); used "
                                                                "for the upload without --gsp, and for the switch."),
    auth: Optional[str] = typer.Option(None, "--auth", help="USER:PASSWORD, sent by HTTP Basic or Digest "
                                                            "(whichever the server asks for).",
                                       envvar="VLMGRAPH_STORE_AUTH"),
    token: Optional[str] = typer.Option(None, "--token", help="A bearer token instead of --auth.",
                                        envvar="VLMGRAPH_STORE_TOKEN"),
    graph_prefix: Optional[str] = typer.Option(None, "--graph-prefix", help="Publish the graphs as PREFIXontology and "
                                               "PREFIXdata (default: https://w3id.org/vlmgraph/graph/).",
                                               envvar="VLMGRAPH_GRAPH_PREFIX"),
    batch_size: int = typer.Option(DEFAULT_BATCH, "--batch-size", help="Triples per upload request."),
    timeout: float = typer.Option(300.0, "--timeout", help="Seconds one request may take."),
    grace: float = typer.Option(GRACE, "--grace", help="Seconds the replaced version stays for readers that looked "
                                                       "it up just before the switch; then it is dropped."),
    data: Optional[Path] = DataOption,
    store: Optional[Path] = typer.Option(None, "--store", help="Folder of the built store to upload (built when "
                                                               "missing; default as for the other commands)."),
    ontology: Optional[Path] = OntologyOption,
) -> None:
    """Upload the ontology, data and statistics graphs to a SPARQL server, replacing the published version in one step."""
    target = Target(endpoint, update, gsp, graph_prefix)
    with reporting():
        folder = store_dir(data, str(store) if store is not None else None)
        with err.status("building the store…"):
            build(data_dir(data), folder, ontology)
        client = SparqlClient(credentials(auth, token), timeout)
        try:
            with Progress(TextColumn("publishing"), BarColumn(), MofNCompleteColumn(), TextColumn("triples"),
                          TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True) as bar:
                task = bar.add_task("publish", total=None)
                report = publish_graphs(open_store(folder), target, client, batch_size=batch_size, grace=grace,
                                        total=lambda n: bar.update(task, total=n),
                                        progress=lambda k: bar.advance(task, k))
        finally:
            client.close()
    how = f"Graph Store Protocol at {gsp}" if gsp else f"SPARQL Update at {target.update_url}"
    dropped = report.stale_dropped + report.replaced_dropped
    say(f"published {report.total:,} triples by {how} ({report.requests} requests, "
        f"{report.upload_seconds:.1f} s; switched in {report.switch_seconds:.2f} s; "
        f"{dropped} old graph version(s) dropped)")
    for graph, version in report.graphs.items():
        say(f"  {graph}: {report.triples[graph]:,} triples, now {version}")

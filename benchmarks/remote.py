"""Publish time, and query latency on a SPARQL server against the embedded store (issue #12).

Run against a server that is already up (see docs/remote-store.md for starting Oxigraph server
or Virtuoso), with a store built from a synthetic catalogue (`vlmgraph synth`, `vlmgraph build`):

    .venv/bin/python benchmarks/remote.py --store /tmp/synth10k-build --name oxigraph \
        --endpoint http://127.0.0.1:7878/query --update http://127.0.0.1:7878/update \
        --gsp http://127.0.0.1:7878/store --json benchmarks/results/remote-oxigraph-10000.json

or let it start a fresh server on a temporary database, as the tests do (tests/servers.py):

    .venv/bin/python benchmarks/remote.py --store /tmp/synth100k-build --start virtuoso --publish gsp \
        --json benchmarks/results/remote-virtuoso-100000.json

It publishes by SPARQL Update and, given --gsp, again by Graph Store Protocol (each timed whole:
upload, count check, switch; --publish picks one), then times the harness's workload (workload.py:
the lineage questions and every query of queries/, parameters bound once) through the embedded
store and through RemoteStore, as answers read to the end: the median of --runs after one warm-up
run. A query the server fails on is recorded with its one-line error. With --published the store is
already on the server (published from the same build): only the queries are timed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.servers, for --start

from workload import workload  # noqa: E402

from vlmgraph.publish import Target, publish  # noqa: E402
from vlmgraph.execution import QueryError, collect, execute  # noqa: E402
from vlmgraph.names import NAMES_FILE, NameIndex  # noqa: E402
from vlmgraph.remote_store import RemoteStore  # noqa: E402
from vlmgraph.sparql_client import SparqlClient, credentials  # noqa: E402
from vlmgraph.store import open_store  # noqa: E402


def timed(run, runs: int) -> dict:
    run()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": runs}


def publish_timed(store, target: Target, auth: str | None, batch: int) -> dict:
    client = SparqlClient(credentials(auth), timeout=3600)
    try:
        started = time.perf_counter()
        report = publish(store, target, client, batch_size=batch, grace=0)
        return {"seconds": time.perf_counter() - started, "upload_seconds": report.upload_seconds,
                "switch_seconds": report.switch_seconds, "requests": report.requests, "triples": report.total}
    finally:
        client.close()


@contextlib.contextmanager
def started(name: str):
    """A fresh server on a temporary database, stopped on exit. Virtuoso gets the buffers its guide
    suggests for 2 GB (170,000 pages), not the tests' small default."""
    from tests.servers import oxigraph_server, virtuoso_server

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
        start = oxigraph_server if name == "oxigraph" else lambda f: virtuoso_server(f, buffers=170_000)
        with start(Path(folder) / "server") as server:
            yield server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store folder")
    parser.add_argument("--start", choices=["oxigraph", "virtuoso"],
                        help="start this server on a temporary database (instead of --endpoint …)")
    parser.add_argument("--name", help="the server's name in the results (default: --start's)")
    parser.add_argument("--endpoint")
    parser.add_argument("--update")
    parser.add_argument("--gsp")
    parser.add_argument("--auth")
    parser.add_argument("--publish", choices=["update", "gsp", "both"], default="both",
                        help="which ways to publish (both: Update, then GSP when --gsp is given)")
    parser.add_argument("--batch-size", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--published", action="store_true", help="the store is on the server already: time the "
                                                                  "queries, do not publish")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.start:
        with started(args.start) as server:
            args.name = args.name or server.name
            args.endpoint, args.update, args.gsp, args.auth = server.query, server.update, server.gsp, server.auth
            measure(args)
    elif args.endpoint and args.name:
        measure(args)
    else:
        parser.error("give --start, or --endpoint and --name")


def measure(args) -> None:
    embedded = open_store(args.store)
    result: dict = {"server": args.name, "store": str(args.store), "triples": len(embedded), "publish": {}}
    if args.publish in ("update", "both") and not args.published:
        result["publish"]["update"] = publish_timed(embedded, Target(args.endpoint, args.update), args.auth,
                                                    args.batch_size)
        print(f"publish by SPARQL Update: {result['publish']['update']}", flush=True)
    if args.gsp and args.publish in ("gsp", "both") and not args.published:
        result["publish"]["gsp"] = publish_timed(embedded, Target(args.endpoint, args.update, args.gsp), args.auth,
                                                 args.batch_size)
        print(f"publish by Graph Store Protocol: {result['publish']['gsp']}", flush=True)

    remote = RemoteStore(args.endpoint, timeout=300)
    _, queries = workload(embedded, NameIndex(embedded, table=Path(args.store) / NAMES_FILE))
    result["queries"] = {}
    print(f"{'query':48} {'embedded ms':>12} {'remote ms':>12}")
    for query in queries:
        row = {"embedded": timed(lambda: collect(execute(embedded, query.text)), args.runs)}
        try:
            row["remote"] = timed(lambda: collect(execute(remote, query.text)), args.runs)
            shown = f"{row['remote']['median'] * 1000:12.1f}"
        except QueryError as exc:
            row["remote_error"] = str(exc)
            shown = f"{'error':>12}"
        result["queries"][query.name] = row
        print(f"{query.name:48} {row['embedded']['median'] * 1000:12.1f} {shown}", flush=True)
    remote.close()
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

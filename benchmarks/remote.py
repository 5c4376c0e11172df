"""Publish time, and query latency on a SPARQL server against the embedded store (issue #12).

Run against a server that is already up (see docs/remote-store.md for starting Oxigraph server
or Virtuoso), with a store built from a synthetic catalogue (`vlmgraph synth`, `vlmgraph build`):

    .venv/bin/python benchmarks/remote.py --store /tmp/synth10k-build --name oxigraph \
        --endpoint http://127.0.0.1:7878/query --update http://127.0.0.1:7878/update \
        --gsp http://127.0.0.1:7878/store --json benchmarks/results/remote-oxigraph-10000.json

It publishes by SPARQL Update and, given --gsp, again by Graph Store Protocol (each timed whole:
upload, count check, switch), then times the harness's workload (workload.py: the lineage
questions and every query of queries/, parameters bound once) through the embedded store and
through RemoteStore, as answers read to the end: the median of --runs after one warm-up run.
A query the server fails on is recorded with its one-line error. With --published the store is
already on the server (published from the same build): only the queries are timed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import workload  # noqa: E402

from vlmgraph.publish import Target, publish  # noqa: E402
from vlmgraph.execution import QueryError, collect, execute  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store folder")
    parser.add_argument("--name", required=True, help="the server's name in the results")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--update")
    parser.add_argument("--gsp")
    parser.add_argument("--auth")
    parser.add_argument("--batch-size", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--published", action="store_true", help="the store is on the server already: time the "
                                                                  "queries, do not publish")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    embedded = open_store(args.store)
    result: dict = {"server": args.name, "store": str(args.store), "triples": len(embedded), "publish": {}}
    if not args.published:
        result["publish"]["update"] = publish_timed(embedded, Target(args.endpoint, args.update), args.auth,
                                                    args.batch_size)
        print(f"publish by SPARQL Update: {result['publish']['update']}", flush=True)
    if args.gsp and not args.published:
        result["publish"]["gsp"] = publish_timed(embedded, Target(args.endpoint, args.update, args.gsp), args.auth,
                                                 args.batch_size)
        print(f"publish by Graph Store Protocol: {result['publish']['gsp']}", flush=True)

    remote = RemoteStore(args.endpoint, timeout=300)
    _, queries = workload(embedded)
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

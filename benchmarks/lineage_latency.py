"""The lineage workload's engine latency on a store already built, without the rest of the harness.

    python benchmarks/lineage_latency.py STORE [--queries DIR] [--runs 7]

For a size where one harness run is most of an hour (1,000,000 models): the lineage queries of
workload.py and queries/, bound to the same target model, timed as engine_worker.py times them
(evaluate and serialize the whole answer), one warm-up then `runs` timed runs; medians in ms,
the rows of each answer, and the engine's unit cost (engine_worker.lookup_cost) before and after.
`--queries` times another folder of named queries (an older version) on the same store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyoxigraph import QueryResultsFormat, RdfFormat  # noqa: E402

from vlmgraph.execution import execute  # noqa: E402
from vlmgraph.names import NAMES_FILE, NameIndex  # noqa: E402
from vlmgraph.store import open_store  # noqa: E402
from engine_worker import lookup_cost  # noqa: E402
from workload import Query, lineage_workload, named_workload, pick_targets  # noqa: E402


def lineage_queries(store, store_dir: Path, query_dir: Path | None) -> list[Query]:
    targets = pick_targets(store)
    names = NameIndex(store, table=store_dir / NAMES_FILE)
    return [q for q in lineage_workload(targets) + named_workload(store, targets, names, query_dir) if q.kind == "lineage"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--queries", type=Path, default=None, help="Folder of named queries (default: queries/).")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    store = open_store(args.store)
    print(f"engine unit cost before: {lookup_cost(store)['us_per_lookup']} µs a label lookup", flush=True)
    for query in lineage_queries(store, args.store, args.queries):
        times = []
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            execute(store, query.text).serialize(format=RdfFormat.N_TRIPLES if query.graph else QueryResultsFormat.JSON)
            times.append((time.perf_counter() - start) * 1000)
        timed = times[1:]
        rows = "" if query.graph else f"{sum(1 for _ in execute(store, query.text)):5d} rows"
        print(f"{query.name:40s} {statistics.median(timed):8.2f} ms  ({min(timed):.2f}–{max(timed):.2f})  {rows}",
              flush=True)
    print(f"engine unit cost after: {lookup_cost(store)['us_per_lookup']} µs a label lookup")


if __name__ == "__main__":
    main()

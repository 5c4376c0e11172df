"""One query engine in its own process, timed from inside: pyoxigraph on the built store, or rdflib.

    python engine_worker.py oxigraph STORE_DIR      (through vlmgraph: open_store + queries.execute)
    python engine_worker.py rdflib FILE.nq          (rdflib's default in-memory store, union default graph)

It prints one JSON line when ready ({"load_s", "triples"}), then answers JSON lines on stdin:
{"text", "graph", "runs", "budget_s"} -> {"times_ms": [...]} — a warm-up run first, then up to
`runs` timed runs, fewer when they would take longer than budget_s. Each run evaluates the query
and serializes the whole answer (SPARQL JSON, or N-Triples for CONSTRUCT), as an endpoint must.
{"memory": true} -> its own PSS and peak RSS: with the oxigraph engine after the workload, this
is the footprint of the store itself, which the server's memory is compared with.
{"lookup_cost": true} (oxigraph) -> microseconds one subject's label takes to read (lookup_cost).
The parent enforces time limits by killing this process: neither engine can be interrupted.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _oxigraph(location: str):
    from pyoxigraph import QueryResultsFormat, RdfFormat

    from vlmgraph.execution import execute
    from vlmgraph.store import open_store

    store = open_store(Path(location))

    def run(text: str, graph: bool) -> int:
        outcome = execute(store, text)
        if graph:
            return len(outcome.serialize(format=RdfFormat.N_TRIPLES))
        return len(outcome.serialize(format=QueryResultsFormat.JSON))

    return run, len(store), store


def _rows(store, text: str) -> int:
    from vlmgraph.execution import execute

    return sum(1 for _ in execute(store, text))


def lookup_cost(store, rounds: int = 9) -> dict:
    """Microseconds one subject's label takes to read: the engine's unit cost on this machine now.

    A lineage query looks up a few of these per answer row, so its latency is about rows x lookups
    x this; measured beside the queries, it shows how fast the machine was while they ran.
    """
    from pyoxigraph import NamedNode

    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    subjects = [q.subject for q in store.quads_for_pattern(None, label, None, None)]
    sample = subjects[:: max(1, len(subjects) // 400)][:400]
    costs = []
    for _ in range(rounds):
        began = time.perf_counter()
        for subject in sample:
            for _quad in store.quads_for_pattern(subject, label, None, None):
                pass
        costs.append((time.perf_counter() - began) * 1e6 / len(sample))
    costs = sorted(costs[1:])  # the first round warms the cache
    return {"us_per_lookup": round(costs[len(costs) // 2], 1), "min": round(costs[0], 1),
            "max": round(costs[-1], 1), "lookups": len(sample)}


def _rdflib(location: str):
    from rdflib import Dataset

    # The same construction rdflib-endpoint's `serve` uses for a file: the default store, union default graph.
    dataset = Dataset(store="default", default_union=True)
    dataset.parse(location, format="nquads")

    def run(text: str, graph: bool) -> int:
        result = dataset.query(text)
        return len(result.serialize(format="nt" if graph else "json"))

    return run, len(dataset), None


def _memory() -> dict:
    fields = {}
    for path, name in (("/proc/self/smaps_rollup", "Pss"), ("/proc/self/status", "VmHWM")):
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                fields[name] = round(int(line.split()[1]) / 1024, 1)
    return {"pss_mb": fields.get("Pss"), "peak_rss_mb": fields.get("VmHWM")}


def main() -> None:
    engine, location = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    run, size, store = (_oxigraph if engine == "oxigraph" else _rdflib)(location)
    print(json.dumps({"load_s": time.perf_counter() - start, "triples": size, **_memory()}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        if job.get("memory"):
            print(json.dumps(_memory()), flush=True)
            continue
        if job.get("lookup_cost"):
            print(json.dumps(lookup_cost(store)), flush=True)
            continue
        try:
            run(job["text"], job["graph"])  # warm-up: parses, plans, pulls pages into the cache
            rows = _rows(store, job["text"]) if store is not None and not job["graph"] else None
            times: list[float] = []
            while len(times) < job["runs"] and sum(times) / 1000 < job["budget_s"]:
                began = time.perf_counter()
                size = run(job["text"], job["graph"])
                times.append((time.perf_counter() - began) * 1000)
            print(json.dumps({"times_ms": times, "bytes": size, "rows": rows}), flush=True)
        except Exception as exc:  # a query one engine cannot run is a result to report, not a crash
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:500]}), flush=True)


if __name__ == "__main__":
    main()

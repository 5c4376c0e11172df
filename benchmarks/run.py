"""vlmgraph at scale, measured side by side in one run (issue #6).

    python benchmarks/run.py --models 1000,10000,100000 [--json FILE]

For each size: a synthetic catalogue (`vlmgraph synth`), then
  build        `vlmgraph build --force`: wall time and peak RSS (a warm-up build unless --no-build-warm-up, then --build-runs);
  cold start   `vlmgraph serve` on the built store: process start -> first successful query;
  queries      the lineage workload and every query of queries/ (benchmarks/workload.py), through
               vlmgraph's engine and rdflib's default in-memory store on the same triples, each
               in its own process (benchmarks/engine_worker.py), and over HTTP against
               `vlmgraph serve`, a minimal FastAPI+pyoxigraph app (the ceiling, ceiling_app.py)
               and rdflib-endpoint serving the same triples;
  throughput   bounded load (benchmarks/load.py: --clients keep-alive clients for --load-seconds)
               on each of the three servers, with a mix of point lineage questions;
  memory       PSS of each server's process tree after its workload, against the PSS of a bare
               process holding the store after the same workload (the store's own footprint).
Every timing is the median of repeated runs after a warm-up, with min and max. Servers run one
at a time on 127.0.0.1, on ports found free. The same triples everywhere: the built store is
dumped as N-Quads for rdflib and rdflib-endpoint (N-Quads keeps the ontology and data graphs
apart, as the store does; both sides query their union).

Prints a table per size and writes JSON (every measurement with median/min/max and runs, a
`ratios` and a `targets` object per size). Linux only (/proc for memory). Needs the `bench`
extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import select
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from procs import free_port, run_measured, start_server, tree_memory_mb, wait_until_answering  # noqa: E402
from report import print_size, targets_for  # noqa: E402
from stats import failed, ratio, summary, timed_out  # noqa: E402

BIN = Path(sys.executable).parent
PROBE = "ASK { ?s ?p ?o }"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- building -----------------------------------------------------------------------------------

def synthesize(models: int, data: Path, seed: int) -> dict:
    measured = run_measured([str(BIN / "vlmgraph"), "synth", "--models", str(models), "-o", str(data),
                             "--seed", str(seed)])
    return {"seconds": round(measured["seconds"], 2)}


def build(data: Path, store: Path, runs: int, warm_up: bool = True) -> dict:
    """A warm-up build (file-system caches, bytecode) unless `warm_up` is false, then `runs` timed
    builds, each from scratch."""
    command = [str(BIN / "vlmgraph"), "build", "--force", "--data", str(data), "--store", str(store)]
    if warm_up:
        run_measured(command)
    measured = [run_measured(command) for _ in range(runs)]
    info = json.loads((store / "build.json").read_text())
    return {
        "time": summary([m["seconds"] for m in measured], "s", 2),
        "peak_rss": summary([m["peak_rss_mb"] for m in measured], "MB", 1),
        "triples": info["triples"], "data_triples": info["data_triples"], "records": info["records"],
        "store_on_disk_mb": round(sum(p.stat().st_size for p in (store / "oxigraph").rglob("*") if p.is_file())
                                  / 2**20, 1),
    }


def dump_nquads(store: Path, target: Path) -> None:
    """The store's quads as N-Quads, for the rdflib side (a Rust dump: seconds, not minutes)."""
    from pyoxigraph import RdfFormat, Store

    Store.read_only(str(store / "oxigraph")).dump(str(target), format=RdfFormat.N_QUADS)


# --- engines in their own processes ---------------------------------------------------------------

class Engine:
    """A running engine_worker.py; the parent enforces time limits by killing it."""

    def __init__(self, engine: str, location: Path, load_timeout: float):
        self.engine, self.location, self.load_timeout = engine, location, load_timeout
        self.loads: list[dict] = []
        self._start()

    def _start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / "engine_worker.py"), self.engine,
                                         str(self.location)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        ready = self._reply(self.load_timeout)
        if ready is None:
            raise RuntimeError(f"{self.engine} did not load {self.location} within {self.load_timeout:g} s")
        self.loads.append(ready)

    def _reply(self, timeout: float) -> dict | None:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            return None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.engine} engine exited ({self.process.wait()})")
        return json.loads(line)

    def ask(self, job: dict, timeout: float) -> dict | None:
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        reply = self._reply(timeout)
        if reply is None:  # stuck in a query it cannot be interrupted in: replace it
            self.stop()
            self._start()
        return reply

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


# (engine or server, query) -> the size at which it ran past the time limit. A larger graph only
# makes such a query slower, so it is not run again (killing and reloading rdflib costs minutes);
# its result stays "over the limit", marked with the size it was measured at.
SLOW: dict[tuple[str, str], int] = {}


def _known_slow(who: str, query, limit: float) -> dict | None:
    at = SLOW.get((who, query.name))
    if at is None:
        return None
    return timed_out(limit) | {"not_rerun": f"over the limit at {at:,} models already"}


def engine_latencies(engine: Engine, queries, runs: int, budget: float, limit: float, models: int) -> dict:
    timings = {}
    for query in queries:
        skipped = _known_slow(engine.engine, query, limit)
        if skipped:
            timings[query.name] = skipped
            continue
        reply = engine.ask({"text": query.text, "graph": query.graph, "runs": runs, "budget_s": budget}, limit)
        if reply is None:
            SLOW[(engine.engine, query.name)] = models
            timings[query.name] = timed_out(limit)
            log(f"  {engine.engine:9s} {query.name}: over {limit:g} s")
        elif "error" in reply:
            timings[query.name] = failed(reply["error"])
            log(f"  {engine.engine:9s} {query.name}: {reply['error'][:120]}")
        else:
            timings[query.name] = summary(reply["times_ms"], "ms")
            if reply.get("rows") is not None:  # the answer's size: a lineage query's cost grows with it
                timings[query.name]["rows"] = reply["rows"]
            log(f"  {engine.engine:9s} {query.name}: {timings[query.name]['median']} ms")
    return timings


# --- servers --------------------------------------------------------------------------------------

def http_latencies(who: str, url: str, queries, runs: int, budget: float, limit: float, restart, models: int) -> dict:
    """Sequential requests on one keep-alive connection: warm-up, then up to `runs` timed ones."""
    parts = urllib.parse.urlsplit(url)
    timings = {}
    for query in queries:
        skipped = _known_slow(who, query, limit)
        if skipped:
            timings[query.name] = skipped
            continue
        accept = "application/n-triples" if query.graph else "application/sparql-results+json"
        target = parts.path + "?" + urllib.parse.urlencode({"query": query.text})
        times: list[float] = []
        outcome = None
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=limit)
        try:
            for attempt in range(runs + 1):
                began = time.perf_counter()
                connection.request("GET", target, headers={"Accept": accept})
                reply = connection.getresponse()
                body = reply.read()
                elapsed = (time.perf_counter() - began) * 1000
                if reply.status != 200:
                    outcome = failed(f"HTTP {reply.status}: {body[:200].decode(errors='replace')}")
                    break
                if attempt > 0:  # the first request is the warm-up
                    times.append(elapsed)
                if sum(times) / 1000 > budget:
                    break
        except (TimeoutError, OSError, http.client.HTTPException):
            outcome = timed_out(limit)
            SLOW[(who, query.name)] = models
            url = restart()  # the server is still busy with it: start a fresh one for the next query
            parts = urllib.parse.urlsplit(url)
        finally:
            connection.close()
        timings[query.name] = outcome or summary(times, "ms")
        log(f"    {query.name}: {timings[query.name].get('median')} ms")
    return timings


def throughput(url: str, mix: list[str], seconds: float, clients: int, runs: int, limit: float) -> dict:
    measured = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, str(HERE / "load.py"), url, str(seconds), str(clients), str(limit)],
                                input=json.dumps(mix), capture_output=True, text=True, check=True)
        measured.append(json.loads(result.stdout))
    return {
        "requests_per_s": summary([m["throughput_rps"] for m in measured], "req/s", 1),
        "latency_median": summary([m["latency_ms"]["median"] for m in measured if m["latency_ms"]], "ms", 2),
        "latency_p95": summary([m["latency_ms"]["p95"] for m in measured if m["latency_ms"]], "ms", 2),
        "errors": sum(m["errors"] for m in measured), "requests": sum(m["requests"] for m in measured),
        "clients": clients, "seconds_per_run": seconds,
    }


class Launcher:
    """Starts one of the three servers on a free port and waits until it answers."""

    def __init__(self, name: str, command, work: Path, ready_timeout: float, settle: str | None = None):
        self.name, self.command, self.work, self.ready_timeout = name, command, work, ready_timeout
        self.settle = settle  # a path that answers once the server's start-up work is done
        self.server = None
        self.starts = 0
        self.settled_s: float | None = None

    def start(self) -> str:
        if self.server is not None:
            self.server.stop()
        port = free_port()
        command, path = self.command(port)
        self.starts += 1
        url = f"http://127.0.0.1:{port}{path}"
        self.server = start_server(self.name, command, url, self.work / f"{self.name}-{self.starts}.log")
        self.ready_s = wait_until_answering(self.server, PROBE, self.ready_timeout)
        if self.settle:
            # vlmgraph answers SPARQL at once and builds its name index in a background thread of the
            # server; requests timed meanwhile would measure that build. Latency is timed once it is done.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.ready_timeout)
            try:
                connection.request("GET", self.settle)
                reply = connection.getresponse()
                reply.read()
                if reply.status != 200:
                    raise RuntimeError(f"{self.name}: GET {self.settle} answered {reply.status}")
            finally:
                connection.close()
            self.settled_s = time.perf_counter() - self.server.started
        return url

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def serve_and_measure(launcher: Launcher, queries, mix, args, models: int, limit: float) -> dict:
    url = launcher.start()
    log(f"  {launcher.name}: answering {launcher.ready_s:.2f} s after start")
    result = {"ready_s": round(launcher.ready_s, 3)}
    if launcher.settled_s is not None:
        result["settled_s"] = round(launcher.settled_s, 3)
        log(f"  {launcher.name}: start-up work done {launcher.settled_s:.2f} s after start")
    result["latency"] = http_latencies(launcher.name, url, queries, args.runs, args.query_budget, limit,
                                       launcher.start, models)
    url = launcher.server.url
    result["throughput"] = throughput(url, mix, args.load_seconds, args.clients, args.load_runs, args.http_timeout)
    log(f"  {launcher.name}: {result['throughput']['requests_per_s']['median']} req/s")
    result["memory"] = tree_memory_mb(launcher.server.process.pid)
    result["restarts_after_timeout"] = launcher.starts - 1
    launcher.stop()
    return result


def cold_starts(data: Path, store: Path, work: Path, runs: int) -> dict:
    """`vlmgraph serve` on the built store, from process start to the first successful query;
    one warm-up start, then `runs` timed ones. The store must be reused, not rebuilt."""
    before = json.loads((store / "build.json").read_text())["fingerprint"]
    timings = []
    for attempt in range(runs + 1):
        launcher = Launcher("vlmgraph-cold", lambda port: (_vlmgraph_serve(data, store, port, 10), "/sparql"),
                            work, 120)
        launcher.start()
        launcher.stop()
        if attempt > 0:
            timings.append(launcher.ready_s)
    after = json.loads((store / "build.json").read_text())["fingerprint"]
    if after != before:
        raise RuntimeError("vlmgraph serve rebuilt the store: the cold start would not be a cold start")
    return summary(timings, "s", 3)


def _vlmgraph_serve(data: Path, store: Path, port: int, timeout: float) -> list[str]:
    return [str(BIN / "vlmgraph"), "serve", "--data", str(data), "--store", str(store), "--port", str(port),
            "--timeout", str(timeout)]


# --- one size -------------------------------------------------------------------------------------

def measure_size(models: int, args) -> dict:
    from vlmgraph.names import NAMES_FILE, NameIndex
    from vlmgraph.store import open_store
    from workload import throughput_mix, workload

    work = args.work / f"models-{models}"
    work.mkdir(parents=True, exist_ok=True)
    data, store, nquads = work / "data", work / "store", work / "graph.nq"
    result: dict = {"models": models}

    marker = work / "synth.json"  # what the catalogue in data/ was made with, and how long it took
    made = json.loads(marker.read_text()) if marker.exists() else None
    if args.reuse_data and made and (made["models"], made["seed"]) == (models, args.seed):
        log(f"{models:,} models: reusing the synthetic catalogue in {data}")
        result["synth"] = {"seconds": made["seconds"], "reused": True}
    else:
        log(f"{models:,} models: writing the synthetic catalogue")
        marker.unlink(missing_ok=True)
        result["synth"] = synthesize(models, data, args.seed)
        marker.write_text(json.dumps({"models": models, "seed": args.seed, **result["synth"]}))
    warm = "after a warm-up" if args.build_warm_up else "without a warm-up"
    log(f"{models:,} models: building ({args.build_runs} timed builds {warm})")
    result["build"] = build(data, store, args.build_runs, args.build_warm_up)
    log(f"  {result['build']['triples']:,} triples; build {result['build']['time']['median']} s, "
        f"peak RSS {result['build']['peak_rss']['median']} MB")
    skip = rdflib_would_not_fit(result["build"]["triples"])
    if not skip:  # the N-Quads are for rdflib and rdflib-endpoint only
        dump_nquads(store, nquads)

    opened = open_store(store)
    targets, queries = workload(opened, NameIndex(opened, table=store / NAMES_FILE))
    mix = throughput_mix(opened)
    del opened
    result["targets_of_queries"] = targets.__dict__
    result["queries"] = {q.name: {"kind": q.kind, "text": q.text} for q in queries}

    log(f"{models:,} models: cold starts")
    result["cold_start"] = cold_starts(data, store, work, args.cold_runs)
    log(f"  first answer {result['cold_start']['median']} s after process start")

    log(f"{models:,} models: queries through vlmgraph's engine (pyoxigraph)")
    engine = Engine("oxigraph", store, 600)
    before = engine.ask({"lookup_cost": True}, 120)
    result["engine_vlmgraph"] = engine_latencies(engine, queries, args.runs, args.query_budget, args.time_limit, models)
    result["engine_lookup_cost"] = {"before": before, "after": engine.ask({"lookup_cost": True}, 120)}
    result["store_footprint"] = engine.ask({"memory": True}, 60)
    engine.stop()

    if skip:
        result["rdflib_skipped"] = skip
        log(f"{models:,} models: rdflib and rdflib-endpoint not run: {skip}")
    else:
        log(f"{models:,} models: queries through rdflib (in memory)")
        engine = Engine("rdflib", nquads, args.load_timeout)
        result["rdflib_load"] = {"seconds": round(engine.loads[0]["load_s"], 2),
                                 "peak_rss_mb": engine.loads[0]["peak_rss_mb"], "triples": engine.loads[0]["triples"],
                                 "reloads_after_timeout": len(engine.loads) - 1}
        result["engine_rdflib"] = engine_latencies(engine, queries, args.runs, args.query_budget, args.rdflib_timeout,
                                                   models)
        engine.stop()

    servers = {
        "vlmgraph": Launcher("vlmgraph", lambda port: (_vlmgraph_serve(data, store, port, args.time_limit),
                                                       "/sparql"), work, 900, settle="/api/search?q=model"),
        "ceiling": Launcher("ceiling", lambda port: ([sys.executable, str(HERE / "ceiling_app.py"), str(store),
                                                      str(port)], "/sparql"), work, 120),
        "rdflib_endpoint": Launcher("rdflib-endpoint", lambda port: (
            [str(BIN / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)], "/"),
            work, args.load_timeout),
    }
    if skip:
        del servers["rdflib_endpoint"]
    result["http"] = {}
    for name, launcher in servers.items():
        log(f"{models:,} models: HTTP, {name}")
        limit = args.http_timeout if name == "rdflib_endpoint" else args.time_limit
        result["http"][name] = serve_and_measure(launcher, queries, mix, args, models, limit)

    result["ratios"] = ratios(result, queries)
    result["targets"] = targets_for(result)
    return result


# rdflib's in-memory store took 3,574 MB for the 2.9M triples of 100,000 models (1.2 KB a triple).
RDFLIB_BYTES_PER_TRIPLE = 1_250


def rdflib_would_not_fit(triples: int) -> str | None:
    """Why rdflib is not run at this size (its load would exhaust the machine's memory), or None."""
    need_mb = triples * RDFLIB_BYTES_PER_TRIPLE / 2**20
    with open("/proc/meminfo") as meminfo:
        available_mb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemAvailable:")) / 1024
    if need_mb <= 0.8 * available_mb:
        return None
    return (f"its in-memory store would need about {need_mb:,.0f} MB for {triples:,} triples "
            f"(1.2 KB a triple, measured at 100,000 models); {available_mb:,.0f} MB available")


def ratios(result: dict, queries) -> dict:
    http = result["http"]
    rdflib_run = "rdflib_skipped" not in result
    return {
        "throughput_vlmgraph_over_ceiling": ratio(http["vlmgraph"]["throughput"]["requests_per_s"],
                                                  http["ceiling"]["throughput"]["requests_per_s"]),
        "throughput_vlmgraph_over_rdflib_endpoint": ratio(http["vlmgraph"]["throughput"]["requests_per_s"],
                                                          http["rdflib_endpoint"]["throughput"]["requests_per_s"])
        if rdflib_run else None,
        "memory_vlmgraph_serve_over_store": ratio({"median": http["vlmgraph"]["memory"]["pss_mb"]},
                                                  {"median": result["store_footprint"]["pss_mb"]}),
        # > 1 means rdflib is slower; a timeout gives a lower bound ("at_least")
        "latency_rdflib_endpoint_over_vlmgraph_http": {
            q.name: ratio(http["rdflib_endpoint"]["latency"][q.name], http["vlmgraph"]["latency"][q.name], 1000)
            for q in queries} if rdflib_run else None,
        "latency_rdflib_over_vlmgraph_engine": {
            q.name: ratio(result["engine_rdflib"][q.name], result["engine_vlmgraph"][q.name], 1000) for q in queries}
        if rdflib_run else None,
        "latency_vlmgraph_over_ceiling_http": {
            q.name: ratio(http["vlmgraph"]["latency"][q.name], http["ceiling"]["latency"][q.name]) for q in queries},
    }


def machine() -> dict:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory_kb / 2**20, 1),
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "versions": {name: version(name) for name in ("pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi",
                                                          "uvicorn")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="1000,10000", help="Comma-separated sizes (vision-language models).")
    parser.add_argument("--json", type=Path, help="Write every measurement here.")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vlmgraph-bench",
                        help="Catalogues, stores and server logs (large: ~1.5 GB for 100,000 models).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per query, after one warm-up.")
    parser.add_argument("--query-budget", type=float, default=2.0,
                        help="Stop timing a query after this many seconds of runs (slow engines get fewer runs).")
    parser.add_argument("--build-runs", type=int, default=3)
    parser.add_argument("--build-warm-up", action=argparse.BooleanOptionalAction, default=True,
                        help="Build once, untimed, before the timed builds (--no-build-warm-up where one build "
                             "takes many minutes: its file-system and bytecode caches matter little then).")
    parser.add_argument("--reuse-data", action="store_true",
                        help="Keep a synthetic catalogue this harness wrote earlier for the same size and seed "
                             "(its synth time is reported from then) instead of writing it again.")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--load-seconds", type=float, default=2.0)
    parser.add_argument("--load-runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="Longest one query may take through vlmgraph (engine, serve's --timeout) or the ceiling: "
                             "long enough to measure every query, not to cut it short.")
    parser.add_argument("--rdflib-timeout", type=float, default=5.0,
                        help="Longest one query may take in rdflib (warm-up included) before its process is killed "
                             "and the query recorded as over the limit.")
    parser.add_argument("--http-timeout", type=float, default=5.0,
                        help="The same for one HTTP request to rdflib-endpoint (restarted after it).")
    parser.add_argument("--load-timeout", type=float, default=1800.0, help="Longest rdflib may take to load the file.")
    args = parser.parse_args()
    try:
        sizes = [int(part) for part in args.models.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--models takes comma-separated whole numbers, not {args.models!r}")
    if not sizes or min(sizes) < 100:
        parser.error("--models: each size must be at least 100 (smaller graphs have no lineage chains to ask about)")
    for tool in ("vlmgraph", "rdflib-endpoint"):
        if not (BIN / tool).exists():
            parser.error(f"{BIN / tool} is missing: install the benchmark dependencies with "
                         f"{sys.executable} -m pip install -e '.[bench]'")

    started = time.perf_counter()
    report = {"command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
              "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "settings": {k: str(v) for k, v in vars(args).items()}, "sizes": {}}
    for models in sizes:
        report["sizes"][str(models)] = measure_size(models, args)
        print_size(report["sizes"][str(models)])
        if args.json:  # after each size, so a long run that stops later keeps what it measured
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=2) + "\n")
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{report['command']}: {report['seconds']:.0f} s on {report['machine']['cpus']} CPUs "
          f"({report['machine']['cpu']})")


if __name__ == "__main__":
    main()

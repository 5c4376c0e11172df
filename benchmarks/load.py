"""Bounded HTTP load on one endpoint: C clients, each with one keep-alive connection, for D seconds.

    python load.py URL SECONDS CLIENTS TIMEOUT < queries.json

Each client sends the queries of the mix in turn (starting at a different one), one request at a
time: a closed loop, so the load is bounded by the clients and a slow server is measured, not
drowned. Prints JSON: completed requests, errors, elapsed seconds, requests per second and the
latency distribution. Runs in its own process so that its own CPU use is not the harness's.
Standard library only (http.client in threads): the same client for every server measured.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def _client(url: str, queries: list[str], first: int, deadline: float, timeout: float, out: dict) -> None:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    latencies, errors, index = [], 0, first
    while time.perf_counter() < deadline:
        target = parts.path + "?" + urllib.parse.urlencode({"query": queries[index % len(queries)]})
        index += 1
        began = time.perf_counter()
        try:
            connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
            reply = connection.getresponse()
            reply.read()
            if reply.status == 200:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    connection.close()
    out["latencies"], out["errors"] = latencies, errors


def main() -> None:
    url, seconds, clients, timeout = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    queries = json.load(sys.stdin)
    results = [{} for _ in range(clients)]
    start = time.perf_counter()
    deadline = start + seconds
    threads = [threading.Thread(target=_client, args=(url, queries, i * len(queries) // clients, deadline, timeout,
                                                      results[i])) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start  # until the last answer, so slow answers are not free
    latencies = sorted(x for r in results for x in r["latencies"])
    print(json.dumps({
        "requests": len(latencies), "errors": sum(r["errors"] for r in results), "seconds": elapsed,
        "throughput_rps": len(latencies) / elapsed,
        "latency_ms": {"median": statistics.median(latencies), "p95": latencies[int(0.95 * (len(latencies) - 1))],
                       "min": latencies[0], "max": latencies[-1]} if latencies else None,
    }))


if __name__ == "__main__":
    main()

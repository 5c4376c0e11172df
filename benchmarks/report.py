"""The table printed for each size, and the issue's targets checked against the measurements."""

from __future__ import annotations

from stats import show, show_ratio

LINEAGE_MS, AGGREGATE_MS = 10.0, 500.0


def _check(name: str, measured, limit, met: bool | None, note: str = "") -> dict:
    return {"target": name, "measured": measured, "limit": limit, "met": met, **({"note": note} if note else {})}


def targets_for(result: dict) -> list[dict]:
    """Each target that applies to this size (issue #6, tightened by issue #16), with the measured median and
    met or not."""
    models, checks = result["models"], []
    build = result["build"]
    if models == 100_000:
        checks.append(_check("build time (s), 100,000 models", build["time"]["median"], 60,
                             build["time"]["median"] <= 60))
        checks.append(_check("build peak RSS (MB), 100,000 models", build["peak_rss"]["median"], 1430.5,
                             build["peak_rss"]["median"] <= 1430.5, "1.5 GB = 1,430.5 MiB"))
    if models == 10_000:
        checks.append(_check("build time (s), 10,000 models", build["time"]["median"], 8, build["time"]["median"] <= 8))
    cold = result["cold_start"]["median"]
    checks.append(_check("serve: first answer after process start (s)", cold, 2, cold <= 2))
    for name, info in result["queries"].items():
        measured = result["engine_vlmgraph"][name].get("median")
        limit = AGGREGATE_MS if info["kind"] == "aggregate" else LINEAGE_MS
        checks.append(_check(f"{info['kind']} query {name} (ms, vlmgraph engine)", measured, limit,
                             measured is not None and measured <= limit))
    ratios = result["ratios"]
    through = ratios["throughput_vlmgraph_over_ceiling"]
    checks.append(_check("HTTP throughput vlmgraph / ceiling", through and through.get("value"), 0.9,
                         bool(through) and through.get("value", 0) >= 0.9))
    faster = ratios["latency_rdflib_endpoint_over_vlmgraph_http"]
    if faster is not None:  # None: rdflib-endpoint not run at this size (see result["rdflib_skipped"])
        for name in result["queries"]:
            speedup = faster.get(name) or {}
            value = speedup.get("value", speedup.get("at_least"))
            checks.append(_check(f"HTTP {name}: rdflib-endpoint / vlmgraph (×, >1 = vlmgraph faster)",
                                 show_ratio(speedup), 1, value is not None and value > 1))
    memory = ratios["memory_vlmgraph_serve_over_store"]
    checks.append(_check("memory: vlmgraph serve PSS / store footprint PSS", memory and memory.get("value"), 2,
                         bool(memory) and memory["value"] <= 2))
    return checks


def print_size(result: dict) -> None:
    build, http, ratios = result["build"], result["http"], result["ratios"]
    rdflib_engine = result.get("engine_rdflib", {})
    rdflib_http = http.get("rdflib_endpoint", {}).get("latency", {})
    rdflib_speedup = ratios["latency_rdflib_over_vlmgraph_engine"] or {}
    endpoint_speedup = ratios["latency_rdflib_endpoint_over_vlmgraph_http"] or {}
    print(f"\n=== {result['models']:,} models: {build['triples']:,} triples ({build['records']:,} records), "
          f"store {build['store_on_disk_mb']:,} MB on disk ===")
    print(f"build (vlmgraph build --force)   {show(build['time'], 2)} s, peak RSS {show(build['peak_rss'], 0)} MB")
    if "rdflib_skipped" in result:
        print(f"rdflib, rdflib-endpoint          not run: {result['rdflib_skipped']}")
    else:
        print(f"rdflib load of the same quads    {result['rdflib_load']['seconds']} s, "
              f"peak RSS {result['rdflib_load']['peak_rss_mb']:.0f} MB")
    print(f"cold start (serve -> 1st answer) {show(result['cold_start'], 2)} s")
    header = ("query", "kind", "rows", "vlmgraph", "rdflib", "rdflib/vg", "HTTP vlmgraph", "HTTP ceiling", "vg/ceil",
              "HTTP rdflib-ep", "rdflib-ep/vg")
    rows = [header]
    for name, info in result["queries"].items():
        rows.append((
            name, info["kind"], result["engine_vlmgraph"][name].get("rows", ""),
            show(result["engine_vlmgraph"][name], 2), show(rdflib_engine.get(name), 1),
            show_ratio(rdflib_speedup.get(name)),
            show(http["vlmgraph"]["latency"][name], 2), show(http["ceiling"]["latency"][name], 2),
            show_ratio(ratios["latency_vlmgraph_over_ceiling_http"][name]),
            show(rdflib_http.get(name), 1),
            show_ratio(endpoint_speedup.get(name)),
        ))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    cost = result.get("engine_lookup_cost")
    if cost:  # runs before 2026-11-30 did not measure it
        print(f"engine unit cost: one subject's label read in {cost['before']['us_per_lookup']} µs before the "
              f"engine pass, {cost['after']['us_per_lookup']} µs after (median of {cost['after']['lookups']} lookups)")
    print("query latency, ms: median (min–max); rows of the answer")
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    print("HTTP load: " + "; ".join(
        f"{name} {show(http[name]['throughput']['requests_per_s'], 0)} req/s "
        f"(latency median {show(http[name]['throughput']['latency_median'], 1)} ms, "
        f"{http[name]['throughput']['errors']} errors)" for name in http))
    print(f"ratios: throughput vlmgraph/ceiling {show_ratio(ratios['throughput_vlmgraph_over_ceiling'])}, "
          f"vlmgraph/rdflib-endpoint {show_ratio(ratios['throughput_vlmgraph_over_rdflib_endpoint'])}; "
          f"memory vlmgraph serve/store {show_ratio(ratios['memory_vlmgraph_serve_over_store'])}")
    print("memory (PSS of the process tree, MB): " + ", ".join(
        f"{name} {http[name]['memory']['pss_mb']:.0f} ({http[name]['memory']['processes']} processes)"
        for name in http)
        + f", store footprint {result['store_footprint']['pss_mb']:.0f}")
    if any("not_rerun" in m for side in (rdflib_engine, *(h["latency"] for h in http.values()))
           for m in side.values()):
        print("* not run again: over the time limit at a smaller size already")
    print("targets:")
    for check in result["targets"]:
        mark = "met   " if check["met"] else "MISSED"
        note = f"  ({check['note']})" if check.get("note") else ""
        print(f"  {mark} {check['target']}: {check['measured']} (limit {check['limit']}){note}")

"""Render a results JSON of run.py as the Markdown tables of the README's Performance section.

    python benchmarks/markdown.py benchmarks/results/FILE.json

Every number comes from the JSON; nothing is typed by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import show, show_ratio  # noqa: E402


def _ms(measure: dict | None) -> str:
    """Milliseconds, with the precision the value deserves."""
    if not measure or measure.get("median") is None:
        return show(measure)
    digits = 2 if measure["median"] < 10 else (1 if measure["median"] < 1000 else 0)
    return show(measure, digits)


def render(report: dict) -> str:
    sizes = list(report["sizes"].values())
    machine = report["machine"]
    ended = (f"whole run {report['seconds'] / 60:.1f} min" if "seconds" in report else  # a run stopped early
             "stopped before its end, sizes " + ", ".join(f"{size['models']:,}" for size in sizes) + " complete")
    lines = [
        f"`{report['command']}` — {report['date'][:10]}, {machine['cpus']} × {machine['cpu']}, "
        f"{machine['memory_gb']} GB RAM, Python {machine['python']}, pyoxigraph {machine['versions']['pyoxigraph']}, "
        f"rdflib {machine['versions']['rdflib']}, rdflib-endpoint {machine['versions']['rdflib-endpoint']}; "
        f"{ended}. Medians of repeated runs after a warm-up, (min–max).",
        "",
        "| models | triples | build s | build peak RSS MB | rdflib load s (RSS MB) | serve cold start s "
        "| HTTP req/s vlmgraph · ceiling · rdflib-endpoint | vlmgraph / ceiling | server PSS MB vlmgraph · store "
        "| memory ratio |",
        "|---:|---:|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        http, ratios = size["http"], size["ratios"]
        rps = " · ".join(show(http[name]["throughput"]["requests_per_s"], 0) if name in http else "not run"
                         for name in ("vlmgraph", "ceiling", "rdflib_endpoint"))
        load = (f"{size['rdflib_load']['seconds']} ({size['rdflib_load']['peak_rss_mb']:.0f})" if "rdflib_load" in size
                else "not run¹")
        lines.append(
            f"| {size['models']:,} | {size['build']['triples']:,} | {show(size['build']['time'], 2)} "
            f"| {show(size['build']['peak_rss'], 0)} | {load} | {show(size['cold_start'], 2)} | {rps} "
            f"| {show_ratio(ratios['throughput_vlmgraph_over_ceiling'])} "
            f"| {http['vlmgraph']['memory']['pss_mb']:.0f} · {size['store_footprint']['pss_mb']:.0f} "
            f"| {show_ratio(ratios['memory_vlmgraph_serve_over_store'])} |")
    lines += ["", "Query latency in ms, vlmgraph's engine (in process) at each size, and at "
                  f"{sizes[-1]['models']:,} models every way it was measured:", ""]
    largest = sizes[-1]
    rows_known = any("rows" in measure for measure in largest["engine_vlmgraph"].values())  # since 2026-11-30
    head = ["query", "kind"] + ([f"rows at {largest['models']:,}"] if rows_known else []) + [
        f"{s['models']:,}" for s in sizes] + [
        "rdflib", "rdflib / vlmgraph", "HTTP vlmgraph", "HTTP ceiling", "HTTP rdflib-endpoint",
        "rdflib-endpoint / vlmgraph"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios = largest["ratios"]
    rdflib_engine = largest.get("engine_rdflib", {})
    rdflib_http = largest["http"].get("rdflib_endpoint", {}).get("latency", {})
    for name, info in largest["queries"].items():
        rows = [str(largest["engine_vlmgraph"][name].get("rows", ""))] if rows_known else []
        cells = [f"`{name}`", info["kind"]] + rows + [_ms(s["engine_vlmgraph"][name]) for s in sizes] + [
            _ms(rdflib_engine.get(name)), show_ratio((ratios["latency_rdflib_over_vlmgraph_engine"] or {}).get(name)),
            _ms(largest["http"]["vlmgraph"]["latency"][name]), _ms(largest["http"]["ceiling"]["latency"][name]),
            _ms(rdflib_http.get(name)),
            show_ratio((ratios["latency_rdflib_endpoint_over_vlmgraph_http"] or {}).get(name))]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "`>5 s`: stopped at the time limit (the ratio is then a lower bound, ≥); `*`: not run again "
                  "because it was over the limit at a smaller size already."]
    costs = [(size["models"], size["engine_lookup_cost"]) for size in sizes if "engine_lookup_cost" in size]
    if costs:
        lines += ["", "The engine's unit cost while it ran, one subject's label read (µs, median of 400 lookups, "
                      "before → after the engine pass): " + "; ".join(
                          f"{models:,} models {cost['before']['us_per_lookup']} → {cost['after']['us_per_lookup']}"
                          for models, cost in costs) + "."]
    skipped = [size for size in sizes if "rdflib_skipped" in size]
    if skipped:
        lines += ["", "¹ rdflib and rdflib-endpoint at " + ", ".join(f"{s['models']:,}" for s in skipped)
                  + f" models: {skipped[0]['rdflib_skipped']}."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text())))

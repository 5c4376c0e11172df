"""Summaries of repeated measurements: median with min and max, and ratios that stay honest about timeouts."""

from __future__ import annotations

import statistics


def summary(values: list[float], unit: str, digits: int = 3) -> dict:
    """{"median", "min", "max", "runs", "unit"} of the timed runs (warm-up runs are never passed in)."""
    if not values:
        return {"median": None, "min": None, "max": None, "runs": 0, "unit": unit}
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "runs": len(values), "unit": unit}


def timed_out(limit_s: float) -> dict:
    """A measurement stopped at the limit: the true value is larger, so only a bound is recorded."""
    return {"median": None, "timeout_s": limit_s, "runs": 0, "unit": "ms"}


def failed(message: str) -> dict:
    return {"median": None, "error": message, "runs": 0, "unit": "ms"}


def ratio(numerator: dict, denominator: dict, unit_scale: float = 1.0) -> dict | None:
    """numerator / denominator of two summaries' medians. When the numerator timed out, the ratio
    is a lower bound: {"at_least": limit / denominator}."""
    low = denominator.get("median")
    if not low:
        return None
    if numerator.get("median") is not None:
        return {"value": round(numerator["median"] / low, 2)}
    if numerator.get("timeout_s") is not None:
        return {"at_least": round(numerator["timeout_s"] * unit_scale / low, 1)}
    return None


def show(measure: dict | None, digits: int = 1) -> str:
    """'12.3 (11.9–13.0)' or '>120 s' or 'error' for the table."""
    if not measure:
        return "–"
    if measure.get("timeout_s") is not None:
        return f">{measure['timeout_s']:g} s" + ("*" if measure.get("not_rerun") else "")
    if measure.get("error"):
        return "error"
    if measure.get("median") is None:
        return "–"
    fmt = f"{{:.{digits}f}}"
    text = fmt.format(measure["median"])
    if measure.get("runs", 0) > 1:
        text += f" ({fmt.format(measure['min'])}–{fmt.format(measure['max'])})"
    return text


def show_ratio(value: dict | None) -> str:
    if not value:
        return "–"
    if "at_least" in value:
        return f"≥{value['at_least']:g}×"
    return f"{value['value']:g}×"

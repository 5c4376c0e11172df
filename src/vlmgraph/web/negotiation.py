"""Content negotiation: pick the response media type from Accept (with q-values) or a format name."""

from __future__ import annotations

from dataclasses import dataclass

# For each kind of result, the media types we can produce, our preferred first.
RESULTS_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "text/plain": "nt",
    "application/x-turtle": "turtle",
}
# Short names accepted in the `format` parameter.
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "trig": "application/trig",
}


class NotAcceptable(Exception):
    pass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*), 0 when it does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == "*":
            return 2
        if self.type == kind and self.subtype == sub:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    ranges = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0] or "/" not in pieces[0]:
            continue
        kind, _, sub = pieces[0].lower().partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def choose(accept: str | None, kind: str, format_name: str | None = None) -> tuple[str, str]:
    """(media type, serializer format) for a result of `kind` ('solutions' or 'graph')."""
    offered = RESULTS_TYPES if kind == "solutions" else GRAPH_TYPES
    if format_name:
        media_type = FORMAT_NAMES.get(format_name.lower(), format_name.lower())
        if media_type == "application/sparql-results+xml" and kind == "graph":
            media_type = "application/rdf+xml"
        if media_type not in offered:
            raise NotAcceptable(f"format {format_name!r} is not available for this query; use one of: "
                                f"{', '.join(sorted(set(offered)))}")
        return media_type, offered[media_type]
    return best_match(accept, offered)


def best_match(accept: str | None, offered: dict[str, str]) -> tuple[str, str]:
    """(media type, value) of the `offered` type the Accept header prefers; the first offered type
    when there is no Accept header; NotAcceptable when the header excludes every offered type.
    Ties in quality go to the more specific range, then to the earlier offered type."""
    ranges = parse_accept(accept)
    if not ranges:
        first = next(iter(offered))
        return first, offered[first]
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, media_type in enumerate(offered):
        matching = [(r.matches(media_type), r.q) for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        specificity, q = max(matching)  # the most specific range decides the quality
        if q <= 0:
            continue
        key = (q, specificity, -order)
        if best is None or key > best:
            best, chosen = key, media_type
    if chosen is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) can be produced; available: "
                            f"{', '.join(sorted(set(offered)))}")
    return chosen, offered[chosen]

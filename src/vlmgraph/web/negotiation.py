"""Content negotiation: pick the response media type from Accept (with q-values) or a format name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..formats import Format, FormatKind, UnknownFormat, find, formats, media_types


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


class ConflictingFormats(ValueError):
    """Several `format` parameters that name different formats."""


def choose(accept: str | None, kind: FormatKind, format_names: Sequence[str] = ()) -> tuple[str, Format]:
    """(media type, format) for a result of `kind`: the `format` parameters (names, aliases or media
    types of a format of that kind) when given, else the Accept header. Several parameters naming one
    format are one request: SPARQLWrapper sends `format=rdf+xml&format=application/rdf+xml`."""
    if not format_names and (accept is None or len(accept) <= 512):
        return _by_accept(accept, kind)  # on every query's path: a client sends the same header each time
    offered = _offered(kind)
    chosen = [_named(value, kind, offered) for value in format_names if value.strip()]
    if not chosen:
        return best_match(accept, offered)
    different = list(dict.fromkeys(fmt.title for _, fmt in chosen))
    if len(different) > 1:
        raise ConflictingFormats(f"the 'format' parameters ask for different formats ({', '.join(different)}); "
                                 "send one")
    return chosen[0]


@lru_cache(maxsize=2)
def _offered(kind: FormatKind) -> dict[str, Format]:
    return media_types(formats(kind, results_only=True))


@lru_cache(maxsize=256)
def _by_accept(accept: str | None, kind: FormatKind) -> tuple[str, Format]:
    return best_match(accept, _offered(kind))  # NotAcceptable is not cached: raised again each time


def _named(value: str, kind: FormatKind, offered: dict[str, Format]) -> tuple[str, Format]:
    """The format one `format` value names. A value may list media types separated by commas (as
    SPARQLWrapper sends its Accept list): the first one offered wins."""
    for piece in value.split(","):
        wanted = piece.split(";")[0].strip().lower()
        if wanted in offered:
            return wanted, offered[wanted]
        try:
            fmt = find(wanted, kind)
        except UnknownFormat:
            continue
        return fmt.media_type, fmt
    raise NotAcceptable(f"format {value!r} is not available for this query; use one of: "
                        f"{', '.join(sorted(set(offered)))}")


def best_match(accept: str | None, offered: dict[str, object]) -> tuple[str, object]:
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

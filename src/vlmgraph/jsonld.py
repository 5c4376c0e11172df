"""Compact JSON-LD: pyoxigraph's expanded JSON-LD with its IRIs written as compact IRIs under an
``@context`` of the prefixes.

pyoxigraph 0.5 writes JSON-LD in expanded form whatever prefixes it is given. A context made only
of prefixes needs nothing of the full compaction algorithm (rdflib's or pyld's): every IRI in a
property key, an ``@id`` or an ``@type`` becomes ``prefix:rest`` when a prefix covers it, and the
rest of the document is left as pyoxigraph wrote it — the same bytes for the same graph, and the
same triples when read back with the context (a test reads it with rdflib).
"""

from __future__ import annotations

import json
from typing import Mapping


def compact(expanded: bytes, prefixes: Mapping[str, str]) -> bytes:
    """The expanded JSON-LD document `expanded` as {"@context": prefixes, "@graph": […]}, IRIs compacted."""
    # Longest namespace first; only namespaces ending in '/' or '#' may act as JSON-LD 1.1 prefixes.
    namespaces = sorted(((name, iri) for name, iri in prefixes.items() if iri.endswith(("/", "#"))),
                        key=lambda item: -len(item[1]))

    def iri(value: str) -> str:
        for name, base in namespaces:
            rest = value[len(base):]
            # "x://…" would read as an absolute IRI, and a bare "name:" as the namespace itself
            if value.startswith(base) and rest and not rest.startswith("//"):
                return f"{name}:{rest}"
        return value

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        written = {}
        for key, value in node.items():
            if key in ("@id", "@type"):  # a node's IRI, its classes, a literal's datatype
                written[key] = [iri(v) for v in value] if isinstance(value, list) else iri(value)
            elif key.startswith("@"):
                written[key] = walk(value)
            else:
                written[iri(key)] = walk(value)
        return written

    graph = walk(json.loads(expanded or b"[]"))
    usable = {name for name, _ in namespaces}
    document = {"@context": {name: base for name, base in prefixes.items() if name in usable}, "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

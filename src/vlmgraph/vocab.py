"""IRIs of the vlmgraph vocabulary and of the vocabularies it aligns with, and the prefixes for them."""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from .namespaces import ONTOLOGY_NS, RESOURCE_NS, VOCABULARIES
from .terms import KINDS

ONTOLOGY_GRAPH = NamedNode("https://w3id.org/vlmgraph/graph/ontology")
DATA_GRAPH = NamedNode("https://w3id.org/vlmgraph/graph/data")
# What whole-graph questions need, counted once at build (aggregates.py): kept apart from the data.
STATISTICS_GRAPH = NamedNode("https://w3id.org/vlmgraph/graph/statistics")

# One prefix per resource segment (model:, dataset:, family:, organization:…), so that every entity
# has a prefixed name that SPARQL parses (model:llava-1.5; res:model/llava-1.5 is not one: a '/' may
# not appear in a local name). The CLI, the pages and the exports print resources this way.
RESOURCE_PREFIXES: dict[str, str] = {segment: f"{RESOURCE_NS}{segment}/"
                                     for segment in dict.fromkeys(kind.segment for kind in KINDS)}

PREFIXES: dict[str, str] = {**VOCABULARIES, **RESOURCE_PREFIXES}


# A local name SPARQL and Turtle both read without escapes (PN_LOCAL, ASCII part: no '.' at the end),
# with at most one '.': pyoxigraph 0.5's SPARQL parser splits 'a.b.c' (a valid PN_LOCAL) into a name
# and a number, so such names are printed as <IRI> (tests/test_pasteable.py keeps this honest).
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)?")
_LOCAL_START = re.compile(r"[A-Za-z0-9_]")
# Longest namespace first, res: last: model:llava-1.5 rather than res:model/llava-1.5.
_BY_LENGTH = sorted(((name, iri) for name, iri in PREFIXES.items() if name != "res"), key=lambda p: -len(p[1]))


def prefixed_name(iri: str) -> str:
    """How vlmgraph prints an IRI for people: a prefixed name that parses when pasted into a query
    (model:llava-1.5, vlm:fineTunedFrom), else the IRI in angle brackets."""
    for name, base in _BY_LENGTH:
        local = iri[len(base):]
        if iri.startswith(base) and local and _LOCAL_START.match(local) and _LOCAL_NAME.fullmatch(local):
            return f"{name}:{local}"
    return f"<{iri}>"


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, to put in front of a user's query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


class _Namespace:
    def __init__(self, base: str):
        self._base = base

    def __getattr__(self, name: str) -> NamedNode:
        # Made once, then an attribute: the loader asks for VLM.label and the like millions of times.
        node = NamedNode(self._base + name)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._base + name)


VLM = _Namespace(ONTOLOGY_NS)
RDF = _Namespace(PREFIXES["rdf"])
RDFS = _Namespace(PREFIXES["rdfs"])
XSD = _Namespace(PREFIXES["xsd"])
SKOS = _Namespace(PREFIXES["skos"])
DCT = _Namespace(PREFIXES["dct"])
PROV = _Namespace(PREFIXES["prov"])
SCHEMA = _Namespace(PREFIXES["schema"])
ORG = _Namespace(PREFIXES["org"])
WIKIDATA = _Namespace(PREFIXES["wd"])
VOID = _Namespace(PREFIXES["void"])


def resource(namespace: str, slug: str) -> NamedNode:
    """The IRI of a curated entity: https://w3id.org/vlmgraph/resource/{kind}/{slug}."""
    return NamedNode(f"{RESOURCE_NS}{namespace}/{slug}")

# For writing Turtle/TriG/RDF-XML: the resource prefixes rather than res:, whose local names would
# need '\/' escapes.
SERIALIZATION_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "res"}

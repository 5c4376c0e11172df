"""IRIs of the vlmgraph vocabulary and of the vocabularies it aligns with."""

from __future__ import annotations

from pyoxigraph import NamedNode

ONTOLOGY_NS = "https://w3id.org/vlmgraph/ontology#"
RESOURCE_NS = "https://w3id.org/vlmgraph/resource/"
ONTOLOGY_GRAPH = NamedNode("https://w3id.org/vlmgraph/graph/ontology")
DATA_GRAPH = NamedNode("https://w3id.org/vlmgraph/graph/data")

PREFIXES: dict[str, str] = {
    "vlm": ONTOLOGY_NS,
    "res": RESOURCE_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "http://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "wd": "http://www.wikidata.org/entity/",
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, to put in front of a user's query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


class _Namespace:
    def __init__(self, base: str):
        self._base = base

    def __getattr__(self, name: str) -> NamedNode:
        return NamedNode(self._base + name)

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


def resource(namespace: str, slug: str) -> NamedNode:
    """The IRI of a curated entity: https://w3id.org/vlmgraph/resource/{kind}/{slug}."""
    return NamedNode(f"{RESOURCE_NS}{namespace}/{slug}")

# For writing Turtle/TriG/RDF-XML: without res:, whose local names would need '\/' escapes.
SERIALIZATION_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "res"}

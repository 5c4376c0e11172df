"""The namespaces vlmgraph writes in: its own and the vocabularies it aligns with.

The resource segments (``model`` in ``…/resource/model/llava``) are not here: they are a column of
``terms.KINDS``, and ``vocab`` makes one prefix per segment from it.
"""

from __future__ import annotations

ONTOLOGY_NS = "https://w3id.org/vlmgraph/ontology#"
RESOURCE_NS = "https://w3id.org/vlmgraph/resource/"

VOCABULARIES: dict[str, str] = {
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
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    # aligned with or annotated by in the ontology
    "mls": "http://www.w3.org/ns/mls#",
    "fair4ml": "https://w3id.org/fair4ml#",
    "vann": "http://purl.org/vocab/vann/",
}

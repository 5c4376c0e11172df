"""The ontology at /ontology: a page per vocabulary for people (every vlm: term with its label,
comment, super-terms, domain and range, and how many things in the data use it) and the
ontology's Turtle, JSON-LD, N-Triples or RDF/XML for RDF clients, by Accept or ?format=."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..catalogue import Catalogue
from ..execution import execute
from ..vocab import ONTOLOGY_GRAPH, ONTOLOGY_NS, prefixed_name
from .entities import HTML, PAGE_FORMATS, VARY, representation, rdf_response
from .site import catalogue_of
from .templating import render

router = APIRouter(tags=["ontology"])

SECTIONS = (("Class", "Classes"), ("ObjectProperty", "Relations"), ("DatatypeProperty", "Attributes"),
            ("AnnotationProperty", "Annotations"))

_TERMS = """
SELECT ?term ?type ?label ?comment
       (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers)
       (GROUP_CONCAT(DISTINCT STR(?domain); separator=" ") AS ?domains)
       (GROUP_CONCAT(DISTINCT STR(?range); separator=" ") AS ?ranges)
WHERE {
  GRAPH ?ontology {
    ?term a ?type .
    VALUES ?type { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
    FILTER(STRSTARTS(STR(?term), STR(vlm:)))
    OPTIONAL { ?term rdfs:label ?label }
    OPTIONAL { ?term rdfs:comment ?comment }
    OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf|owl:equivalentClass|owl:equivalentProperty ?super
               FILTER(isIRI(?super)) }
    OPTIONAL { ?term rdfs:domain ?domain FILTER(isIRI(?domain)) }
    OPTIONAL { ?term rdfs:range ?range FILTER(isIRI(?range)) }
  }
}
GROUP BY ?term ?type ?label ?comment
ORDER BY ?type LCASE(STR(?label))
"""
# How often the data uses each term: as a class of entities, or as the predicate of statements.
_USAGE = """
SELECT ?term (COUNT(*) AS ?n) WHERE {
  GRAPH <https://w3id.org/vlmgraph/graph/data> { { ?s a ?term } UNION { ?s ?term ?o } }
  FILTER(STRSTARTS(STR(?term), STR(vlm:)))
} GROUP BY ?term
"""


@dataclass
class Term:
    local: str
    type: str
    label: str
    comment: str
    supers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    used: int = 0


def _compact_list(joined) -> list[str]:
    """A GROUP_CONCAT of IRIs, as prefixed names (vocab.prefixed_name, as everywhere)."""
    return [prefixed_name(iri) for iri in joined.value.split()] if joined is not None else []


def ontology_terms(store) -> dict[str, list[Term]]:
    """The vlm: terms by section title, each with what the data does with it."""
    usage = {row["term"].value: int(row["n"].value) for row in execute(store, _USAGE)}
    sections: dict[str, list[Term]] = {title: [] for _, title in SECTIONS}
    titles = dict(SECTIONS)
    for row in execute(store, _TERMS.replace("?ontology", f"<{ONTOLOGY_GRAPH.value}>")):
        iri = row["term"].value
        sections[titles[row["type"].value.rsplit("#", 1)[1]]].append(Term(
            local=iri[len(ONTOLOGY_NS):], type=row["type"].value.rsplit("#", 1)[1],
            label=row["label"].value if row["label"] is not None else iri[len(ONTOLOGY_NS):],
            comment=row["comment"].value if row["comment"] is not None else "",
            supers=_compact_list(row["supers"]), domains=_compact_list(row["domains"]),
            ranges=_compact_list(row["ranges"]), used=usage.get(iri, 0)))
    return sections


@router.get("/ontology", summary="The vlmgraph ontology, as a page or as RDF",
            description=f"`Accept` or `format` ({', '.join([HTML, *(f.name for f in PAGE_FORMATS)])}): the page lists "
                        "every vlm: term; RDF "
                        "clients get the ontology graph itself.")
async def ontology(request: Request, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    chosen = representation(request)
    if isinstance(chosen, Response):
        return chosen
    media_type, fmt = chosen
    store = catalogue.store
    if fmt != HTML:
        return rdf_response((quad.triple for quad in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)),
                            media_type, fmt)
    response = render(request, "ontology.html", page="ontology", sections=ontology_terms(store),
                      namespace=ONTOLOGY_NS)
    response.headers.update(VARY)
    return response

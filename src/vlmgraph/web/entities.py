"""Entity pages: every resource IRI https://w3id.org/vlmgraph/resource/{kind}/{slug} is served at
/resource/{kind}/{slug}, as HTML for browsers and as RDF (Turtle, JSON-LD, N-Triples, RDF/XML)
for RDF clients, chosen by Accept (with q-values) or by ?format=."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode, RdfFormat
from pyoxigraph import serialize as rdf_serialize

from ..describe import describe
from ..names import UnknownName
from ..lineage import LINEAGE_RELATIONS
from ..viz import LINEAGE_PAGE_RELATIONS, entity_network
from ..vocab import RESOURCE_NS, SERIALIZATION_PREFIXES
from .entity_view import entity_view
from .negotiation import NotAcceptable, best_match
from .schema_org import schema_org, script_json
from .site import graph_around, kind_labels_of, problem_page
from .templating import render

router = APIRouter(tags=["entities"])

# What a page can be served as: media type -> format name, the page's own type first (a client
# that accepts anything, */*, gets HTML).
OFFERED = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
}
# ?format= values -> the media type served.
FORMATS = {
    "html": "text/html", "ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "nt": "application/n-triples", "ntriples": "application/n-triples",
    "xml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
}
RDF_FORMATS = {
    "ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML,
}
ALTERNATES = (("Turtle", "ttl", "text/turtle"), ("JSON-LD", "jsonld", "application/ld+json"),
              ("N-Triples", "nt", "application/n-triples"), ("RDF/XML", "xml", "application/rdf+xml"))
VARY = {"Vary": "Accept"}

_KIND = re.compile(r"[a-z]{1,40}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
_MINI_GRAPH_LIMIT = 150  # nodes; beyond this a small hierarchical drawing is unreadable


class BadFormat(ValueError):
    pass


def negotiate(request: Request) -> tuple[str, str]:
    """(media type, format name) for this request: ?format= first, then Accept."""
    name = request.query_params.get("format")
    if name is not None:
        media_type = FORMATS.get(name.strip().lower())
        if media_type is None:
            raise BadFormat(f"unknown format {name!r}; use one of: html, ttl, jsonld, nt, xml")
        return media_type, OFFERED[media_type]
    return best_match(request.headers.get("accept"), OFFERED)


def representation(request: Request) -> tuple[str, str] | Response:
    """(media type, format name) for this request, or the 400/406 answer when there is none."""
    try:
        return negotiate(request)
    except BadFormat as exc:
        return problem_page(request, 400, "Unknown format", str(exc), plain=True, headers=VARY)
    except NotAcceptable as exc:
        return problem_page(request, 406, "Not acceptable", str(exc), plain=True, headers=VARY)


def rdf_response(triples, media_type: str, fmt: str) -> Response:
    """Triples serialized by pyoxigraph in the negotiated RDF format."""
    body = rdf_serialize(triples, format=RDF_FORMATS[fmt],
                         prefixes=SERIALIZATION_PREFIXES if fmt in ("ttl", "xml") else None)
    return Response(body, media_type=f"{media_type}; charset=utf-8", headers=VARY)


@router.get("/resource/{kind}/{slug}", summary="An entity of the catalogue, as HTML or RDF",
            description="The page of https://w3id.org/vlmgraph/resource/{kind}/{slug}. `Accept` (with q-values) or "
                        "`format` (html, ttl, jsonld, nt, xml) choose HTML or the entity's RDF description: its "
                        "triples, the triples pointing at it, its seed-list corrections, lineage notes and "
                        "evaluation results, and the labels of everything mentioned.",
            responses={200: {"content": {t: {} for t in ("text/html", "text/turtle", "application/ld+json",
                                                            "application/n-triples", "application/rdf+xml")}},
                       404: {"description": "No such entity"}, 406: {"description": "No acceptable type"}})
async def entity(request: Request, kind: str, slug: str) -> Response:
    chosen = representation(request)
    if isinstance(chosen, Response):
        return chosen
    media_type, fmt = chosen
    plain = fmt != "html"
    iri = _iri(kind, slug)
    store = request.app.state.store
    view = entity_view(store, iri, kind_labels_of(request)) if iri is not None else None
    if view is None:
        return problem_page(request, 404, "Not found", f"There is no entity /resource/{kind}/{slug} in the catalogue.",
                            asked=_asked(slug), plain=plain, headers=VARY)
    if plain:
        return rdf_response(describe(store, iri), media_type, fmt)
    return _html(request, view)


@router.get("/resource/{rest:path}", include_in_schema=False)
async def not_an_entity(request: Request, rest: str) -> Response:
    """Anything else under /resource/ (a missing slug, extra segments): a 404 page, not a bare error."""
    try:
        _, fmt = negotiate(request)
    except (BadFormat, NotAcceptable):
        fmt = "html"
    last = rest.rstrip("/").rsplit("/", 1)[-1]
    return problem_page(request, 404, "Not found", f"There is no entity /resource/{rest} in the catalogue; "
                                                   "entity pages are at /resource/{kind}/{id}.",
                        asked=_asked(last) if last else None, plain=fmt != "html", headers=VARY)


def _iri(kind: str, slug: str) -> NamedNode | None:
    if not _KIND.fullmatch(kind) or not _SLUG.fullmatch(slug) or ".." in slug:
        return None
    try:
        return NamedNode(f"{RESOURCE_NS}{kind}/{slug}")
    except ValueError:
        return None


def _asked(slug: str) -> str:
    """What a mistyped id most likely meant, as text to search for: 'llava-1.6' -> 'llava 1.6'."""
    return slug[:200].replace("-", " ").replace("_", " ")


def _html(request: Request, view) -> Response:
    relations, up, down, _ = _mini_graph_spec(view.kind)
    graph = graph_around(request, view.iri, up, down, relations)
    network = mini_graph(graph, view.iri) if view.iri in graph else None
    base = str(request.base_url).rstrip("/")
    select = (f"SELECT ?property ?value ?valueLabel WHERE {{\n  <{view.iri}> ?property ?value .\n"
              f"  OPTIONAL {{ ?value rdfs:label ?valueLabel }}\n}}\nORDER BY ?property ?value\n")
    links = {
        "sparql": "/?" + urlencode({"query": select}),
        "lineage": (f"/viz/lineage/{quote(_lineage_name(request, view), safe=':/')}"
                    if network is not None and view.kind != "Organization" else None),
        "overview": "/viz/overview?" + urlencode({"org": view.label}) if view.kind == "Organization" else None,
        "alternates": [{"name": name, "type": media_type, "href": f"{view.page}?format={fmt}"}
                       for name, fmt, media_type in ALTERNATES],
    }
    response = render(request, "entity.html", page="entity", e=view, network=network, links=links,
                      jsonld=script_json(schema_org(view, base)))
    response.headers.update(VARY)
    response.headers["Link"] = ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"'
                                         for a in links["alternates"])
    return response


# The mini-graph of an entity page, by the kind of the entity: (relations walked, steps up, steps down,
# whether developers are drawn). Models show what they are built from, two steps back, and what is
# built on them; datasets what they come from and who trains or evaluates on them; labs what they made.
_MINI_GRAPHS = {
    "VisionLanguageModel": (LINEAGE_RELATIONS | {"memberOfFamily"}, 2, 1, True),
    "LanguageModel": (LINEAGE_RELATIONS | {"memberOfFamily"}, 2, 1, True),
    "VisionEncoder": (LINEAGE_RELATIONS | {"memberOfFamily"}, 2, 1, True),
    "Dataset": ({"wasDerivedFrom", "trainedOn"}, 1, 1, False),
    "Benchmark": ({"wasDerivedFrom", "trainedOn", "evaluatedOn"}, 1, 1, False),
    "Organization": ({"developedBy"}, 0, 1, False),
    "ModelFamily": ({"memberOfFamily"}, 0, 1, True),
}


def _mini_graph_spec(kind: str) -> tuple[set[str], int, int, bool]:
    return _MINI_GRAPHS.get(kind, (LINEAGE_PAGE_RELATIONS, 1, 1, True))


def mini_graph(graph, iri: str):
    relations, up, down, developers = _mini_graph_spec(graph.nodes[iri]["kind"])
    sub, network = entity_network(graph, iri, up, down, relations=relations, developers=developers)
    if sub.number_of_nodes() > _MINI_GRAPH_LIMIT and developers:
        sub, network = entity_network(graph, iri, up, down, relations=relations, developers=False)
    return network


def _lineage_name(request: Request, view) -> str:
    """The shortest name /viz/lineage/ resolves to this entity: its id, unless another entity
    (the LLaVA family beside the LLaVA model) has it too; then res:{kind}/{id}."""
    try:
        if request.app.state.resolver.resolve(view.slug).value == view.iri:
            return view.slug
    except UnknownName:
        pass
    return f"res:{view.namespace}/{view.slug}"

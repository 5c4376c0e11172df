"""Entity pages: every resource IRI https://w3id.org/vlmgraph/resource/{kind}/{slug} is served at
/resource/{kind}/{slug}, as HTML for browsers and as RDF (Turtle, JSON-LD, N-Triples, RDF/XML)
for RDF clients, chosen by Accept (with q-values) or by ?format=."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode

from ..catalogue import Catalogue
from ..describe import describe
from ..formats import Format, UnknownFormat, find, formats, media_types, serialize_graph
from ..names import UnknownName
from ..lineage import local_layered_graph
from ..terms import MODEL_KIND_NAMES
from ..viz import LINEAGE_PAGE_RELATIONS, entity_network, lineage_network
from ..vocab import RESOURCE_NS, prefixed_name
from ..entity_view import entity_view
from .negotiation import NotAcceptable, best_match
from .schema_org import schema_org, script_json
from .site import catalogue_of, graph_around, problem_page
from .templating import render

router = APIRouter(tags=["entities"])

# What a page can be served as: HTML for browsers (also what a client that accepts anything, */*,
# gets), or the entity's RDF in the formats pages offer.
HTML = "html"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_FORMATS = formats("graph", pages_only=True)
OFFERED: dict[str, Format | str] = {**dict.fromkeys(_HTML_TYPES, HTML), **media_types(PAGE_FORMATS)}
VARY = {"Vary": "Accept"}

_KIND = re.compile(r"[a-z]{1,40}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
_MINI_GRAPH_LIMIT = 150  # nodes; beyond this a small hierarchical drawing is unreadable


class BadFormat(ValueError):
    pass


def negotiate(request: Request) -> tuple[str, Format | str]:
    """(media type, format or HTML) for this request: ?format= first, then Accept."""
    name = request.query_params.get("format")
    if name is not None:
        if name.strip().lower() == HTML:
            return _HTML_TYPES[0], HTML
        try:
            fmt = find(name, "graph")
        except UnknownFormat:
            fmt = None
        if fmt not in PAGE_FORMATS:
            raise BadFormat(f"unknown format {name!r}; use one of: {', '.join([HTML, *(f.name for f in PAGE_FORMATS)])}")
        return fmt.media_type, fmt
    return best_match(request.headers.get("accept"), OFFERED)


def representation(request: Request) -> tuple[str, Format | str] | Response:
    """(media type, format or HTML) for this request, or the 400/406 answer when there is none."""
    try:
        return negotiate(request)
    except BadFormat as exc:
        return problem_page(request, 400, "Unknown format", str(exc), plain=True, headers=VARY)
    except NotAcceptable as exc:
        return problem_page(request, 406, "Not acceptable", str(exc), plain=True, headers=VARY)


def rdf_response(triples, media_type: str, fmt: Format) -> Response:
    """Triples in the negotiated RDF format, written as exports are (formats.serialize_graph): the
    prefixes declared, JSON-LD compact."""
    return Response(serialize_graph(list(triples), fmt), media_type=f"{media_type}; charset=utf-8", headers=VARY)


@router.get("/resource/{kind}/{slug}", summary="An entity of the catalogue, as HTML or RDF",
            description="The page of https://w3id.org/vlmgraph/resource/{kind}/{slug}. `Accept` (with q-values) or "
                        f"`format` ({', '.join([HTML, *(f.name for f in PAGE_FORMATS)])}) choose HTML or the entity's "
                        "RDF description: its "
                        "triples, the triples pointing at it, its seed-list corrections, lineage notes and "
                        "evaluation results, and the labels of everything mentioned.",
            responses={200: {"content": {t: {} for t in (_HTML_TYPES[0], *(f.media_type for f in PAGE_FORMATS))}},
                       404: {"description": "No such entity"}, 406: {"description": "No acceptable type"}})
async def entity(request: Request, kind: str, slug: str, catalogue: Catalogue = Depends(catalogue_of)) -> Response:
    chosen = representation(request)
    if isinstance(chosen, Response):
        return chosen
    media_type, fmt = chosen
    plain = fmt != HTML
    iri = _iri(kind, slug)
    store = catalogue.store
    view = entity_view(store, iri, catalogue.kind_labels) if iri is not None else None
    if view is None:
        return problem_page(request, 404, "Not found", f"There is no entity /resource/{kind}/{slug} in the catalogue.",
                            asked=_asked(slug), plain=plain, headers=VARY)
    if plain:
        return rdf_response(describe(store, iri), media_type, fmt)
    return _html(request, catalogue, view)


@router.get("/resource/{rest:path}", include_in_schema=False)
async def not_an_entity(request: Request, rest: str) -> Response:
    """Anything else under /resource/ (a missing slug, extra segments): a 404 page, not a bare error."""
    try:
        _, fmt = negotiate(request)
    except (BadFormat, NotAcceptable):
        fmt = HTML
    last = rest.rstrip("/").rsplit("/", 1)[-1]
    return problem_page(request, 404, "Not found", f"There is no entity /resource/{rest} in the catalogue; "
                                                   "entity pages are at /resource/{kind}/{id}.",
                        asked=_asked(last) if last else None, plain=fmt != HTML, headers=VARY)


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


def _html(request: Request, catalogue: Catalogue, view) -> Response:
    relations, up, down, _ = _mini_graph_spec(view.kind)
    if view.kind in MODEL_KIND_NAMES:  # the lineage view, two steps each way
        graph = local_layered_graph(catalogue.store, view.iri, MINI_DEPTH, MINI_DEPTH, names=catalogue.names)
    else:
        graph = graph_around(catalogue, view.iri, up, down, relations)
    network = mini_graph(graph, view.iri) if view.iri in graph else None
    base = str(request.base_url).rstrip("/")
    select = (f"SELECT ?property ?value ?valueLabel WHERE {{\n  <{view.iri}> ?property ?value .\n"
              f"  OPTIONAL {{ ?value rdfs:label ?valueLabel }}\n}}\nORDER BY ?property ?value\n")
    links = {
        "sparql": "/?" + urlencode({"query": select}),
        "lineage": (f"/viz/lineage/{quote(_lineage_name(catalogue, view), safe=':/')}"
                    if network is not None and view.kind != "Organization" else None),
        "overview": "/viz/overview?" + urlencode({"org": view.label}) if view.kind == "Organization" else None,
        "alternates": [{"name": fmt.title, "type": fmt.media_type, "href": f"{view.page}?format={fmt.name}"}
                       for fmt in PAGE_FORMATS],
    }
    response = render(request, "entity.html", page="entity", e=view, network=network, links=links,
                      jsonld=script_json(schema_org(view, base)))
    response.headers.update(VARY)
    response.headers["Link"] = ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"'
                                         for a in links["alternates"])
    return response


# The mini-graph of an entity that is not a model, by its kind: (relations walked, steps up, steps
# down, whether developers are drawn). Datasets show what they come from and who trains or
# evaluates on them; labs what they made; families their members. Models show their lineage view.
_MINI_GRAPHS = {
    "Dataset": ({"wasDerivedFrom", "trainedOn"}, 1, 1, False),
    "Benchmark": ({"wasDerivedFrom", "trainedOn", "evaluatedOn"}, 1, 1, False),
    "Organization": ({"developedBy"}, 0, 1, False),
    "ModelFamily": ({"memberOfFamily"}, 0, 1, True),
}


def _mini_graph_spec(kind: str) -> tuple[set[str], int, int, bool]:
    return _MINI_GRAPHS.get(kind, (LINEAGE_PAGE_RELATIONS, 1, 1, True))


MINI_DEPTH = 2  # lineage steps each way in a model page's mini-graph


def mini_graph(graph, iri: str):
    """A model's page shows its lineage view (boxes, layers in the legend) two steps up and down;
    other entities their neighbourhood by kind (_MINI_GRAPHS)."""
    if graph.nodes[iri]["kind"] in MODEL_KIND_NAMES:
        return lineage_network(graph, iri, MINI_DEPTH, "both")[1]
    relations, up, down, developers = _mini_graph_spec(graph.nodes[iri]["kind"])
    sub, network = entity_network(graph, iri, up, down, relations=relations, developers=developers)
    if sub.number_of_nodes() > _MINI_GRAPH_LIMIT and developers:
        sub, network = entity_network(graph, iri, up, down, relations=relations, developers=False)
    return network


def _lineage_name(catalogue: Catalogue, view) -> str:
    """The shortest name /viz/lineage/ resolves to this entity: its id, unless another entity
    (the LLaVA family beside the LLaVA model) has it too; then its prefixed name (family:llava)."""
    try:
        if catalogue.names.resolve(view.slug).value == view.iri:
            return view.slug
    except UnknownName:
        pass
    return prefixed_name(view.iri)

"""The SPARQL 1.1 Service Description of the endpoint, with a VoID description of the graph."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from ..formats import FORMATS, W3C_FORMATS
from ..vocab import PREFIXES, RDF, XSD
from .negotiation import ConflictingFormats, NotAcceptable, choose

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def _n(base: str, name: str) -> NamedNode:
    return NamedNode(base + name)


def description_triples(endpoint: str, statistics: dict) -> list[Triple]:
    service, dataset, graph = BlankNode("service"), BlankNode("dataset"), BlankNode("defaultGraph")
    triples = [
        Triple(service, RDF.type, _n(SD, "Service")),
        Triple(service, _n(SD, "endpoint"), NamedNode(endpoint)),
        Triple(service, _n(SD, "supportedLanguage"), _n(SD, "SPARQL11Query")),
        Triple(service, _n(SD, "feature"), _n(SD, "UnionDefaultGraph")),
        Triple(service, _n(SD, "defaultDataset"), dataset),
        Triple(dataset, RDF.type, _n(SD, "Dataset")),
        Triple(dataset, _n(SD, "defaultGraph"), graph),
        Triple(graph, RDF.type, _n(SD, "Graph")),
        Triple(graph, RDF.type, _n(VOID, "Dataset")),
        Triple(graph, _n(VOID, "sparqlEndpoint"), NamedNode(endpoint)),
        Triple(graph, _n(VOID, "triples"), Literal(str(statistics["triples"]), datatype=XSD.integer)),
        Triple(graph, _n(VOID, "entities"), Literal(str(statistics["entities"]), datatype=XSD.integer)),
        Triple(graph, _n(VOID, "classes"), Literal(str(len(statistics["classes"])), datatype=XSD.integer)),
        Triple(graph, _n(VOID, "properties"), Literal(str(statistics["properties"]), datatype=XSD.integer)),
        Triple(graph, _n(VOID, "uriSpace"), Literal(PREFIXES["res"])),
    ]
    if statistics.get("example"):
        triples.append(Triple(graph, _n(VOID, "exampleResource"), NamedNode(statistics["example"])))
    for fmt in FORMATS:
        if fmt.in_results:
            triples.append(Triple(service, _n(SD, "resultFormat"), _n(W3C_FORMATS, fmt.w3c)))
    for number, (cls, count) in enumerate(sorted(statistics["classes"].items())):
        partition = BlankNode(f"class{number}")
        triples += [
            Triple(graph, _n(VOID, "classPartition"), partition),
            Triple(partition, _n(VOID, "class"), NamedNode(cls)),
            Triple(partition, _n(VOID, "entities"), Literal(str(count), datatype=XSD.integer)),
        ]
    return triples


def service_description(request: Request, format_names: list[str]) -> Response:
    try:
        media_type, fmt = choose(request.headers.get("accept"), "graph", format_names)
    except NotAcceptable as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=406)
    except ConflictingFormats as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=400)
    endpoint = str(request.url.replace(query=""))
    triples = description_triples(endpoint, request.app.state.catalogue.statistics)
    extra = {"prefixes": {"sd": SD, "void": VOID, "formats": W3C_FORMATS}} if fmt.pyoxigraph is RdfFormat.TURTLE else {}
    return Response(serialize(triples, format=fmt.pyoxigraph, **extra), media_type=media_type)

"""Every serialization vlmgraph reads or writes, in one table, and the one result serializer.

A format is a **graph** format (RDF: Turtle, N-Triples…) or a **results** format (SPARQL query
results: JSON, XML, CSV, TSV). Its rows give the short name used by ``--format`` and
``?format=``, the other names people type, its media types (the one served first), the
pyoxigraph format, whether prefixes make it shorter, and its W3C format IRI (for the service
description). The CLI, export, the endpoint's content negotiation, entity pages and the
service description all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterable, Literal

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from .vocab import SERIALIZATION_PREFIXES

FormatKind = Literal["graph", "results"]
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str
    kind: FormatKind
    title: str  # what a person calls it
    media_types: tuple[str, ...]  # the first is what is served
    pyoxigraph: RdfFormat | QueryResultsFormat
    aliases: tuple[str, ...] = ()
    takes_prefixes: bool = False
    w3c: str | None = None  # local name under http://www.w3.org/ns/formats/
    on_pages: bool = False  # offered by entity and ontology pages
    keeps_graphs: bool = False  # an export in it keeps the ontology and data graphs apart
    in_results: bool = True  # a CONSTRUCT/DESCRIBE result can be sent in it

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


FORMATS: tuple[Format, ...] = (
    Format("json", "results", "SPARQL JSON", ("application/sparql-results+json", "application/json"),
           QueryResultsFormat.JSON, w3c="SPARQL_Results_JSON"),
    Format("xml", "results", "SPARQL XML", ("application/sparql-results+xml", "application/xml"),
           QueryResultsFormat.XML, w3c="SPARQL_Results_XML"),
    Format("csv", "results", "CSV", ("text/csv",), QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV"),
    Format("tsv", "results", "TSV", ("text/tab-separated-values",), QueryResultsFormat.TSV, w3c="SPARQL_Results_TSV"),
    # Turtle is a subset of N3, so a client asking for N3 (SPARQLWrapper's N3) gets Turtle.
    Format("ttl", "graph", "Turtle", ("text/turtle", "application/x-turtle", "application/turtle", "text/n3",
                                      "text/rdf+n3", "application/n3"), RdfFormat.TURTLE, ("turtle", "n3"),
           takes_prefixes=True, w3c="Turtle", on_pages=True),
    Format("jsonld", "graph", "JSON-LD", ("application/ld+json",), RdfFormat.JSON_LD, ("json-ld",), w3c="JSON-LD",
           on_pages=True),
    Format("nt", "graph", "N-Triples", ("application/n-triples", "text/plain"), RdfFormat.N_TRIPLES, ("ntriples",),
           w3c="N-Triples", on_pages=True),
    Format("xml", "graph", "RDF/XML", ("application/rdf+xml",), RdfFormat.RDF_XML, ("rdf", "rdfxml", "rdf+xml"),
           takes_prefixes=True, w3c="RDF_XML", on_pages=True),
    Format("trig", "graph", "TriG", ("application/trig",), RdfFormat.TRIG, takes_prefixes=True, w3c="TriG",
           keeps_graphs=True),
    # Exports only: the endpoint's results have no graphs to keep apart.
    Format("nq", "graph", "N-Quads", ("application/n-quads",), RdfFormat.N_QUADS, ("nquads",), w3c="N-Quads",
           keeps_graphs=True, in_results=False),
)


@dataclass(frozen=True)
class NetworkFormat:
    """A file of the typed lineage projection — nodes with their kind, label and key facts, edges with
    their relation — for network tools (Gephi, Cytoscape, networkx). Not RDF: `vlmgraph export` only."""

    name: str
    title: str
    media_type: str
    extension: str
    writer: str  # the function of network.py that writes it (imported only when exporting)


NETWORK_FORMATS: tuple[NetworkFormat, ...] = (
    NetworkFormat("graphml", "GraphML (Gephi, Cytoscape, networkx, yEd)", "application/graphml+xml", "graphml",
                  "graphml"),
    NetworkFormat("csv-nodes", "CSV node list (one row per entity)", "text/csv", "csv", "csv_nodes"),
    NetworkFormat("csv-edges", "CSV edge list (source, target, relation)", "text/csv", "csv", "csv_edges"),
)


def find_network(name: str) -> NetworkFormat | None:
    wanted = name.strip().lower()
    return next((fmt for fmt in NETWORK_FORMATS if fmt.name == wanted), None)


class UnknownFormat(ValueError):
    """A format name or media type no row of the table has; the message lists what there is."""


def formats(kind: FormatKind, *, results_only: bool = False, pages_only: bool = False) -> tuple[Format, ...]:
    return tuple(f for f in FORMATS if f.kind == kind and (f.in_results or not results_only)
                 and (f.on_pages or not pages_only))


def find(name: str, kind: FormatKind) -> Format:
    """The `kind` format called `name` (its short name or an alias, any case)."""
    wanted = name.strip().lower()
    for fmt in formats(kind):
        if wanted in fmt.names:
            return fmt
    raise UnknownFormat(f"unknown format {name!r} for {kind}; use one of: {', '.join(f.name for f in formats(kind))}")


def media_types(candidates: Iterable[Format]) -> dict[str, Format]:
    """Media type -> format, every format's preferred type first (in table order), then the others,
    so that a client accepting anything gets the first format's preferred type."""
    candidates = tuple(candidates)
    offered: dict[str, Format] = {}
    for fmt in candidates:
        offered.setdefault(fmt.media_type, fmt)
    for fmt in candidates:
        for media_type in fmt.media_types[1:]:
            offered.setdefault(media_type, fmt)
    return offered


def serialize_graph(triples, fmt: Format) -> bytes:
    """Triples (or quads, for a format that keeps graphs) as a file people open: Turtle, TriG and
    RDF/XML declare the prefixes (the resource prefixes too: model:llava-1.5), JSON-LD is compacted
    under an @context of them. N-Triples and N-Quads have no prefixes."""
    extra = {"prefixes": SERIALIZATION_PREFIXES} if fmt.takes_prefixes else {}
    body = serialize(triples, format=fmt.pyoxigraph, **extra)
    if fmt.pyoxigraph is RdfFormat.JSON_LD:
        from .jsonld import compact

        return compact(body, SERIALIZATION_PREFIXES)
    return body


def serialize_results(outcome, fmt: Format, output: BinaryIO | None = None) -> bytes | None:
    """A query's result in `fmt`, written by pyoxigraph (no per-row Python objects): into `output`
    when given (which may refuse to grow, stopping a lazy evaluation), else returned as bytes.
    Solutions and booleans need a results format; triples a graph format."""
    is_graph = not isinstance(outcome, (QuerySolutions, QueryBoolean))
    if (fmt.kind == "graph") != is_graph:
        raise UnknownFormat(f"format {fmt.name!r} does not fit this kind of query result")
    if is_graph:
        # The module-level serializer streams triples and knows prefixes.
        extra = {"prefixes": SERIALIZATION_PREFIXES} if fmt.takes_prefixes else {}
        return serialize(outcome, output, format=fmt.pyoxigraph, **extra)
    return outcome.serialize(output, format=fmt.pyoxigraph)

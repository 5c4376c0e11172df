"""A runner for the W3C SPARQL 1.1 Protocol test manifest (tests/w3c-sparql11-protocol/).

Reads each mf:ProtocolTest, loads its ut:graphData into a store, replays its ht:Requests
against the app and checks the ht:Response expectations. vlmgraph is a read-only endpoint,
so an update request must be refused with a 4xx (never a 2xx) and must change nothing; the
queries that follow an update in the same test are checked to still answer, not for the
update's effect.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

HERE = Path(__file__).resolve().parent / "w3c-sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: list[str]  # "2xx", "4xx", "400"…
    expected_format: str | None
    expected_boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        body = (self.body or b"").decode("latin-1")
        return (content_type.startswith("application/sparql-update") or body.startswith("update=")
                or "update=" in self.path)


@dataclass
class ProtocolTest:
    name: str
    title: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def is_update_test(self) -> bool:
        return self.name.startswith(("update_", "bad_update")) or any(r.is_update for r in self.requests)


def load_manifest(path: Path = HERE / "manifest.ttl") -> list[ProtocolTest]:
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    entries = graph.value(next(graph.subjects(rdflib.RDF.type, MF.Manifest)), MF.entries)
    tests = []
    for node in rdflib.collection.Collection(graph, entries):
        test = ProtocolTest(str(node).rsplit("#", 1)[-1], str(graph.value(node, MF.name)))
        for data in graph.objects(node, UT.graphData):
            file = Path(str(graph.value(data, UT.graph)).removeprefix("file://"))
            test.graph_data.append((file, str(graph.value(data, rdflib.RDFS.label))))
        action = graph.value(node, MF.action)
        for request in rdflib.collection.Collection(graph, graph.value(action, HT.requests)):
            test.requests.append(_request(graph, request))
        tests.append(test)
    return tests


def _request(graph: rdflib.Graph, node) -> ProtocolRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in rdflib.collection.Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = sorted(str(s).rsplit("StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    path = str(graph.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    return ProtocolRequest(str(graph.value(node, HT.methodName)), path, headers, body, statuses,
                           str(fmt) if fmt else None, boolean.toPython() if boolean is not None else None)


def status_matches(status: int, expected: list[str]) -> bool:
    return any(str(status) == e or (e.endswith("xx") and str(status)[0] == e[0]) for e in expected)


def check_format(response, expected_format: str | None, expected_boolean: bool | None) -> str | None:
    """None when the body is what the test expects, else what is wrong."""
    content_type = response.headers.get("content-type", "").split(";")[0]
    if expected_format in ("boolean", "tabular"):
        if content_type.endswith("json"):
            payload = json.loads(response.content)
            if expected_format == "boolean":
                if "boolean" not in payload:
                    return "no boolean in a boolean answer"
                if expected_boolean is not None and payload["boolean"] != expected_boolean:
                    return f"boolean {payload.get('boolean')}, expected {expected_boolean}"
            elif "results" not in payload:
                return "no results in a tabular answer"
        elif content_type.endswith("xml"):
            root = ElementTree.fromstring(response.content)
            found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
            if expected_format == "boolean" and (found is None or (
                    expected_boolean is not None and (found.text == "true") != expected_boolean)):
                return f"boolean {None if found is None else found.text}, expected {expected_boolean}"
        elif content_type in ("text/csv", "text/tab-separated-values"):
            if expected_format == "boolean":
                return f"a boolean result came as {content_type}"
        else:
            return f"unexpected results media type {content_type!r}"
    if expected_format == "RDF":
        formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                   "application/ld+json": "json-ld", "application/trig": "trig"}
        if content_type not in formats:
            return f"unexpected RDF media type {content_type!r}"
        rdflib.Graph().parse(data=response.content, format=formats[content_type])
    return None

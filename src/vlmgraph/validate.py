"""Every check of the data, each returning Problems that name file, line, record and field.

Layers, cheapest first: YAML and schema (catalog), references and integrity rules
(integrity), SHACL shapes over the built graph (pyshacl), OWL consistency of ontology +
data (HermiT through owlready2).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from .catalog import Catalog, read_catalog
from .integrity import check_integrity
from .loader import FIELD_PROPERTIES, catalog_triples, iri_of
from .problems import Problem
from .rdf import to_rdflib
from .store import ontology_path, shapes_path

_FIELD_OF_PROPERTY = {prop.value: name for name, prop in reversed(list(FIELD_PROPERTIES.items()))}


def validate(data_dir: Path, ontology_dir: Path | None = None, shacl: bool = True, owl: bool = True) -> list[Problem]:
    catalog = read_catalog(Path(data_dir))
    if catalog.problems:
        return catalog.problems  # references and shapes are noise while records are unreadable
    problems = check_integrity(catalog)
    if problems:
        return problems
    ontology = rdflib.Graph().parse(ontology_path(ontology_dir), format="turtle")
    data = to_rdflib(catalog_triples(item.record for item in catalog.records))
    if shacl:
        problems += check_shapes(catalog, data, ontology, shapes_path(ontology_dir))
    if owl and not problems:
        problems += check_owl_consistency(data + ontology, str(ontology_path(ontology_dir)))
    return problems


def check_shapes(catalog: Catalog, data: rdflib.Graph, ontology: rdflib.Graph, shapes_file: Path) -> list[Problem]:
    import pyshacl

    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    # The ontology goes into the data graph so that sh:class sees rdfs:subClassOf (SHACL instance semantics).
    conforms, report, _ = pyshacl.validate(data + ontology, shacl_graph=shapes, inference="none", allow_warnings=True)
    if conforms:
        return []
    where = {iri_of(item.record).value: item for item in catalog.records}
    problems = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        field = _FIELD_OF_PROPERTY.get(str(path)) if isinstance(path, rdflib.URIRef) else None
        item = where.get(focus)
        if item is None:
            problems.append(Problem(str(shapes_file), None, focus, field, f"SHACL: {message}"))
        else:
            problems.append(Problem(item.file, item.line_of(field), item.record.id, field, f"SHACL: {message}"))
    return sorted(set(problems))


def check_owl_consistency(graph: rdflib.Graph, shown: str) -> list[Problem]:
    """Run HermiT on the graph. Needs Java; an absent Java is itself reported."""
    import owlready2

    # Literals outside the OWL 2 datatype map (xsd:date, xsd:gYearMonth…) make HermiT refuse the
    # whole input; they take no part in any axiom here, so they are left out of this check.
    owl_graph = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype in _NON_OWL_DATATYPES:
            continue
        owl_graph.add((s, p, o))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vlmgraph.owl"
        owl_graph.serialize(path, format="xml")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return [Problem(shown, None, None, None, "OWL: ontology and data are inconsistent (HermiT)")]
        except FileNotFoundError:
            return [Problem(shown, None, None, None, "OWL: Java is needed to run HermiT and was not found")]
        unsatisfiable = sorted(str(c) for c in world.inconsistent_classes() if str(c) != "owl.Nothing")
    return [Problem(shown, None, None, None, f"OWL: class {name} is unsatisfiable (HermiT)") for name in unsatisfiable]


_NON_OWL_DATATYPES = {
    rdflib.XSD.date,
    rdflib.XSD.gYearMonth,
    rdflib.XSD.gYear,
}

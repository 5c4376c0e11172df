"""The RDF description of one entity, as its page serves it to RDF clients.

``describe(store, iri)`` returns a symmetric concise bounded description, bounded to one step,
read from the data graph:

* every triple with the entity as subject;
* every triple with the entity as object (who uses it, what is built on it, who it developed);
* the nodes that exist only to say something about the entity, in full: its seed-list
  corrections (``vlm:SeedCorrection``), the reified lineage statements carrying a curator's note
  (``rdf:subject`` the entity) and the evaluation results of it or on it
  (``vlm:evaluatedModel`` / ``vlm:onBenchmark``);
* the ``rdfs:label`` of every other node mentioned (from any graph, so architecture terms and
  classes keep their ontology labels), so a client can show names without a second request.

Nothing beyond that: the description of a linked entity is at that entity's own IRI.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Store, Triple

from .vocab import DATA_GRAPH, RDF, RDFS, VLM

# Nodes hanging off an entity: (predicate, True when the entity is the subject of it).
_DEPENDENTS = ((VLM.correctsSeedClaim, True), (RDF.subject, False), (VLM.evaluatedModel, False),
               (VLM.onBenchmark, False))


def exists(store: Store, iri: NamedNode) -> bool:
    """Whether the data graph says anything about `iri` (as a subject)."""
    return next(iter(store.quads_for_pattern(iri, None, None, DATA_GRAPH)), None) is not None


def describe(store: Store, iri: NamedNode) -> list[Triple]:
    """The description above as distinct triples in a fixed order (the same store gives the same bytes)."""
    described = {iri}
    for predicate, outgoing in _DEPENDENTS:
        pattern = (iri, predicate, None) if outgoing else (None, predicate, iri)
        described |= {q.object if outgoing else q.subject for q in store.quads_for_pattern(*pattern, DATA_GRAPH)}
    triples = {q.triple for node in described for q in store.quads_for_pattern(node, None, None, DATA_GRAPH)}
    triples |= {q.triple for q in store.quads_for_pattern(None, None, iri, DATA_GRAPH)}
    mentioned = {node for t in triples for node in (t.subject, t.object) if isinstance(node, NamedNode)}
    for node in sorted(mentioned - described, key=str):
        labels = sorted({q.object for q in store.quads_for_pattern(node, RDFS.label, None, None)}, key=str)
        triples |= {Triple(node, RDFS.label, label) for label in labels}
    # The entity first, then the nodes described with it, then the labels of the rest.
    return sorted(triples, key=lambda t: (t.subject != iri, t.subject not in described, str(t)))

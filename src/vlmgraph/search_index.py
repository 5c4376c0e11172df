"""Find entities as a person types: an index of every label and alias, ranked matches.

``SearchIndex(store)`` reads the labels (``rdfs:label``), aliases (``skos:altLabel``, which the
loader writes for aliases and seed-list names alike) and ids of every catalogue entity once; the
store is read-only, so the index never goes stale. ``search("llava 1.5")`` ranks

  0. exact matches, 1. prefix matches, 2. matches at the start of a later word,
  3. substring matches, 4. fuzzy matches (difflib),

comparing names case-, accent- and punctuation-insensitively ("llava 1.5", "LLaVA-1.5" and
"llava_1.5" are the same name). Evaluation results and seed-list corrections are not indexed:
they are reached from the entities they belong to.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass

from pyoxigraph import Store

from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_NS, PREFIXES, RESOURCE_NS

# Most specific first (a Benchmark is also a Dataset; models are also vlm:Model): the class an
# entity is shown as, and the order entities of equal rank are listed in.
ENTITY_CLASSES: tuple[str, ...] = (
    "VisionLanguageModel", "LanguageModel", "VisionEncoder", "Benchmark", "Dataset", "ModelFamily",
    "Organization", "Paper", "Tool", "Concept",
)
_CLASS_IRIS = {ONTOLOGY_NS + name: name for name in ENTITY_CLASSES if name != "Concept"}
_CLASS_IRIS[PREFIXES["skos"] + "Concept"] = "Concept"

RANKS = ("exact", "prefix", "word prefix", "substring", "fuzzy")
MAX_QUERY = 200
FUZZY_CUTOFF = 0.72

_ENTITIES_QUERY = """
SELECT ?entity ?class ?label WHERE {
  GRAPH ?data {
    ?entity a ?class .
    { ?entity rdfs:label ?label BIND(0 AS ?order) } UNION { ?entity skos:altLabel ?label BIND(1 AS ?order) }
  }
}
ORDER BY ?entity ?order ?label
"""
_CLASS_LABELS_QUERY = "SELECT ?class ?label WHERE { GRAPH ?ontology { ?class a owl:Class ; rdfs:label ?label } }"


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: 'LLaVA-1.5' -> ['llava', '1', '5']."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", folded)


def class_labels(store: Store) -> dict[str, str]:
    """Entity class local name -> its label in the ontology ('VisionLanguageModel' -> 'Vision-language model')."""
    labels = {name: name for name in ENTITY_CLASSES}
    for row in store.query(_CLASS_LABELS_QUERY.replace("?ontology", f"<{ONTOLOGY_GRAPH.value}>"), prefixes=PREFIXES):
        name = row["class"].value.removeprefix(ONTOLOGY_NS)
        if name in labels:
            labels[name] = row["label"].value
    return labels


@dataclass(frozen=True)
class Hit:
    label: str
    kind: str  # the entity's most specific class, e.g. VisionLanguageModel
    kindLabel: str  # that class's label in the ontology, e.g. "Vision-language model"
    iri: str
    page: str  # the entity's page in the web app
    match: str  # the label, alias or id that matched
    rank: str  # one of RANKS

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Entry:
    iri: str
    label: str
    kind: str
    names: tuple[str, ...]  # the label first, then aliases, then the id
    keys: tuple[tuple[str, tuple[str, ...]], ...]  # per name: (compact form, words)


class QueryTooLong(ValueError):
    pass


class SearchIndex:
    def __init__(self, store: Store):
        self.kind_labels = class_labels(store)
        found: dict[str, dict] = {}
        query = _ENTITIES_QUERY.replace("?data", f"<{DATA_GRAPH.value}>")
        for row in store.query(query, prefixes=PREFIXES):
            iri, cls = row["entity"].value, row["class"].value
            if cls not in _CLASS_IRIS or not iri.startswith(RESOURCE_NS):
                continue
            entry = found.setdefault(iri, {"classes": set(), "names": []})
            entry["classes"].add(_CLASS_IRIS[cls])
            if row["label"].value not in entry["names"]:
                entry["names"].append(row["label"].value)  # ORDER BY puts the rdfs:label first
        self.entries: list[_Entry] = []
        for iri, entry in sorted(found.items()):
            names = [*entry["names"], iri.rsplit("/", 1)[-1]]
            unique = list(dict.fromkeys(names))
            kind = next(name for name in ENTITY_CLASSES if name in entry["classes"])
            keys = tuple(("".join(words(name)), tuple(words(name))) for name in unique)
            self.entries.append(_Entry(iri, unique[0], kind, tuple(unique), keys))
        self.by_iri = {entry.iri: entry for entry in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, text: str, limit: int = 10, fuzzy_cutoff: float = FUZZY_CUTOFF) -> list[Hit]:
        """The best `limit` entities for `text`, best first; [] for empty text.
        QueryTooLong when the text is over MAX_QUERY characters."""
        if len(text) > MAX_QUERY:
            raise QueryTooLong(f"the search text is {len(text)} characters long; the limit is {MAX_QUERY}")
        query = "".join(words(text))
        if not query or limit <= 0:
            return []
        scored: list[tuple[tuple, _Entry, str, int]] = []
        unmatched: list[_Entry] = []
        for entry in self.entries:
            best: tuple[int, int] | None = None
            for position, (compact, parts) in enumerate(entry.keys):
                rank = _rank(query, compact, parts)
                if rank is not None and (best is None or (rank, position) < best):
                    best = (rank, position)
            if best is None:
                unmatched.append(entry)
                continue
            rank, position = best
            scored.append(((rank, position > 0, 0.0, *self._order(entry)), entry, entry.names[position], rank))
        if len(scored) < limit:
            scored.extend(self._fuzzy(query, unmatched, fuzzy_cutoff))
        scored.sort(key=lambda item: item[0])
        return [self._hit(entry, name, rank) for _, entry, name, rank in scored[:limit]]

    def exact(self, text: str) -> list[Hit]:
        """Every entity with `text` as its label, an alias or its id (loosely compared)."""
        return [hit for hit in self.search(text, limit=len(self.entries) or 1, fuzzy_cutoff=1.1) if hit.rank == "exact"]

    def _fuzzy(self, query: str, entries: list[_Entry], cutoff: float):
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        for entry in entries:
            best: tuple[float, int] | None = None
            for position, (compact, _) in enumerate(entry.keys):
                matcher.set_seq1(compact)
                if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                    continue
                ratio = matcher.ratio()
                if ratio >= cutoff and (best is None or ratio > best[0]):
                    best = (ratio, position)
            if best is not None:
                ratio, position = best
                yield (4, position > 0, -ratio, *self._order(entry)), entry, entry.names[position], 4

    @staticmethod
    def _order(entry: _Entry) -> tuple:
        return ENTITY_CLASSES.index(entry.kind), len(entry.label), entry.label.casefold(), entry.iri

    def _hit(self, entry: _Entry, name: str, rank: int) -> Hit:
        return Hit(entry.label, entry.kind, self.kind_labels.get(entry.kind, entry.kind), entry.iri,
                   page_of(entry.iri), name, RANKS[rank])


def _rank(query: str, compact: str, parts: tuple[str, ...]) -> int | None:
    if compact == query:
        return 0
    if compact.startswith(query):
        return 1
    for start in range(1, len(parts)):
        if "".join(parts[start:]).startswith(query):
            return 2
    if query in compact:
        return 3
    return None


def page_of(iri: str) -> str:
    """The web app's page of a resource IRI: https://w3id.org/vlmgraph/resource/model/x -> /resource/model/x."""
    return "/resource/" + iri.removeprefix(RESOURCE_NS)

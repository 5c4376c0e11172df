"""Names of the graph's entities, as people type them: one index for resolving and for searching.

``NameIndex(store)`` reads every label (``rdfs:label``), alias (``skos:altLabel``, which the loader
writes for aliases and seed-list names alike) and id of the data graph once; the store is
read-only, so the index never goes stale. It answers two questions:

* ``resolve("llava1.5")`` — the one entity a name stands for (label, alias, id, IRI or prefixed
  name such as ``model:llava-1.5``; exact
  spelling first, then ignoring case and punctuation), or ``UnknownName`` with suggestions. The
  CLI, named-query parameters and pages use it.
* ``search("llava 1.5")`` — entities ranked as a person types: 0. exact matches, 1. prefix
  matches, 2. matches at the start of a later word, 3. substring matches, 4. fuzzy matches
  (difflib), comparing case-, accent- and punctuation-insensitively. Only catalogue entities are
  searched (evaluation results and seed-list corrections are reached from their entities).

The index takes seconds on a large graph, so it is built in a background thread from the moment
it exists: a server starting up answers SPARQL meanwhile (the build lets the event loop run
every few hundred items), and the first lookup waits only for what is left. It is kept small — a
name key holds its IRI, not a set; exact spellings only where the loose form is ambiguous — since
it lives in the server for good.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Iterable, Iterator

from pyoxigraph import NamedNode

from .graph_store import GraphStore
from .memory import release
from .terms import ENTITY_KINDS, SEGMENTS
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_NS, PREFIXES, RESOURCE_NS, RESOURCE_PREFIXES

RANKS = ("exact", "prefix", "word prefix", "substring", "fuzzy")
MAX_QUERY = 200
FUZZY_CUTOFF = 0.72
_KIND_ORDER = {kind.name: position for position, kind in enumerate(ENTITY_KINDS)}
_KIND_BY_CLASS = {kind.iri: kind.name for kind in ENTITY_KINDS}

# Labels, then aliases, each in order, per resource: a resource's names keep that order. Sorted here,
# not by ORDER BY: pyoxigraph compares terms by looking up their text (8x slower on 10,000 models).
_NAMES_QUERY = f"""
SELECT ?entity ?label ?preferred WHERE {{
  GRAPH <{DATA_GRAPH.value}> {{
    {{ ?entity rdfs:label ?label BIND(0 AS ?preferred) }} UNION {{ ?entity skos:altLabel ?label BIND(1 AS ?preferred) }}
  }}
}}
"""
_CLASSES_QUERY = f"""
SELECT ?entity ?class WHERE {{
  VALUES ?class {{ {" ".join(f"<{iri}>" for iri in _KIND_BY_CLASS)} }}
  GRAPH <{DATA_GRAPH.value}> {{ ?entity a ?class }}
}}
"""
_CLASS_LABELS_QUERY = (f"SELECT ?class ?label WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> "
                       "{ ?class a owl:Class ; rdfs:label ?label } }")


class UnknownName(LookupError):
    pass


class QueryTooLong(ValueError):
    pass


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: 'LLaVA-1.5' -> ['llava', '1', '5']."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", folded)


def _exact(text: str) -> str:
    return " ".join(text.casefold().split())


def _loose(text: str) -> str:
    """'LLaVA 1.5', 'llava-1.5' and 'LLaVA_1.5' meet here."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def segment_of_iri(iri: str) -> str:
    """https://w3id.org/vlmgraph/resource/{segment}/{id} -> segment."""
    return iri[len(RESOURCE_NS):].split("/", 1)[0]


def iri_of(text: str) -> str | None:
    """The resource IRI `text` writes out, or None when it is a name: <IRI>, the IRI, model:llava-1.5
    (a resource prefix) or res:model/llava-1.5 (the older form, still accepted)."""
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(RESOURCE_NS):
        return text
    prefix, colon, local = text.partition(":")
    if colon and prefix == "res":
        return RESOURCE_NS + local
    if colon and prefix in RESOURCE_PREFIXES and local and " " not in local:
        return RESOURCE_PREFIXES[prefix] + local
    return None


def page_of(iri: str) -> str:
    """The web app's page of a resource IRI: https://w3id.org/vlmgraph/resource/model/x -> /resource/model/x."""
    return "/resource/" + iri.removeprefix(RESOURCE_NS)


def class_labels(store: GraphStore) -> dict[str, str]:
    """Entity kind -> its class's label in the ontology ('VisionLanguageModel' -> 'Vision-language model')."""
    labels = {kind.name: kind.name for kind in ENTITY_KINDS}
    for row in store.query(_CLASS_LABELS_QUERY, prefixes=PREFIXES):
        name = row["class"].value.removeprefix(ONTOLOGY_NS)
        if name in labels:
            labels[name] = row["label"].value
    return labels


@dataclass(frozen=True)
class Hit:
    label: str
    kind: str  # the entity's kind (terms.KINDS), e.g. VisionLanguageModel
    kindLabel: str  # that class's label in the ontology, e.g. "Vision-language model"
    iri: str
    page: str  # the entity's page in the web app
    match: str  # the label, alias or id that matched
    rank: str  # one of RANKS

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Entry:
    """A searchable entity: its names (label first, then aliases, then its id) in two compared forms."""

    iri: str
    label: str
    kind: str
    names: tuple[str, ...]
    keys: tuple[tuple[str, tuple[int, ...]], ...]  # per name: (its words run together, where each word starts)


def _add(index: dict[str, str | tuple[str, ...]], key: str, iri: str) -> None:
    """Index `iri` under `key`: one IRI is kept as itself, several as a tuple (a set per key would
    cost 200 bytes for each of the index's hundreds of thousands of keys)."""
    found = index.get(key)
    if found is None:
        index[key] = iri
    elif isinstance(found, str):
        if found != iri:
            index[key] = (found, iri)
    elif iri not in found:
        index[key] = (*found, iri)


def _pausing(items: Iterable, every: int = 64) -> Iterator:
    """`items`, letting other threads run every `every` of them: the index is built in a thread of
    a server, whose event loop must not wait a whole GIL switch interval (5 ms) per request."""
    for count, item in enumerate(items):
        if not count % every:
            time.sleep(0)  # releases the GIL
        yield item


class _Built:
    def __init__(self, store: GraphStore):
        rows: dict[str, list[tuple[bool, str]]] = {}  # IRI -> (alias?, name); one string per IRI
        for row in _pausing(store.query(_NAMES_QUERY, prefixes=PREFIXES)):
            rows.setdefault(row["entity"].value, []).append((row["preferred"].value != "0", row["label"].value))
        names: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}  # IRI -> display label, of every labelled resource
        for iri in _pausing(sorted(rows)):
            ordered = sorted(rows.pop(iri))
            if not ordered[0][0]:
                self.labels[iri] = ordered[0][1]
            names[iri] = list(dict.fromkeys(name for _, name in ordered))
        # Names compared loosely (case and punctuation ignored); compared exactly only where the loose
        # form is ambiguous: an exact match is one of the loose matches, so elsewhere it adds nothing.
        self.loose: dict[str, str | tuple[str, ...]] = {}
        same: dict[str, str] = {}  # each loose key once: an ASCII name's loose form is its compact form too
        for iri, labels in _pausing(names.items()):
            for key in (*labels, iri.rsplit("/", 1)[-1]):
                loose = _loose(key)
                _add(self.loose, same.setdefault(loose, loose), iri)
        self.exact: dict[str, str | tuple[str, ...]] = {}
        for iri, labels in _pausing(names.items()):
            for key in (*labels, iri.rsplit("/", 1)[-1]):
                if not isinstance(self.loose[_loose(key)], str):
                    _add(self.exact, _exact(key), iri)
        kinds: dict[str, set[str]] = defaultdict(set)
        for row in _pausing(store.query(_CLASSES_QUERY)):
            kinds[row["entity"].value].add(_KIND_BY_CLASS[row["class"].value])
        self.entries: list[Entry] = []
        canonical = {iri: iri for iri in names}
        for iri in _pausing(sorted(kinds)):
            if not iri.startswith(RESOURCE_NS) or iri not in names:
                continue
            iri = canonical[iri]  # the string the labels and the name keys hold, not a copy
            unique = list(dict.fromkeys([*names[iri], iri.rsplit("/", 1)[-1]]))
            kind = min(kinds[iri], key=_KIND_ORDER.__getitem__)  # the most specific (a Benchmark, not a Dataset)
            keys = tuple(_compact(name, same) for name in unique)
            self.entries.append(Entry(iri, unique[0], kind, tuple(unique), keys))
        self.by_iri = {entry.iri: entry for entry in self.entries}


class NameIndex:
    """Every name of the store's resources; see the module documentation."""

    def __init__(self, store: GraphStore, kind_labels: dict[str, str] | None = None):
        self._store = store
        self._kind_labels = kind_labels
        self._built_index: _Built | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._warm_up, name="vlmgraph-name-index", daemon=True).start()

    def _warm_up(self) -> None:
        try:
            self._built()
        except Exception:  # noqa: BLE001 - the first lookup builds again and raises it where it can be reported
            pass

    def _built(self) -> _Built:
        with self._lock:
            if self._built_index is None:
                self._built_index = _Built(self._store)
                release()  # the build's peak (the sorted names, the temporary maps) is not kept
            return self._built_index

    @property
    def labels(self) -> dict[str, str]:
        """IRI -> display label of every labelled resource."""
        return self._built().labels

    @property
    def entries(self) -> list[Entry]:
        return self._built().entries

    @property
    def by_iri(self) -> dict[str, Entry]:
        return self._built().by_iri

    @property
    def kind_labels(self) -> dict[str, str]:
        if self._kind_labels is None:
            self._kind_labels = class_labels(self._store)
        return self._kind_labels

    def __len__(self) -> int:
        return len(self.entries)

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])

    # --- resolving ---------------------------------------------------------------------------

    def find(self, text: str) -> list[str]:
        """Every resource whose label, alias or id is `text` (exact spelling first, then loosely)."""
        built = self._built()
        found = built.loose.get(_loose(text))
        if found is None:
            return []
        if isinstance(found, str):
            return [found]
        exactly = built.exact.get(_exact(text))  # several loosely: the exact spelling decides, if any
        return sorted([exactly] if isinstance(exactly, str) else exactly or found)

    def resolve(self, text: str, prefer: tuple[str, ...] = SEGMENTS) -> NamedNode:
        """The one resource `text` names; UnknownName with suggestions otherwise.

        When a name fits several resources of different kinds (the CLIP model and the CLIP
        family), `prefer` — IRI segments in order — decides; a tie within a segment is an error.
        """
        text = text.strip()
        iri = iri_of(text)
        if iri is not None:
            if iri in self.labels:
                return NamedNode(iri)
            raise UnknownName(f"no entity with IRI <{iri}>")
        found = self.find(text)
        if not found:
            raise UnknownName(f"no entity named {text!r}{self._suggest(text)}")
        for segment in prefer:
            of_segment = [iri for iri in found if segment_of_iri(iri) == segment]
            if len(of_segment) == 1:
                return NamedNode(of_segment[0])
            if of_segment:
                found = of_segment
                break
        if len(found) == 1:
            return NamedNode(found[0])
        choices = ", ".join(f"{self.labels.get(i, i)} <{i}>" for i in found)
        raise UnknownName(f"{text!r} names several entities: {choices}")

    def names_exactly(self, text: str, iri: str) -> bool:
        """Whether `text` is spelled exactly as the entity's label, its id or its IRI (in any of
        the forms resolve takes): what needs no "`text` is …" note."""
        text = text.strip()
        return text in (self.labels.get(iri), iri.rsplit("/", 1)[-1]) or iri_of(text) == iri

    def _suggest(self, text: str) -> str:
        names = sorted(set(self.labels.values()))
        close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
        if not close:
            folded = {name.casefold(): name for name in names}
            close = [folded[m] for m in difflib.get_close_matches(text.casefold(), list(folded), n=3, cutoff=0.5)]
        return f" (did you mean {', '.join(close)}?)" if close else ""

    # --- searching ---------------------------------------------------------------------------

    def search(self, text: str, limit: int = 10, fuzzy_cutoff: float = FUZZY_CUTOFF) -> list[Hit]:
        """The best `limit` entities for `text`, best first; [] for empty text.
        QueryTooLong when the text is over MAX_QUERY characters."""
        if len(text) > MAX_QUERY:
            raise QueryTooLong(f"the search text is {len(text)} characters long; the limit is {MAX_QUERY}")
        query = "".join(words(text))
        if not query or limit <= 0:
            return []
        scored: list[tuple[tuple, Entry, str, int]] = []
        unmatched: list[Entry] = []
        for entry in self.entries:
            best: tuple[int, int] | None = None
            for position, (compact, starts) in enumerate(entry.keys):
                rank = _rank(query, compact, starts)
                if rank is not None and (best is None or (rank, position) < best):
                    best = (rank, position)
            if best is None:
                unmatched.append(entry)
                continue
            rank, position = best
            scored.append(((rank, position > 0, 0.0, *_order(entry)), entry, entry.names[position], rank))
        if len(scored) < limit:
            scored.extend(_fuzzy(query, unmatched, fuzzy_cutoff))
        scored.sort(key=lambda item: item[0])
        return [self._hit(entry, name, rank) for _, entry, name, rank in scored[:limit]]

    def exact(self, text: str) -> list[Hit]:
        """Every entity with `text` as its label, an alias or its id (loosely compared)."""
        return [hit for hit in self.search(text, limit=len(self.entries) or 1, fuzzy_cutoff=1.1) if hit.rank == "exact"]

    def _hit(self, entry: Entry, name: str, rank: int) -> Hit:
        return Hit(entry.label, entry.kind, self.kind_labels.get(entry.kind, entry.kind), entry.iri,
                   page_of(entry.iri), name, RANKS[rank])


def _fuzzy(query: str, entries: list[Entry], cutoff: float):
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
            yield (4, position > 0, -ratio, *_order(entry)), entry, entry.names[position], 4


def _order(entry: Entry) -> tuple:
    return _KIND_ORDER[entry.kind], len(entry.label), entry.label.casefold(), entry.iri


def _compact(name: str, same: dict[str, str] | None = None) -> tuple[str, tuple[int, ...]]:
    """A name's words run together, and where each word after the first starts in that string
    (`same`: equal strings already held, to hold one of them, not a copy)."""
    parts = words(name)
    starts, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        starts.append(at)
    compact = "".join(parts)
    return (compact if same is None else same.get(compact, compact)), tuple(starts)


def _rank(query: str, compact: str, starts: tuple[int, ...]) -> int | None:
    if compact == query:
        return 0
    if compact.startswith(query):
        return 1
    for start in starts:  # a later word, and what follows it
        if compact.startswith(query, start):
            return 2
    if query in compact:
        return 3
    return None


__all__ = ["FUZZY_CUTOFF", "MAX_QUERY", "RANKS", "Entry", "Hit", "NameIndex", "QueryTooLong",
           "UnknownName", "class_labels", "iri_of", "page_of", "segment_of_iri", "words"]

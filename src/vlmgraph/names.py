"""Names of the graph's entities, as people type them: one index for resolving and for searching.

The index is a SQLite table (``names.sqlite``) of every label (``rdfs:label``), alias
(``skos:altLabel``, which the loader writes for aliases and seed-list names alike) and id of the
data graph. ``vlmgraph build`` writes it beside the store, so a server opens it at once and holds
none of it in its heap (held as Python objects it was most of ``serve``'s memory: 150 MB at
100,000 models); for a store without one (a remote endpoint, an in-memory store) ``NameIndex``
writes it to a temporary file in the background from the moment it exists, and the first lookup
waits only for what is left. The store is read-only, so the table never goes stale. It answers
two questions:

* ``resolve("llava1.5")`` — the one entity a name stands for (label, alias, id, IRI or prefixed
  name such as ``model:llava-1.5``; exact spelling first, then ignoring case and punctuation), or
  ``UnknownName`` with suggestions. The CLI, named-query parameters and pages use it.
* ``search("llava 1.5")`` — entities ranked as a person types: 0. exact matches, 1. prefix
  matches, 2. matches at the start of a later word, 3. substring matches, 4. fuzzy matches
  (difflib), comparing case-, accent- and punctuation-insensitively. Only catalogue entities are
  searched (evaluation results and seed-list corrections are reached from their entities).
  Ranks 0-2 are one range scan of an index of each name's word suffixes; a substring scan and the
  fuzzy pass run only while fewer than `limit` entities matched.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import unicodedata
import weakref
from dataclasses import asdict, dataclass
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from pyoxigraph import NamedNode

from .graph_store import GraphStore
from .memory import release
from .terms import ENTITY_KINDS, SEGMENTS
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_NS, PREFIXES, RESOURCE_NS, RESOURCE_PREFIXES

NAMES_FILE = "names.sqlite"  # beside the store's database, written by the build
RANKS = ("exact", "prefix", "word prefix", "substring", "fuzzy")
MAX_QUERY = 200
FUZZY_CUTOFF = 0.72
_KIND_ORDER = {kind.name: position for position, kind in enumerate(ENTITY_KINDS)}
_KIND_BY_CLASS = {kind.iri: kind.name for kind in ENTITY_KINDS}
_LAST_CHARACTER = "\U0010ffff"  # q <= s < q + this: s starts with q (SQLite compares UTF-8 bytes, i.e. code points)
_POSITIONS = 1 << 16  # rank * _POSITIONS + position orders (rank, position) in one integer

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

# resource: every named resource; `label` is its rdfs:label (NULL when it has aliases only), `display`
# its first name; `kind` is set for the searchable ones, with what search results are ordered by.
# key: each name and id of every resource, compared loosely and exactly (see find).
# name: a searchable resource's names (label, aliases, id) by position, and each run together as
# words; word: each such run from the start of each of its words (start 0 is the whole run).
_SCHEMA = """
CREATE TABLE resource(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT, display TEXT NOT NULL,
                      kind TEXT, kind_order INTEGER, display_length INTEGER, display_folded TEXT);
CREATE TABLE key(loose TEXT NOT NULL, exact TEXT NOT NULL, resource INTEGER NOT NULL);
CREATE TABLE name(resource INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, compact TEXT NOT NULL);
CREATE TABLE word(suffix TEXT NOT NULL, resource INTEGER NOT NULL, position INTEGER NOT NULL, start INTEGER NOT NULL);
"""
# Made once the rows are in: sorting them in one go is several times faster than keeping a B-tree ordered.
_INDEXES = """
CREATE UNIQUE INDEX resource_by_iri ON resource(iri);
CREATE INDEX key_by_loose ON key(loose);
CREATE UNIQUE INDEX name_by_resource ON name(resource, position);
CREATE INDEX word_by_suffix ON word(suffix);
"""
_ORDER = "kind_order, display_length, display_folded, iri"  # within a rank: what search results are ordered by


class UnknownName(LookupError):
    pass


class QueryTooLong(ValueError):
    pass


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: 'LLaVA-1.5' -> ['llava', '1', '5']."""
    folded = text.casefold()
    if not folded.isascii():  # only there can accents be
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
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


# --- writing the table ---------------------------------------------------------------------------

def _pausing(items: Iterable, every: int = 64) -> Iterator:
    """`items`, letting other threads run every `every` of them: the index may be written in a
    thread of a server, whose event loop must not wait a whole GIL switch interval (5 ms) per request."""
    for count, item in enumerate(items):
        if not count % every:
            time.sleep(0)  # releases the GIL
        yield item


def write_name_table(store: GraphStore, path: Path) -> None:
    """Write the name table of `store`'s data graph to `path` (a new file). SQLite sorts the names and
    groups them per resource; the sorted rows are then read into one list (every name of the graph
    at once, while the build's records are still held) and turned into the table's rows in batches."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                                 "CREATE TEMP TABLE said(iri TEXT, alias INTEGER, name TEXT); "
                                 "CREATE TEMP TABLE typed(iri TEXT, kind TEXT);" + _SCHEMA)
        connection.executemany("INSERT INTO said VALUES (?, ?, ?)", _pausing(
            (row["entity"].value, row["preferred"].value != "0", row["label"].value)
            for row in store.query(_NAMES_QUERY, prefixes=PREFIXES)))
        connection.executemany("INSERT INTO typed VALUES (?, ?)", _pausing(
            (row["entity"].value, _KIND_BY_CLASS[row["class"].value]) for row in store.query(_CLASSES_QUERY)))
        rows = connection.execute(
            "SELECT said.iri, alias, name, kinds FROM said LEFT JOIN "
            "(SELECT iri, group_concat(kind, ' ') AS kinds FROM typed GROUP BY iri) USING (iri) "
            "ORDER BY said.iri, alias, name").fetchall()
        connection.execute("DROP TABLE said")
        connection.execute("DROP TABLE typed")
        batch: dict[str, list[tuple]] = {table: [] for table in _INSERTS}
        for number, (iri, said) in enumerate(_pausing(groupby(rows, key=lambda row: row[0])), 1):
            _resource_rows(batch, number, iri, list(said))
            if not number % 20_000:
                _insert(connection, batch)
        _insert(connection, batch)
        del rows
        connection.executescript(_INDEXES + "ANALYZE;")
        connection.commit()
    finally:
        connection.close()


_INSERTS = {"resource": "INSERT INTO resource VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "key": "INSERT INTO key VALUES (?, ?, ?)",
            "name": "INSERT INTO name VALUES (?, ?, ?, ?)",
            "word": "INSERT INTO word VALUES (?, ?, ?, ?)"}


def _insert(connection: sqlite3.Connection, batch: dict[str, list[tuple]]) -> None:
    for table, rows in batch.items():
        connection.executemany(_INSERTS[table], rows)
        rows.clear()


def _resource_rows(batch: dict[str, list[tuple]], number: int, iri: str, said: list[tuple]) -> None:
    """The rows of one resource, from what the graph says of it: (IRI, alias?, name, its kinds) sorted."""
    names = list(dict.fromkeys(name for _, _, name, _ in said))  # labels first, then aliases, each in order
    label = names[0] if not said[0][1] else None
    local_id = iri.rsplit("/", 1)[-1]
    kinds = said[0][3]
    searchable = bool(kinds) and iri.startswith(RESOURCE_NS)
    # The most specific kind: a Benchmark, not a Dataset.
    kind = min(kinds.split(), key=_KIND_ORDER.__getitem__) if searchable else None
    batch["resource"].append((number, iri, label, names[0], kind, _KIND_ORDER.get(kind), len(names[0]),
                              names[0].casefold()))
    keys = (*names, local_id)
    batch["key"].extend((loose, exact, number) for loose, exact in {(_loose(key), _exact(key)) for key in keys})
    if not searchable:
        return
    for position, name in enumerate(dict.fromkeys(keys)):
        compact, starts = _compact(name)
        batch["name"].append((number, position, name, compact))
        batch["word"].extend((compact[start:], number, position, start) for start in (0, *starts))


# --- reading it ------------------------------------------------------------------------------------

class _Table:
    """A name table opened read-only: one connection for lookups, taken by one thread at a time."""

    def __init__(self, path: Path):
        self._uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"  # immutable: never written again
        self._connection = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def rows(self, sql: str, *parameters) -> list[tuple]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def each(self, sql: str, *parameters) -> Iterator[tuple]:
        """Rows one batch at a time, for a whole-table pass (the fuzzy match) that holds neither the
        table in memory nor the lookups' connection."""
        connection = sqlite3.connect(self._uri, uri=True)
        try:
            cursor = connection.execute(sql, parameters)
            while batch := cursor.fetchmany(1024):
                yield from batch
        finally:
            connection.close()

    def close(self) -> None:
        self._connection.close()


class _Labels(Mapping):
    """IRI -> rdfs:label of every labelled resource, read from the table as it is asked."""

    def __init__(self, index: "NameIndex"):
        self._index = index

    def __getitem__(self, iri: str) -> str:
        found = self._index._table().rows("SELECT label FROM resource WHERE iri = ? AND label IS NOT NULL", iri)
        if not found:
            raise KeyError(iri)
        return found[0][0]

    def __iter__(self) -> Iterator[str]:
        return (iri for iri, in self._index._table().each("SELECT iri FROM resource WHERE label IS NOT NULL"))

    def __len__(self) -> int:
        return self._index._table().rows("SELECT COUNT(*) FROM resource WHERE label IS NOT NULL")[0][0]


class NameIndex:
    """Every name of the store's resources; see the module documentation. `table`: the name table the
    build wrote beside the store; without one it is written to a temporary file in the background."""

    def __init__(self, store: GraphStore, kind_labels: dict[str, str] | None = None, table: Path | None = None):
        self._store = store
        self._kind_labels = kind_labels
        self._opened: _Table | None = None
        self._lock = threading.Lock()
        if table is not None and Path(table).is_file():
            self._opened = _Table(table)
            weakref.finalize(self, self._opened.close)
        else:
            threading.Thread(target=self._warm_up, name="vlmgraph-name-index", daemon=True).start()

    def _warm_up(self) -> None:
        try:
            self._table()
        except Exception:  # noqa: BLE001 - the first lookup writes it again and raises it where it can be reported
            pass

    def _table(self) -> _Table:
        if self._opened is not None:
            return self._opened
        with self._lock:
            if self._opened is None:
                folder = tempfile.mkdtemp(prefix="vlmgraph-names-")
                try:
                    write_name_table(self._store, Path(folder) / NAMES_FILE)
                    opened = _Table(Path(folder) / NAMES_FILE)
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                weakref.finalize(self, _discard, opened, folder)
                release()  # the write's peak (the sorted names) is not kept
                self._opened = opened
            return self._opened

    @property
    def labels(self) -> Mapping[str, str]:
        """IRI -> display label of every labelled resource."""
        return _Labels(self)

    @property
    def kind_labels(self) -> dict[str, str]:
        if self._kind_labels is None:
            self._kind_labels = class_labels(self._store)
        return self._kind_labels

    def __len__(self) -> int:
        """How many entities search looks through."""
        return self._table().rows("SELECT COUNT(*) FROM resource WHERE kind IS NOT NULL")[0][0]

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])

    def kind_of(self, iri: str) -> str | None:
        """The searchable entity's kind (terms.KINDS), None for anything else."""
        found = self._table().rows("SELECT kind FROM resource WHERE iri = ?", iri)
        return found[0][0] if found else None

    # --- resolving ---------------------------------------------------------------------------

    def find(self, text: str) -> list[str]:
        """Every resource whose label, alias or id is `text` (exact spelling first, then loosely)."""
        table = self._table()
        found = [iri for iri, in table.rows(
            "SELECT DISTINCT iri FROM key JOIN resource ON id = resource WHERE loose = ? ORDER BY iri", _loose(text))]
        if len(found) < 2:
            return found
        exactly = [iri for iri, in table.rows(  # several loosely: the exact spelling decides, if any
            "SELECT DISTINCT iri FROM key JOIN resource ON id = resource WHERE loose = ? AND exact = ? ORDER BY iri",
            _loose(text), _exact(text))]
        return exactly or found

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
        names = [label for label, in self._table().rows(
            "SELECT DISTINCT label FROM resource WHERE label IS NOT NULL ORDER BY label")]
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
        table = self._table()
        upper = query + _LAST_CHARACTER
        # Ranks 0-2: the word suffixes that start with the query. Each entity's best (rank, position).
        hits = table.rows(
            "WITH best AS (SELECT resource, MIN((CASE WHEN start > 0 THEN 2 WHEN suffix = ? THEN 0 ELSE 1 END)"
            f" * {_POSITIONS} + position) AS best FROM word WHERE suffix >= ? AND suffix < ? GROUP BY resource) "
            f"SELECT best / {_POSITIONS}, best % {_POSITIONS}, resource.*, name FROM best "
            "JOIN resource ON id = best.resource JOIN name ON name.resource = id AND name.position = best % "
            f"{_POSITIONS} ORDER BY best / {_POSITIONS}, best % {_POSITIONS} > 0, {_ORDER} LIMIT ?",
            query, query, upper, limit)
        if len(hits) < limit:  # rank 3: anywhere in a name, for the entities not found so far
            hits += table.rows(
                "WITH best AS (SELECT resource, MIN(position) AS position FROM name WHERE instr(compact, ?) > 0 "
                "AND resource NOT IN (SELECT resource FROM word WHERE suffix >= ? AND suffix < ?) GROUP BY resource) "
                "SELECT 3, best.position, resource.*, name FROM best JOIN resource ON id = best.resource "
                "JOIN name ON name.resource = id AND name.position = best.position "
                f"ORDER BY best.position > 0, {_ORDER} LIMIT ?", query, query, upper, limit - len(hits))
        if len(hits) < limit:
            hits += self._fuzzy(table, query, {row[2] for row in hits}, fuzzy_cutoff, limit - len(hits))
        return [self._hit(row) for row in hits]

    def _fuzzy(self, table: _Table, query: str, found: set[int], cutoff: float, limit: int) -> list[tuple]:
        """Rank 4: the entities not found so far whose name is close to the query, closest first."""
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        close: dict[int, tuple[float, int]] = {}  # resource -> (-ratio, position) of its closest name
        for resource, position, compact in table.each("SELECT resource, position, compact FROM name"):
            if resource in found:
                continue
            matcher.set_seq1(compact)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio >= cutoff and (-ratio, position) < close.get(resource, (0.0, 0)):
                close[resource] = (-ratio, position)
        order: dict[int, tuple] = {}
        candidates = list(close)
        for at in range(0, len(candidates), 500):  # SQLite takes at most 999 parameters
            chunk = candidates[at:at + 500]
            for resource, *columns in table.rows(f"SELECT id, {_ORDER} FROM resource WHERE id IN "
                                                 f"({', '.join('?' * len(chunk))})", *chunk):
                order[resource] = tuple(columns)
        # (rank 4, position > 0, -ratio, kind order, length, folded label, IRI)
        best = sorted(close, key=lambda resource: (close[resource][1] > 0, close[resource][0], order[resource]))
        return [table.rows("SELECT 4, ?, resource.*, name FROM resource JOIN name ON name.resource = id "
                           "AND name.position = ? WHERE id = ?", close[r][1], close[r][1], r)[0] for r in best[:limit]]

    def _hit(self, row: tuple) -> Hit:
        rank, _, _, iri, _, display, kind, *_, name = row
        return Hit(display, kind, self.kind_labels.get(kind, kind), iri, page_of(iri), name, RANKS[rank])


def _discard(table: _Table, folder: str) -> None:
    table.close()
    shutil.rmtree(folder, ignore_errors=True)


def _compact(name: str) -> tuple[str, tuple[int, ...]]:
    """A name's words run together, and where each word after the first starts in that string."""
    parts = words(name)
    starts, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        starts.append(at)
    return "".join(parts), tuple(starts)


__all__ = ["FUZZY_CUTOFF", "MAX_QUERY", "NAMES_FILE", "RANKS", "Hit", "NameIndex", "QueryTooLong",
           "UnknownName", "class_labels", "iri_of", "page_of", "segment_of_iri", "words", "write_name_table"]

"""Find an entity by what a person types: its label, an alias, its id or its IRI."""

from __future__ import annotations

import difflib
import re
import threading
from collections import defaultdict

from pyoxigraph import NamedNode, Store

from .vocab import DATA_GRAPH, RESOURCE_NS

_LABELS_QUERY = """
SELECT ?entity ?label ?preferred WHERE {
  GRAPH ?g {
    { ?entity rdfs:label ?label BIND(true AS ?preferred) }
    UNION
    { ?entity skos:altLabel ?label BIND(false AS ?preferred) }
  }
}
"""


DEFAULT_PREFERENCE = ("model", "dataset", "organization", "tool", "family", "paper", "concept")


def _kind(iri: str) -> str:
    """https://w3id.org/vlmgraph/resource/{kind}/{slug} -> kind."""
    return iri[len(RESOURCE_NS):].split("/", 1)[0]


class UnknownName(LookupError):
    pass


def _exact(text: str) -> str:
    return " ".join(text.casefold().split())


def _loose(text: str) -> str:
    """'LLaVA 1.5', 'llava-1.5' and 'LLaVA_1.5' meet here."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


class _Index:
    """Every label, alias and id of the store's entities, normalized two ways."""

    def __init__(self, store: Store):
        from .vocab import PREFIXES

        self.labels: dict[str, str] = {}  # IRI -> display label
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.loose: dict[str, set[str]] = defaultdict(set)
        rows = store.query(_LABELS_QUERY, prefixes=PREFIXES, named_graphs=[DATA_GRAPH])
        for row in rows:
            iri, label = row["entity"].value, row["label"].value
            if row["preferred"].value == "true":
                self.labels[iri] = label
            for key in (label, iri.rsplit("/", 1)[-1]):
                self.exact[_exact(key)].add(iri)
                self.loose[_loose(key)].add(iri)


class NameResolver:
    """Looks names up in an index of the store's labels, built once.

    The index takes seconds on a large graph (4 s for 219,000 entities), so it is built in a
    background thread from the moment the resolver exists: a server starting up answers SPARQL
    meanwhile, and the first lookup waits only for what is left. The store is read-only, so
    the index never goes stale.
    """

    def __init__(self, store: Store):
        self._store = store
        self._index: _Index | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._warm_up, name="vlmgraph-name-index", daemon=True).start()

    def _warm_up(self) -> None:
        try:
            self._built()
        except Exception:  # noqa: BLE001 - the first lookup builds again and raises it where it can be reported
            pass

    def _built(self) -> _Index:
        with self._lock:
            if self._index is None:
                self._index = _Index(self._store)
            return self._index

    @property
    def labels(self) -> dict[str, str]:
        """IRI -> display label of every entity."""
        return self._built().labels

    @property
    def _exact(self) -> dict[str, set[str]]:
        return self._built().exact

    @property
    def _loose(self) -> dict[str, set[str]]:
        return self._built().loose

    def find(self, text: str) -> list[str]:
        """Every entity whose label, alias or id is `text` (exact spelling first, then loosely)."""
        for index, key in ((self._exact, _exact(text)), (self._loose, _loose(text))):
            found = index.get(key)
            if found:
                return sorted(found)
        return []

    def resolve(self, text: str, prefer: tuple[str, ...] = DEFAULT_PREFERENCE) -> NamedNode:
        """The one entity `text` names; UnknownName with suggestions otherwise.

        When a name fits several entities of different kinds (the CLIP model and the CLIP
        family), `prefer` — resource kinds in order — decides; a tie within a kind is an error.
        """
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text.startswith(RESOURCE_NS) or text.startswith("res:"):
            iri = RESOURCE_NS + text[4:] if text.startswith("res:") else text
            if iri in self.labels:
                return NamedNode(iri)
            raise UnknownName(f"no entity with IRI <{iri}>")
        found = self.find(text)
        if not found:
            raise UnknownName(f"no entity named {text!r}{self._suggest(text)}")
        for kind in prefer:
            of_kind = [iri for iri in found if _kind(iri) == kind]
            if len(of_kind) == 1:
                return NamedNode(of_kind[0])
            if of_kind:
                found = of_kind
                break
        if len(found) == 1:
            return NamedNode(found[0])
        choices = ", ".join(f"{self.labels.get(i, i)} <{i}>" for i in found)
        raise UnknownName(f"{text!r} names several entities: {choices}")

    def _suggest(self, text: str) -> str:
        names = sorted(set(self.labels.values()))
        close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
        if not close:
            folded = {name.casefold(): name for name in names}
            close = [folded[m] for m in difflib.get_close_matches(text.casefold(), list(folded), n=3, cutoff=0.5)]
        return f" (did you mean {', '.join(close)}?)" if close else ""

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])

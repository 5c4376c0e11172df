"""The one way importers turn a name into graph entities.

`EntityLookup.lookup(name)` answers with the IRIs of every entity the name may mean: a Hugging
Face repository id, a label, an alias, an id. Importers depend on this protocol only, so the
implementation can move to another name index without touching them.
"""

from __future__ import annotations

import re
from typing import Protocol

from ..graph_store import GraphStore
from ..names import NameIndex
from ..vocab import DATA_GRAPH, RESOURCE_NS, VLM

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


class EntityLookup(Protocol):
    def lookup(self, name: str) -> list[str]:
        """IRIs of the entities `name` may mean, best key first; [] when none."""
        ...


def entity_id(iri: str) -> str:
    """https://w3id.org/vlmgraph/resource/model/llava-1.5 -> model/llava-1.5 (what reports show)."""
    return iri[len(RESOURCE_NS):] if iri.startswith(RESOURCE_NS) else iri


class StoreLookup:
    """EntityLookup over a store: Hub repository ids first, then labels, aliases and ids.

    A repository id ("liuhaotian/llava-v1.5-7b") is matched against the entities'
    `huggingface` ids; failing that, its name part is looked up like any other name, since
    curators often record "llava-v1.5-7b" as an alias.
    """

    def __init__(self, store: GraphStore, resolver: NameIndex | None = None):
        self._resolver = resolver or NameIndex(store)
        self._hub: dict[str, set[str]] = {}
        for quad in store.quads_for_pattern(None, VLM.huggingFaceRepository, None, DATA_GRAPH):
            self._hub.setdefault(quad.object.value.casefold(), set()).add(quad.subject.value)

    def lookup(self, name: str) -> list[str]:
        name = " ".join(name.split())
        if not name:
            return []
        if name.startswith(RESOURCE_NS):
            return [name] if name in self._resolver.labels else []
        if _REPO_ID.match(name):
            found = self._hub.get(name.casefold())
            if found:
                return sorted(found)
            return self._resolver.find(name) or self._resolver.find(name.split("/", 1)[1])
        return self._resolver.find(name)

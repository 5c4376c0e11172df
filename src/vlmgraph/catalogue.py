"""The served graph: one object that holds what every reader of the graph needs.

A ``Catalogue`` is the store (any ``GraphStore``: the embedded pyoxigraph store today, a remote
SPARQL endpoint as well), its statistics, the named queries and the one name index. The CLI
makes one with ``Catalogue.open``; the web app makes one at start-up and hands it to every
handler through a FastAPI dependency. What is costly and not always needed — the name index,
the whole-graph lineage projection, the ontology's class labels — is built on first use, once.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping

import networkx as nx

from .execution import QueryError, execute
from .graph_store import GraphStore, is_remote
from .names import NAMES_FILE, NameIndex
from .queries import NamedQuery, named_queries, run_named
from .statistics import graph_statistics
from .store import build, open_store, saved_statistics


@dataclass
class Catalogue:
    store: GraphStore
    queries: dict[str, NamedQuery]
    statistics_source: Callable[[], dict | None] = field(default=lambda: None, repr=False)
    location: str = ""  # where the store is: a folder, or an endpoint URL
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, location: Path | str, *, data: Path | None = None, ontology: Path | None = None,
             query_dir: Path | None = None, progress: Callable[[str], None] | None = None,
             timeout: float = 30.0, max_response_bytes: int = 1_000_000_000) -> "Catalogue":
        """The graph at `location`: a SPARQL endpoint URL (a server holding what `vlmgraph publish`
        uploaded), or a store folder, built (or rebuilt, when they changed) from `data` first when a
        records folder is given. ProblemsFound when there is no store or a record is broken."""
        if is_remote(str(location)):
            from .remote_store import open_remote

            store = open_remote(str(location), timeout=timeout, max_response_bytes=max_response_bytes)
            return cls(store, named_queries(query_dir), location=str(location))
        if data is not None:
            build(data, location, ontology, progress=progress)
        store = open_store(location)
        return cls(store, named_queries(query_dir), lambda: saved_statistics(location), str(location))

    @property
    def remote(self) -> bool:
        return is_remote(self.location)

    def runner(self, workers: int, timeout: float):
        """What answers the endpoint's protocol requests (awaitable `start()`, `run(job)`, `close()`):
        the killable query process over the embedded store, or the remote server itself."""
        from .query_workers import QueryWorkers, ThreadedRunner

        if self.remote:
            return ThreadedRunner(self.store)
        from .store import DATABASE

        return QueryWorkers(Path(self.location) / DATABASE, workers, timeout)

    @cached_property
    def names(self) -> NameIndex:
        """Resolve and search names: the table the build wrote beside an embedded store; for a remote
        one, written in the background from the first time it is asked for."""
        return NameIndex(self.store, table=None if self.remote else Path(self.location) / NAMES_FILE)

    @property
    def kind_labels(self) -> dict[str, str]:
        """Entity kind -> the ontology's label of its class; read once (by the name index, which shows them
        in search hits) and cheap, so a page need not wait for the names."""
        return self.names.kind_labels

    @cached_property
    def statistics(self) -> dict:
        """Counts for the service description: saved by the build when there is one, else computed."""
        return self.statistics_source() or graph_statistics(self.store)

    def lineage_graph(self) -> nx.MultiDiGraph:
        """The typed projection of the whole graph (see lineage.lineage_graph), built once: the store is
        read-only. A lock keeps two first callers from building it twice."""
        from .lineage import lineage_graph

        with self._lock:
            graph = self.__dict__.get("_lineage_graph")
            if graph is None:
                graph = self.__dict__["_lineage_graph"] = lineage_graph(self.store, names=self.names)
            return graph

    def query(self, sparql: str):
        """Run SPARQL over the union of the graphs, vlmgraph prefixes predefined."""
        return execute(self.store, sparql)

    def named(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self.queries), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            raise QueryError(f"no query named {name!r}; {hint}`vlmgraph queries` lists them") from None

    def run_named(self, query: NamedQuery | str, values: Mapping[str, str],
                  notice: Callable[[str], None] | None = None):
        """Run a named query (or one given by name) with its parameters bound, names resolved here;
        `notice` hears of names that stood for an entity spelled otherwise."""
        named = self.named(query) if isinstance(query, str) else query
        return run_named(self.store, named, values, self.names, notice)

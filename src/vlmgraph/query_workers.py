"""Run SPARQL in worker processes, so a runaway query can be stopped for real.

pyoxigraph evaluates a query inside one native call that Python cannot interrupt; a thread
with a timeout would leave it burning a core. Each worker is a process holding the store
open read-only; a query past the time limit gets its worker killed and replaced. Results
are serialized by pyoxigraph inside the worker and come back as bytes.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import QueryBoolean, QuerySolutions, Store

from .formats import UnknownFormat, find, serialize_results
from .execution import dataset, syntax_error_message
from .vocab import PREFIXES


class QueryTimeout(Exception):
    pass


class QueryRejected(Exception):
    """The query cannot run: syntax error, result too large… The message says which."""


@dataclass
class QueryJob:
    query: str
    format: str  # a format's name (formats.FORMATS); which kind depends on the query
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_bytes: int = 100_000_000
    base_iri: str | None = None  # relative IRIs in the query resolve against the endpoint's URL


class _TooLarge(Exception):
    pass


class _BoundedBuffer:
    """A write target that refuses to grow past a limit, which also stops the lazy evaluation."""

    def __init__(self, limit: int):
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def answer(store: Store, job: QueryJob) -> tuple[str, object]:
    """('ok', bytes) or ('rejected', message). Runs inside a worker (or in tests, directly)."""
    try:
        graphs = dataset(job.query, job.default_graphs, job.named_graphs)
        outcome = store.query(job.query, prefixes=PREFIXES, base_iri=job.base_iri, **graphs)
        buffer = _BoundedBuffer(job.max_bytes)
        try:
            fmt = find(job.format, "results" if isinstance(outcome, (QuerySolutions, QueryBoolean)) else "graph")
        except UnknownFormat:
            return "rejected", f"format {job.format!r} does not fit this kind of query"
        serialize_results(outcome, fmt, buffer)
        return "ok", b"".join(buffer.parts)
    except SyntaxError as exc:
        return "rejected", syntax_error_message(exc)
    except _TooLarge:
        return "rejected", f"the result is larger than {job.max_bytes:,} bytes; add a LIMIT"
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return "rejected", f"query failed: {exc}"


def _worker_main(store_path: str, connection) -> None:
    store = Store.read_only(store_path)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, job)
        except Exception as exc:  # a bug must not kill the worker; the client gets a message
            reply = ("rejected", f"internal error: {type(exc).__name__}: {exc}")
        connection.send(reply)


class QueryWorkers:
    """A fixed pool of worker processes over one store folder."""

    def __init__(self, database: Path, size: int = 3, timeout: float = 10.0):
        self.database = str(database)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        for worker in [self._spawn() for _ in range(size)]:
            self._idle.put(worker)

    def _spawn(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self.database, child), daemon=True)
        process.start()
        child.close()
        with self._lock:
            self._all.append(process)
        return process, parent

    def _replace(self, worker) -> None:
        process, connection = worker
        process.kill()
        process.join(5)
        connection.close()
        with self._lock:
            if process in self._all:
                self._all.remove(process)
        self._idle.put(self._spawn())

    def run(self, job: QueryJob) -> bytes:
        """Blocking: run a job within the time limit (waiting for a free worker counts)."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"all query workers stayed busy for {self.timeout:g} s") from None
        process, connection = worker
        try:
            connection.send(job)
            if not connection.poll(self.timeout):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped")
            status, payload = connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryRejected("the query stopped its worker; it was not answered") from None
        self._idle.put(worker)
        if status != "ok":
            raise QueryRejected(str(payload))
        return payload

    def close(self) -> None:
        with self._lock:
            processes = list(self._all)
            self._all.clear()
        for process in processes:
            process.kill()
            process.join(5)

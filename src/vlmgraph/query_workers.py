"""Run the endpoint's SPARQL in one query process, so a runaway query can be stopped for real.

pyoxigraph evaluates a query inside native calls that Python cannot interrupt: its Python API
has no cancellation, and ORDER BY or an aggregate does all its work inside the one call that
starts the query. A thread with a time limit would leave such a query burning a core. So the
endpoint's queries run in one separate process, started with the server, that holds the store
open read-only and answers each query on a thread of its own — pyoxigraph releases the GIL
while it evaluates and serializes, so they run side by side on as many cores. Results are
serialized by pyoxigraph in that process, within the size limit, and come back as bytes.

The server talks to it over a Unix socket per query slot, from its event loop: a frame per
query, a frame per answer, no thread in between and nothing that blocks the loop (each slot's
thread in the query process waits on its own socket). A query past the time limit
gets the process killed, which frees its CPU at once; a new process starts, and the queries
that were running beside the runaway are sent to it again, so they are still answered (within
their own time limits). One process, not one per query slot: the store's caches are held once.

    python -m vlmgraph.query_workers STORE_FOLDER FD,FD,…   (started by QueryWorkers: a socket per slot)
"""

from __future__ import annotations

import asyncio
import marshal
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import QueryBoolean, QuerySolutions, Store

from .execution import dataset, syntax_error_message
from .formats import UnknownFormat, find, serialize_results
from .memory import release
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
    dataset_clause: bool | None = None  # FROM / FROM NAMED in the text, when the caller scanned it already

    def encode(self) -> bytes:
        return marshal.dumps((self.query, self.format, list(self.default_graphs), list(self.named_graphs),
                              self.max_bytes, self.base_iri, self.dataset_clause))


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


def _evaluate(store, job: QueryJob) -> tuple[str, object]:
    """('ok', [bytes, …]) or ('rejected', message)."""
    try:
        graphs = dataset(job.query, job.default_graphs, job.named_graphs, dataset_clause=job.dataset_clause)
        outcome = store.query(job.query, prefixes=PREFIXES, base_iri=job.base_iri, **graphs)
        buffer = _BoundedBuffer(job.max_bytes)
        try:
            fmt = _format(job.format, "results" if isinstance(outcome, (QuerySolutions, QueryBoolean)) else "graph")
        except UnknownFormat:
            return "rejected", f"format {job.format!r} does not fit this kind of query"
        serialize_results(outcome, fmt, buffer)
        return "ok", buffer.parts
    except SyntaxError as exc:
        return "rejected", syntax_error_message(exc)
    except _TooLarge:
        return "rejected", f"the result is larger than {job.max_bytes:,} bytes; add a LIMIT"
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return "rejected", f"query failed: {exc}"


def answer(store, job: QueryJob) -> tuple[str, object]:
    """('ok', bytes) or ('rejected', message), on any GraphStore (the query process's, a remote one)."""
    status, payload = _evaluate(store, job)
    return (status, b"".join(payload)) if status == "ok" else (status, payload)


# -- the wire: one stream socket per query slot, little-endian frames -------------------------------
_JOB = struct.Struct("<I")  # payload size; the payload is QueryJob.encode()
_REPLY = struct.Struct("<IB")  # payload size, status; the payload is the answer or a message
_OK, _REJECTED = 0, 1
_TRIM_AFTER_S = 0.05  # after a query that took this much CPU, give freed heap back (memory.release)


_FORMATS: dict[tuple[str, str], object] = {}


def _format(name: str, kind: str):
    if (name, kind) not in _FORMATS:
        _FORMATS[name, kind] = find(name, kind)
    return _FORMATS[name, kind]


def _serve(store_path: str, fds: list[int]) -> None:
    """The query process: one thread per slot socket, each answering the jobs sent on its socket."""
    store = Store.read_only(store_path)

    def work(fd: int) -> None:
        channel = socket.socket(fileno=fd)
        reader = channel.makefile("rb")
        while True:
            header = reader.read(_JOB.size)
            if len(header) < _JOB.size:
                os._exit(0)  # the server closed its end: stop, whatever the other threads are doing
            job = QueryJob(*marshal.loads(reader.read(_JOB.unpack(header)[0])))
            began = time.thread_time()
            try:
                status, payload = _evaluate(store, job)
            except Exception as exc:  # a bug must not stop the process; the client gets a message
                status, payload = "rejected", f"internal error: {type(exc).__name__}: {exc}"
            parts = payload if status == "ok" else [str(payload).encode()]
            header = _REPLY.pack(sum(map(len, parts)), _OK if status == "ok" else _REJECTED)
            try:
                if len(parts) < 64:  # one write, so the server wakes once
                    sent = channel.sendmsg([header, *parts])
                    if sent < len(header) + sum(map(len, parts)):  # cut short (a signal): send the rest
                        channel.sendall(b"".join([header, *parts])[sent:])
                else:
                    channel.sendall(header)
                    for part in parts:
                        channel.sendall(part)
            except OSError:  # the server is gone
                os._exit(0)
            del payload, parts
            if time.thread_time() - began > _TRIM_AFTER_S:  # a large query may have left the heap large
                release()

    for fd in fds[1:]:
        threading.Thread(target=work, args=(fd,), daemon=True).start()
    work(fds[0])


# -- the server's side ----------------------------------------------------------------------------
class _Lost(Exception):
    """The query process ended before answering: killed for another query's time limit, or not."""

    def __init__(self, killed: bool):
        super().__init__("killed" if killed else "ended")
        self.killed = killed


class _Expired(Exception):
    """The job's time limit passed."""


class _Slot(asyncio.Protocol):
    """The server's end of one slot socket of a query process: one job at a time."""

    def __init__(self, process: "_Process"):
        self.process = process
        self.future: asyncio.Future | None = None
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if len(buffer) < _REPLY.size:
            return
        size, status = _REPLY.unpack_from(buffer)
        if len(buffer) < _REPLY.size + size:
            return
        payload = bytes(memoryview(buffer)[_REPLY.size:_REPLY.size + size])
        buffer.clear()
        future, self.future = self.future, None
        if future is not None and not future.done():
            future.set_result((status, payload))

    def connection_lost(self, exc) -> None:
        self.process.lose()
        future, self.future = self.future, None
        if future is not None and not future.done():
            future.set_exception(_Lost(self.process.killed))

    def submit(self, body: bytes) -> asyncio.Future:
        self.buffer.clear()
        self.future = asyncio.get_running_loop().create_future()
        self.transport.write(_JOB.pack(len(body)) + body)
        return self.future


class _Process:
    """A query process and its slots; a slot is free when no job of the server's holds it."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.slots: list[_Slot] = []
        self.free: list[_Slot] = []
        self.killed = False
        self.lost = False

    def lose(self) -> None:
        """One of its sockets closed: the process ended (or is ending) on its own."""
        if not self.lost:
            self.kill(killed=False)

    def kill(self, killed: bool = True) -> None:
        """Stop it; `killed`: for another query's time limit, so its other queries may run again."""
        self.killed = self.killed or killed
        self.lost = True
        try:
            self.process.kill()  # SIGKILL: the native call stops with the process
        except OSError:
            pass
        for slot in self.slots:
            if slot.transport is not None:
                slot.transport.abort()


def _launch(database: str, slots: int) -> tuple[subprocess.Popen, list[socket.socket]]:
    """Start a query process (blocking: fork and exec, run off the event loop)."""
    pairs = [socket.socketpair() for _ in range(slots)]
    package_root = str(Path(__file__).resolve().parents[1])  # the same vlmgraph as the server's
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    fds = [theirs.fileno() for _, theirs in pairs]
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "vlmgraph.query_workers", database, ",".join(map(str, fds))],
            pass_fds=fds, stdin=subprocess.DEVNULL, env=env)
    except BaseException:
        for ours, _ in pairs:
            ours.close()
        raise
    finally:
        for _, theirs in pairs:
            theirs.close()
    return process, [ours for ours, _ in pairs]


class QueryWorkers:
    """The endpoint's query process over one store folder: at most `size` queries at once, each
    stopped at `timeout` seconds (waiting for a free slot counts). Use from one event loop."""

    def __init__(self, database: Path, size: int = 3, timeout: float = 10.0):
        self.database = str(database)
        self.size = max(1, size)
        self.timeout = timeout
        self._slots = asyncio.Semaphore(self.size)
        self._current: _Process | None = None
        self._starting: asyncio.Task | None = None
        self._closed = False
        self.resent = 0  # queries sent again because their process was stopped for another's runaway

    async def start(self) -> None:
        """Start the query process now (at the server's start), so the first query need not wait."""
        self._ensure_starting()

    def _ensure_starting(self) -> asyncio.Task:
        if self._starting is None or (self._starting.done() and (
                self._starting.cancelled() or self._starting.exception() is not None or self._current is None)):
            self._starting = asyncio.get_running_loop().create_task(self._start_process())
        return self._starting

    async def _start_process(self) -> _Process:
        loop = asyncio.get_running_loop()
        popen, sockets = await loop.run_in_executor(None, _launch, self.database, self.size)
        process = _Process(popen)
        try:
            for sock in sockets:
                _, slot = await loop.create_unix_connection(lambda: _Slot(process), sock=sock)
                process.slots.append(slot)
        except BaseException:
            process.kill()
            for sock in sockets:
                sock.close()
            raise
        process.free = list(process.slots)
        threading.Thread(target=popen.wait, daemon=True).start()  # reaped whenever it ends
        if self._closed:
            process.kill()
            raise QueryTimeout("the endpoint is shutting down")
        self._current = process
        return process

    async def _process(self, deadline: float) -> _Process:
        process = self._current
        if process is not None and not process.lost:
            return process
        if self._closed:
            raise QueryTimeout("the endpoint is shutting down")
        self._current = None
        starting = self._ensure_starting()
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(asyncio.shield(starting), max(remaining, 0))
        except asyncio.TimeoutError:
            raise QueryTimeout(f"the query process did not start within the {self.timeout:g} s limit") from None
        except OSError as exc:
            raise QueryTimeout(f"the query process could not start: {exc}") from None

    def _stop(self, process: _Process) -> None:
        """Kill a query process (its other queries are sent again) and start the next one now."""
        if self._current is process:
            self._current = None
        process.kill()
        if not self._closed:
            self._ensure_starting()

    async def run(self, job: QueryJob) -> bytes:
        """The serialized answer within the time limit; QueryTimeout or QueryRejected otherwise.

        A slot (and its share of `size`) is held from the moment the job is sent until the query
        process answers it or the process is gone — even when the request that sent it is
        cancelled meanwhile, so the job's time limit still applies and no later job reads its answer.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        body = job.encode()
        crashes = 0
        while True:
            future = await self._submit(body, deadline)
            try:
                status, payload = await asyncio.shield(future)
            except _Expired:
                raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped") from None
            except _Lost as lost:
                if lost.killed:  # stopped with another query that ran past its limit: run it again
                    self.resent += 1
                    continue
                crashes += 1  # the process died under it, perhaps of this very query
                if crashes >= 2:
                    raise QueryRejected("the query stopped its worker; it was not answered") from None
                continue
            if status == _OK:
                return payload
            raise QueryRejected(payload.decode())

    async def _submit(self, body: bytes, deadline: float) -> asyncio.Future:
        """Send a job on a free slot of the current process; its future ends with the answer."""
        loop = asyncio.get_running_loop()
        if self._slots.locked():
            try:
                await asyncio.wait_for(self._slots.acquire(), max(deadline - loop.time(), 0))
            except asyncio.TimeoutError:
                raise QueryTimeout(f"all query slots stayed busy for {self.timeout:g} s") from None
        else:
            await self._slots.acquire()  # free: returns at once
        try:
            process = await self._process(deadline)
        except BaseException:
            self._slots.release()
            raise
        slot = process.free.pop()  # there is one: each share of the semaphore holds at most one slot
        future = slot.submit(body)
        expiry = loop.call_at(deadline, self._expire, process, future)

        def finished(_: asyncio.Future) -> None:
            expiry.cancel()
            if not future.cancelled():
                future.exception()  # an abandoned job's end is not an error "never retrieved"
            if not process.lost:
                process.free.append(slot)
            self._slots.release()

        future.add_done_callback(finished)
        return future

    def _expire(self, process: _Process, future: asyncio.Future) -> None:
        """The job's time limit passed: stop its process (the CPU is freed at once)."""
        if not future.done():
            future.set_exception(_Expired())
            self._stop(process)

    async def close(self) -> None:
        self._closed = True
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        if self._current is not None:
            self._current.kill()
            self._current = None


class ThreadedRunner:
    """Protocol requests for a store whose `answer(job)` blocks (a remote store: the server runs
    the queries and keeps its own limits), answered on threads off the event loop."""

    def __init__(self, store):
        self.store = store

    async def start(self) -> None:
        pass

    async def run(self, job: QueryJob) -> bytes:
        return await asyncio.to_thread(self.store.answer, job)

    async def close(self) -> None:
        pass


if __name__ == "__main__":
    _serve(sys.argv[1], [int(fd) for fd in sys.argv[2].split(",")])

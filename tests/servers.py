"""Real SPARQL servers for the remote-store tests: each on free loopback ports with a database in
a temporary folder, and always stopped — at the end of the session, on a failure, and (through
the kernel's parent-death signal) even when pytest itself is killed.

Virtuoso is Debian's ``virtuoso-opensource`` (``virtuoso-t``), Oxigraph server the ``oxigraph``
command of the ``oxigraph`` package on PyPI; ``scripts/test.sh`` installs both. A test is skipped
only when the server program is not installed at all.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest


@dataclass(frozen=True)
class Server:
    name: str
    query: str  # the SPARQL query endpoint, anonymous
    update: str  # the SPARQL Update endpoint
    gsp: str  # the Graph Store Protocol endpoint
    auth: str | None  # USER:PASSWORD that update and gsp ask for
    root: str  # the server's base URL: answers, but not as SPARQL

    def publish_args(self, *, gsp: bool = False) -> list[str]:
        args = ["--endpoint", self.query, "--update", self.update]
        if gsp:
            args += ["--gsp", self.gsp]
        return args + (["--auth", self.auth] if self.auth else [])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL it when the test process dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@contextmanager
def running(command: list[str], ready_url: str, log: Path, startup: float) -> Iterator[subprocess.Popen]:
    """Start a server, wait until ready_url answers, and stop it whatever happens."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=log.parent,
                                   preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with status {process.returncode}: "
                                   f"{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(ready_url, timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not answer at {ready_url} within {startup:g} s: "
                                   f"{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def oxigraph_command() -> str | None:
    """The `oxigraph` command beside this Python (the venv) or on the PATH."""
    return shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    command = oxigraph_command()
    if command is None:
        pytest.skip("the oxigraph command is not installed (pip install oxigraph; scripts/test.sh does)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (folder / "db").mkdir(parents=True)
    with running([command, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                 f"{base}/query?query=ASK%7B%7D", folder / "oxigraph.log", startup=30):
        yield Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", None, f"{base}/")


# Only what differs from Virtuoso's defaults: every path in the temporary folder, loopback ports,
# and result limits high enough that no answer of the test catalogue is cut.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(folder: Path, max_rows: int = 1_000_000, buffers: int = 10_000) -> Iterator[Server]:
    """A fresh Virtuoso database: user dba, password dba. Anonymous /sparql reads; updates go to
    /sparql-auth and the Graph Store Protocol to /sparql-graph-crud-auth, both with Digest."""
    command = shutil.which("virtuoso-t")
    if command is None:
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource; scripts/test.sh does)")
    http_port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=http_port, max_rows=max_rows,
                                        buffers=buffers, dirty_buffers=buffers * 3 // 5))
    base = f"http://127.0.0.1:{http_port}"
    # A new database takes ~15 s to create its system tables before the HTTP server answers.
    with running([command, "-f", "-c", str(ini)], f"{base}/sparql?query=ASK%7B%7D", folder / "server.log",
                 startup=120):
        yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                     "dba:dba", f"{base}/")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory) -> Iterator[Server]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Iterator[Server]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def server(request) -> Server:
    """Each test taking `server` runs once per server."""
    return request.getfixturevalue(request.param)

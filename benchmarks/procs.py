"""Child processes for the harness: start, wait until they answer, measure their memory, stop.

Memory comes from /proc (Linux), so no dependency is needed: PSS ("proportional set size")
counts a page shared by several processes once in total, which is the honest number for a
server made of several processes that share libraries and the store's files. Peak RSS of a
finished child comes from wait4(), which reports that child's own high-water mark.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A port nobody listens on now (another server on the machine must not answer our requests)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def _field_kb(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_mb(pid: int) -> dict:
    """PSS now and the sum of each process's peak RSS, over a process and all its descendants."""
    pids = process_tree(pid)
    return {
        "processes": len(pids),
        "pss_mb": round(sum(_field_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids) / 1024, 1),
        "peak_rss_sum_mb": round(sum(_field_kb(f"/proc/{p}/status", "VmHWM") for p in pids) / 1024, 1),
    }


def run_measured(command: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """Run a command to its end: wall seconds and the child's peak RSS (from wait4, not polling)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # files: a full pipe would block it
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)  # reaps the child itself, so its rusage is its own
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stdout": stdout, "stderr": stderr}


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str  # the SPARQL endpoint
    started: float  # perf_counter at Popen
    log: Path

    def stop(self) -> None:
        """SIGTERM to the whole process group (workers included), SIGKILL if it lingers: a server
        stuck in a query it cannot interrupt would otherwise wait for it to end."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
            except ProcessLookupError:
                pass


def start_server(name: str, command: list[str], url: str, log: Path, env: dict | None = None) -> Server:
    handle = log.open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)  # its own process group: stop() ends its workers too
    return Server(name, process, url, started, log)


def wait_until_answering(server: Server, probe_query: str, deadline_s: float) -> float:
    """Seconds from process start to the first successful SPARQL answer; polls every 10 ms."""
    target = server.url + "?" + urllib.parse.urlencode({"query": probe_query})
    limit = server.started + deadline_s
    while time.perf_counter() < limit:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited ({server.process.returncode}); see {server.log}")
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    target, headers={"Accept": "application/sparql-results+json"}), timeout=5) as reply:
                reply.read()
                if reply.status == 200:
                    return time.perf_counter() - server.started
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{server.name} did not answer within {deadline_s:g} s; see {server.log}")

"""A regular (non-editable) install works anywhere: the wheel carries the ontology, the named
queries and the catalogue, and run outside a checkout vlmgraph keeps its store in the user's cache."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh virtual environment with the wheel installed (its dependencies are this
    interpreter's, reached through a .pth line, so the test downloads nothing but the build backend)."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((root / "dist").glob("vlmgraph-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "vlmgraph-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True)
    home = root / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": ""}
    return {"venv": venv, "env": env, "home": home, "root": root}


def _run(installed, *args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["venv"] / "bin" / "vlmgraph"), *args], cwd=cwd, env=installed["env"],
                          capture_output=True, text=True, timeout=300)


def test_the_installed_command_answers_from_an_empty_folder(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(installed, "query", "lineage", "--param", "model=LLaVA-1.5", cwd=empty)
    assert result.returncode == 0, result.stderr
    assert "Vicuna v1.5" in result.stdout and "Llama 2" in result.stdout
    assert list(empty.iterdir()) == []  # nothing written where the user stands
    stores = list((installed["home"] / "cache" / "vlmgraph").glob("store-*/oxigraph"))
    assert len(stores) == 1
    imported = subprocess.run([str(installed["venv"] / "bin" / "python"), "-c",
                               "import vlmgraph; print(vlmgraph.__file__); print(len(vlmgraph.load()))"],
                              cwd=empty, env=installed["env"], capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr
    where, triples = imported.stdout.split()
    assert str(installed["venv"]) in where and int(triples) > 5_000


def test_bad_user_files_give_one_line_not_a_traceback(installed, tmp_path):
    result = _run(installed, "query", "lineage", "--data", str(tmp_path / "missing"), cwd=tmp_path)
    assert result.returncode == 1
    assert "data folder not found" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2

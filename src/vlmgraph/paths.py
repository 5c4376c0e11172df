"""Where vlmgraph finds its inputs and keeps its store, in a checkout and in an installed wheel.

A checkout has ``ontology/``, ``queries/`` and ``data/`` at its top level; a wheel ships the same
folders inside the package (``vlmgraph/ontology``…). Run in a folder with a ``data/`` of records,
the commands use it and keep the store in ``build/`` beside it, as before. Run anywhere else — a
notebook in a subfolder, a fresh virtual environment — they use the shipped catalogue and keep
its store in the user's cache folder (platformdirs), so nothing is written into the current folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parents[1]  # src/vlmgraph -> the repository, when running from a checkout


def shipped(name: str) -> Path:
    """A folder the project ships (ontology, queries, data): the checkout's, else the package's copy."""
    for candidate in (_CHECKOUT / name, PACKAGE_DIR / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR / name


def default_data_dir() -> Path:
    """./data when the current folder has one, else the catalogue shipped with vlmgraph."""
    local = Path("data")
    return local if local.is_dir() else shipped("data")


def default_store_dir(data_dir: Path) -> Path:
    """./build for ./data (as in a checkout); otherwise a folder in the user's cache, one per records folder."""
    if Path(data_dir) == Path("data"):
        return Path("build")
    key = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("vlmgraph")) / f"store-{key}"

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
# The repository, when running from a checkout (src/vlmgraph in a folder with the project's pyproject.toml).
_CHECKOUT = PACKAGE_DIR.parents[1] if PACKAGE_DIR.parent.name == "src" \
    and (PACKAGE_DIR.parents[1] / "pyproject.toml").is_file() else None


def shipped(name: str) -> Path:
    """A folder the project ships (ontology, queries, data): the checkout's, else the package's copy."""
    if _CHECKOUT is not None and (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name
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

"""The persistent store: build it atomically from records + ontology, reuse it while inputs are unchanged.

Layout of a store folder (default ``build/``)::

    build/oxigraph/     the pyoxigraph (RocksDB) database
    build/names.sqlite  the name index (names.py): resolving and searching what people type
    build/build.json    fingerprint of the inputs and counts, written last

A build goes to a sibling temporary folder and replaces the old one only when complete,
so a failed or interrupted build leaves the previous store usable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from pyoxigraph import Quad, RdfFormat, Store, parse, serialize

from ._version import __version__
from .paths import PACKAGE_DIR, shipped
from .problems import Problem, ProblemsFound
from .vocab import DATA_GRAPH, ONTOLOGY_GRAPH, PREFIXES

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .catalog import Catalog

# What reads records (the record models, the loader, the integrity rules, the statistics) is imported
# by the functions that build: opening a built store — `serve`, `query`, every command after the
# first — needs none of it, and importing it was a large part of each command's start.

DEFAULT_ONTOLOGY_DIR = shipped("ontology")
ONTOLOGY_FILE = "vlmgraph.ttl"
SHAPES_FILE = "shapes.ttl"
BUILD_INFO = "build.json"
DATABASE = "oxigraph"
# Code whose change must invalidate a store built by an older version of it.
_CODE_FILES = ("records.py", "loader.py", "vocab.py", "aggregates.py", "names.py")
# Triples handed to the store at a time. The bulk loader sorts each batch in memory before
# writing it; batches of this size bound that memory at no cost in speed (benchmarks/run.py
# measures the build's time and peak memory).
LOAD_BATCH = 200_000


@dataclass(frozen=True)
class BuildInfo:
    fingerprint: str
    triples: int
    data_triples: int
    records: int
    files: int
    reused: bool = False


def ontology_path(ontology_dir: Path | None = None) -> Path:
    return Path(ontology_dir or DEFAULT_ONTOLOGY_DIR) / ONTOLOGY_FILE


def shapes_path(ontology_dir: Path | None = None) -> Path:
    return Path(ontology_dir or DEFAULT_ONTOLOGY_DIR) / SHAPES_FILE


def fingerprint(data_dir: Path, ontology_dir: Path | None = None) -> str:
    """Changes whenever an input file or the code that turns it into triples changes.

    File sizes and modification times stand in for contents: reading every record
    again just to decide whether to rebuild would cost as much as parsing them.
    """
    from .catalog import data_files

    digest = hashlib.sha256(f"vlmgraph {__version__}\n".encode())
    for name in _CODE_FILES:
        digest.update(hashlib.sha256((PACKAGE_DIR / name).read_bytes()).digest())
    inputs = data_files(Path(data_dir)) + [ontology_path(ontology_dir)]
    for path in inputs:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def read_build_info(store_dir: Path) -> dict | None:
    try:
        return json.loads((Path(store_dir) / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return None


def load_catalog(data_dir: Path, each_file: Callable | None = None) -> Catalog:
    """Read records and refuse to go on when any is broken: a graph is built only from clean records.

    each_file is read_catalog's: it sees each file as soon as it is read."""
    from .catalog import read_catalog
    from .integrity import check_integrity

    catalog = read_catalog(Path(data_dir), each_file)
    problems = catalog.problems or check_integrity(catalog)
    if problems:
        raise ProblemsFound(problems)
    return catalog


def ontology_quads(ontology_dir: Path | None = None) -> list[Quad]:
    path = ontology_path(ontology_dir)
    try:
        with path.open("rb") as handle:
            return [
                Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH)
                for q in parse(handle, format=RdfFormat.TURTLE, base_iri=path.as_uri())
            ]
    except SyntaxError as exc:
        raise ProblemsFound([Problem(str(path), None, None, None, f"Turtle syntax error: {exc}")]) from None
    except OSError as exc:
        raise ProblemsFound([Problem(str(path), None, None, None, f"cannot read ontology: {exc.strerror}")]) from None


def build(
    data_dir: Path,
    store_dir: Path,
    ontology_dir: Path | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BuildInfo:
    """Build the store unless the one in store_dir is current. Raises ProblemsFound on bad input."""
    data_dir, store_dir = Path(data_dir), Path(store_dir)
    say = progress or (lambda message: None)
    current = fingerprint(data_dir, ontology_dir)
    info = read_build_info(store_dir)
    if not force and info and info.get("fingerprint") == current and (store_dir / DATABASE).is_dir():
        return BuildInfo(**{k: info[k] for k in ("fingerprint", "triples", "data_triples", "records", "files")},
                         reused=True)
    from .aggregates import add_statistics
    from .catalog import no_cycle_collection
    from .names import NAMES_FILE, write_name_table
    from .statistics import graph_statistics

    with no_cycle_collection():  # see catalog.no_cycle_collection: the records live until the end
        ontology = ontology_quads(ontology_dir)
        store_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.building-", dir=store_dir.parent))
        store = writer = None
        try:
            say("reading records and writing their triples")
            store = Store(str(staging / DATABASE))
            store.bulk_extend(ontology)
            # Triples are written while later files are read; a broken record discards the whole
            # staging store below, so the graph is still built only from clean records.
            with TripleWriter(store) as writer:
                catalog = load_catalog(data_dir, each_file=writer.add_file)
            records = [item.record for item in catalog.records]
            say(f"counting what the whole-graph queries need ({len(records):,} records)")
            loaded = len(store)  # the ontology and data graphs; a scan of every quad, so done once
            triples = loaded + add_statistics(store, records, loaded)
            store.flush()
            say("indexing the names; compacting and summarizing the graph")
            # The name table is mostly Python and the rest is pyoxigraph's, which lets the GIL go: side by side.
            with ThreadPoolExecutor(1) as beside:
                names = beside.submit(write_name_table, store, staging / NAMES_FILE)
                store.optimize()
                statistics = graph_statistics(store, triples=triples)
                names.result()
            del store  # closes the database before it is moved
            data_triples = loaded - len(set(ontology))
            result = BuildInfo(current, triples, data_triples, len(catalog.records), len(catalog.files))
            (staging / BUILD_INFO).write_text(
                json.dumps(result.__dict__ | {"prefixes": PREFIXES, "statistics": statistics}, indent=2))
            _swap_in(staging, store_dir)
        except BaseException:
            # Close the database first: closing writes to its folder, which must be gone after.
            store = writer = None  # noqa: F841 (rebinding, not del: the try may have deleted `store`)
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return result


def load_records(store: Store, records: Iterable[BaseModel]) -> None:
    """Add the triples of the records to the data graph, in batches."""
    with TripleWriter(store) as writer:
        writer.add(records)


class TripleWriter:
    """Hands records' triples to pyoxigraph's bulk loader in batches, each loaded on a thread.

    Triples go to the loader as N-Triples text: serializing is done in Rust, and reading text is
    the loader's fastest path, faster than handing it one Python Quad per triple. The loader lets
    the GIL go, so the next batch is read and converted (Python) while the last one is loaded
    (Rust, sorting its keys). At 100,000 models reading took 40 s, then converting and loading
    67 s; side by side they take 83 s. At most one batch's terms and one batch's text are held
    beside the loader, which bounds memory. Triples repeated by several records collapse in the
    store, so nothing is deduplicated here; lenient skips re-validating IRIs that pyoxigraph
    checked when the terms were made.
    """

    def __init__(self, store: Store):
        self.store = store
        self.batch: list = []
        self.broken = False
        self._loading = None
        self._thread = ThreadPoolExecutor(1)

    def add(self, records: Iterable[BaseModel]) -> None:
        from .loader import record_triples

        for record in records:
            self.batch.extend(record_triples(record))
            if len(self.batch) >= LOAD_BATCH:
                self._hand_over()

    def add_file(self, located: list, problems: list) -> None:
        """read_catalog's each_file: once a file has problems the store will be discarded, so stop."""
        self.broken = self.broken or bool(problems)
        if not self.broken:
            self.add(item.record for item in located)

    def _hand_over(self) -> None:
        if self._loading is not None:
            self._loading.result()  # re-raises the loader's error here, in the building thread
        # Serialized here so the batch's Python terms are freed before the next batch is filled,
        # rather than kept by the loading thread until its load ends.
        text = serialize(self.batch, format=RdfFormat.N_TRIPLES)
        self.batch = []
        self._loading = self._thread.submit(_bulk_load, self.store, text)

    def __enter__(self) -> TripleWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if error is None and self.batch:
                self._hand_over()
            if self._loading is not None and error is None:
                self._loading.result()
        finally:
            self._thread.shutdown(wait=True)  # never leaves a load running into a deleted folder
            self.store = None  # a traceback holding this writer must not keep the database open


def _bulk_load(store: Store, text: bytes) -> None:
    store.bulk_load(text, format=RdfFormat.N_TRIPLES, to_graph=DATA_GRAPH, lenient=True)


def _swap_in(staging: Path, store_dir: Path) -> None:
    """Replace store_dir by staging with two renames; the old store is deleted only afterwards."""
    retired = None
    if store_dir.exists():
        retired = store_dir.parent / f".{store_dir.name}.retired-{os.getpid()}"
        os.replace(store_dir, retired)
    os.replace(staging, store_dir)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def open_store(store_dir: Path) -> Store:
    """Open a built store for reading. Several processes may read one store at once."""
    path = Path(store_dir) / DATABASE
    if not path.is_dir():
        raise ProblemsFound([Problem(str(store_dir), None, None, None, "no store here: run `vlmgraph build` first")])
    return Store.read_only(str(path))


def saved_statistics(store_dir: Path) -> dict | None:
    """The graph statistics build() saved beside the store (None for a store built without them):
    seconds of scanning on millions of triples that `serve` would otherwise do before its first answer."""
    return (read_build_info(store_dir) or {}).get("statistics")


def memory_store(data_dir: Path, ontology_dir: Path | None = None) -> Store:
    """An in-memory store of the same graph, for tests and one-off use."""
    from .aggregates import add_statistics

    catalog = load_catalog(Path(data_dir))
    store = Store()
    store.bulk_extend(ontology_quads(ontology_dir))
    records = [item.record for item in catalog.records]
    load_records(store, records)
    add_statistics(store, records)
    return store

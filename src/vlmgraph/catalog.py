"""Read ``data/`` into records, remembering the file and line of every record and field.

YAML is parsed to nodes (not Python values) so that each error can name its line.
Scalars stay strings except ``true``/``false``/``null``: YAML 1.1 would otherwise turn
``2023-10-05`` into a date, ``2103.00020`` into the float 2103.0002 and ``no`` into False.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import yaml

from .problems import Problem
from .terms import KIND_BY_FOLDER

if TYPE_CHECKING:  # pydantic is imported where records are validated: `fingerprint` needs none of it
    from pydantic import BaseModel


@dataclass(frozen=True)
class Located:
    """A record with where it was written."""

    record: BaseModel
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, field_name: str | None) -> int:
        return self.field_lines.get(field_name or "", self.line)


@dataclass
class Catalog:
    records: list[Located]
    problems: list[Problem]
    files: list[Path]

    def of_kind(self, kind: type[BaseModel]) -> Iterable[BaseModel]:
        return (item.record for item in self.records if type(item.record) is kind)


_BOOLS = {"true": True, "false": False}
_NULLS = {"null", "~", ""}


_YAMLLoader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
_NODE_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
              yaml.MappingNode: "tag:yaml.org,2002:map"}


class _NodeLoader(_YAMLLoader):  # type: ignore[misc, valid-type]
    """Composes nodes without resolving implicit tags.

    _to_python reads a scalar's text and style, never its tag, so matching every scalar against
    YAML 1.1's implicit-type regexes (a quarter of the parse time) would be wasted work.
    """

    def resolve(self, kind, value, implicit):
        return _NODE_TAGS[kind]


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large object trees.

    Records are acyclic and live until the build ends, yet every full collection walks all of
    them: on 100,000 models that was two thirds of the reading time. Reference counting still
    frees everything; the collector runs again (and finds the few cycles) when this ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _to_python(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.style is None:  # plain scalars only; quoted ones are always text
            if node.value in _BOOLS:
                return _BOOLS[node.value]
            if node.value in _NULLS:
                return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node)
            if isinstance(key, str):  # one shared string per field name, not one per record
                key = sys.intern(key)
            if key in result:
                raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
            result[key] = _to_python(value_node)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


def _field_lines(node: yaml.MappingNode) -> dict[str, int]:
    return {sys.intern(str(k.value)): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def data_files(data_dir: Path) -> list[Path]:
    """Every YAML file under the kind folders, in a stable order."""
    return sorted(p for p in data_dir.glob("*/*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def read_catalog(
    data_dir: Path, each_file: Callable[[list[Located], list[Problem]], None] | None = None
) -> Catalog:
    """Parse and validate every record file; collect problems instead of raising.

    each_file, if given, sees each file's records and problems as soon as the file is read, so a
    build can write the triples of one file while the next is being read.
    """
    data_dir = Path(data_dir)
    records: list[Located] = []
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return Catalog([], [Problem(str(data_dir), None, None, None, "data folder not found")], [])
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in KIND_BY_FOLDER:
            known = ", ".join(sorted(KIND_BY_FOLDER))
            problems.append(
                Problem(_relative(folder, data_dir), None, None, None, f"unknown kind folder; expected one of: {known}")
            )
    files = data_files(data_dir)
    with no_cycle_collection():
        for path in files:
            kind = KIND_BY_FOLDER.get(path.parent.name)
            if kind is None:
                continue
            kind = kind.record
            shown = _relative(path, data_dir)
            records_in_file, file_problems = read_file(path, kind, shown)
            records.extend(records_in_file)
            problems.extend(file_problems)
            if each_file is not None:
                each_file(records_in_file, file_problems)
    return Catalog(records, problems, files)


def read_file(path: Path, kind: type[BaseModel], shown: str) -> tuple[list[Located], list[Problem]]:
    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(shown, None, None, None, f"not UTF-8 text (byte {exc.start})")]
    try:
        root = yaml.compose(text, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return [], [Problem(shown, line, None, None, f"YAML syntax error: {exc.problem or exc.context}")]
    if root is None:
        return [], [Problem(shown, None, None, None, "empty file")]
    nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
    located: list[Located] = []
    problems: list[Problem] = []
    for node in nodes:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(shown, line, None, None, "expected a record (a mapping of field: value)"))
            continue
        try:
            raw = _to_python(node)
        except _DuplicateKey as dup:
            problems.append(Problem(shown, dup.line, None, dup.key, "field given twice"))
            continue
        lines = _field_lines(node)
        record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        try:
            record = kind.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = error["loc"]
                field_name = str(loc[0]) if loc else None
                path_text = ".".join(str(part) for part in loc) if loc else None
                message = _message(error)
                problems.append(Problem(shown, lines.get(field_name or "", line), record_id, path_text, message))
            continue
        located.append(Located(record, shown, line, lines))
    return located, problems


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field (not part of the schema; see schema/ or the README)"
    if kind == "missing":
        return "required field is missing"
    message = error["msg"]
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        from .records import SLUG_PATTERN, URL_PATTERN

        if pattern == SLUG_PATTERN:
            return f"{error['input']!r} is not an id: use lower-case letters, digits, '-' and '.'"
        if pattern == URL_PATTERN:
            return f"{error['input']!r} is not an http(s) URL"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message

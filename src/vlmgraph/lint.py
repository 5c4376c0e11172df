"""The canonical form of record files, and a JSON Schema of each kind for editors.

Canonical: fields in schema order, empty and default values left out, lists of records
sorted by id, plain block YAML. `vlmgraph lint --fix` rewrites files into it; a test
fails while any file is not in it, so diffs stay about facts, not formatting.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel

from .catalog import Catalog
from .files import write_atomically
from .terms import KIND_BY_FOLDER


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Indent list items under their key, as people write them.
        return super().increase_indent(flow, False)


def _decimal(dumper: yaml.SafeDumper, value: Decimal):
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(Decimal, _decimal)


def _plain(record: BaseModel) -> dict:
    return record.model_dump(mode="python", exclude_defaults=True, exclude_none=True)


def canonical_text(records: list[BaseModel], as_list: bool) -> str:
    data = [_plain(r) for r in records]
    if as_list:
        data = [d for _, d in sorted(zip(records, data), key=lambda pair: pair[0].id)]
    payload = data if as_list else data[0]
    return yaml.dump(payload, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def files_not_canonical(catalog: Catalog, data_dir: Path) -> dict[Path, str]:
    """Each record file whose text differs from its canonical form, with that form."""
    by_file: dict[str, list] = {}
    for item in catalog.records:
        by_file.setdefault(item.file, []).append(item.record)
    differing: dict[Path, str] = {}
    for shown, records in sorted(by_file.items()):
        path = Path(data_dir).parent / shown if not Path(shown).is_absolute() else Path(shown)
        text = path.read_text(encoding="utf-8")
        as_list = text.lstrip().startswith("-")
        canonical = canonical_text(records, as_list)
        if text != canonical:
            differing[path] = canonical
    return differing


def fix(differing: dict[Path, str]) -> None:
    for path, canonical in differing.items():
        write_atomically(path, canonical.encode("utf-8"))


def json_schemas() -> dict[str, str]:
    """One JSON Schema per kind folder, named after it: schema/<folder>.schema.json."""
    schemas = {}
    for folder, kind in KIND_BY_FOLDER.items():
        schema = kind.record.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://w3id.org/vlmgraph/schema/{folder}.schema.json"
        if folder == "results":  # a results file holds a list of results
            schema = {"$schema": schema.pop("$schema"), "$id": schema.pop("$id"), "type": "array",
                      "items": schema}
        schemas[f"{folder}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return schemas

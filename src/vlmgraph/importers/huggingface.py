"""Read a Hugging Face model repository: the model card's YAML header and config.json.

A snapshot is a local folder as `huggingface_hub.snapshot_download` leaves it. Its repository
id comes from the folder's name ("owner__name", or the Hub cache's "models--owner--name"), or
from the card's `model-index` name when nothing else says it. Downloading a repository id needs
the optional `huggingface_hub` package and the network; neither is needed to read a folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HUB = "https://huggingface.co"
REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_CACHE_FOLDER = re.compile(r"^models--(?P<owner>[^/]+?)--(?P<name>[^/]+)$")

# Hugging Face's base_model_relation values -> vlmgraph lineage relations. An adapter or a merge
# is still derived from its base; vlmgraph has no narrower relation for them.
RELATIONS = {"finetune": "fine-tuned-from", "quantized": "quantized-from", "adapter": "derived-from",
             "merge": "derived-from"}


class HubError(ValueError):
    """A snapshot or repository that cannot be read; the message names what and where."""


@dataclass(frozen=True)
class ComponentName:
    name: str  # "lmsys/vicuna-7b-v1.5", "openai/clip-vit-large-patch14-336", "clip"
    read_from: str  # "config.json text_config._name_or_path"


@dataclass(frozen=True)
class CardResult:
    dataset: str  # as the card names it (type, else name)
    dataset_name: str | None
    split: str | None
    metric: str
    value: str
    source: str | None


@dataclass
class HubModel:
    repo_id: str
    folder: Path
    card: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] | None = None

    @property
    def url(self) -> str:
        return f"{HUB}/{self.repo_id}"

    @property
    def base_models(self) -> list[str]:
        value = self.card.get("base_model")
        return [value] if isinstance(value, str) else [str(v) for v in value or []]

    @property
    def relation(self) -> str:
        return RELATIONS.get(str(self.card.get("base_model_relation") or "").strip(), "derived-from")

    @property
    def datasets(self) -> list[str]:
        value = self.card.get("datasets")
        return [value] if isinstance(value, str) else [str(v) for v in value or []]

    def card_value(self, key: str) -> str | None:
        value = self.card.get(key)
        return str(value) if isinstance(value, (str, int, float)) else None

    @property
    def architectures(self) -> list[str]:
        return [str(a) for a in (self.config or {}).get("architectures") or []]

    def vision_encoder(self) -> list[ComponentName]:
        """The names config.json gives the vision encoder, most specific first."""
        config = self.config or {}
        names = []
        for key in ("mm_vision_tower", "vision_tower"):  # LLaVA-style configs
            if isinstance(config.get(key), str):
                names.append(ComponentName(config[key], f"config.json {key}"))
        names += _sub_config(config, "vision_config")
        return names

    def language_backbone(self) -> list[ComponentName]:
        config = self.config or {}
        names = []
        for key in ("text_config", "llm_config"):
            names += _sub_config(config, key)
        if any(k in config for k in ("mm_vision_tower", "vision_tower")) and isinstance(config.get("_name_or_path"), str):
            # A LLaVA-style config is the language model's own config, extended: its
            # _name_or_path is the checkpoint training started from.
            names.append(ComponentName(config["_name_or_path"], "config.json _name_or_path"))
        return names

    def results(self) -> list[CardResult]:
        found = []
        for model in _list(self.card.get("model-index")):
            for result in _list(model.get("results") if isinstance(model, dict) else None):
                if not isinstance(result, dict):
                    continue
                dataset = result.get("dataset") if isinstance(result.get("dataset"), dict) else {}
                source = result.get("source") if isinstance(result.get("source"), dict) else {}
                for metric in _list(result.get("metrics")):
                    if not isinstance(metric, dict) or metric.get("value") is None:
                        continue
                    found.append(CardResult(
                        str(dataset.get("type") or dataset.get("name") or ""), _text(dataset.get("name")),
                        _text(dataset.get("split")), str(metric.get("type") or metric.get("name") or "score"),
                        str(metric.get("value")), _text(source.get("url"))))
        return found


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str | None:
    return str(value) if value is not None else None


def _sub_config(config: dict, key: str) -> list[ComponentName]:
    """A Transformers-style sub-config names its model by _name_or_path, else only by model_type."""
    sub = config.get(key)
    if not isinstance(sub, dict):
        return []
    names = []
    if isinstance(sub.get("_name_or_path"), str) and sub["_name_or_path"].strip():
        names.append(ComponentName(sub["_name_or_path"], f"config.json {key}._name_or_path"))
    if isinstance(sub.get("model_type"), str):
        names.append(ComponentName(sub["model_type"], f"config.json {key}.model_type"))
    return names


def checkpoint_names(name: str) -> list[str]:
    """The names to look a checkpoint reference up by, most specific first:
    'lmsys/vicuna-7b-v1.5' -> itself, 'vicuna-7b-v1.5'; './checkpoints/vicuna-7b-v1-5' -> 'vicuna-7b-v1-5';
    a model_type 'clip_vision_model' -> 'clip'."""
    name = name.strip()
    names = [name] if REPO_ID.match(name) else []
    last = name.rstrip("/").rsplit("/", 1)[-1]
    if last and last not in names:
        names.append(last)
    family = re.sub(r"_(?:vision|text)(?:_model)?$|_model$", "", last)
    if family != last:
        names.append(family.replace("_", "-"))
    return names


def front_matter(text: str, where: str) -> dict[str, Any]:
    """The YAML header of a model card ({} when it has none)."""
    if not text.startswith("---"):
        return {}
    end = re.search(r"^---\s*$", text[3:], re.M)
    if end is None:
        raise HubError(f"{where}: the YAML header opened by '---' is never closed")
    try:
        data = yaml.safe_load(text[3:3 + end.start()])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""  # the header starts on line 1, after its ---
        raise HubError(f"{where}{line}: the card's YAML header is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HubError(f"{where}: the card's YAML header is not a mapping of field: value")
    return data


def repo_id_of(folder: Path) -> str | None:
    for part in (folder, *folder.parents):
        cache = _CACHE_FOLDER.match(part.name)
        if cache:
            return f"{cache.group('owner')}/{cache.group('name')}"
    if "__" in folder.name:
        owner, name = folder.name.split("__", 1)
        candidate = f"{owner}/{name}"
        if REPO_ID.match(candidate):
            return candidate
    return None


def read_snapshot(folder: Path, repo_id: str | None = None) -> HubModel:
    folder = Path(folder)
    if not folder.is_dir():
        raise HubError(f"{folder}: no such folder (give a snapshot folder or an owner/name repository id)")
    card_path, config_path = folder / "README.md", folder / "config.json"
    if not card_path.is_file() and not config_path.is_file():
        raise HubError(f"{folder}: neither README.md nor config.json here; not a model repository snapshot")
    card = front_matter(card_path.read_text(encoding="utf-8"), str(card_path)) if card_path.is_file() else {}
    config = None
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise HubError(f"{config_path} line {exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(config, dict):
            raise HubError(f"{config_path}: expected a JSON object")
    repo_id = repo_id or repo_id_of(folder)
    if repo_id is None:
        names = [m.get("name") for m in _list(card.get("model-index")) if isinstance(m, dict)]
        raise HubError(f"{folder}: cannot tell the repository id; name the folder owner__name"
                       + (f" (the card calls the model {names[0]!r})" if names and names[0] else ""))
    return HubModel(repo_id, folder, card, config)


def download(repo_id: str, cache_dir: Path | None = None) -> Path:
    """Fetch a repository's card and config.json with huggingface_hub (an optional extra)."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise HubError(f"{repo_id}: downloading needs huggingface_hub (pip install 'vlmgraph[hub]'); "
                       "or give a local snapshot folder") from None
    try:
        path = snapshot_download(repo_id, allow_patterns=["README.md", "config.json"],
                                 cache_dir=str(cache_dir) if cache_dir else None)
    except Exception as exc:  # noqa: BLE001 - the hub raises many kinds (offline, 404, gated); one line each
        raise HubError(f"{repo_id}: cannot download from the Hub ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'})") from None
    return Path(path)


def load(source: str, cache_dir: Path | None = None) -> HubModel:
    """A snapshot folder, or a repository id to download when no such folder exists."""
    path = Path(source)
    if path.exists():
        return read_snapshot(path)
    if REPO_ID.match(source):
        return read_snapshot(download(source, cache_dir), repo_id=source)
    raise HubError(f"{source}: no such folder, and not an owner/name repository id")

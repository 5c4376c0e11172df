"""What an import found, per input entry: its kind, the entity it matched, how it differs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .facts import KnownCorrection


@dataclass
class Difference:
    field: str
    listed: str  # what the input says
    graph: str  # what the graph says
    source: str | None  # where the graph's value comes from
    entity: str  # entity id (model/llava-1.5)
    known_correction: KnownCorrection | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        if self.known_correction is None:
            del data["known_correction"]
        return data


@dataclass
class Component:
    role: str  # vision_encoder, language_backbone, base_model, dataset, benchmark
    name: str  # as the input writes it
    read_from: str  # where: config.json vision_config._name_or_path, card base_model…
    entities: list[str] = field(default_factory=list)
    relation: str | None = None  # for a base model: the lineage relation


@dataclass
class EntryReport:
    name: str
    kind: str
    status: str  # matched, new, unparsable
    entity: str | None = None
    entities: list[str] = field(default_factory=list)
    line: int | None = None
    section: str | None = None
    url: str | None = None  # the entry's link; for a Hub repository, its page
    differences: list[Difference] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # names in the entry the graph does not know
    components: list[Component] = field(default_factory=list)
    duplicate_of: int | None = None
    draft: str | None = None  # the candidate record written for it
    note: str | None = None

    def to_json(self) -> dict:
        data = {"name": self.name, "kind": self.kind, "status": self.status, "entity": self.entity}
        if len(self.entities) > 1:
            data["entities"] = self.entities
        for key in ("line", "section", "url", "duplicate_of", "draft", "note"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["differences"] = [d.to_json() for d in self.differences]
        if self.unresolved:
            data["unresolved"] = self.unresolved
        if self.components:
            data["components"] = [asdict(c) for c in self.components]
        return data


@dataclass
class ImportReport:
    source: str
    entries: list[EntryReport]
    missing: list[dict] = field(default_factory=list)  # graph entities the input lacks: kind, entity, name

    def counts(self) -> dict:
        statuses = [e.status for e in self.entries]
        differences = [d for e in self.entries for d in e.differences]
        return {
            "entries": len(self.entries),
            "matched": statuses.count("matched"),
            "new": statuses.count("new"),
            "unparsable": statuses.count("unparsable"),
            "differences": len(differences),
            "known_corrections": sum(d.known_correction is not None for d in differences),
            "missing_from_input": len(self.missing),
        }

    def to_json(self) -> dict:
        return {"source": self.source, "summary": self.counts(), "entries": [e.to_json() for e in self.entries],
                "missing_from_input": self.missing}

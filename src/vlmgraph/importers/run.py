"""The two imports end to end: read, reconcile, draft. What the CLI calls; no printing here."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..graph_store import GraphStore
from ..terms import ENTITY_KINDS
from ..vocab import RESOURCE_NS
from .awesome_list import read_awesome_list
from .claims import read_claims, without_parentheticals
from .drafts import check_out, draft_from_entry, draft_from_hub, write_drafts
from .facts import GraphFacts
from .hub_reconcile import HubReconciler
from .huggingface import load
from .lookup import EntityLookup, StoreLookup, entity_id
from .reconcile import Reconciler
from .report import EntryReport, ImportReport

# The graph classes a draft's reference fields need, most specific first.
_CLASSES = tuple(kind.name for kind in ENTITY_KINDS)


class Importer:
    """Reads inputs against one graph. `lookup` is the name index; the store gives the facts."""

    def __init__(self, store: GraphStore, lookup: EntityLookup | None = None):
        self.graph = GraphFacts(store)
        self.lookup = lookup or StoreLookup(store)

    def kind_of(self, entity: str) -> str | None:
        types = self.graph.facts(RESOURCE_NS + entity).types
        return next((c for c in _CLASSES if c in types), None)

    def kinds_of(self, reports: list[EntryReport]) -> dict[str, str]:
        ids = {e for r in reports for c in r.components for e in c.entities}
        return {e: k for e in ids if (k := self.kind_of(e))}

    def awesome_list(self, path: Path, out: Path | None = None, data_dir: Path | None = None) -> ImportReport:
        if out is not None:
            check_out(out, data_dir)
        parsed = read_awesome_list(path)
        reconciler = Reconciler(self.lookup, self.graph)
        report = reconciler.reconcile_list(parsed, str(path))
        if out is not None:
            by_line = {e.line: e for e in parsed.entries}
            drafts: list[BaseModel] = []
            for entry_report in report.entries:
                entry = by_line.get(entry_report.line)
                if entry_report.status != "new" or entry is None or entry_report.duplicate_of:
                    continue
                claims = read_claims(entry.description, entry.url, reconciler.architectures)
                resolved = {field: [entity_id(i) for p in phrases
                                    for i in (self.lookup.lookup(p) or self.lookup.lookup(without_parentheticals(p)))]
                            for field, phrases in (("vision_encoders", claims.vision_encoders),
                                                   ("language_backbones", claims.language_backbones))}
                kinds = {e: k for ids in resolved.values() for e in ids if (k := self.kind_of(e))}
                record = draft_from_entry(entry, entry_report, kinds, resolved)
                if record is not None:
                    drafts.append(record)
            for entry_report, path_written in _attach(report.entries, write_drafts(drafts, out, data_dir), drafts):
                entry_report.draft = path_written
        return report

    def hub(self, sources: list[str], out: Path | None = None, data_dir: Path | None = None,
            cache_dir: Path | None = None) -> ImportReport:
        if out is not None:
            check_out(out, data_dir)  # before any download
        reconciler = HubReconciler(self.lookup, self.graph)
        models = [load(source, cache_dir) for source in sources]
        reports = [reconciler.reconcile(model) for model in models]
        if out is not None:
            kinds = self.kinds_of(reports)
            for model, entry_report in zip(models, reports):
                if entry_report.status != "new":
                    continue
                records = draft_from_hub(model, entry_report, kinds)
                written = write_drafts(records, out, data_dir)
                entry_report.draft = next((str(p) for p in written if p.stem == records[0].id
                                           and p.parent.name != "results"), None)
        return ImportReport(", ".join(sources), reports)


def _attach(reports: list[EntryReport], written: list[Path], drafts: list[BaseModel]):
    """Pair each drafted entry with the file its record went to."""
    by_id = {path.stem: str(path) for path in written}
    drafted_names = {d.name: d.id for d in drafts}
    for report in reports:
        record_id = drafted_names.get(report.name)
        if record_id and record_id in by_id:
            yield report, by_id[record_id]

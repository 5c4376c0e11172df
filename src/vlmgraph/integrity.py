"""Checks across records: ids, references, lineage, dates. Pure functions over a Catalog."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .catalog import Catalog, Located
from .problems import Problem
from .records import Concept, Family, Model, Organization, VisionLanguageModel
from .terms import KIND_BY_RECORD, references, segment_of


def index_by_id(catalog: Catalog) -> dict[tuple[str, str], Located]:
    """(namespace, id) -> first record with that id."""
    index: dict[tuple[str, str], Located] = {}
    for item in catalog.records:
        index.setdefault((segment_of(item.record), item.record.id), item)
    return index


def check_unique_ids(catalog: Catalog) -> list[Problem]:
    seen: dict[tuple[str, str], Located] = {}
    problems = []
    for item in catalog.records:
        key = (segment_of(item.record), item.record.id)
        if key in seen:
            first = seen[key]
            problems.append(
                Problem(item.file, item.line_of("id"), item.record.id, "id",
                        f"duplicate id: already used at {first.file}:{first.line}")
            )
        else:
            seen[key] = item
    return problems


def check_unique_labels(catalog: Catalog) -> list[Problem]:
    """Two entities of one namespace must not share a display name: lookups by name would be ambiguous."""
    seen: dict[tuple[str, str], Located] = {}
    problems = []
    for item in catalog.records:
        name = getattr(item.record, "name", None)
        if name is None or segment_of(item.record) == "result":
            continue
        key = (segment_of(item.record), name.casefold())
        if key in seen and seen[key].record.id != item.record.id:
            first = seen[key]
            problems.append(
                Problem(item.file, item.line_of("name"), item.record.id, "name",
                        f"name {name!r} is already the name of {first.record.id!r} ({first.file})")
            )
        seen.setdefault(key, item)
    return problems


def check_references(catalog: Catalog) -> list[Problem]:
    index = index_by_id(catalog)
    by_id: dict[str, list[Located]] = defaultdict(list)
    for item in catalog.records:
        if segment_of(item.record) != "result":
            by_id[item.record.id].append(item)
    problems = []
    for item in catalog.records:
        for path, ref, targets in references(item.record):
            segment = KIND_BY_RECORD[targets[0]].segment
            target = index.get((segment, ref))
            top_field = path.split(".")[0]
            if target is None:
                elsewhere = [other for other in by_id.get(ref, []) if segment_of(other.record) != segment]
                hint = f" (there is a {KIND_BY_RECORD[type(elsewhere[0].record)].noun} with that id)" if elsewhere else ""
                problems.append(
                    Problem(item.file, item.line_of(top_field), item.record.id, path,
                            f"unknown {'/'.join(KIND_BY_RECORD[t].noun for t in targets)} id {ref!r}{hint}")
                )
            elif type(target.record) not in targets:
                problems.append(
                    Problem(item.file, item.line_of(top_field), item.record.id, path,
                            f"{ref!r} is a {KIND_BY_RECORD[type(target.record)].noun}, "
                            f"expected a {' or '.join(KIND_BY_RECORD[t].noun for t in targets)}")
                )
    return problems


def check_acyclic(catalog: Catalog) -> list[Problem]:
    """Lineage, organization and concept hierarchies must not loop."""
    problems = []
    graphs = {
        "derived_from": nx.DiGraph(),
        "parent": nx.DiGraph(),
        "parent_family": nx.DiGraph(),
        "broader": nx.DiGraph(),
    }
    where: dict[tuple[str, str], Located] = {}
    for item in catalog.records:
        record = item.record
        if isinstance(record, Model):
            for link in record.derived_from:
                graphs["derived_from"].add_edge(record.id, link.model)
                where[("derived_from", record.id)] = item
        elif isinstance(record, Organization) and record.parent:
            graphs["parent"].add_edge(record.id, record.parent)
            where[("parent", record.id)] = item
        elif isinstance(record, Family) and record.parent_family:
            graphs["parent_family"].add_edge(record.id, record.parent_family)
            where[("parent_family", record.id)] = item
        elif isinstance(record, Concept) and record.broader:
            graphs["broader"].add_edge(record.id, record.broader)
            where[("broader", record.id)] = item
    for field, graph in graphs.items():
        for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
            first = where[(field, cycle[0])]
            problems.append(
                Problem(first.file, first.line_of(field), cycle[0], field, "cycle: " + " -> ".join(cycle + [cycle[0]]))
            )
    return problems


def check_release_order(catalog: Catalog) -> list[Problem]:
    """A model cannot be released before its components or the models it derives from."""
    index = index_by_id(catalog)
    problems = []
    for item in catalog.records:
        record = item.record
        if not isinstance(record, Model) or not record.release_date:
            continue
        upstream: list[tuple[str, str]] = [("derived_from", link.model) for link in record.derived_from]
        if isinstance(record, VisionLanguageModel):
            for field in ("language_backbones", "vision_encoders"):
                value = getattr(record, field)
                if value != "none":
                    upstream += [(field, ref) for ref in value]
        for field, ref in upstream:
            target = index.get(("model", ref))
            if target is None or not getattr(target.record, "release_date", None):
                continue
            if _precision_cut(record.release_date, target.record.release_date) < _precision_cut(
                target.record.release_date, record.release_date
            ):
                problems.append(
                    Problem(item.file, item.line_of("release_date"), record.id, field,
                            f"released {record.release_date}, before {ref!r} ({target.record.release_date})")
                )
    return problems


def _precision_cut(date: str, other: str) -> str:
    """Compare dates only to the precision both have ('2023-10' vs '2023-10-05' compare as months)."""
    return date[: min(len(date), len(other))]


def check_corrections_have_seed_name(catalog: Catalog) -> list[Problem]:
    """A correction of the seed list only makes sense on an entity the seed list names."""
    return [
        Problem(item.file, item.line_of("corrections"), item.record.id, "seed_names",
                "has corrections of the seed list but no seed_names saying how the list names it")
        for item in catalog.records
        if getattr(item.record, "corrections", None) and not item.record.seed_names
    ]


INTEGRITY_CHECKS = (
    check_unique_ids,
    check_unique_labels,
    check_references,
    check_acyclic,
    check_release_order,
    check_corrections_have_seed_name,
)


def check_integrity(catalog: Catalog) -> list[Problem]:
    return [problem for check in INTEGRITY_CHECKS for problem in check(catalog)]

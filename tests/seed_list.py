"""Read the seed awesome-list: its bold entries, with the section each stands in.

A thin view of the awesome-list importer's parser, in the shape the catalogue tests use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SeedEntry:
    name: str
    section: str
    line: int
    url: str | None


def read_seed(path: Path) -> list[SeedEntry]:
    """The seed list's bold entries, read by the awesome-list importer's parser."""
    from vlmgraph.importers.awesome_list import read_awesome_list

    return [SeedEntry(entry.name, entry.section.rsplit(" / ", 1)[-1], entry.line, entry.url)
            for entry in read_awesome_list(Path(path)).entries]

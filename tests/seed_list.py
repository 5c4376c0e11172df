"""Read the seed awesome-list: its bold entries, with the section each stands in.

The seed README was saved as UTF-8, read back as Mac Roman and saved again, so "²" shows as
"¬≤" and "🌐" as "üåê". `repair_mojibake` undoes that where it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ENTRY = re.compile(r"^\s*-\s+\*\*(?P<name>[^*]+)\*\*(?P<rest>.*)$")
_HEADING = re.compile(r"^(#{2,4})\s+(?P<title>.+?)\s*$")
_LINK = re.compile(r"\]\((?P<url>[^)\s]*)")


@dataclass(frozen=True)
class SeedEntry:
    name: str
    section: str
    line: int
    url: str | None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes decoded as Mac Roman; text that is not such mojibake comes back unchanged."""
    try:
        repaired = text.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired


def read_seed(path: Path) -> list[SeedEntry]:
    entries = []
    section = ""
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = repair_mojibake(raw)
        heading = _HEADING.match(line)
        if heading:
            section = heading.group("title").strip("* ").strip()
            continue
        match = _ENTRY.match(line)
        if match:
            link = _LINK.search(match.group("rest"))
            entries.append(SeedEntry(match.group("name").strip(), section, number, link.group("url") if link else None))
    return entries

"""Read an awesome-list as people write it: headings give sections, bold list items give entries.

    ## Seminal models            -> kind "model" (the outermost section heading naming a kind decides)
    ### 2024                     -> year 2024
    - **Name** (2023) - [free text](https://link)

Copes with what hand-written lists do: mis-encoded characters ("üåê" for "🌐"), empty links
"()", a link broken over two lines, entries with no link, the same entry in two sections, a
name that is itself a link. A bold list item it cannot read is reported with its line, never
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Words in a heading that say what the entries under it are. Matched as word prefixes, so
# "Benchmarks", "Toolkit" and "models" count.
KIND_WORDS = (("model", "model"), ("dataset", "dataset"), ("benchmark", "benchmark"), ("leaderboard", "benchmark"),
              ("tool", "tool"))


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes decoded as Mac Roman; text that is not such mojibake comes back unchanged.
    (The seed README was saved as UTF-8, read back as Mac Roman and saved again: "²" shows as "¬≤"
    and "🌐" as "üåê".)"""
    try:
        repaired = text.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired


_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
_BOLD_ITEM = re.compile(r"^\s*[-*+]\s+\*\*")
_ENTRY = re.compile(r"^\s*[-*+]\s+\*\*(?P<name>.+?)\*\*(?P<rest>.*)$")
_NAME_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]*)\)$")
_YEAR = re.compile(r"\((?P<year>(?:19|20)\d\d)\)")
_HEADING_YEAR = re.compile(r"^(?P<year>(?:19|20)\d\d)\b(?P<rest>.*)$")
_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\](?:\((?P<url>[^)]*)\))?", re.S)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class ListEntry:
    name: str
    line: int
    kind: str  # model, dataset, benchmark, tool, or "other" under a heading naming none
    section: str  # the headings above it, outermost first, joined by " / "
    description: str
    url: str | None
    year: int | None  # from "(2023)" after the name, else from a year heading
    year_or_before: bool = False  # a "2022 & Prior" heading: the year is an upper bound
    linked_entity: str | None = None  # the name's own link, when it is one (rendered lists link entity pages)

    @property
    def text(self) -> str:
        """Everything the entry says, for finding claims in it."""
        return " ".join(part for part in (self.name, self.description, self.url or "") if part)


@dataclass(frozen=True)
class Unparsable:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedList:
    entries: list[ListEntry]
    unparsable: list[Unparsable]


def _clean(text: str) -> str:
    return " ".join(repair_mojibake(text).split())


def _kind_of(title: str) -> str | None:
    words = re.findall(r"[a-z]+", title.casefold())
    for word in words:
        for prefix, kind in KIND_WORDS:
            if word.startswith(prefix):
                return kind
    return None


def _logical_lines(lines: list[str]):
    """(line number, text) with a list item's continuation lines joined while a '[' or '(' is open."""
    index = 0
    while index < len(lines):
        number, text = index + 1, lines[index]
        index += 1
        if _BOLD_ITEM.match(text):
            extra = 0
            while extra < 3 and index < len(lines) and (text.count("[") > text.count("]")
                                                        or text.count("(") > text.count(")")):
                if _BOLD_ITEM.match(lines[index]) or _HEADING.match(lines[index]) or not lines[index].strip():
                    break
                text = text.rstrip() + " " + lines[index].strip()
                index += 1
                extra += 1
        yield number, text


def parse_awesome_list(text: str) -> ParsedList:
    entries: list[ListEntry] = []
    unparsable: list[Unparsable] = []
    headings: list[tuple[int, str]] = []  # (level, title) of the headings in force
    in_fence = False
    for number, raw in _logical_lines(text.splitlines()):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = repair_mojibake(raw)
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group("level"))
            title = _clean(heading.group("title").replace("**", ""))
            headings = [h for h in headings if h[0] < level] + [(level, title)]
            continue
        if not _BOLD_ITEM.match(line):
            continue
        match = _ENTRY.match(line)
        if not match:
            unparsable.append(Unparsable(number, line.strip(), "bold name is not closed with '**'"))
            continue
        entry = _entry(match, number, headings)
        if entry is None:
            unparsable.append(Unparsable(number, line.strip(), "no name between '**' and '**'"))
        else:
            entries.append(entry)
    return ParsedList(entries, unparsable)


def _entry(match: re.Match, number: int, headings: list[tuple[int, str]]) -> ListEntry | None:
    name, linked = _clean(match.group("name")), None
    name_link = _NAME_LINK.match(name)
    if name_link:
        name, linked = _clean(name_link.group("text")), name_link.group("url") or None
    name = name.strip(" -:")
    if not name:
        return None
    rest = _FOOTNOTE_REF.sub("", match.group("rest"))
    # The outermost section heading naming a kind decides ("## Benchmarks" over "### Tool use");
    # a level-1 heading is the list's title, not a section.
    kind = next((k for level, title in headings if level > 1 and (k := _kind_of(title))), "other")
    year, before = None, False
    for _, title in reversed(headings):
        heading_year = _HEADING_YEAR.match(title)
        if heading_year:
            year = int(heading_year.group("year"))
            before = "prior" in heading_year.group("rest").casefold() or "before" in heading_year.group("rest").casefold()
            break
    before_link = rest.split("[", 1)[0]
    own_year = _YEAR.search(before_link) or _YEAR.search(rest)
    if own_year:
        year, before = int(own_year.group("year")), False
    link = _LINK.search(rest)
    if link:
        description, url = link.group("text"), (link.group("url") or "").strip() or None
    else:
        description, url = rest, None
    description = _clean(_YEAR.sub("", description) if not link else description).strip(" -–:")
    section = " / ".join(title for _, title in headings)
    return ListEntry(name, number, kind, section, description, url, year, before, linked)


def read_awesome_list(path: Path) -> ParsedList:
    """Parse a Markdown file; a file that is not UTF-8 text is an error naming the byte."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_awesome_list(text)

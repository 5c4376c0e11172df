"""Parser errors in plain words.

pyoxigraph reports what its grammar expected at a position ("expected one of Prefix not found,
['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …"). A person wants to know what they wrote wrong: an
undefined prefix named, an update refused as such, a misspelled keyword with a suggestion, and
never a list of Unicode character ranges.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from .vocab import PREFIXES, prefixed_name
from .sparql_text import line_and_column, query_form, scan, undeclared_prefix

# Every bare word SPARQL 1.1 Query knows: keywords and built-in functions (the grammar's terminals).
SPARQL_WORDS = frozenset("""
BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT DESCRIBE ASK FROM NAMED WHERE GROUP BY HAVING ORDER ASC DESC
LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD MOVE COPY INSERT DATA DELETE WITH USING DEFAULT GRAPH
ALL OPTIONAL SERVICE BIND UNDEF MINUS UNION FILTER A IN NOT EXISTS TRUE FALSE STR LANG LANGMATCHES DATATYPE BOUND
IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS
STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384
SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM
MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR
STRLANGDIR
""".split())
# What a person would have meant: the keywords that start clauses (not every function name).
_SUGGESTED = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "PREFIX", "FILTER", "OPTIONAL", "UNION", "MINUS",
              "BIND", "VALUES", "GRAPH", "FROM", "NAMED", "DISTINCT", "LIMIT", "OFFSET", "ORDER", "GROUP", "HAVING",
              "EXISTS", "NOT", "SERVICE", "REGEX", "CONTAINS", "COUNT", "LANGMATCHES", "STRSTARTS", "GROUP_CONCAT")
_SLASHED = re.compile(r"(?:/[\w.%-]+)+(?![\w.%-]*:)")
READ_ONLY = ("vlmgraph is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR…) is refused; ask with SELECT, "
             "ASK, CONSTRUCT or DESCRIBE")


def unknown_prefix_message(prefix: str, line: int, column: int, known: Iterable[str]) -> str:
    return (f"unknown prefix '{prefix}:' at line {line}, column {column} — known: {', '.join(known)}; "
            f"declare others with PREFIX {prefix or 'name'}: <…>")


def explain(detail: str, line: int, column: int, query: str | None, known: Iterable[str]) -> str:
    """The error pyoxigraph gave (`detail` at `line`:`column`) in plain words; `query` (when known)
    lets it name the undefined prefix or the misspelled word."""
    where = f"line {line}, column {column}"
    known = list(known)
    if query is not None:
        if query_form(query) == "UPDATE":
            return READ_ONLY
        undeclared = undeclared_prefix(query, known)
        if undeclared is not None:
            return unknown_prefix_message(undeclared[1], *line_and_column(query, undeclared[0]), known)
        found = mistake(query, known)
        if found is not None:
            return found
    if "Prefix not found" in detail:
        return f"SPARQL syntax error at {where}: a prefix there is not declared (PREFIX name: <…>)"
    return f"SPARQL syntax error at {where}: {_readable(detail)}"


def mistake(query: str, known: Iterable[str]) -> str | None:
    """A syntax error found in the text itself — a slashed name (res:model/x) or a word that is no
    SPARQL keyword — in plain words; None when the text shows none."""
    slashed = _slashed_name(query, list(known))
    if slashed is not None:
        return slashed
    misspelled = _misspelled(query)
    if misspelled is not None:
        (line, column), word, close = misspelled
        hint = f" — did you mean {close}?" if close else ""
        return f"SPARQL syntax error at line {line}, column {column}: {word!r} is not a SPARQL keyword{hint}"
    return None


def _slashed_name(query: str, known: list[str]) -> str | None:
    """res:model/llava-1.5 (what vlmgraph printed before it had a prefix per kind) is no prefixed name."""
    for what, index, name in scan(query):
        # a path step after a prefixed name (vlm:a/vlm:b) has a colon; a slashed name does not
        rest = _SLASHED.match(query, index + len(name)) if what == "pname" else None
        prefix, _, local = name.partition(":")
        if rest and prefix in known:
            line, column = line_and_column(query, index)
            name += rest.group(0)
            local += rest.group(0)
            iri = PREFIXES[prefix] + local if prefix in PREFIXES else None
            instead = f"write {prefixed_name(iri)}" if iri else "write the full IRI in <…>"
            return (f"SPARQL syntax error at line {line}, column {column}: {name} is not a prefixed name "
                    f"('/' may not appear after the colon); {instead}")
    return None


def _misspelled(query: str) -> tuple[tuple[int, int], str, str | None] | None:
    """The first bare word that is no SPARQL word, with the keyword it is closest to."""
    for what, index, word in scan(query):
        if what == "word" and word not in SPARQL_WORDS:
            close = difflib.get_close_matches(word, _SUGGESTED, n=1, cutoff=0.6)
            original = query[index:index + len(word)]
            return line_and_column(query, index), original, close[0] if close else None
    return None


def _readable(detail: str) -> str:
    """'expected one of ",", ".", [_], ['A' ..= 'Z' | …]' without the character classes."""
    detail = " ".join(detail.split())
    match = re.match(r"expected (one of )?(.*)$", detail)
    if not match:
        return detail
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*', match.group(2))
    words = [item.strip() for item in items if not item.startswith("[")]
    if not words:
        return "unexpected character"
    return "expected " + (" or ".join(words) if len(words) <= 2 else "one of " + ", ".join(words))

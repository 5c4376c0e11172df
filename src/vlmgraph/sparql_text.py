"""Look at SPARQL text without running it: its form, its keywords, where its WHERE group opens.

A small scanner that skips comments, string literals and IRIs, so a keyword inside a
string ("SERVICE") or an IRI never counts. Variables, prefixed names, blank node labels and
language tags are not keywords.

The endpoint scans every query it is sent before running it, so the scan is on the request's
path: ASCII text (nearly every query) is tokenized by one compiled regular expression, in C;
other text by a loop over characters whose rules — Python's `str.isalpha`, `str.isdigit` —
no character class spells exactly. Both give the same tokens on ASCII text
(tests/test_sparql_text.py compares them). `inspect` reads, in one pass, everything the
endpoint checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

_WORD = re.compile(r"[^\W\d][\w-]*")  # any letter starts a word: prefixed names may be 食:納豆
_NAME_CHARS = re.compile(r"[\w-]+")
_NUMBER = re.compile(r"[0-9.]*(?:[eE][+-]?[0-9]+)?")
# What may follow the colon of a prefixed name: PN_LOCAL's characters and escapes (not '/', which
# is a property path, as in vlm:a/vlm:b).
_LOCAL = re.compile(r"(?:[\w.:%-]|\\.)*")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


# The ASCII tokenizer: each match is a run of characters no token starts with, then one token,
# consuming what the matching branch of `_scan_characters` consumes. Which branch applies is
# decided by the token's first character, so the alternatives' order does not matter, except
# that a prefixed name is tried before a word.
_LOCAL_PART = r"(?:[\w.:%-]|\\.)*"
_ASCII_TOKEN = re.compile(r"""
  [^#"'<?$@{}\w:]*
  (?: \#[^\n]*                                                      # comment, up to the line end
    | <[^<>"{}|^`\\\s]*>                                             # an IRI
    | [?$@][\w-]*                                                   # variable, language tag
    | (?P<brace>[{}])
    | (?P<pname>(?:[A-Za-z_][\w-]*)?:""" + _LOCAL_PART + r""")        # prefixed name, blank node
    | (?P<word>[A-Za-z_][\w-]*)
    | [0-9][0-9.]*(?:[eE][+-]?[0-9]+)?                              # number
    | \"\"\"(?:[^"\\]+|\\[\s\S]?|"(?!""))*(?:\"\"\"|\Z)            # long strings
    | '''(?:[^'\\]+|\\[\s\S]?|'(?!''))*(?:'''|\Z)
    | "(?:[^"\\]+|\\[\s\S]?)*(?:"|\Z)                             # strings
    | '(?:[^'\\]+|\\[\s\S]?)*(?:'|\Z)
    | [\s\S]                                                        # '<' that opens no IRI
    | \Z )
""", re.VERBOSE | re.ASCII)


def scan(text: str) -> Iterator[tuple[str, int, str]]:
    """(what, position, text) outside comments, string literals and IRIs: "word" for bare words
    (upper-cased), "brace" for { and }, "pname" for prefixed names (rdfs:label, :x, foo:)."""
    return iter(_ascii_tokens(text)) if text.isascii() else _scan_characters(text)


def _ascii_tokens(text: str, start: int = 0) -> list[tuple[str, int, str]]:
    """`scan` of ASCII text from a token boundary, as a list (no generator: this is on every
    request's path)."""
    found = []
    for match in _ASCII_TOKEN.finditer(text, start):
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "word":
            found.append(("word", match.start(kind), match.group(kind).upper()))
        elif kind == "brace":
            found.append(("brace", match.start(kind), match.group(kind)))
        else:  # a final '.' ends the triple; dots make no token, so the match may swallow them
            name = match.group(kind).rstrip(".")
            if not name.startswith("_:"):
                found.append(("pname", match.start(kind), name))
    return found


def _scan_characters(text: str) -> Iterator[tuple[str, int, str]]:
    """`scan`, one character at a time: for text with characters beyond ASCII."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = length if end < 0 else end
        elif char in "\"'":
            quote = text[index:index + 3] if text[index:index + 3] in ('"""', "'''") else char
            end = index + len(quote)
            while end < length and not text.startswith(quote, end):
                end += 2 if text[end] == "\\" else 1
            index = end + len(quote)
        elif char == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[index:]):
            index = text.index(">", index) + 1  # an IRI; '<' followed by a space is the operator
        elif char in "?$@":  # a variable, or a language tag ("x"@from is no FROM)
            match = _NAME_CHARS.match(text, index + 1)
            index = match.end() if match else index + 1
        elif char in "{}":
            yield "brace", index, char
            index += 1
        elif char.isdigit():
            index = _NUMBER.match(text, index).end() or index + 1
        elif char.isalpha() or char in "_:":
            match = _WORD.match(text, index)
            end = match.end() if match else index
            if end < length and text[end] == ":" or char == ":":
                # a prefixed name (or a blank node label, _:b0); a final '.' ends the triple
                name = text[index:_LOCAL.match(text, end).end()].rstrip(".")
                if not name.startswith("_:"):
                    yield "pname", index, name
                index += max(len(name), 1)
            elif match:
                yield "word", index, match.group(0).upper()
                index = end
            else:
                index += 1  # a letter no SPARQL word starts with
        else:
            index += 1


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """(position, token) for bare words (upper-cased) and braces outside comments, strings and IRIs."""
    for what, index, token in scan(text):
        if what != "pname":
            yield index, token


def undeclared_prefix(text: str, predefined: Iterable[str]) -> tuple[int, str] | None:
    """(position, prefix) of the first prefixed name whose prefix is neither predefined nor declared
    with PREFIX in the text: an error in any SPARQL query."""
    known = set(predefined)
    after_prefix = False
    for what, index, token in scan(text):
        if what == "pname":
            prefix = token.split(":", 1)[0]
            if after_prefix:
                known.add(prefix)
            elif prefix not in known:
                return index, prefix
        after_prefix = what == "word" and token == "PREFIX"
    return None


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a position in the text."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def query_form(text: str) -> str | None:
    """'SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE', 'UPDATE' or None when neither is found."""
    for _, token in tokens(text):
        if token in QUERY_FORMS:
            return token
        if token in UPDATE_WORDS:
            return "UPDATE"
    return None


def keywords(text: str) -> set[str]:
    return {token for _, token in tokens(text) if token not in "{}"}


def has_dataset_clause(text: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED, SPARQL 1.1 §13.2).

    FROM is a keyword nowhere else in a query, so its presence as a bare word is enough: the
    IRIs themselves (prefixed or relative) are left to the SPARQL engine to resolve.
    """
    return any(token == "FROM" for _, token in tokens(text))


def where_brace(text: str) -> int | None:
    """Index of the brace opening the WHERE group (the first brace when there is no WHERE keyword)."""
    first = None
    saw_where = False
    for index, token in tokens(text):
        if token == "WHERE":
            saw_where = True
        elif token == "{":
            if saw_where:
                return index
            if first is None:
                first = index
    return first


@dataclass(frozen=True)
class QueryText:
    """What the endpoint checks in a query's text before it runs it, read in one pass."""

    form: str | None  # as query_form
    keywords: frozenset[str]  # as keywords
    undeclared: tuple[int, str] | None  # as undeclared_prefix

    @property
    def has_dataset_clause(self) -> bool:
        return "FROM" in self.keywords


# One PREFIX declaration as the scanner reads it: the word PREFIX, a prefixed name with nothing after
# its colon, an IRI. Clients send dozens of them before a query; they are read a line at a time.
_DECLARATION = re.compile(r"""\s*PREFIX\s+((?:[A-Za-z_][\w-]*)?):\s*<[^<>"{}|^`\\\s]*>""", re.IGNORECASE | re.ASCII)


def inspect(text: str, predefined: Iterable[str]) -> QueryText:
    """`query_form`, `keywords` and `undeclared_prefix` at once: the text is scanned once."""
    form = undeclared = None
    words: set[str] = set()
    known = set(predefined)
    after_prefix = False
    if text.isascii():
        position = 0
        while declaration := _DECLARATION.match(text, position):
            known.add(declaration.group(1))
            position = declaration.end()
        if position:
            words.add("PREFIX")
        tokens = _ascii_tokens(text, position)
    else:
        tokens = scan(text)
    for what, index, token in tokens:
        if what == "pname":
            prefix = token.split(":", 1)[0]
            if after_prefix:
                known.add(prefix)
            elif undeclared is None and prefix not in known:
                undeclared = (index, prefix)
        elif what == "word":
            words.add(token)
            if form is None:
                if token in QUERY_FORMS:
                    form = token
                elif token in UPDATE_WORDS:
                    form = "UPDATE"
        after_prefix = what == "word" and token == "PREFIX"
    return QueryText(form, frozenset(words), undeclared)

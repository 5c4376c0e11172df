"""Look at SPARQL text without running it: its form, its keywords, where its WHERE group opens.

A small scanner that skips comments, string literals and IRIs, so a keyword inside a
string ("SERVICE") or an IRI never counts. Variables, prefixed names, blank node labels and
language tags are not keywords.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

_WORD = re.compile(r"[^\W\d][\w-]*")  # any letter starts a word: prefixed names may be 食:納豆
_NAME_CHARS = re.compile(r"[\w-]+")
_NUMBER = re.compile(r"[0-9.]*(?:[eE][+-]?[0-9]+)?")
# What may follow the colon of a prefixed name: PN_LOCAL's characters and escapes (not '/', which
# is a property path, as in vlm:a/vlm:b).
_LOCAL = re.compile(r"(?:[\w.:%-]|\\.)*")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def scan(text: str) -> Iterator[tuple[str, int, str]]:
    """(what, position, text) outside comments, string literals and IRIs: "word" for bare words
    (upper-cased), "brace" for { and }, "pname" for prefixed names (rdfs:label, :x, foo:)."""
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

"""Look at SPARQL text without running it: its form, its keywords, where its WHERE group opens.

A small scanner that skips comments, string literals and IRIs, so a keyword inside a
string ("SERVICE") or an IRI never counts. Variables, prefixed names, blank node labels and
language tags are not keywords.
"""

from __future__ import annotations

import re
from typing import Iterator

_WORD = re.compile(r"[^\W\d][\w-]*")  # any letter starts a word: prefixed names may be 食:納豆
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """(position, token) for bare words (upper-cased) and braces outside comments, strings and IRIs."""
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
            match = _WORD.match(text, index + 1)
            index = match.end() if match else index + 1
        elif char in "{}":
            yield index, char
            index += 1
        elif char.isalpha() or char == "_":
            match = _WORD.match(text, index)
            end = match.end()
            # prefixed names (rdfs:label, :x) and blank node labels are not keywords
            if end < length and text[end] == ":" or (index > 0 and text[index - 1] in ":_"):
                end = re.match(r"[^\s;,.(){}\[\]]*", text[end:]).end() + end
            else:
                yield index, match.group(0).upper()
            index = end
        else:
            index += 1


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

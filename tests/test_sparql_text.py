"""The query-text scanner: the fast ASCII tokenizer gives exactly the character loop's tokens."""

from __future__ import annotations

import random
from pathlib import Path

from vlmgraph.sparql_text import _scan_characters, inspect, keywords, query_form, scan, undeclared_prefix
from vlmgraph.vocab import PREFIXES, sparql_prologue

ROOT = Path(__file__).resolve().parents[1]
PIECES = list("abxyzAEST_:?$@{}<>\"'#\\.-%/0123456789eE+ \n\t*()=,;|^`") + [
    '"""', "'''", "SELECT", "PREFIX ", "ex:", "<http://a.example/b>", "_:b", "FROM", "1.5e3", "\\.", "#x\n"]


def _texts() -> list[str]:
    files = [*ROOT.glob("queries/*.rq"), *ROOT.glob("tests/w3c-sparql-query/**/*.rq")]
    return [sparql_prologue()] + [path.read_text(encoding="utf-8") for path in files]


DECLARING = ["PREFIX ", "prefix ", "ex:", ":", "a.b:", "<http://a.example/>", "< x>", " ", "\n", "#c\n", "ex:y",
             "SELECT", "BASE ", "x", "{", "}", "?v", '"s"', "PREFIXex:"]


def _agree(text: str) -> None:
    assert list(scan(text)) == list(_scan_characters(text)), text
    found = inspect(text, PREFIXES)
    assert (found.form, found.keywords, found.undeclared) == (
        query_form(text), keywords(text), undeclared_prefix(text, PREFIXES)), text


def test_ascii_tokens_match_the_character_loop_on_random_text():
    rng = random.Random(16)
    for _ in range(8_000):
        _agree("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))))
    for _ in range(8_000):  # PREFIX declarations, which inspect reads a line at a time
        _agree("".join(rng.choice(DECLARING) for _ in range(rng.randint(0, 12))))


def test_ascii_tokens_match_on_real_queries_and_inspect_agrees():
    texts = _texts()
    assert len(texts) > 100
    for text in texts:
        _agree(text)


def test_text_beyond_ascii_uses_the_character_loop():
    text = 'SELECT ?x WHERE { ?x rdfs:label "Ünïcode SERVICE" ; 食:納豆 ?y }'
    assert list(scan(text)) == list(_scan_characters(text))
    assert "SERVICE" not in inspect(text, PREFIXES).keywords
    assert inspect(text, PREFIXES).undeclared[1] == "食"

"""What vlmgraph prints for people can be pasted back: prefixed names that parse, full values in a
pipe, errors that say what is wrong, and a word when a name stood for something else."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from vlmgraph.cli import app
from vlmgraph.execution import QueryError, execute
from vlmgraph.names import NameIndex
from vlmgraph.terms import KINDS
from vlmgraph.vocab import DATA_GRAPH, PREFIXES, RESOURCE_NS, VOCABULARIES, prefixed_name

from .conftest import DATA


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Run `vlmgraph …` on the real catalogue (stdout is not a terminal here): (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    store = tmp_path_factory.mktemp("paste") / "build"
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, [*args, "--data", str(DATA), "--store", str(store)])
        return result.exit_code, result.stdout, result.stderr

    return run


def test_every_segment_has_its_prefix_and_none_shadows_a_vocabulary():
    segments = {kind.segment for kind in KINDS}
    assert segments == {name for name, iri in PREFIXES.items() if iri == f"{RESOURCE_NS}{name}/"}
    assert not segments & set(VOCABULARIES)
    assert PREFIXES["model"] == RESOURCE_NS + "model/"


def test_every_resource_prints_as_a_name_that_parses_back_to_it(store):
    iris = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, DATA_GRAPH)
                   if isinstance(q.subject, NamedNode) and q.subject.value.startswith(RESOURCE_NS)})
    assert len(iris) > 500
    names = [prefixed_name(iri) for iri in iris]
    assert not [name for name in names if name.startswith("res:") or "/" in name.split(":", 1)[1] and
                not name.startswith("<")]
    assert prefixed_name(RESOURCE_NS + "model/llava-1.5") == "model:llava-1.5"
    solutions = execute(store, "SELECT ?x WHERE { VALUES ?x { %s } }" % " ".join(names))
    assert sorted(row["x"].value for row in solutions) == iris


def test_piped_table_prints_full_values_that_paste_into_a_query(cli):
    code, out, err = cli("query", "lineage", "--param", "model=LLaVA-1.5")
    lines = out.splitlines()
    assert code == 0 and err.strip().endswith(f"{len(lines) - 1} rows") and len(lines) > 10
    assert lines[0].split() == ["from", "fromLabel", "relation", "to", "toLabel"]
    assert "…" not in out and "res:" not in out
    assert "model:clip-vit-l-14-336  CLIP ViT-L/14@336px  vlm:extractedFrom" in out
    row = next(line for line in lines if "Vicuna v1.5" in line and "fineTunedFrom" in line)
    pasted = row.split()[0]
    assert pasted == "model:vicuna-v1.5"
    code, out, _ = cli("query", "-e", f"SELECT ?label WHERE {{ {pasted} rdfs:label ?label }}")
    assert code == 0 and out.splitlines()[1] == "Vicuna v1.5"


def test_named_queries_take_prefixed_names_and_the_older_res_form(store):
    names = NameIndex(store)
    llava = RESOURCE_NS + "model/llava-1.5"
    assert names.resolve("model:llava-1.5").value == llava
    assert names.resolve("res:model/llava-1.5").value == llava
    assert names.resolve("<%s>" % llava).value == llava


@pytest.mark.parametrize("args, message", [
    (("query", "-e", "SELECT * WHERE { ?s foo:bar ?o }"),
     "error: unknown prefix 'foo:' at line 1, column 21 — known: vlm, res, rdf"),
    (("query", "-e", "SELEC * WHERE { ?s ?p ?o }"),
     "error: SPARQL syntax error at line 1, column 1: 'SELEC' is not a SPARQL keyword — did you mean SELECT?"),
    (("query", "-e", "SELECT * WHERE { ?s ?p ?o FILTR(?o) }"), "did you mean FILTER?"),
    # a property path is no slashed name, and a letter no keyword starts with does not trip the scanner
    (("query", "-e", "SELECT * WHERE { ?s vlm:hasVisionEncoder/rdfs:label ?o . FILTR(?o) }"),
     "column 58: 'FILTR' is not a SPARQL keyword — did you mean FILTER?"),
    (("query", "-e", 'SELECT * WHERE { ?s ?p "é" . é }'), "error: SPARQL syntax error at line 1, column 30: 'é' is not"),
    (("query", "-e", "SELECT * WHERE { res:model/llava ?p ?o }"),
     "res:model/llava is not a prefixed name ('/' may not appear after the colon); write model:llava"),
    (("query", "-e", 'INSERT DATA { model:x rdfs:label "x" }'), "error: vlmgraph is read-only: SPARQL Update"),
    (("query", "linage"), "error: no query named 'linage'; did you mean lineage?"),
    (("query",), "error: no query given: name a query (`vlmgraph queries` lists them), give an .rq file"),
    (("query", "missing.rq"), "error: no query file missing.rq"),
])
def test_errors_say_what_is_wrong_in_one_line(cli, args, message):
    code, out, err = cli(*args)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert "\\u{" not in err and "Traceback" not in err


def test_parser_detail_drops_character_ranges(store):
    with pytest.raises(QueryError) as caught:
        execute(store, "SELECT * WHERE { ?s ?p ?o ")
    assert str(caught.value) == ('SPARQL syntax error at line 1, column 27: expected one of ",", ".", ";", "{", '
                                 '"{|", "}", "~"')


def test_a_name_standing_for_another_spelling_is_said_on_stderr(cli):
    code, out, err = cli("query", "lineage", "--param", "model=llava1.5")
    assert code == 0 and "note: model='llava1.5' is LLaVA-1.5 (model:llava-1.5)" in err
    code, _, err = cli("query", "lineage", "--param", "model=LLaVA-1.5")
    assert code == 0 and "note:" not in err


def test_a_family_given_for_a_model_is_refused_not_answered_with_nothing(cli):
    code, out, err = cli("query", "lineage", "--param", "model=Vicuna")
    assert code == 1 and out == ""
    assert err.strip() == ("error: parameter 'model': 'Vicuna' is Vicuna (family:vicuna), a model family; "
                           "query 'lineage' takes a model")

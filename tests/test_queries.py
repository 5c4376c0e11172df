"""Running SPARQL: named queries, parameters bound as terms, clear errors."""

from __future__ import annotations

import pytest

from vlmgraph.cli import app
from vlmgraph.execution import QueryError, collect, execute
from vlmgraph.queries import bind_parameters, named_queries, run_named
from vlmgraph.store import memory_store

from .conftest import write_small_records


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    return memory_store(write_small_records(tmp_path_factory.mktemp("queries") / "data"))


def test_every_named_query_is_documented_and_runs_with_its_defaults(store):
    queries = named_queries()
    assert len(queries) >= 11
    for query in queries.values():
        assert query.summary and query.summary != query.name, query.name
        for parameter in query.parameters:
            assert parameter.default is not None or not parameter.required, (query.name, parameter.name)
        result = collect(run_named(store, query, {}))
        assert result.kind == "solutions" and result.rows, query.name


@pytest.mark.parametrize("hostile", [
    'x" } ?s ?p ?o { "',
    "> } INSERT DATA { <a> <b> <c> } #",
    "}} UNION { ?s ?p ?o }",
    "\\\" ) } ; DROP ALL",
])
def test_parameter_values_cannot_change_the_query(small_store, hostile):
    query = named_queries()["models-under-budget"]
    with pytest.raises(QueryError, match="must be a whole number"):
        run_named(small_store, query, {"budget": hostile})
    lineage = named_queries()["lineage"]
    with pytest.raises(QueryError, match="no entity named"):
        run_named(small_store, lineage, {"model": hostile})


def test_string_values_are_escaped_literals():
    from pyoxigraph import Literal, Variable

    text = bind_parameters("SELECT ?x WHERE { ?s ?p ?_q }", {Variable("_q"): Literal('a" } ?s ?p ?o . { "')})
    assert text.startswith('SELECT ?x WHERE { BIND("a\\" } ?s ?p ?o . { \\"" AS ?_q)')


def test_bindings_go_into_the_where_group_not_a_prefix_iri_or_string():
    from pyoxigraph import NamedNode, Variable

    text = ('PREFIX ex: <http://example.org/{x}>\n# a { comment\nSELECT ?a WHERE { ?a ex:p "{" ; ex:q ?_v }')
    bound = bind_parameters(text, {Variable("_v"): NamedNode("http://example.org/v")})
    assert 'WHERE { BIND(<http://example.org/v> AS ?_v)  ?a ex:p "{"' in bound


def test_unknown_name_suggests_close_matches(small_store):
    with pytest.raises(QueryError, match=r"no entity named 'LLaVA 1.6' \(did you mean LLaVA-1.5\?\)"):
        run_named(small_store, named_queries()["lineage"], {"model": "LLaVA 1.6"})


def test_unknown_parameter_is_named(small_store):
    with pytest.raises(QueryError, match="has no parameter 'modle'"):
        run_named(small_store, named_queries()["lineage"], {"modle": "LLaVA-1.5"})


def test_syntax_error_gives_line_and_column(small_store):
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line 2, column \d+: "):
        execute(small_store, "SELECT * WHERE {\n ?s ?p }")


def test_cli_query_expression_answers(runner, small_data, tmp_path):
    result = runner.invoke(app, ["query", "-e", "SELECT ?label WHERE { ?m a vlm:VisionLanguageModel ; rdfs:label ?label }",
                                 "--data", str(small_data), "--store", str(tmp_path / "b"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["label", "LLaVA-1.5"]


def test_cli_named_query_with_param_as_json(runner, small_data, tmp_path):
    import json

    result = runner.invoke(app, ["query", "lineage", "--param", "model=llava 1.5", "--format", "json",
                                 "--data", str(small_data), "--store", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["head"]["vars"][:2] == ["from", "fromLabel"]
    labels = {b["toLabel"]["value"] for b in payload["results"]["bindings"]}
    assert labels == {"Vicuna v1.5", "Llama 2", "CLIP ViT-L/14@336px"}


def test_cli_query_errors_are_one_line(runner, small_data, tmp_path):
    args = ["--data", str(small_data), "--store", str(tmp_path / "b")]
    for argv, message in [
        (["query", "-e", "SELECT * WHERE { ?s ?p }"], "error: SPARQL syntax error at line 1, column 25: "),
        (["query", "no-such-query"], "error: no query named 'no-such-query'"),
        (["query", "lineage", "--param", "model"], "error: --param takes name=value"),
        (["query"], "error: no query given: name a query"),
    ]:
        result = runner.invoke(app, argv + args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith(message), result.output


def test_cli_stats_counts_classes(runner, small_data, tmp_path):
    result = runner.invoke(app, ["stats", "--data", str(small_data), "--store", str(tmp_path / "b")])
    assert result.exit_code == 0
    assert "vlm:VisionLanguageModel" in result.stdout and "graph/ontology" in result.stdout


def test_lineage_lists_every_sub_property_of_its_two_relations(store):
    """queries/lineage.rq lists its relations rather than walking rdfs:subPropertyOf* per edge: the list
    must be what the ontology says, or an edge of a new relation would go missing from every lineage."""
    import re

    text = named_queries()["lineage"].text
    listed = {name for line in re.search(r"VALUES \?relation \{([^}]*)\}", text).group(1).splitlines()
              for name in line.split("#")[0].split()}
    ontology = {row["r"].value.replace("https://w3id.org/vlmgraph/ontology#", "vlm:") for row in execute(
        store, "SELECT ?r WHERE { VALUES ?top { vlm:hasComponent vlm:derivedFrom } ?r rdfs:subPropertyOf* ?top }")}
    assert listed == ontology and len(ontology) >= 10

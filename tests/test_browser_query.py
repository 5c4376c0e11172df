"""The query page in real headless Chromium: what a researcher sees and clicks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from vlmgraph.queries import named_queries

ROWS = "#table-view table.results tbody tr"


def test_page_loads_with_prefixes_and_every_named_query(visit):
    watched = visit("/")
    page = watched.page
    assert page.title() == "SPARQL query · vlmgraph"
    editor = page.locator("#editor").input_value()
    assert "PREFIX vlm: <https://w3id.org/vlmgraph/ontology#>" in editor
    assert "SELECT" in editor
    # The editor paints its text highlighted underneath: keywords, variables, prefixed names.
    painted = page.locator("#editor-highlight").inner_text()
    assert painted.rstrip() == editor.rstrip()
    assert "SELECT" in page.locator("#editor-highlight .kw").all_inner_texts()
    assert "?model" in page.locator("#editor-highlight .var").all_inner_texts()
    names = page.locator("#examples button").evaluate_all("buttons => buttons.map(b => b.dataset.example)")
    assert names == sorted(named_queries())
    assert watched.problems() == []


def test_example_runs_and_shows_rows_linking_entity_pages(visit, live_app):
    watched = visit("/")
    page = watched.page
    page.click('#examples button[data-example="lineage"]')
    page.wait_for_selector(ROWS)
    table = page.locator("#table-view").inner_text()
    # LLaVA-1.5 is built on Vicuna v1.5, which is fine-tuned from Llama 2.
    assert "Vicuna v1.5" in table and "Llama 2" in table and "CLIP ViT-L/14@336px" in table
    assert page.locator("#status").inner_text().endswith(" ms")
    hrefs = page.locator(f"{ROWS} a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/resource/model/llava-1.5" in hrefs
    assert "/ontology#hasLanguageBackbone" in hrefs  # vocabulary terms open the ontology page
    # The address bar now holds the query: the link reproduces it.
    query = parse_qs(urlsplit(page.url).query)["query"][0]
    assert "BIND(model:llava-1.5 AS ?_model_iri)" in query
    # Cells print resources as prefixed names that parse when pasted back into a query.
    cells = page.locator(f"{ROWS} td").all_inner_texts()
    assert "model:llava-1.5" in cells and "vlm:hasLanguageBackbone" in cells
    assert not [cell for cell in cells if cell.startswith("res:")]
    watched.screenshot("query-page-lineage")
    assert watched.problems() == []


def test_link_with_query_reproduces_the_result(visit, live_app):
    query = "SELECT ?label WHERE { ?m a vlm:VisionLanguageModel ; rdfs:label ?label } ORDER BY ?label LIMIT 3"
    watched = visit("/?" + httpx.QueryParams({"query": query}).__str__())
    page = watched.page
    page.wait_for_selector(ROWS)
    assert page.locator("#editor").input_value() == query
    assert page.locator(ROWS).count() == 3
    # The downloads are the endpoint's own serializations of the same query.
    csv_href = page.locator("#downloads a", has_text="CSV").get_attribute("href")
    response = httpx.get(live_app + csv_href)
    assert response.status_code == 200 and response.text.splitlines()[0] == "label"
    assert len(response.text.strip().splitlines()) == 4
    json_href = page.locator("#downloads a", has_text="JSON").get_attribute("href")
    assert len(httpx.get(live_app + json_href).json()["results"]["bindings"]) == 3
    assert watched.problems() == []


def test_construct_results_are_drawn_as_a_graph(visit):
    query = ("CONSTRUCT { ?m vlm:hasVisionEncoder ?e . ?m rdfs:label ?l . ?e rdfs:label ?el } WHERE { "
             "?m vlm:hasVisionEncoder ?e ; rdfs:label ?l . ?e rdfs:label ?el . ?e rdfs:label \"SigLIP So400m/14@384\" }")
    watched = visit("/?" + str(httpx.QueryParams({"query": query})))
    page = watched.page
    page.wait_for_selector("#graph-view canvas")
    assert page.locator("#tab-graph").get_attribute("aria-selected") == "true"
    labels = page.evaluate("window.vlmgraphQueryGraph.nodes.get().map(n => n.label)")
    assert "SigLIP So400m/14@384" in labels and len(labels) >= 3  # the encoder and at least two models using it
    edges = page.evaluate("window.vlmgraphQueryGraph.edges.get().map(e => e.label)")
    assert set(edges) == {"vlm:hasVisionEncoder"} and len(edges) == len(labels) - 1
    watched.screenshot("query-page-construct")
    assert watched.problems() == []


def test_a_broken_query_shows_the_error_with_its_position(visit):
    watched = visit("/")
    page = watched.page
    page.fill("#editor", "SELECT ?x WHERE { ?x ?y }")
    page.locator("#editor").press("Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    message = page.locator("#error").inner_text()
    assert message.startswith("Error 400: SPARQL syntax error at line 1, column 26")
    assert page.locator(ROWS).count() == 0
    # The browser itself logs the 400 response; nothing else may go wrong.
    assert watched.problems(allow=("status of 400",)) == []

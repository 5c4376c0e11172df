"""The query page's result tools, completion, history and parameter form, in Chromium."""

from __future__ import annotations

import httpx

ROWS = "#table-view table.results tbody tr"
ALL_TRIPLES = "SELECT * WHERE { ?s ?p ?o } LIMIT 120"


def column(page, index: int) -> list[str]:
    return page.locator(f"{ROWS} td:nth-child({index})").all_inner_texts()


def test_results_sort_filter_and_page(visit):
    query = "SELECT ?label ?date WHERE { ?m a vlm:Model ; rdfs:label ?label OPTIONAL { ?m vlm:releaseDate ?date } }"
    watched = visit("/?" + str(httpx.QueryParams({"query": query})))
    page = watched.page
    page.wait_for_selector(ROWS)
    total = page.evaluate("document.getElementById('status').textContent").split(" ")[0]
    assert int(total) > 60
    assert page.locator(ROWS).count() == min(int(total), 50)  # one page of rows
    assert page.locator("#page-status").inner_text() == f"rows 1–{min(int(total), 50)} of {total}"
    page.click("#page-next")
    assert page.locator("#page-status").inner_text().startswith("rows 51–")
    page.click("#page-previous")
    page.click("thead th:nth-child(2) button.sort")  # ?label, ascending
    labels = column(page, 2)
    assert labels == sorted(labels, key=str.lower) and page.locator("thead th:nth-child(2)").get_attribute(
        "aria-sort") == "ascending"
    page.click("thead th:nth-child(3) button.sort")
    page.click("thead th:nth-child(3) button.sort")  # ?date, descending
    dates = [d.split(" ")[0] for d in column(page, 3)]
    assert dates == sorted(dates, reverse=True)
    page.fill("#result-filter", "llava")
    shown = column(page, 2)
    assert shown and all("llava" in label.lower() for label in shown)
    assert "LLaVA-1.5" in shown
    watched.screenshot("query-page-table-tools")
    assert watched.problems() == []


def test_a_wide_result_scrolls_inside_the_table_on_a_narrow_window(browser, live_app):
    from .browser import watch

    context = browser.new_context(viewport={"width": 420, "height": 900})
    watched = watch(context, live_app)
    page = watched.page
    page.goto(live_app + "/?" + str(httpx.QueryParams({"query": ALL_TRIPLES})))
    page.wait_for_selector(ROWS)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.evaluate("(() => { const v = document.getElementById('table-view'); "
                         "const t = v.querySelector('table'); return t.scrollWidth > t.clientWidth || "
                         "v.scrollWidth > v.clientWidth; })()")
    assert watched.problems() == []
    context.close()


def test_completion_of_terms_prefixes_and_entities_by_label(visit):
    watched = visit("/")
    page = watched.page
    page.fill("#editor", "SELECT ?m WHERE { ?m a ")
    page.locator("#editor").press("End")
    page.locator("#editor").press_sequentially("vlm:VisionL", delay=20)
    page.wait_for_selector("#completions li")
    assert page.locator("#completions li").first.inner_text().startswith("vlm:VisionLanguageModel")
    page.locator("#editor").press("Enter")
    assert page.locator("#editor").input_value() == "SELECT ?m WHERE { ?m a vlm:VisionLanguageModel"
    page.locator("#editor").press_sequentially(" . ?m vlm:hasLanguageBackbone llava 1", delay=20)
    page.locator("#editor").press("Escape")
    page.fill("#editor", "SELECT ?p WHERE { ")
    page.locator("#editor").press("End")
    page.locator("#editor").press_sequentially("LLaVA-1.", delay=30)
    page.wait_for_selector("#completions li:has-text('LLaVA-1.5')")
    options = page.locator("#completions li").all_inner_texts()
    index = next(i for i, text in enumerate(options) if text.startswith("LLaVA-1.5"))
    for _ in range(index):
        page.locator("#editor").press("ArrowDown")
    page.locator("#editor").press("Tab")
    assert page.locator("#editor").input_value() == \
        "SELECT ?p WHERE { <https://w3id.org/vlmgraph/resource/model/llava-1.5>"
    assert page.locator("#editor-highlight").inner_text().rstrip() == page.locator("#editor").input_value()
    page.fill("#editor", "")
    page.locator("#editor").press_sequentially("sk", delay=30)
    page.wait_for_selector("#completions li")
    assert "skos:" in page.locator("#completions li").all_inner_texts()[0]
    assert watched.problems() == []


def test_history_keeps_the_queries_run_across_visits(visit):
    watched = visit("/")
    page = watched.page
    page.evaluate("localStorage.clear()")
    first = "SELECT ?l WHERE { ?m a vlm:VisionEncoder ; rdfs:label ?l } LIMIT 2"
    second = "SELECT ?l WHERE { ?m a vlm:Benchmark ; rdfs:label ?l } LIMIT 2"
    for query in (first, second):
        page.fill("#editor", query)
        page.click("#run")
        page.wait_for_selector(ROWS)
    page.reload()
    items = page.locator("#history button")
    assert items.count() == 2 and items.nth(0).get_attribute("title") == second
    items.nth(1).click()
    assert page.locator("#editor").input_value() == first
    assert watched.problems() == []


def test_a_named_querys_parameter_is_given_by_name(visit):
    watched = visit("/")
    page = watched.page
    page.click('#examples button[data-example="lineage"]')
    page.wait_for_selector("#parameter-form input[name=model]")
    page.fill("#parameter-form input[name=model]", "Qwen2.5-VL-7B")
    page.click("#parameter-form button[type=submit]")
    page.wait_for_function("document.getElementById('editor').value.includes('model:qwen2.5-vl-7b')")
    page.wait_for_selector(ROWS)
    assert "BIND(model:qwen2.5-vl-7b AS ?_model_iri)  # model: Qwen2.5-VL-7B" in page.locator("#editor").input_value()
    assert "Qwen2.5" in page.locator("#table-view").inner_text()
    page.fill("#parameter-form input[name=model]", "No Such Model")
    page.click("#parameter-form button[type=submit]")
    page.wait_for_function("document.getElementById('status').textContent.includes('No Such Model')")
    assert watched.problems(allow=("status of 400",)) == []


def test_a_construct_graph_without_labels_is_labelled_by_rdfs_label(visit):
    query = ("CONSTRUCT { ?m vlm:hasVisionEncoder ?e } WHERE { ?m vlm:hasVisionEncoder ?e . "
             "?e rdfs:label \"SigLIP So400m/14@384\" }")
    watched = visit("/?" + str(httpx.QueryParams({"query": query})))
    page = watched.page
    page.wait_for_selector("#graph-view canvas")
    page.wait_for_function("window.vlmgraphQueryGraph.nodes.get().some(n => n.label === 'SigLIP So400m/14@384')")
    labels = page.evaluate("window.vlmgraphQueryGraph.nodes.get().map(n => n.label)")
    assert not any(label.startswith(("res:", "http")) for label in labels), labels
    assert watched.problems() == []

"""Every page of the app in Chromium at 1400 px and at 420 px: the site header and search on each,
no horizontal page overflow, no clipped navigation, wide tables scrolling inside themselves, and
no character the installed (Debian default) fonts cannot draw."""

from __future__ import annotations

import httpx
import pytest

from .browser import missing_glyphs

PAGES = {
    "query": "/",
    "query-all-triples": "/?" + str(httpx.QueryParams({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 300"})),
    "entity": "/resource/model/llava-1.5",
    "lineage": "/viz/lineage/LLaVA-1.5",
    "overview": "/viz/overview",
    "timeline": "/viz/timeline",
    "ontology": "/ontology",
    "api": "/api",
    "search": "/search?q=llava",
    "not-found": "/viz/lineage/llava-1.6",
}

LAYOUT = """() => {
    const width = document.documentElement.clientWidth;
    const outside = el => { const r = el.getBoundingClientRect(); return r.right > width + 1 || r.left < -1; };
    return {
        overflow: document.documentElement.scrollWidth - width,
        clippedNav: [...document.querySelectorAll("header.site a, header.site input")].filter(outside)
            .map(el => el.textContent || el.id),
        header: !!document.querySelector("header.site form.search input#search"),
        tables: [...document.querySelectorAll("table")].filter(t => {
            const box = t.getBoundingClientRect();
            return box.width > width && t.scrollWidth <= t.clientWidth && !t.closest(".results-scroll");
        }).length,
    };
}"""


@pytest.mark.parametrize("width", [1400, 420])
def test_every_page_has_the_site_header_and_fits_the_window(browser, live_app, width):
    from .browser import watch

    context = browser.new_context(viewport={"width": width, "height": 900})
    failures = {}
    for name, path in PAGES.items():
        watched = watch(context, live_app)
        page = watched.page
        page.goto(live_app + path, wait_until="networkidle")
        if name == "query-all-triples":
            page.wait_for_selector("#table-view table.results tbody tr")
        if page.locator("#vlmgraph-network").count():
            page.wait_for_function("window.vlmgraphNetwork && window.vlmgraphNetwork.ready")
        layout = page.evaluate(LAYOUT)
        problems = watched.problems(allow=("status of 404",) if name == "not-found" else ())
        missing = missing_glyphs(page)
        if layout["overflow"] > 0 or layout["clippedNav"] or not layout["header"] or layout["tables"] or problems \
                or missing:
            failures[name] = {**layout, "problems": problems, "missing glyphs": sorted(missing)}
        if width == 420:
            watched.screenshot(f"narrow-{name}")
        page.close()
    context.close()
    assert failures == {}


def test_a_wide_result_scrolls_inside_its_table_and_the_run_button_stays_in_view(visit):
    watched = visit("/?" + str(httpx.QueryParams({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 300"})))
    page = watched.page
    page.wait_for_selector("#table-view table.results tbody tr")
    run = page.locator("#run").bounding_box()
    assert run["x"] + run["width"] <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert watched.problems() == []

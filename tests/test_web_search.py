"""Search by label and alias: the index itself, GET /api/search and the /search page."""

from __future__ import annotations

import pytest

from vlmgraph.execution import execute
from vlmgraph.names import MAX_QUERY, RANKS, NameIndex, QueryTooLong, words

from .web_site import make_client

LLAVA = "https://w3id.org/vlmgraph/resource/model/llava-1.5"


@pytest.fixture(scope="module")
def index(store):
    return NameIndex(store)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_client(tmp_path_factory)


def test_words_ignore_case_accents_and_punctuation():
    assert words("LLaVA-1.5") == words("llava 1.5") == words("llava_1.5") == ["llava", "1", "5"]
    assert words("Université") == ["universite"]


@pytest.mark.parametrize("text", ["llava 1.5", "LLaVA-1.5", "llava_1.5", "LLAVA1.5", "  llava-1.5 "])
def test_exact_match_comes_first_however_spelled(index, text):
    hits = index.search(text)
    assert hits[0].iri == LLAVA and hits[0].rank == "exact" and hits[0].label == "LLaVA-1.5"


def test_ranks_are_in_order(index):
    hits = index.search("siglip", limit=50)
    ranks = [RANKS.index(hit.rank) for hit in hits]
    assert ranks == sorted(ranks)
    labels = [hit.label for hit in hits]
    assert labels[0] == "SigLIP" and any(hit.kind == "VisionEncoder" for hit in hits)
    assert any(hit.rank == "prefix" and hit.label.startswith("SigLIP So400m") for hit in hits)


def test_aliases_are_searched_and_reported(index, store):
    alias, entity = next((row["alias"].value, row["e"].value) for row in execute(store, """
        SELECT ?alias ?e WHERE { ?e a vlm:VisionEncoder ; skos:altLabel ?alias ; rdfs:label ?label
                                 FILTER(LCASE(?alias) != LCASE(?label) && CONTAINS(?alias, "SoViT")) }"""))
    hit = next(hit for hit in index.search(alias) if hit.iri == entity)
    assert hit.match == alias and hit.label != alias and hit.rank == "exact"


def test_word_prefix_substring_and_fuzzy(index):
    assert any(hit.label == "CLIP ViT-L/14@336px" and hit.rank == "word prefix" for hit in index.search("vit-l/14@336"))
    assert any(hit.label == "Vicuna v1.5" and hit.rank == "substring" for hit in index.search("cuna v1.5"))
    fuzzy = index.search("sigclip")
    assert fuzzy and fuzzy[0].label == "SigLIP" and fuzzy[0].rank == "fuzzy"


def test_empty_long_and_limited(index):
    assert index.search("") == [] and index.search(" -- ") == []
    with pytest.raises(QueryTooLong):
        index.search("x" * (MAX_QUERY + 1))
    assert len(index.search("a", limit=3)) == 3
    assert index.search("qqqzzzxxx") == []


def test_corrections_and_results_are_not_indexed(index):
    assert all(hit.page.split("/")[2] not in ("correction", "result") for hit in index.search("llava", limit=50))


def _ranked_by_rule(store, text: str, limit: int) -> list[tuple[str, str, str]]:
    """The documented ranking, computed plainly from the store: (IRI, rank, matched name) of the best
    `limit` catalogue entities, ranks 0-3 (exact, prefix, later-word prefix, substring)."""
    from vlmgraph.terms import ENTITY_KINDS

    order = {kind.iri: position for position, kind in enumerate(ENTITY_KINDS)}
    names: dict[str, list] = {}
    for row in store.query("SELECT ?e ?n ?alias WHERE { GRAPH <https://w3id.org/vlmgraph/graph/data> { "
                           "{ ?e rdfs:label ?n BIND(0 AS ?alias) } UNION { ?e skos:altLabel ?n BIND(1 AS ?alias) } } }",
                           prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                                     "skos": "http://www.w3.org/2004/02/skos/core#"}):
        names.setdefault(row["e"].value, []).append((int(row["alias"].value), row["n"].value))
    kinds: dict[str, int] = {}
    for row in store.query("SELECT ?e ?c WHERE { GRAPH <https://w3id.org/vlmgraph/graph/data> { ?e a ?c } }"):
        if row["c"].value in order:
            kinds[row["e"].value] = min(kinds.get(row["e"].value, 99), order[row["c"].value])
    query = "".join(words(text))
    scored = []
    for iri, said in names.items():
        if iri not in kinds or not iri.startswith("https://w3id.org/vlmgraph/resource/"):
            continue
        unique = list(dict.fromkeys([name for _, name in sorted(said)] + [iri.rsplit("/", 1)[-1]]))
        best = None
        for position, name in enumerate(unique):
            parts = words(name)
            compact = "".join(parts)
            starts = [len("".join(parts[:i])) for i in range(1, len(parts))]
            rank = (0 if compact == query else 1 if compact.startswith(query)
                    else 2 if any(compact.startswith(query, start) for start in starts) else 3 if query in compact else None)
            if rank is not None and (best is None or (rank, position) < best):
                best = (rank, position)
        if best is not None:
            label = unique[0]
            scored.append(((best[0], best[1] > 0, kinds[iri], len(label), label.casefold(), iri),
                           (iri, RANKS[best[0]], unique[best[1]])))
    return [hit for _, hit in sorted(scored)[:limit]]


@pytest.mark.parametrize("text", ["llava", "LLaVA-1.5", "vit-l/14", "cuna", "qwen2", "intern vl", "a", "7b", "mix"])
def test_ranking_follows_the_documented_rules(index, store, text):
    expected = _ranked_by_rule(store, text, 25)
    assert [(hit.iri, hit.rank, hit.match) for hit in index.search(text, limit=25)][:len(expected)] == expected


def test_served_catalogue_reads_the_name_table_the_build_wrote(tmp_path, store):
    from vlmgraph.catalogue import Catalogue
    from vlmgraph.names import NAMES_FILE
    from vlmgraph.store import build

    from .conftest import DATA

    build(DATA, tmp_path / "build")
    catalogue = Catalogue.open(tmp_path / "build")
    assert (tmp_path / "build" / NAMES_FILE).is_file()
    for text in ("llava 1.5", "siglip", "vit-l/14@336", "sigclip", "qwen"):
        served = catalogue.names.search(text, limit=20)
        assert served and served == NameIndex(store).search(text, limit=20)
    assert catalogue.names.resolve("llava1.5").value == LLAVA


def test_api_search(client):
    response = client.get("/api/search", params={"q": "llava 1.5"})
    assert response.status_code == 200
    first = response.json()[0]
    assert {"label", "kind", "iri", "page", "match"} <= set(first)
    assert first["label"] == "LLaVA-1.5" and first["page"] == "/resource/model/llava-1.5"
    assert first["kind"] == "VisionLanguageModel" and first["iri"] == LLAVA
    siglip = client.get("/api/search", params={"q": "siglip", "limit": 20}).json()
    assert "SigLIP" in [hit["label"] for hit in siglip] and len(siglip) <= 20
    assert client.get("/api/search", params={"q": ""}).json() == []
    assert client.get("/api/search").json() == []


@pytest.mark.parametrize("params", [{"q": "x" * 201}, {"q": "llava", "limit": "many"}, {"q": "llava", "limit": "0"},
                                    {"q": "llava", "limit": "10000"}])
def test_api_search_refuses_bad_input_with_400(client, params):
    response = client.get("/api/search", params=params)
    assert response.status_code == 400 and "error" in response.json()


def test_api_search_is_documented(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]
    assert operation["summary"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit"}


def test_search_page_redirects_on_a_single_exact_match(client):
    response = client.get("/search", params={"q": "llava 1.5"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/resource/model/llava-1.5"


def test_search_page_lists_results(client):
    response = client.get("/search", params={"q": "siglip"})
    assert response.status_code == 200
    assert 'href="/resource/family/siglip"' in response.text and 'href="/resource/model/siglip"' in response.text
    assert client.get("/search").text.count("Type something") == 1
    nothing = client.get("/search", params={"q": "<script>qqqzzz</script>"})
    assert nothing.status_code == 200 and "<script>qqqzzz" not in nothing.text and "&lt;script&gt;qqqzzz" in nothing.text
    assert client.get("/search", params={"q": "x" * 300}).status_code == 400


def test_search_script_is_served(client):
    response = client.get("/static/search.js")
    assert response.status_code == 200 and "/api/search" in response.text and "search-suggestions" in response.text

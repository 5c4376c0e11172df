"""schema.org JSON-LD for an entity page, so search engines and link previews know what it is.

The @type by kind:

* models (vision-language, language, vision encoders) and tools: ``SoftwareApplication``, with
  ``applicationCategory`` naming the kind;
* datasets and benchmarks: ``Dataset``; organizations: ``Organization``; papers: ``ScholarlyArticle``;
  model families: ``CreativeWorkSeries``; concepts: ``DefinedTerm``; anything else: ``Thing``.

Each carries ``@id`` (the entity's w3id IRI), ``name``, ``alternateName`` (aliases and seed-list
names), ``description``, ``url`` (its page here), ``dateCreated``/``datePublished``, ``creator``
(developers), ``citation`` (papers), ``sameAs`` (Wikidata, ROR, homepage, repository, model card,
arXiv/DOI pages), ``isBasedOn`` (components, the models or datasets it was derived from, training
data), ``isPartOf`` (its family), ``license``, ``keywords`` (subjects) and, for organizations,
``parentOrganization`` and ``address``.

The context is given in line (``@vocab`` schema.org) rather than as the URL
``https://schema.org``, so a JSON-LD processor can read the page offline, as everything else here.
"""

from __future__ import annotations

import json

from ..terms import KINDS
from ..entity_view import EntityView, Value

CONTEXT = {
    "@vocab": "https://schema.org/",
    "url": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
    "mainEntityOfPage": {"@type": "@id"},
}
TYPES = {kind.name: kind.schema_type for kind in KINDS if kind.schema_type}
# A linked entity's type from its IRI segment alone (every kind of model is a SoftwareApplication).
_NAMESPACE_TYPES = {kind.segment: kind.schema_type for kind in KINDS if kind.schema_type}


def _ref(value: Value, base_url: str) -> dict:
    ref: dict = {"@id": value.iri, "name": value.text}
    namespace = (value.href or "").removeprefix("/resource/").split("/", 1)[0]
    if namespace in _NAMESPACE_TYPES:
        ref["@type"] = _NAMESPACE_TYPES[namespace]
    if value.href and value.href.startswith("/"):
        ref["url"] = base_url + value.href
    return ref


def _one_or_many(items: list):
    return items[0] if len(items) == 1 else items


def schema_org(view: EntityView, base_url: str) -> dict:
    """The JSON-LD object; `base_url` is the app's root URL without the trailing slash."""
    kind_type = TYPES.get(view.kind, "Thing")
    data: dict = {"@context": CONTEXT, "@type": kind_type, "@id": view.iri, "name": view.label,
                  "url": base_url + view.page, "mainEntityOfPage": base_url + view.page}
    names = list(dict.fromkeys([*view.aliases, *view.seed_names]))
    if names:
        data["alternateName"] = names
    if view.description:
        data["description"] = view.description
    if kind_type == "SoftwareApplication":
        data["applicationCategory"] = view.kind_label
    date = view.fact("vlm:releaseDate") or view.fact("dct:issued")
    if date:
        data["datePublished" if view.kind in ("Paper", "Dataset", "Benchmark") else "dateCreated"] = date[0].text
    developers = view.fact("vlm:developedBy")
    if developers:
        data["creator"] = [_ref(v, base_url) for v in developers]
    papers = view.fact("vlm:describedIn")
    if papers:
        data["citation"] = [_ref(v, base_url) for v in papers]
    same = [v.href for prop in ("skos:exactMatch", "schema:url", "schema:codeRepository", "vlm:modelCard",
                                "vlm:arxivId", "vlm:doi") for v in view.fact(prop) if v.external]
    if same:
        data["sameAs"] = list(dict.fromkeys(same))
    based_on = [c.entity for c in view.components] + [d.entity for d in view.derived_from] + view.trained_on
    if based_on:
        data["isBasedOn"] = [_ref(v, base_url) for v in dict.fromkeys(based_on)]
    family = view.fact("vlm:memberOfFamily")
    if family:
        data["isPartOf"] = _one_or_many([_ref(v, base_url) for v in family])
    licence = view.fact("vlm:license")
    if licence:
        data["license"] = _one_or_many([v.text for v in licence])
    subjects = view.fact("dct:subject")
    if subjects:
        data["keywords"] = [v.text for v in subjects]
    if view.kind == "Organization":
        parents = view.fact("org:subOrganizationOf")
        if parents:
            data["parentOrganization"] = _one_or_many([_ref(v, base_url) for v in parents])
        countries = view.fact("schema:addressCountry")
        if countries:
            data["address"] = {"@type": "PostalAddress", "addressCountry": countries[0].text}
    if view.kind == "Paper":
        arxiv = view.fact("vlm:arxivId")
        if arxiv:
            data["identifier"] = f"arXiv:{arxiv[0].text}"
    if view.kind == "Concept":
        schemes = view.fact("skos:inScheme")
        if schemes:
            data["inDefinedTermSet"] = schemes[0].text
    return data


def script_json(data: dict) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped, so '</script>' in a label cannot end it."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

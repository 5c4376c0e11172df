"""Match what an input names to graph entities and say where the input and the graph disagree.

Differences are of two sorts. A *known correction* is a seed-list error a curator has already
recorded on the entity (`corrections:` with the source); it is shown when the entry repeats the
claim. Any other difference is the input's value against the graph's, with the graph's source.
"""

from __future__ import annotations

import re

from ..vocab import RESOURCE_NS
from .awesome_list import ListEntry, ParsedList
from .claims import Claims, all_counts, read_claims, size_value, without_parentheticals
from .facts import EntityFacts, GraphFacts, KnownCorrection
from .lookup import EntityLookup, entity_id
from .report import Difference, EntryReport, ImportReport

# Which graph classes an entry of each list kind should be; matches of other kinds still count
# when none of these fits (the seed lists a paper and a model among its benchmarks).
KIND_CLASSES = {
    "model": ("VisionLanguageModel", "Model"),
    "dataset": ("Dataset",),
    "benchmark": ("Benchmark", "Dataset"),
    "tool": ("Tool",),
}
# The graph entities a list of each kind is expected to cover, for "entities the list lacks".
COVERED_CLASSES = {"model": "VisionLanguageModel", "dataset": "Dataset", "benchmark": "Dataset", "tool": "Tool"}
# What a series entry claims of its models together.
SERIES_FIELDS = ("parameters", "vision_encoders", "language_backbones")
# Words a correction's seed_claim uses to describe the list rather than to quote it.
_META_WORDS = {"listed", "lists", "list", "links", "link", "linked", "section", "seminal", "models", "model",
               "the", "a", "an", "as", "in", "of", "for", "under", "among", "and", "with", "to", "is", "by",
               "on", "from", "its", "this", "entry", "or", "it", "entries"}


def match_name(name: str, kind: str, lookup: EntityLookup, graph: GraphFacts, linked: str | None = None) -> list[str]:
    """The entities an entry names, those of the entry's kind first."""
    found = lookup.lookup(linked) if linked else []
    if not found and linked and linked.startswith(RESOURCE_NS):
        # A list rendered from an earlier graph links an entity page that has since moved (a
        # model that became a family): its id is still one of the entity's names.
        old_id = linked.rstrip("/").rsplit("/", 1)[-1]
        candidates = lookup.lookup(old_id)
        found = [iri for iri in candidates if iri.rsplit("/", 1)[-1] == old_id] or candidates
    if not found:
        found = lookup.lookup(name)
    if not found:  # "Molmo Series", "Pixtral 12B & Pixtral Large": look the parts up
        base = re.sub(r"\s+series$", "", name, flags=re.I)
        parts = [p for p in re.split(r"\s*&\s*|\s+and\s+", base) if p]
        found = sorted({iri for part in parts for iri in lookup.lookup(part)})
    wanted = KIND_CLASSES.get(kind, ())
    preferred = [iri for iri in found if graph.facts(iri).is_a(*wanted)]
    return preferred or found


def series_of(name: str, found: list[str], graph: GraphFacts) -> str | None:
    """The model family a list entry names as a whole ("Qwen2-VL", "Molmo Series"), or None.

    A name that resolves to a family names the series unless a model is itself called so
    ("PaliGemma" is a family and its first model): per-size records that carry the name only as
    a seed-list name ("Qwen2-VL" on Qwen2-VL-7B, where the seed's corrections are kept) are
    members of the series, not what the entry is.
    """
    families = [iri for iri in found if graph.facts(iri).is_a("ModelFamily")]
    if not families:
        return None
    key = _loose(name)
    for iri in found:
        facts = graph.facts(iri)
        if iri in families or not facts.is_a("VisionLanguageModel"):
            continue
        own = [facts.label, iri.rsplit("/", 1)[-1], *(n for n in facts.names if n not in facts.seed_names)]
        if key in {_loose(n) for n in own}:
            return None
    return families[0]


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _tokens(text: str) -> list[str]:
    return [t.strip(".,()\"'“”:;") for t in text.casefold().split()]


def repeats(claim: str, text: str) -> bool:
    """Whether an entry's text says what a correction's seed_claim records: of the
    claim's words (half or more) are words of the entry (a link or file name may sit inside a longer URL)."""
    words = [t for t in _tokens(claim) if len(t) > 1 and t not in _META_WORDS]
    if not words:
        return False
    own = set(_tokens(text)) | set(re.findall(r"\w+", text.casefold()))  # URLs count by their parts too
    haystack = text.casefold()
    found = sum((w in haystack) if ("/" in w or "." in w) else (w in own) for w in words)
    return found / len(words) >= 0.5


def _verbatim(claim: str, text: str) -> bool:
    """The entry quotes the claim word for word (three words or more: '13B parameters' is too
    common a phrase to tell one list from another)."""
    words = claim.casefold().split()
    return len(words) >= 3 and " ".join(words) in " ".join(text.casefold().split())


def names_entry(claim: str, name: str) -> bool:
    """A correction of a name applies where the list uses that name."""
    return " ".join(name.casefold().split()) in " ".join(claim.casefold().split())


def _normal_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").removesuffix(".git").casefold()


def format_size(count: int) -> str:
    for unit, scale in (("T", 10**12), ("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if count >= scale:
            return f"{count / scale:g}{unit}"
    return str(count)


class Reconciler:
    def __init__(self, lookup: EntityLookup, graph: GraphFacts):
        self.lookup = lookup
        self.graph = graph
        self.architectures = graph.architectures()

    # -- awesome-list ---------------------------------------------------------------------
    def reconcile_list(self, parsed: ParsedList, source: str) -> ImportReport:
        entries: list[EntryReport] = []
        first_line: dict[str, int] = {}
        matched: set[str] = set()
        for entry in parsed.entries:
            report = self.reconcile_entry(entry)
            key = " ".join(entry.name.casefold().split())
            if key in first_line:
                report.duplicate_of = first_line[key]
            else:
                first_line[key] = entry.line
            matched.update(report.entities)
            entries.append(report)
        for bad in parsed.unparsable:
            entries.append(EntryReport(bad.text, "unknown", "unparsable", line=bad.line, note=bad.reason))
        entries.sort(key=lambda e: e.line or 0)
        kinds = {e.kind for e in parsed.entries}
        return ImportReport(source, entries, self.missing(matched, kinds))

    def missing(self, matched: set[str], kinds: set[str]) -> list[dict]:
        classes = sorted({COVERED_CLASSES[k] for k in kinds if k in COVERED_CLASSES})
        lacking = []
        for cls in classes:
            for iri in self.graph.of_type(cls):
                if entity_id(iri) not in matched:
                    lacking.append({"kind": cls, "entity": entity_id(iri), "name": self.graph.label(iri)})
        return lacking

    def reconcile_entry(self, entry: ListEntry) -> EntryReport:
        found = match_name(entry.name, entry.kind, self.lookup, self.graph, entry.linked_entity)
        series = (series_of(entry.name, self.lookup.lookup(entry.name), self.graph)
                  if entry.kind == "model" and found and not entry.linked_entity else None)
        if series:  # the entry stands for the family and every model in it
            members = self.graph.members(series)
            found = [series, *members, *(i for i in found if i != series and i not in members)]
        report = EntryReport(entry.name, entry.kind, "matched" if found else "new",
                             entity=entity_id(found[0]) if found else None,
                             entities=[entity_id(i) for i in found], line=entry.line, section=entry.section,
                             url=entry.url)
        claims = read_claims(entry.description, entry.url, self.architectures)
        text = " ".join([entry.text, entry.section] + ([f"({entry.year})"] if entry.year else []))
        if len(found) > 1:  # a series entry's sizes and parts describe the series, not each member
            claims.sizes, claims.vision_encoders, claims.language_backbones = [], [], []
        for iri in found:
            differences, unresolved = self.entry_differences(entry, claims, self.graph.facts(iri), text)
            report.differences.extend(differences)
            report.unresolved.extend(u for u in unresolved if u not in report.unresolved)
        if series:
            whole = self.series_facts(series, found[1:])
            differences, unresolved = self.series_differences(entry, whole, text)
            report.differences = self.explained(report.differences, differences, found, whole, entry.name, text)
            report.unresolved.extend(u for u in unresolved if u not in report.unresolved)
        if not found:
            report.unresolved = [p for p in claims.vision_encoders + claims.language_backbones
                                 if not self.lookup.lookup(p) and not self.lookup.lookup(without_parentheticals(p))]
        return report

    def explained(self, differences: list[Difference], series_differences: list[Difference], entities: list[str],
                  whole: EntityFacts, name: str, text: str) -> list[Difference]:
        """A series entry's differences, each field explained once: a correction curators recorded
        on one model of the series (the seed's claim, kept where its sources are) stands for the
        same claim differing from the other models and from the series as a whole, and is shown
        against the series' value."""
        recorded: dict[str, Difference] = {d.field: d for d in differences if d.known_correction}
        for iri in entities:
            facts = self.graph.facts(iri)
            for correction in facts.corrections:
                prefix = re.match(r"^(?P<name>[^:]{2,60}):\s", correction.seed_claim)
                if correction.field in recorded or (prefix and prefix.group("name") in facts.names
                                                    and prefix.group("name") != name):
                    continue
                if _verbatim(correction.seed_claim, text) or repeats(correction.seed_claim, text):
                    recorded[correction.field] = Difference(
                        correction.field, correction.seed_claim, correction.corrected,
                        correction.source, entity_id(iri), correction)
        for field_name, difference in recorded.items():
            if field_name not in SERIES_FIELDS:
                continue
            difference.graph = self.value(whole, field_name) or difference.graph
            difference.listed = next((d.listed for d in series_differences if d.field == field_name), difference.listed)
        kept: list[Difference] = []
        for difference in differences + series_differences:
            if difference.known_correction is None and difference.field in recorded:
                difference = recorded[difference.field]
                if any(k is difference for k in kept):
                    continue
            kept.append(difference)
        return kept

    def series_facts(self, family: str, members: list[str]) -> EntityFacts:
        """A family as its models together: every size and part one of them has."""
        whole = EntityFacts(family, self.graph.label(family), sources=self.graph.facts(family).sources)
        for member in map(self.graph.facts, members):
            for field_name in SERIES_FIELDS:
                setattr(whole, field_name, sorted(set(getattr(whole, field_name)) | set(getattr(member, field_name))))
        return whole

    def series_differences(self, entry: ListEntry, whole: EntityFacts, text: str) -> tuple[list[Difference], list[str]]:
        """A series entry's sizes and parts against those of the family's models together: each
        size it lists is one model's size, each part it names is one model's part."""
        claims = read_claims(entry.description, entry.url, self.architectures)
        only = Claims(sizes=claims.sizes, size_range=claims.size_range, vision_encoders=claims.vision_encoders,
                      language_backbones=claims.language_backbones, no_language_backbone=claims.no_language_backbone)
        return self.entry_differences(entry, only, whole, text, sizes_of_some=True)

    def entry_differences(self, entry: ListEntry, claims: Claims, facts: EntityFacts,
                          text: str, sizes_of_some: bool = False) -> tuple[list[Difference], list[str]]:
        found: dict[str, tuple[str, str]] = {}  # field -> (listed, graph)
        checked: set[str] = set()  # fields an entry's claim was compared on
        unresolved: list[str] = []
        if claims.sizes and facts.parameters:
            checked.add("parameters")
            listed = {size_value(s) for s in claims.sizes}
            if sizes_of_some:  # a series: every size listed is one of its models' sizes
                wrong = not listed <= set(facts.parameters)
            elif claims.size_range:  # "7B-14B", "from 1B to 78B": the ends are sizes, the rest lie between
                low, high = min(listed), max(listed)
                wrong = not listed <= set(facts.parameters) or any(not low <= p <= high for p in facts.parameters)
            else:  # a list of sizes claims that these are the sizes
                wrong = listed != set(facts.parameters)
            if wrong:
                found["parameters"] = (", ".join(claims.sizes), self.value(facts, "parameters"))
        for field_name, phrases, graph_iris, none in (
            ("vision_encoders", claims.vision_encoders, facts.vision_encoders, facts.no_vision_encoder),
            ("language_backbones", claims.language_backbones, facts.language_backbones, facts.no_language_backbone),
        ):
            disagreeing = []
            for phrase in phrases:
                resolved = self.lookup.lookup(phrase) or self.lookup.lookup(without_parentheticals(phrase))
                if not resolved:
                    unresolved.append(phrase)
                else:
                    checked.add(field_name)
                    if none or (graph_iris and not self.related(resolved, graph_iris)):
                        disagreeing.append(phrase)
            if disagreeing:
                found[field_name] = (", ".join(disagreeing), self.value(facts, field_name))
        if claims.no_language_backbone:
            checked.add("language_backbones")
        if claims.no_language_backbone and facts.language_backbones:
            found["language_backbones"] = ("none (pretrained from scratch)", self.value(facts, "language_backbones"))
        orgs = claims.organizations
        if orgs and facts.developers:
            resolved = [iri for o in orgs for iri in self.lookup.lookup(o)]
            if not resolved:
                unresolved.extend(orgs)
            else:
                checked.add("developers")
            if resolved and not self.related(resolved, facts.developers):
                found["developers"] = (", ".join(orgs), self.value(facts, "developers"))
        if entry.year and facts.year:
            checked.add("release_date")
            wrong = facts.year > entry.year if entry.year_or_before else facts.year != entry.year
            if wrong:
                listed = f"{entry.year} or before" if entry.year_or_before else str(entry.year)
                found["release_date"] = (listed, facts.release_date or "")
        if claims.architecture and facts.architecture:
            checked.add("architecture")
        if claims.architecture and facts.architecture and claims.architecture != facts.architecture:
            found["architecture"] = (self.graph.label(claims.architecture), self.value(facts, "architecture"))
        graph_counts = all_counts(facts.size or "")
        if claims.count and graph_counts:
            checked.add("size")
        if claims.count and graph_counts and all(abs(claims.count - c) > 0.05 * c for c in graph_counts):
            found["size"] = (claims.count_text or format_size(claims.count), facts.size or "")
        if entry.url and _normal_url(entry.url) in {_normal_url(u) for u in self.urls(facts)}:
            checked.add("homepage")  # the list links a page the graph knows for this entity
        first_sentence = entry.description.split(". ")[0].strip(" .").casefold()
        if first_sentence and facts.description and first_sentence in facts.description.casefold():
            checked.add("description")
        arxiv_ids = self.graph.arxiv_ids(facts.papers)
        if claims.arxiv and arxiv_ids:
            checked.add("papers")
        if claims.arxiv and arxiv_ids and claims.arxiv not in arxiv_ids:
            found["papers"] = (f"arXiv {claims.arxiv}", self.value(facts, "papers"))
        return self.with_corrections(found, checked, facts, text, entry.name, bool(entry.url)), unresolved

    def with_corrections(self, found: dict[str, tuple[str, str]], checked: set[str], facts: EntityFacts,
                         text: str, name: str, linked: bool) -> list[Difference]:
        """Merge the computed differences with the entity's recorded corrections of the list.

        A correction is shown when the entry differs from the graph on its field, or, for a field
        no claim of the entry could be checked against, when the entry repeats the seed claim.
        """
        entity = entity_id(facts.iri)
        known: dict[str, KnownCorrection] = {}
        for correction in facts.corrections:
            if correction.field in known:
                continue
            prefix = re.match(r"^(?P<name>[^:]{2,60}):\s", correction.seed_claim)
            if prefix and prefix.group("name") in facts.names and prefix.group("name") != name:
                continue  # "Pixtral: …" records what the list says under the name Pixtral only
            if correction.field == "name":
                shown = names_entry(correction.seed_claim, name)
            elif correction.field == "homepage":  # the list links a page the graph does not know for it
                shown = linked and "homepage" not in checked
            else:
                shown = (correction.field in found or _verbatim(correction.seed_claim, text)
                         or (correction.field not in checked and repeats(correction.seed_claim, text)))
            if shown:
                known[correction.field] = correction
        differences = []
        for field_name in sorted(set(found) | set(known)):
            correction = known.get(field_name)
            listed, graph_value = found.get(field_name, (correction.seed_claim if correction else "", ""))
            if not graph_value:
                graph_value = self.value(facts, field_name) or (correction.corrected if correction else "")
            source = correction.source if correction else facts.source
            differences.append(Difference(field_name, listed, graph_value, source, entity, correction))
        return differences

    def urls(self, facts: EntityFacts) -> list[str]:
        papers = [f"https://arxiv.org/abs/{a}" for a in self.graph.arxiv_ids(facts.papers)]
        return [u for u in (facts.homepage, facts.repository, facts.model_card, *facts.sources, *papers) if u]

    def related(self, resolved: list[str], graph_iris: list[str]) -> bool:
        """Whether names the input resolves to agree with the graph's entities: the same entity,
        one derived from the other, or members of one family."""
        graph_side = set().union(*(self.graph.ancestors(g) for g in graph_iris)) if graph_iris else set()
        graph_side |= {sub for g in graph_iris for sub in self.graph.parents_of_organization(g)}
        for iri in resolved:
            closure = self.graph.ancestors(iri) | set(self.graph.parents_of_organization(iri))
            if closure & graph_side:
                return True
        return False

    def value(self, facts: EntityFacts, field_name: str) -> str:
        """The graph's value of a field, as text for a report."""
        labels = lambda iris: ", ".join(self.graph.label(i) for i in iris)  # noqa: E731
        if field_name == "parameters":
            return ", ".join(format_size(p) for p in facts.parameters)
        if field_name == "vision_encoders":
            return "none" if facts.no_vision_encoder else labels(facts.vision_encoders)
        if field_name == "language_backbones":
            return "none" if facts.no_language_backbone else labels(facts.language_backbones)
        if field_name in ("developers", "subjects", "trained_on", "evaluated_on"):
            return labels(getattr(facts, field_name))
        if field_name == "architecture":
            return self.graph.label(facts.architecture) if facts.architecture else ""
        if field_name == "papers":
            return ", ".join(f"arXiv {a}" for a in self.graph.arxiv_ids(facts.papers)) or labels(facts.papers)
        if field_name == "name":
            return facts.label
        if field_name in ("release_date", "size", "homepage", "description", "repository"):
            return getattr(facts, field_name) or ""
        return ""

"""Write an awesome-list from the graph: models by year, datasets and benchmarks by category, tools.

Each entry's name links to its entity page and its text to the homepage (or repository, paper,
model card, first source). The text uses the phrasing the awesome-list importer reads ("Decoder-
only architecture with 7B parameters, using X for vision encoder and Y as pretrained backbone"),
so importing the rendered list finds every entity and no difference. Corrections of the seed
list become footnotes. Everything is sorted, so the same graph gives the same bytes.
"""

from __future__ import annotations

from .graph_store import GraphStore
from .importers.facts import EntityFacts, GraphFacts
from .importers.reconcile import format_size
from .vocab import RESOURCE_NS

TITLE = "# Vision-language models: an awesome-list from vlmgraph"
INTRO = ("Written by `vlmgraph render awesome-list` from the vlmgraph knowledge graph. Each name links to "
         "its entity page; the text links to the homepage, repository or paper. Footnotes give the "
         "corrections of earlier lists, with their sources.")
UNDATED = "Undated"
OTHER = "Other"


def _sentence(text: str | None) -> str:
    """The first sentence of a description, without the characters Markdown links break on."""
    if not text:
        return ""
    first = text.split(". ")[0].rstrip(".")
    return first.replace("[", "(").replace("]", ")")


class AwesomeListRenderer:
    def __init__(self, store: GraphStore):
        self.graph = GraphFacts(store)
        self.footnotes: list[str] = []

    def labels(self, iris: list[str]) -> list[str]:
        return sorted((self.graph.label(i) for i in iris), key=str.casefold)

    def link(self, facts: EntityFacts) -> str | None:
        arxiv = self.graph.arxiv_ids(facts.papers)
        paper = f"https://arxiv.org/abs/{arxiv[0]}" if arxiv else None
        return facts.homepage or facts.repository or paper or facts.model_card or (facts.sources or [None])[0]

    def entry(self, facts: EntityFacts, text: str, year: int | None = None) -> str:
        name = facts.label.replace("[", "(").replace("]", ")")
        line = f"- **[{name}]({facts.iri})**"
        if year:
            line += f" ({year})"
        url = self.link(facts)
        text = text.replace("[", "(").replace("]", ")")
        if text or url:
            line += f" - [{text}]({url or ''})"
        for number, correction in enumerate(facts.corrections, start=1):
            # Keyed by entity, so that a new entity elsewhere changes no other footnote.
            key = f"{facts.iri[len(RESOURCE_NS):].replace('/', '-')}-{number}"
            line += f"[^{key}]"
            corrected = " ".join(correction.corrected.split())
            claim = " ".join(correction.seed_claim.split())
            self.footnotes.append(f"[^{key}]: The seed list says “{claim}” ({correction.field}); "
                                  f"the sources say: {corrected}. Source: <{correction.source}>")
        return line

    def model_text(self, facts: EntityFacts) -> str:
        parts = []
        architecture = self.graph.label(facts.architecture) if facts.architecture else None
        sizes = " & ".join(format_size(p) for p in facts.parameters)
        head = f"{architecture} architecture" if architecture else ""
        if sizes:
            head = f"{head} with {sizes} parameters" if head else f"Released with {sizes} parameters"
        encoders, backbones = self.labels(facts.vision_encoders), self.labels(facts.language_backbones)
        if encoders:
            parts_text = f"using {', '.join(encoders)} for vision encoder"
            if backbones:
                parts_text += f" and {', '.join(backbones)} as pretrained backbone"
            elif facts.no_language_backbone:
                parts_text += ", trained from scratch without a separate language backbone"
            head = f"{head}, {parts_text}" if head else parts_text[0].upper() + parts_text[1:]
        elif backbones:
            parts_text = f"using {', '.join(backbones)} as pretrained backbone"
            head = f"{head}, {parts_text}" if head else parts_text[0].upper() + parts_text[1:]
        if head:
            parts.append(head)
        parts.extend(self.common(facts))
        return ". ".join(parts)

    def common(self, facts: EntityFacts) -> list[str]:
        parts = []
        developers = self.labels(facts.developers)
        if developers:
            parts.append(f"Developed by {', '.join(developers)}")
        arxiv = self.graph.arxiv_ids(facts.papers)
        if arxiv:
            parts.append(f"Paper: arXiv {arxiv[0]}")
        return parts

    def dataset_text(self, facts: EntityFacts) -> str:
        first = facts.size or _sentence(facts.description)
        return ". ".join(p for p in [first, *self.common(facts)] if p)

    def tool_text(self, facts: EntityFacts) -> str:
        return ". ".join(p for p in [_sentence(facts.description), *self.common(facts)] if p)

    def category(self, facts: EntityFacts) -> str:
        subjects = self.labels(facts.subjects)
        return subjects[0] if subjects else OTHER

    def render(self) -> str:
        self.footnotes = []
        lines = [TITLE, "", INTRO, "", "## Models", ""]
        by_year: dict[str, list[EntityFacts]] = {}
        for iri in self.graph.of_type("VisionLanguageModel"):
            facts = self.graph.facts(iri)
            by_year.setdefault(str(facts.year) if facts.year else UNDATED, []).append(facts)
        for year in sorted(by_year, key=lambda y: (y == UNDATED, -int(y) if y != UNDATED else 0)):
            lines += [f"### {year}", ""]
            for facts in sorted(by_year[year], key=lambda f: (f.label.casefold(), f.iri)):
                lines.append(self.entry(facts, self.model_text(facts)))
            lines.append("")
        for heading, wanted, unwanted in (("Datasets", "Dataset", "Benchmark"), ("Benchmarks", "Benchmark", None)):
            lines += [f"## {heading}", ""]
            groups: dict[str, list[EntityFacts]] = {}
            for iri in self.graph.of_type(wanted):
                facts = self.graph.facts(iri)
                if unwanted and facts.is_a(unwanted):
                    continue
                groups.setdefault(self.category(facts), []).append(facts)
            for category in sorted(groups, key=lambda c: (c == OTHER, c.casefold())):
                lines += [f"### {category}", ""]
                for facts in sorted(groups[category], key=lambda f: (f.label.casefold(), f.iri)):
                    lines.append(self.entry(facts, self.dataset_text(facts), facts.year))
                lines.append("")
        lines += ["## Tools", ""]
        for iri in self.graph.of_type("Tool"):
            facts = self.graph.facts(iri)
            lines.append(self.entry(facts, self.tool_text(facts)))
        lines.append("")
        if self.footnotes:
            lines += ["---", "", *self.footnotes, ""]
        return "\n".join(lines)


def render_awesome_list(store: GraphStore) -> str:
    return AwesomeListRenderer(store).render()

"""Match a Hugging Face repository to the graph and type what its card and config say.

HF's model tree knows only `base_model` with adapter/merge/quantized/finetune; it never says
which part is the vision encoder. Here config.json supplies the components (vision encoder and
language backbone, each resolved to a graph entity), the card supplies lineage, training
datasets and evaluation results, and each is compared with the graph when the model is in it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..vocab import RESOURCE_NS
from .facts import EntityFacts, GraphFacts
from .huggingface import ComponentName, HubModel, checkpoint_names
from .lookup import EntityLookup, entity_id
from .reconcile import Reconciler
from .report import Component, Difference, EntryReport

VISION_ENCODER = ("VisionEncoder",)
LANGUAGE_MODEL = ("LanguageModel",)
MODEL = ("VisionLanguageModel", "Model")
DATASET = ("Dataset",)


class HubReconciler:
    def __init__(self, lookup: EntityLookup, graph: GraphFacts):
        self.lookup = lookup
        self.graph = graph
        reconciler = Reconciler(lookup, graph)  # the same agreement rules as for lists
        self._related, self._value = reconciler.related, reconciler.value

    def resolve(self, names: list[str], classes: tuple[str, ...]) -> list[str]:
        """Entities of the wanted classes the first resolvable name means; failing that, whatever
        the names mean at all (a family, for a config that gives only a model_type)."""
        fallback: list[str] = []
        for name in names:
            found = self.lookup.lookup(name)
            wanted = [iri for iri in found if self.graph.facts(iri).is_a(*classes)]
            if wanted:
                return wanted
            fallback = fallback or found
        return fallback

    def component(self, role: str, candidates: list[ComponentName], classes: tuple[str, ...]) -> Component | None:
        if not candidates:
            return None
        for candidate in candidates:
            found = self.resolve(checkpoint_names(candidate.name), classes)
            if found:
                return Component(role, candidate.name, candidate.read_from, [entity_id(i) for i in found])
        first = candidates[0]
        return Component(role, first.name, first.read_from, [])

    def reconcile(self, model: HubModel) -> EntryReport:
        found = self.resolve([model.repo_id], MODEL)
        report = EntryReport(model.repo_id, "model", "matched" if found else "new",
                             entity=entity_id(found[0]) if found else None,
                             entities=[entity_id(i) for i in found], url=model.url)
        for role, candidates, classes in (("vision_encoder", model.vision_encoder(), VISION_ENCODER),
                                          ("language_backbone", model.language_backbone(), LANGUAGE_MODEL)):
            component = self.component(role, candidates, classes)
            if component:
                report.components.append(component)
        for base in model.base_models:
            component = Component("base_model", base, "README.md base_model",
                                  [entity_id(i) for i in self.resolve(checkpoint_names(base), MODEL)],
                                  relation=model.relation)
            report.components.append(component)
        for dataset in model.datasets:
            report.components.append(Component("dataset", dataset, "README.md datasets",
                                               [entity_id(i) for i in self.resolve(checkpoint_names(dataset), DATASET)]))
        for result in model.results():
            names = [n for n in (result.dataset, result.dataset_name) if n]
            report.components.append(Component(
                "result", f"{result.dataset_name or result.dataset}: {result.metric} {result.value}"
                + (f" ({result.split})" if result.split else ""), "README.md model-index",
                [entity_id(i) for i in self.resolve([x for n in names for x in checkpoint_names(n)], DATASET)]))
        report.unresolved = [c.name for c in report.components if not c.entities]
        if found:
            facts = self.graph.facts(found[0])
            report.differences = self.differences(model, report, facts)
        return report

    def differences(self, model: HubModel, report: EntryReport, facts: EntityFacts) -> list[Difference]:
        entity = entity_id(facts.iri)
        iris = lambda component: [self._iri(e) for e in component.entities]  # noqa: E731
        differences = []
        for component in report.components:
            if not component.entities:
                continue
            resolved = iris(component)
            if component.role in ("vision_encoder", "language_backbone"):
                field_name = component.role + "s"
                graph_iris = facts.vision_encoders if component.role == "vision_encoder" else facts.language_backbones
                if not self._related(resolved, graph_iris):
                    differences.append(Difference(field_name, f"{component.name} ({component.read_from})",
                                                  self._value(facts, field_name), facts.source, entity))
            elif component.role == "base_model":
                if facts.iri in resolved:
                    continue  # an instruct repo based on the base repo of the same entity
                if not set(resolved) & self.graph.ancestors(facts.iri):
                    differences.append(Difference("derived_from", f"{component.name} ({component.relation})",
                                                  self._labels(facts.derived_from) or "nothing", facts.source, entity))
            elif component.role == "dataset":
                if not set(resolved) & set(facts.trained_on + facts.evaluated_on):
                    differences.append(Difference("trained_on", component.name,
                                                  self._labels(facts.trained_on) or "nothing", facts.source, entity))
        differences.extend(self.result_differences(model, report, facts))
        return differences

    def result_differences(self, model: HubModel, report: EntryReport, facts: EntityFacts) -> list[Difference]:
        entity = entity_id(facts.iri)
        graph_results = self.graph.results(facts.iri)
        differences = []
        card_results = model.results()
        result_components = [c for c in report.components if c.role == "result"]
        for result, component in zip(card_results, result_components):
            if not component.entities:
                continue
            benchmark = self._iri(component.entities[0])
            same = [r for r in graph_results if r.benchmark == benchmark and r.metric.casefold() == result.metric.casefold()]
            if any(_same_number(r.value, result.value) for r in same):
                continue
            graph_text = "; ".join(f"{r.value}" + (f" ({r.setting})" if r.setting else "") for r in same)
            differences.append(Difference(
                "results", f"{self.graph.label(benchmark)} {result.metric} {result.value}"
                + (f" ({result.split})" if result.split else ""),
                graph_text or "no such result recorded", same[0].source if same else facts.source, entity))
        return differences

    def _labels(self, iris: list[str]) -> str:
        return ", ".join(self.graph.label(i) for i in iris)

    @staticmethod
    def _iri(entity: str) -> str:
        return RESOURCE_NS + entity


def _same_number(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a.strip() == b.strip()

"""Which entries each README section lists, and the section list that catalog.yaml configures."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from emocat.catalog.linkset import LinkLedger
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Dataset, Model, Paper, Section
from emocat.catalog.sections import CITATION, DEFAULT_SECTIONS
from emocat.catalog.view import models_by_organisation, sorted_benchmarks, sorted_datasets, sorted_models, sorted_papers
from emocat.outputs.readme.rows import DATASET_GROUPS, Group, RenderedSection, catalog_meta, dataset_group, entry_row

#: The README's sections when ``catalog.yaml`` has no ``sections``: (id, title), in upstream order.


#: Each entry is listed in the first section that claims it: papers by topic (``milestone``, ``survey``;


#: the catalog's own survey goes to the citation), the rest to ``papers``; models with the topic


#: ``emotion-mllm`` to ``emotion-llms``, the rest to ``open-llm`` (closed-weight ones only when the trending


#: list does not show them); datasets and benchmarks to their own.


@dataclass


class SectionPlan:
    """Which entries each section lists: every entry has one home section (the first that claims it)."""

    papers: dict[str, list[Paper]] = field(default_factory=dict)
    models: dict[str, list[Model]] = field(default_factory=dict)


def plan_sections(catalog: Catalog, present: set[str]) -> SectionPlan:
    meta = catalog_meta(catalog)
    plan = SectionPlan()
    citing = "citation" in present and meta.survey in catalog.papers
    for paper in sorted_papers(catalog):
        if citing and paper.id == meta.survey:
            continue
        if "milestone" in paper.topics and "milestone-papers" in present:
            plan.papers.setdefault("milestone-papers", []).append(paper)
        elif "survey" in paper.topics and "other-surveys" in present:
            plan.papers.setdefault("other-surveys", []).append(paper)
        elif "papers" in present:
            plan.papers.setdefault("papers", []).append(paper)
    trending = set(meta.trending) if "trending" in present else set()
    for model in sorted_models(catalog):
        if "emotion-mllm" in model.topics and "emotion-llms" in present:
            plan.models.setdefault("emotion-llms", []).append(model)
        elif model.open_weights is False and model.id in trending:
            continue  # a closed model does not belong under open LLMs when the trending list shows it
        elif "open-llm" in present:
            plan.models.setdefault("open-llm", []).append(model)
    return plan


_Builder = Callable[[Catalog, RenderedSection, SectionPlan, LinkLedger], None]


def _build_trending(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    for entry_id in catalog_meta(catalog).trending:
        entry = catalog.get(entry_id)
        if entry is not None:
            section.rows.append(entry_row(catalog, entry, ledger, main_external=True))


def _build_papers(key: str, newest_first: bool) -> _Builder:
    def build(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
        papers = plan.papers.get(key, [])
        if newest_first:
            papers = sorted(papers, key=lambda p: (p.year or 0, p.month or 0), reverse=True)
        section.rows = [entry_row(catalog, paper, ledger) for paper in papers]

    return build


def _build_open_llms(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    for slug, name, models in models_by_organisation(catalog, plan.models.get("open-llm", [])):
        section.groups.append(
            Group(slug or "other", name, [entry_row(catalog, m, ledger, list_item=True) for m in models])
        )


def _build_emotion_llms(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    section.rows = [entry_row(catalog, model, ledger) for model in plan.models.get("emotion-llms", [])]


def _build_datasets(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    by_group: dict[str, list[Dataset]] = {}
    for dataset in sorted_datasets(catalog):
        by_group.setdefault(dataset_group(dataset), []).append(dataset)
    for key, title in DATASET_GROUPS:
        if key in by_group:
            section.groups.append(Group(key, title, [entry_row(catalog, d, ledger) for d in by_group[key]]))


def _build_benchmarks(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    section.rows = [entry_row(catalog, bench, ledger) for bench in sorted_benchmarks(catalog)]


def _build_citation(catalog: Catalog, section: RenderedSection, plan: SectionPlan, ledger: LinkLedger) -> None:
    meta = catalog_meta(catalog)
    section.text = meta.citation or ""
    longest = max((len(run) for run in re.findall(r"`+", section.text)), default=0)
    section.fence = "`" * max(3, longest + 1)  # a fence the citation cannot close
    survey = catalog.papers.get(meta.survey) if meta.survey else None
    if survey is not None:
        section.rows = [entry_row(catalog, survey, ledger)]


SECTION_BUILDERS: dict[str, _Builder] = {
    "trending": _build_trending,
    "milestone-papers": _build_papers("milestone-papers", newest_first=False),
    "open-llm": _build_open_llms,
    "emotion-llms": _build_emotion_llms,
    "papers": _build_papers("papers", newest_first=True),
    "datasets": _build_datasets,
    "benchmarks": _build_benchmarks,
    "other-surveys": _build_papers("other-surveys", newest_first=True),
    "citation": _build_citation,
}


def configured_sections(catalog: Catalog) -> list[Section]:
    """The README's sections: ``catalog.yaml`` ``sections`` if given, else :data:`DEFAULT_SECTIONS`.

    The citation comes last when ``sections`` does not place it. ``emocat check`` has refused unknown and
    repeated section ids (:func:`emocat.catalog.checks.check_sections`), so every id here has a builder.
    """
    meta = catalog_meta(catalog)
    if not meta.sections:
        return [Section(id=section_id, title=title) for section_id, title in DEFAULT_SECTIONS]
    seen = {section.id for section in meta.sections}
    sections = list(meta.sections)
    if CITATION[0] not in seen:
        sections.append(Section(id=CITATION[0], title=CITATION[1]))
    return sections


class Slugger:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def slug(self, title: str) -> str:
        base = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        slug = base
        while slug in self._counts:
            self._counts[base] += 1
            slug = f"{base}-{self._counts[base]}"
        self._counts[slug] = 0
        return slug

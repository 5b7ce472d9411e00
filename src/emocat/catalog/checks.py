"""Cross-entry rules: each is ``check_<rule>(catalog, locator) -> list[Problem]``."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from emocat.catalog.identity import identity_keys
from emocat.catalog.loader import CATALOG_FILE, Catalog, Locator, Parser, load, parse_path, references_of
from emocat.catalog.models import Benchmark, Dataset, Entry, Model, Paper
from emocat.catalog.scaffold_rules import RULES as SCAFFOLD_RULES
from emocat.catalog.sections import SECTION_IDS
from emocat.catalog.spelling import suggestion
from emocat.errors import CatalogError, Problem, Severity

Rule = Callable[[Catalog, Locator], list[Problem]]


def _problem(catalog: Catalog, locator: Locator, entry: Entry, field: str, message: str, rule: str,
             severity: Severity = Severity.ERROR) -> Problem:
    return locator.problem(catalog.path_of(entry.id), parse_path(field), message, rule, severity)


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


_EXPECTED_KIND = {
    "introduces": ("dataset", "benchmark", "model"),
    "uses": ("dataset", "benchmark", "model"),
    "datasets": ("dataset",),
    "paper": ("paper",),
    "model_id": ("model",),
    "suite": ("benchmark",),
}


def check_references(catalog: Catalog, locator: Locator) -> list[Problem]:
    """Every id-valued field names an existing entry of a fitting kind."""
    problems = []
    known = catalog.paths.keys()
    index = {entry.id: entry for entry in catalog.entries()}
    for entry in catalog.entries():
        for field, target in references_of(entry):
            found = index.get(target)
            if found is None:
                if target not in catalog.invalid:  # a broken target is reported in its own file
                    message = f"no entry has the id {target!r}{_suggest(target, known)}"
                    problems.append(_problem(catalog, locator, entry, field, message, "unknown-reference"))
                continue
            name = field.rsplit(".", 1)[-1].split("[", 1)[0]
            if found.kind not in _EXPECTED_KIND[name]:
                wanted = " or ".join(_EXPECTED_KIND[name])
                message = f"{target!r} is a {found.kind}; this field takes a {wanted}"
                problems.append(_problem(catalog, locator, entry, field, message, "reference-kind"))
            elif target == entry.id:
                problems.append(_problem(catalog, locator, entry, field, "an entry cannot refer to itself", "self-reference"))
    if catalog.meta is not None:
        meta_path = catalog.root / CATALOG_FILE
        targets: list[tuple[str, str | None]] = [("survey", catalog.meta.survey)]
        targets += [(f"trending[{i}]", t) for i, t in enumerate(catalog.meta.trending)]
        for meta_field, meta_target in targets:
            if meta_target and meta_target not in known and meta_target not in catalog.invalid:
                message = f"no entry has the id {meta_target!r}{_suggest(meta_target, known)}"
                problems.append(locator.problem(meta_path, parse_path(meta_field), message, "unknown-reference"))
    return problems


#: entry fields whose values come from a vocabulary: field -> vocabulary (lists and single values)
_VOCAB_LISTS = {"topics": "topics", "tasks": "tasks", "institutions": "organisations", "languages": "languages",
                "metrics": "metrics"}
_VOCAB_SINGLE = {"organisation": "organisations", "task": "tasks"}


def _vocab_fields(entry: Entry) -> Iterable[tuple[str, str, str]]:
    """Yield (field path, vocabulary name, value)."""
    fields = type(entry).model_fields
    for field, vocab in _VOCAB_LISTS.items():
        if field in fields:
            for index, value in enumerate(getattr(entry, field)):
                yield f"{field}[{index}]", vocab, value
    for field, vocab in _VOCAB_SINGLE.items():
        if field in fields and getattr(entry, field):
            yield field, vocab, getattr(entry, field)


def check_vocabulary(catalog: Catalog, locator: Locator) -> list[Problem]:
    """Topics, tasks, organisations and languages come from ``vocabulary.yaml``."""
    problems: list[Problem] = []
    if not catalog.vocabulary_valid:
        return problems  # vocabulary.yaml itself is reported; do not blame every entry for it
    allowed = {vocab: getattr(catalog.vocabulary, vocab) for vocab in {*_VOCAB_LISTS.values(), *_VOCAB_SINGLE.values()}}
    for entry in catalog.entries():
        for field, vocab, value in _vocab_fields(entry):
            if value not in allowed[vocab]:
                listing = ", ".join(sorted(allowed[vocab])) or "(none defined)"
                message = (f"{value!r} is not in the {vocab} of vocabulary.yaml{suggestion(value, allowed[vocab], {t.name: k for k, t in allowed[vocab].items()})} "
                           f"(allowed: {listing})")
                problems.append(_problem(catalog, locator, entry, field, message, "vocabulary"))
    return problems


def check_duplicates(catalog: Catalog, locator: Locator) -> list[Problem]:
    """No two entries share an arXiv id, DOI, normalised title or paper URL (:mod:`emocat.catalog.identity`).

    A duplicate is reported on both files, each naming the other, so that a pull request that adds a copy
    shows the problem on the file it adds.
    """
    problems = []
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in catalog.entries():
        for field, what, key in identity_keys(entry):
            if not key:
                continue
            owner, owner_field = first.setdefault((what, key), (entry.id, field))
            if owner == entry.id:
                continue
            problems.append(_problem(catalog, locator, entry, field,
                f"the same {what} as {owner} ({catalog.path_of(owner)})", "duplicate"))
            original = catalog.get(owner)
            if original is not None:
                problems.append(_problem(catalog, locator, original, owner_field,
                    f"the same {what} as {entry.id} ({catalog.path_of(entry.id)})", "duplicate"))
    return problems


def check_results(catalog: Catalog, locator: Locator) -> list[Problem]:
    """A result's metric is one the benchmark declares; metric ids are unique."""
    problems = []
    for bench in catalog.benchmarks.values():
        names = bench.metrics
        for index, name in enumerate(names):
            if name in names[:index]:
                problems.append(_problem(catalog, locator, bench, f"metrics[{index}]", f"the metric {name!r} is declared twice", "duplicate-metric"))
        for index, result in enumerate(bench.results):
            if result.metric not in names:
                problems.append(_problem(catalog, locator, bench, f"results[{index}].metric",
                    f"{result.metric!r} is not a metric of this benchmark{_suggest(result.metric, names)} (declared: {', '.join(names) or 'none'})",
                    "unknown-metric"))
    return problems


_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def name_key(name: str) -> str:
    """A model name without modality brackets, parentheses, case, spaces or punctuation: 'GPT4-O [AV]' -> 'gpt4o'."""
    folded = unicodedata.normalize("NFKC", _BRACKETS.sub("", name)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def check_result_models(catalog: Catalog, locator: Locator) -> list[Problem]:
    """A baseline row whose name is a model entry's name or alias should name that entry (did you mean)."""
    known: dict[str, str] = {}
    for model in catalog.models.values():
        for name in (model.name, *model.aliases):
            known.setdefault(name_key(name), model.id)
    problems = []
    for bench in catalog.benchmarks.values():
        for index, result in enumerate(bench.results):
            if result.baseline is None:
                continue
            for field, name in (("baseline", result.baseline), ("as_printed", result.as_printed)):
                found = known.get(name_key(name))
                if found:
                    message = f"{name!r} is the name of the model entry {found!r}; did you mean model_id: {found}?"
                    problems.append(_problem(catalog, locator, bench, f"results[{index}].{field}", message,
                                             "result-model-name", Severity.WARNING))
                    break
    return problems


def check_sections(catalog: Catalog, locator: Locator) -> list[Problem]:
    """Every section that ``catalog.yaml`` lists is a known one, listed once."""
    if catalog.meta is None:
        return []
    problems = []
    path = catalog.root / CATALOG_FILE
    seen: set[str] = set()
    for index, section in enumerate(catalog.meta.sections):
        where: list[str | int] = ["sections", index, "id"]
        if section.id not in SECTION_IDS:
            message = f"unknown section {section.id!r}{_suggest(section.id, SECTION_IDS)} (known: {', '.join(SECTION_IDS)})"
            problems.append(locator.problem(path, where, message, "unknown-section"))
        elif section.id in seen:
            problems.append(locator.problem(path, where, f"the section {section.id!r} is listed twice", "duplicate-section"))
        seen.add(section.id)
    return problems


def check_completeness(catalog: Catalog, locator: Locator) -> list[Problem]:
    """Warn about what a good entry should have."""
    problems = []
    warn = Severity.WARNING
    for entry in catalog.entries():
        if isinstance(entry, Paper):
            if not entry.links.items_present():
                problems.append(_problem(catalog, locator, entry, "title", "a paper without any link; add links.paper", "no-link", warn))
            if entry.year is None:
                problems.append(_problem(catalog, locator, entry, "title", "a paper without a year", "no-year", warn))
            if entry.month is not None and entry.year is None:
                problems.append(_problem(catalog, locator, entry, "month", "a month without a year", "month-without-year", warn))
        elif isinstance(entry, Dataset) and not entry.modalities:
            problems.append(_problem(catalog, locator, entry, "name", "a dataset without modalities", "no-modalities", warn))
        elif isinstance(entry, Benchmark):
            if not entry.metrics:
                problems.append(_problem(catalog, locator, entry, "name", "a benchmark without metrics", "no-metrics", warn))
        elif isinstance(entry, Model) and entry.organisation is None and (
                "open-llm" in entry.topics or not (entry.paper or entry.links.items_present())):
            # the open-LLM list groups by organisation; any other model needs at least a paper or a link
            message = "a model without an organisation" + ("" if "open-llm" in entry.topics else ", paper or link")
            problems.append(_problem(catalog, locator, entry, "name", message, "no-organisation", warn))
    return problems


def check_missing(catalog: Catalog, locator: Locator) -> list[Problem]:
    """``missing`` names fields of the entry's kind that are in fact absent."""
    problems = []
    for entry in catalog.entries():
        fields = {name for name, info in type(entry).model_fields.items() if not info.exclude} - {"missing", "added"}
        for name in entry.missing:
            where = f"missing.{name}"
            if name not in fields:
                message = f"{name!r} is not a field of a {entry.kind}{_suggest(name, fields)}"
                problems.append(_problem(catalog, locator, entry, where, message, "missing-field"))
            elif (entry.links.items_present() if name == "links" else getattr(entry, name)):
                problems.append(_problem(catalog, locator, entry, where, f"{name} is given; remove it from missing",
                                         "missing-given", Severity.WARNING))
    return problems


def check_bibliography(catalog: Catalog, locator: Locator) -> list[Problem]:
    """With ``--strict``: papers have authors and a venue, datasets a link or a paper, unless ``missing`` says why."""
    problems = []
    warn = Severity.WARNING
    for entry in catalog.entries():
        if isinstance(entry, Paper):
            for name, hint in (("authors", "add the authors in order"), ("venue", "add the venue, or arXiv")):
                if not getattr(entry, name) and name not in entry.missing:
                    problems.append(_problem(catalog, locator, entry, "title", f"a paper without {name}; {hint}",
                                             f"no-{name}", warn))
        elif isinstance(entry, Dataset) and not entry.paper and not entry.links.items_present() \
                and "links" not in entry.missing:
            problems.append(_problem(catalog, locator, entry, "name", "a dataset without any link or paper; add "
                                     "links.project or paper (or say why under missing.links)", "no-dataset-link", warn))
    return problems


RULES: tuple[Rule, ...] = (
    check_references, check_vocabulary, check_duplicates, check_results, check_result_models, check_sections,
    check_completeness, check_missing, *SCAFFOLD_RULES,
)
#: Rules that only ``check --strict`` runs: what a published catalog should have, beyond what a draft needs.
STRICT_RULES: tuple[Rule, ...] = (check_bibliography,)


def check(root: Path | str, *, strict: bool = False, parser: Parser | None = None,
          locator: Locator | None = None) -> tuple[Catalog, list[Problem]]:
    """Load and check a catalog; with ``strict``, warnings count as errors. ``parser``: see ``loader.load``;
    ``locator``: where the rules read the files' texts (one kept between checks keeps the texts it read)."""
    catalog, problems = load(root, parser=parser)
    locator = locator or Locator()
    for rule in RULES + (STRICT_RULES if strict else ()):
        problems.extend(rule(catalog, locator))
    if strict:
        problems = [Problem(p.path, p.line, p.column, Severity.ERROR, p.field, p.message, p.rule) for p in problems]
    return catalog, sorted(problems)


def load_valid(root: Path | str, *, parser: Parser | None = None, locator: Locator | None = None) -> Catalog:
    """Load a catalog that must have no errors (for rendering); raise CatalogError otherwise."""
    catalog, problems = check(root, parser=parser, locator=locator)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise CatalogError(errors)
    return catalog

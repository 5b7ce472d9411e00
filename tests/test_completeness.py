"""What a published catalog should have: with --strict, papers have authors and a venue, datasets a link
or a paper; a gap written down under ``missing`` (with its reason) is accepted, a silent one is not."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from catalogs import write_catalog
from emocat.catalog.checks import check
from emocat.catalog.checks import load_valid as load
from emocat.errors import Severity
from emocat.outputs.export import export

PAPER = {"title": "A paper", "year": 2024, "links": {"paper": "https://example.org/p"}}
DATASET = {"name": "A dataset", "modalities": ["audio"]}


def rules(root: Path, *, strict: bool) -> list[tuple[str, str, Severity]]:
    return [(Path(p.path).stem, p.rule, p.severity) for p in check(root, strict=strict)[1]]


def test_strict_asks_for_authors_venue_and_a_dataset_link(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {"papers/bare": PAPER, "datasets/lost": DATASET})
    assert rules(root, strict=False) == []  # a draft is fine without them
    assert sorted(rules(root, strict=True)) == [("bare", "no-authors", Severity.ERROR),
                                                ("bare", "no-venue", Severity.ERROR),
                                                ("lost", "no-dataset-link", Severity.ERROR)]
    problem = next(p for p in check(root, strict=True)[1] if p.rule == "no-authors")
    assert (problem.line, problem.field) == (2, "title") and "add the authors in order" in problem.message


def test_complete_entries_and_stated_gaps_pass_strict(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {
        "papers/full": {**PAPER, "authors": ["Ada Lovelace"], "venue": "arXiv"},
        "papers/consortium": {**PAPER, "title": "Another", "links": {"paper": "https://example.org/q"},
                              "authors": ["A. Author"], "et_al": True, "missing": {"venue": "not published yet"}},
        "datasets/with-paper": {**DATASET, "paper": "full"},
        "datasets/with-link": {**DATASET, "name": "B", "links": {"project": "https://example.org/d"}},
        "datasets/unfindable": {**DATASET, "name": "C", "missing": {"links": "no homepage could be verified"}},
    })
    assert rules(root, strict=True) == []


@pytest.mark.parametrize(("missing", "rule", "severity"), [
    ({"autors": "typo"}, "missing-field", Severity.ERROR),
    ({"authors": "said missing but given"}, "missing-given", Severity.WARNING),
])
def test_missing_must_name_an_absent_field(tmp_path: Path, missing: dict[str, str], rule: str, severity: Severity) -> None:
    root = write_catalog(tmp_path / "catalog", {"papers/p": {**PAPER, "authors": ["X"], "venue": "V", "missing": missing}})
    (problem,) = check(root)[1]
    assert (problem.rule, problem.severity, problem.field) == (rule, severity, f"missing.{next(iter(missing))}")
    if rule == "missing-field":
        assert "did you mean 'authors'?" in problem.message


def test_an_abbreviated_author_list_exports_as_and_others(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {"papers/p": {**PAPER, "authors": ["Ada Lovelace", "Alan Turing"],
                                                             "et_al": True}})
    library = bibtexparser.parse_string(export(load(root), "bibtex"))
    (entry,) = library.entries
    assert entry.fields_dict["author"].value == "Ada Lovelace and Alan Turing and others"

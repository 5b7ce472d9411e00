"""Author names matched across papers: accents, case and "Family, Given" match; initials only with evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogs import write_catalog
from emocat.catalog.authors import authors_of, name_key
from emocat.catalog.checks import load_valid
from emocat.catalog.models import Paper
from emocat.outputs.site import authors as site_authors
from emocat.outputs.site import pages as site


def _papers(*author_lists: list[str]) -> list[Paper]:
    return [Paper.model_validate({"id": f"p{index}", "title": f"Paper {index}", "authors": authors,
                                  "added": "2025-01-01"}) for index, authors in enumerate(author_lists)]


def _people(*author_lists: list[str]) -> dict[str, list[str]]:
    """Each person's written forms, by display name."""
    return {author.name: list(author.forms) for author in authors_of(_papers(*author_lists))}


@pytest.mark.parametrize(("one", "other"), [
    ("José García", "Jose Garcia"),
    ("José García", "GARCÍA, José"),
    ("Jean-Paul Sartre", "Jean Paul Sartre"),
    ("Zoë  Smith", "Zoe Smith"),
])
def test_forms_of_one_name_are_one_person(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)
    people = _people([one, "Someone Else"], [other])
    assert sorted(people.values()) == sorted([sorted([one, other]), ["Someone Else"]])
    shown = next(name for name, forms in people.items() if one in forms)
    assert "," not in shown and not shown.isupper()  # shown as "Given Family", in mixed case


def test_initials_join_the_full_name_when_they_share_a_coauthor() -> None:
    people = _people(["J. García", "Ada Lovelace"], ["José García", "Ada Lovelace"])
    assert people == {"José García": ["J. García", "José García"], "Ada Lovelace": ["Ada Lovelace"]}


def test_initials_without_evidence_stay_apart() -> None:
    assert set(_people(["J. García"], ["José García"])) == {"J. García", "José García"}


def test_initials_that_fit_two_people_stay_apart() -> None:
    people = _people(["J. García", "Ada Lovelace"], ["José García", "Ada Lovelace"], ["Juan García", "Ada Lovelace"])
    assert {"J. García", "José García", "Juan García"} <= set(people)


@pytest.mark.parametrize(("one", "other"), [("Wei Li", "Wei Lin"), ("Li Wei", "Wei Li"), ("Anna Smith", "Hanna Smith")])
def test_different_names_are_never_merged(one: str, other: str) -> None:
    assert set(_people([one, other])) == {one, other}


def test_papers_coauthors_slugs_and_order() -> None:
    authors = authors_of(_papers(["Zoë Zeta", "Ann Alpha"], ["Ann Alpha", "Bo Beta"]))
    assert [(a.name, a.slug) for a in authors] == [("Ann Alpha", "ann-alpha"), ("Bo Beta", "bo-beta"),
                                                   ("Zoë Zeta", "zoe-zeta")]
    alpha = authors[0]
    assert [paper.id for paper in alpha.papers] == ["p0", "p1"]
    assert alpha.coauthors == ("bo-beta", "zoe-zeta")


def test_slugs_stay_unique() -> None:
    slugs = [author.slug for author in authors_of(_papers(["李 明", "王 明", "Ann Alpha"]))]
    assert len(set(slugs)) == len(slugs) == 3


def test_every_paper_page_links_each_author_and_each_author_page_exists(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {
        "papers/one": {"title": "One", "authors": ["José García", "Ada Lovelace"], "year": 2024},
        "papers/two": {"title": "Two", "authors": ["Jose Garcia", "J. Smith"], "year": 2023},
        "papers/three": {"title": "Three", "year": 2022},
    })
    built = site.build(load_valid(root), project=tmp_path)
    pages = {page.path: page.content for page in built.pages}
    assert "authors/index.md" in pages
    assert 'href="../../authors/jose-garcia/">José García</a>' in pages["papers/one/index.md"]
    assert 'href="../../authors/jose-garcia/">Jose Garcia</a>' in pages["papers/two/index.md"]
    assert 'href="../../authors/j-smith/">J. Smith</a>' in pages["papers/two/index.md"]
    garcia = pages["authors/jose-garcia/index.md"]
    assert 'href="../../papers/one/"' in garcia and 'href="../../papers/two/"' in garcia
    assert 'href="../../authors/ada-lovelace/">Ada Lovelace</a>' in garcia
    assert 'href="../../authors/j-smith/">J. Smith</a>' in garcia
    index = pages["authors/index.md"]
    assert index.index("José García") < index.index("Ada Lovelace") < index.index("J. Smith")  # by family name


def test_an_author_page_names_the_most_frequent_coauthors_and_counts_the_rest(tmp_path: Path) -> None:
    crowd = [f"Member {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
    root = write_catalog(tmp_path / "catalog", {
        "papers/big": {"title": "Big", "authors": ["Ada Lovelace", *crowd], "year": 2024},
        "papers/small": {"title": "Small", "authors": ["Ada Lovelace", "Member BD", "Zed Zulu"], "year": 2023},
        "papers/solo": {"title": "Solo", "authors": ["Zed Zulu", "Member BD"], "year": 2022},
    })
    pages = {page.path: page.content for page in site.build(load_valid(root), project=tmp_path).pages}
    ada = pages["authors/ada-lovelace/index.md"]
    shown = re.findall(r'<li><a href="../../authors/[^/]+/">([^<]+)</a></li>', ada.split("## Co-authors")[1])
    # Member BD shares two papers with her: first; then the index order (by family name), 24 in all
    assert len(shown) == site_authors.COAUTHORS_SHOWN and shown[0] == "Member BD"
    assert shown[1:] == sorted(set(crowd) - {"Member BD"}, key=lambda name: name.split()[-1])[:23]
    assert "And 7 more co-authors" in ada  # 31 co-authors: 30 of Big, and Zed Zulu
    zed = pages["authors/zed-zulu/index.md"]
    assert "more co-author" not in zed and zed.count('<li><a href="../../authors/') == 2

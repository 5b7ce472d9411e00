"""BibTeX out and back in: hostile titles, venues and author names give the same entries and the same values.

The BibTeX emocat writes (``export bibtex``, ``catalog.bib``, the site's BibTeX blocks and what ``add --bibtex``
reads) is parsed back by bibtexparser v2 (emocat's own reader, which decodes the LaTeX) and by pybtex, which
counts braces as BibTeX does: a backslash does not escape a brace. Both must see the entries that were written,
no more, each with its fields, and the decoded values must be the values of the catalog.
"""

from __future__ import annotations

import datetime as dt

import bibtexparser
import pybtex.database
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

import strategies
from emocat.catalog.models import Paper
from emocat.outputs.bibtex import entry_type, escape_latex, paper_bibtex, papers_bibtex
from emocat.sources.bibtex_file import read_bibtex

#: Pieces that end a BibTeX field or entry, start another, split a name, or that TeX would join into one sign.
BIBTEX_HOSTILE = (
    "}", "{", "\\}", "\\{", "}}", "{{", "\\", "%", "#", "$", "&", "~", "^", "_", "<", ">", '"', ",", "=", "@",
    " and ", " AND ", "and ", " And", "and", "--", "---", "``", "''", "!`", "?`", "{\\\"u}", "\\textbf{x}",
    "}, url = {https://evil.example/}, note = {", "} @misc{evil, url = {https://evil.example/}} @misc{x, title = {",
    "\"}, author = \"", ", , , ", " ", "  ",
)
piece = st.sampled_from(BIBTEX_HOSTILE)
hostile = st.lists(st.one_of(piece, piece, strategies.text), min_size=1, max_size=6).map(lambda parts: "".join(parts)[:200])
field_text = st.one_of(hostile, strategies.text)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    data = {
        "id": draw(strategies.slug),
        "title": draw(field_text),
        "authors": draw(st.lists(field_text, max_size=4)),
        "year": draw(st.integers(1990, 2030)),
        "added": dt.date(2025, 1, 1),
    }
    if draw(st.booleans()):
        data["venue"] = draw(field_text)
    try:
        return Paper.model_validate(data)
    except ValidationError:
        assume(False)
        raise


def _expected_fields(paper: Paper) -> set[str]:
    fields = {"title", "year"}
    if paper.authors:
        fields.add("author")
    venue_field = entry_type(paper)[1]
    if venue_field:
        fields.add(venue_field)
    return fields


@given(st.lists(papers(), min_size=1, max_size=3, unique_by=lambda p: p.id))
def test_hostile_papers_parse_back_to_the_same_entries_and_values(items: list[Paper]) -> None:
    text = papers_bibtex(items)
    ordered = sorted(items, key=lambda p: p.id)

    # bibtexparser v2, raw: every entry, nothing else, no block it could not read
    raw = bibtexparser.parse_string(text)
    assert raw.failed_blocks == [] and raw.strings == [] and raw.preambles == []
    assert len(raw.entries) == len(items)
    assert [set(entry.fields_dict) for entry in raw.entries] == [_expected_fields(p) for p in ordered]

    # pybtex reads braces as BibTeX does; it sees the same entries and the same extent of every field
    database = pybtex.database.parse_string(text, "bibtex")
    assert list(database.entries) == [entry.key for entry in raw.entries]
    for entry, paper in zip(raw.entries, ordered, strict=True):
        other = database.entries[entry.key]
        assert {name.lower() for name in other.fields} | ({"author"} if other.persons else set()) == set(
            entry.fields_dict
        )
        assert other.fields["title"].split() == entry["title"].split()  # pybtex folds runs of white space
        assert len(other.persons.get("author", [])) == len(paper.authors)

    # emocat's reader decodes the LaTeX back to the catalog's values
    result = read_bibtex(text, "export.bib")
    assert result.problems == []
    assert len(result.entries) == len(items)
    for entry, paper in zip(result.entries, ordered, strict=True):
        assert entry.fields["title"] == paper.title
        assert entry.fields.get("author", []) == paper.authors
        venue = entry.fields.get("booktitle", entry.fields.get("journal"))
        assert venue == paper.venue


@pytest.mark.parametrize(
    ("title", "authors"),
    [
        ("Closing } brace", ["Ada Lovelace"]),
        ("x}, url = {https://evil.example/}} @misc{evil, url = {https://evil.example/}, title = {y", ["A B"]),
        ("Opening { brace and \\} an escaped one", ["Research and Development Team", "Alan Turing"]),
    ],
)
def test_the_reported_injections_stay_inside_their_field(title: str, authors: list[str]) -> None:
    paper = Paper.model_validate(
        {"id": "p", "title": title, "authors": authors, "year": 2024, "added": dt.date(2025, 1, 1)}
    )
    text = paper_bibtex(paper, "key")
    database = pybtex.database.parse_string(text, "bibtex")
    assert list(database.entries) == ["key"]
    assert set(database.entries["key"].fields) == {"title", "year"}
    assert len(database.entries["key"].persons["author"]) == len(authors)
    (entry,) = read_bibtex(text).entries
    assert (entry.fields["title"], entry.fields["author"]) == (title, authors)
    assert "evil" not in text.split("title = ", 1)[0]


def test_braces_that_pair_up_are_escaped_ones_that_do_not_are_commands() -> None:
    assert escape_latex("{ok}") == r"\{ok\}"
    assert escape_latex("} {") == r"\textbraceright{} \textbraceleft{}"
    assert escape_latex("a--b ``c''") == "a-{}-b `{}`c'{}'"

"""``emocat export``: BibTeX keys and escaping, JSON with exact numbers and reverse links, CSV."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import bibtexparser
import pytest

from catalogs import write_catalog
from emocat.catalog.checks import load_valid
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Paper
from emocat.outputs.bibtex import bibtex_keys, escape_latex, paper_bibtex
from emocat.outputs.export import (
    CSV_COLUMNS,
    RESULT_COLUMNS,
    export_bibtex,
    export_csv,
    export_json,
    export_results_csv,
)
from emocat.sources.bibtex_file import read_bibtex

REPOSITORY_CATALOG = Path(__file__).resolve().parent.parent / "catalog"
TODAY = "2025-01-01"


def paper(
    entry_id: str, title: str, authors: list[str] | None = None, year: int | None = 2024, **fields: object
) -> Paper:
    data: dict[str, object] = {"id": entry_id, "title": title, "added": TODAY, **fields}
    if authors is not None:
        data["authors"] = authors
    if year is not None:
        data["year"] = year
    return Paper.model_validate(data)


@pytest.fixture
def small(tmp_path: Path) -> Catalog:
    root = write_catalog(
        tmp_path / "catalog",
        {
            "papers/alpha": {
                "title": "On the Emotions of Machines",
                "authors": ["Ada Lovelace", "Alan Turing"],
                "year": 2024,
                "month": 3,
                "arxiv": "2403.00001",
                "topics": ["survey"],
                "introduces": ["bench"],
                "venue": "Proceedings of the Test Conference",
            },
            "papers/beta": {"title": '=cmd|"/c calc"!A0, a title with "quotes", commas', "year": 2023},
            "datasets/data": {
                "name": "Data Set",
                "modalities": ["text", "audio"],
                "samples": 1200,
                "paper": "alpha",
            },
            "benchmarks/bench": {
                "name": "Bench",
                "datasets": ["data"],
                "metrics": ["acc"],
                "results": [
                    {
                        "baseline": "M1",
                        "as_printed": "M1 [A]",
                        "modalities": ["audio"],
                        "metric": "acc",
                        "value": Decimal("71.50"),
                        "scale": "0-100",
                        "source": {"url": "https://example.org/results"},
                    },
                    {
                        "baseline": "M2",
                        "as_printed": "=M2, \"quoted\"",
                        "metric": "acc",
                        "value": Decimal("0.1"),
                        "scale": "0-1",
                        "source": {"url": "https://example.org/results"},
                    },
                ],
            },
        },
    )
    return load_valid(root)


# --- BibTeX ------------------------------------------------------------------------------------------


def test_keys_are_surname_year_first_significant_word() -> None:
    keys = bibtex_keys(
        [paper("a", "The Art of Feeling", ["Zoë Ångström"]), paper("b", "Towards Empathy", ["Li, Wei"])]
    )
    assert keys == {"a": "angstrom2024art", "b": "li2024empathy"}


def test_keys_are_extended_on_collision_in_id_order() -> None:
    papers = [
        paper("c", "Emotion Reasoning", ["Wei Zhang"]),
        paper("a", "Emotion Recognition in Video", ["Wei Zhang"]),
        paper("b", "Emotion Recognition in Speech", ["Yi Zhang"]),
        paper("d", "Emotion Recognition in Speech", ["Yu Zhang"]),
    ]
    assert bibtex_keys(papers) == {
        "a": "zhang2024emotion",
        "b": "zhang2024emotionrecognition",
        "c": "zhang2024emotionreasoning",
        "d": "zhang2024emotionrecognitionspeech",
    }


def test_keys_take_a_letter_when_the_title_runs_out() -> None:
    papers = [paper(name, "Feelings", ["Kim"]) for name in ("p1", "p2", "p3")]
    assert bibtex_keys(papers) == {
        "p1": "kim2024feelings",
        "p2": "kim2024feelingsa",
        "p3": "kim2024feelingsb",
    }


def test_keys_without_authors_or_year() -> None:
    assert bibtex_keys([paper("x", "The of and", None, year=None)]) == {"x": "untitledpaper"}


def test_latex_special_characters_are_escaped_and_parse_back() -> None:
    hostile = r"100% of {cases} & $x_1$ # ~ ^ \ <b>"
    text = paper_bibtex(paper("h", hostile, ["O'Brien & Sons"], venue="Journal of A_B"), "key")
    assert escape_latex(hostile) in text
    assert r"\textbackslash{}" in text and r"\{cases\}" in text and r"\&" in text
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "article"
    assert entry["title"] == "{" + escape_latex(hostile) + "}"
    assert entry["author"] == r"O'Brien \& Sons"
    assert entry["journal"] == r"Journal of A\_B"


def test_entry_types() -> None:
    conference = paper_bibtex(paper("a", "T", ["X"], venue="ACM MM 2024"), "k")
    journal = paper_bibtex(paper("b", "T", ["X"], venue="IEEE Transactions on Affective Computing"), "k")
    preprint = paper_bibtex(paper("c", "T", ["X"], arxiv="2401.00001", month=2), "k")
    bare = paper_bibtex(paper("d", "T", ["X"]), "k")
    assert conference.startswith("@inproceedings{k,") and "booktitle = {ACM MM 2024}" in conference
    assert (
        journal.startswith("@article{k,")
        and "journal = {IEEE Transactions on Affective Computing}" in journal
    )
    assert "journal = {arXiv preprint arXiv:2401.00001}" in preprint and "month = feb," in preprint
    assert "eprint = {2401.00001}" in preprint and "url = {https://arxiv.org/abs/2401.00001}" in preprint
    assert bare.startswith("@misc{k,")


def test_export_bibtex_of_the_repository_catalog_parses_back() -> None:
    catalog = load_valid(REPOSITORY_CATALOG)
    text = export_bibtex(catalog)
    library = bibtexparser.parse_string(text)
    keys = [entry.key for entry in library.entries]
    assert library.failed_blocks == []
    assert len(keys) == len(catalog.papers) > 0
    assert len(set(keys)) == len(keys)
    assert export_bibtex(load_valid(REPOSITORY_CATALOG)) == text


def test_export_bibtex_of_a_small_catalog(small: Catalog) -> None:
    text = export_bibtex(small)
    assert text.startswith(
        "@inproceedings{lovelace2024emotions,\n  title = {{On the Emotions of Machines}},\n"
    )
    assert "  author = {Ada Lovelace and Alan Turing},\n" in text
    assert "@misc{cmd2023c," in text


# --- JSON --------------------------------------------------------------------------------------------


def test_json_keeps_numbers_exact_and_lists_reverse_links(small: Catalog) -> None:
    text = export_json(small)
    assert '"value": 71.50,' in text and '"value": 0.1,' in text
    document = json.loads(text, parse_float=Decimal)
    entries = {entry["id"]: entry for entry in document["entries"]}
    assert [e["id"] for e in document["entries"]] == ["alpha", "beta", "data", "bench"]
    assert entries["bench"]["results"][0]["value"] == Decimal("71.50")
    assert entries["alpha"]["referenced_by"] == [{"field": "paper", "id": "data"}]
    assert entries["data"]["referenced_by"] == [{"field": "datasets", "id": "bench"}]
    assert entries["bench"]["referenced_by"] == [{"field": "introduces", "id": "alpha"}]
    assert entries["alpha"]["kind"] == "paper" and entries["alpha"]["file"] == "papers/alpha.yaml"
    assert entries["alpha"]["added"] == TODAY
    assert document["counts"] == {"papers": 2, "datasets": 1, "benchmarks": 1, "models": 0}
    assert document["catalog"]["title"] == "Test catalog"


def test_json_is_deterministic(small: Catalog) -> None:
    assert export_json(small) == export_json(load_valid(small.root))


# --- CSV ---------------------------------------------------------------------------------------------


def test_csv_opens_as_one_row_per_entry(small: Catalog) -> None:
    text = export_csv(small)
    assert text.startswith("\ufeffid,kind,name,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row["id"] for row in rows] == ["alpha", "beta", "data", "bench"]
    assert list(rows[0]) == list(CSV_COLUMNS)
    alpha, beta, data, bench = rows
    assert alpha["authors"] == "Ada Lovelace; Alan Turing"
    assert alpha["month"] == "3" and alpha["year"] == "2024" and alpha["referenced_by"] == "data"
    assert data["modalities"] == "text; audio" and data["samples"] == "1200" and data["paper"] == "alpha"
    assert bench["datasets"] == "data" and bench["name"] == "Bench"
    # A cell that a spreadsheet would run as a formula is kept as text; quotes and commas survive.
    assert beta["name"] == '\'=cmd|"/c calc"!A0, a title with "quotes", commas'


def test_csv_lines_end_with_crlf(small: Catalog) -> None:
    lines = export_csv(small).split("\r\n")
    assert len(lines) == 1 + 4 + 1 and lines[-1] == ""


def test_results_csv_has_one_row_per_result_with_values_as_printed(small: Catalog) -> None:
    text = export_results_csv(small)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == sum(len(b.results) for b in small.benchmarks.values()) == 2
    assert list(rows[0]) == list(RESULT_COLUMNS)
    first, second = rows
    assert (first["benchmark"], first["baseline"], first["name_as_printed"], first["modalities"]) == (
        "bench", "M1", "M1 [A]", "audio")
    assert (first["metric"], first["metric_name"], first["value"], first["scale"]) == ("acc", "ACC", "71.50", "0-100")
    assert first["source_url"] == "https://example.org/results" and first["higher_is_better"] == "true"
    # A name a spreadsheet would run as a formula stays text; its quotes survive.
    assert second["name_as_printed"] == "'=M2, \"quoted\"" and second["value"] == "0.1"


def test_results_csv_of_the_repository_catalog_parses_into_every_result() -> None:
    catalog = load_valid(Path(__file__).resolve().parent.parent / "catalog")
    rows = list(csv.DictReader(io.StringIO(export_results_csv(catalog).removeprefix("\ufeff"), newline="")))
    results = [(b.id, r) for b in catalog.benchmarks.values() for r in b.results]
    assert len(rows) == len(results) == 551
    assert {(row["benchmark"], row["value"], row["source_commit"]) for row in rows} == {
        (bench_id, str(r.value), r.source.commit) for bench_id, r in results}
    assert sum(1 for row in rows if row["model_id"]) >= 0.8 * len(rows)
    document = json.loads(export_json(catalog))
    exported = [(e["id"], r) for e in document["entries"] if e["kind"] == "benchmark" for r in e.get("results", [])]
    assert len(exported) == 551
    assert all("source" in r and ("model_id" in r or "baseline" in r) and "as_printed" in r for _, r in exported)


# --- BibTeX reading (the hostile corners; the whole-file import is tested in test_adding.py) -------------


def test_read_bibtex_macros_that_loop_or_are_undefined() -> None:
    text = (
        "@string{a = b # {x}}\n@string{b = a # {y}}\n"
        "@misc{k1, title = {T} # undefinedmacro # \"!\", note = a, month = dec, year = 2020}\n"
    )
    result = read_bibtex(text, "loop.bib")
    assert result.problems == []
    (entry,) = result.entries
    assert entry.fields["title"] == "Tundefinedmacro!"
    assert entry.fields["note"] == "ayx"  # a -> b # x -> (a # y) # x: the loop stops at the second a
    assert (entry.key, entry.line, entry.fields["month"]) == ("k1", 3, 12)


def test_read_bibtex_crossref_to_a_missing_entry_is_a_warning() -> None:
    result = read_bibtex("\n@inproceedings{p, title = {Paper}, crossref = {nowhere}}\n", "x.bib")
    (problem,) = result.problems
    assert problem.format() == (
        "x.bib:2:1: warning: crossref: crossref 'nowhere' names no entry of this file; "
        "the fields it would give are missing [bibtex-crossref]"
    )
    assert [e.key for e in result.entries] == ["p"]

"""Citations in RIS and CSL-JSON, and one CSV per kind: each parses back with one record per paper or entry."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.catalog.checks import load_valid
from emocat.catalog.loader import Catalog
from emocat.cli import cli
from emocat.outputs import citations, kind_csv
from emocat.outputs.export import FORMATS, export, export_bibtex, export_csl_json, export_ris

REPOSITORY_CATALOG = Path(__file__).resolve().parent.parent / "catalog"
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl" / "csl-data.json").read_text(encoding="utf-8"))

ENTRIES = {
    "papers/conference": {
        "title": "Listening {to} Emotions: 100% \\ $ & more", "authors": ["José García", "Ada Lovelace", "Plato"],
        "year": 2024, "month": 3, "venue": "Proceedings of the Test Conference", "doi": "10.1000/xyz-1",
        "links": {"paper": "https://example.org/paper?a=1&b=2"}, "abstract": "We listen; we read.",
    },
    "papers/preprint": {"title": "A Preprint", "authors": ["Grace Hopper"], "year": 2025, "arxiv": "2501.00001"},
    "papers/journal": {"title": "In a Journal", "year": 2023, "venue": "IEEE Transactions on Affective Computing"},
    "papers/bare": {"title": "Nothing Else"},
    "datasets/data": {"name": "Data Set", "modalities": ["text"], "samples": 1200, "paper": "conference"},
    "benchmarks/bench": {
        "name": "Bench", "datasets": ["data"], "task": "emotion-recognition", "split": "test",
        "metrics": ["acc"],
        "results": [{"baseline": "Some Model", "as_printed": "Some Model", "metric": "acc", "value": Decimal("0.5"),
                     "scale": "0-1", "source": {"url": "https://example.org/table"}}],
    },
    "models/model": {"name": "Model-7B", "organisation": "example-lab", "sizes": ["7B"], "open_weights": True},
}


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return load_valid(write_catalog(tmp_path / "catalog", ENTRIES))


@pytest.fixture(scope="module")
def repository() -> Catalog:
    return load_valid(REPOSITORY_CATALOG)


def _keys(catalog: Catalog) -> list[str]:
    library = bibtexparser.parse_string(export_bibtex(catalog))
    assert not library.failed_blocks
    return sorted(entry.key for entry in library.entries)


@pytest.mark.parametrize("which", ["catalog", "repository"])
def test_ris_parses_back_with_one_record_per_paper_and_the_bibtex_keys(request: pytest.FixtureRequest, which: str) -> None:
    loaded: Catalog = request.getfixturevalue(which)
    records = rispy.loads(export_ris(loaded))
    assert len(records) == len(loaded.papers) > 0
    assert sorted(record["id"] for record in records) == _keys(loaded)
    titles = {paper.title for paper in loaded.papers.values()}
    assert {record["title"] for record in records} == titles


def test_ris_records_carry_the_fields(catalog: Catalog) -> None:
    records = {record["id"]: record for record in rispy.loads(export_ris(catalog))}
    keys = citations.bibtex_keys(catalog.papers.values())
    conference = records[keys["conference"]]
    assert conference["type_of_reference"] == "CPAPER"
    assert conference["authors"] == ["José García", "Ada Lovelace", "Plato"]
    assert conference["year"] == "2024"
    assert conference["secondary_title"] == "Proceedings of the Test Conference"
    assert conference["doi"] == "10.1000/xyz-1"
    assert conference["urls"] == ["https://example.org/paper?a=1&b=2"]
    assert records[keys["journal"]]["journal_name"] == "IEEE Transactions on Affective Computing"
    assert records[keys["preprint"]]["publisher"] == "arXiv"
    assert records[keys["bare"]]["type_of_reference"] == "GEN"


@pytest.mark.parametrize("which", ["catalog", "repository"])
def test_csl_json_is_valid_against_the_schema_with_one_item_per_paper(request: pytest.FixtureRequest, which: str) -> None:
    loaded: Catalog = request.getfixturevalue(which)
    items = json.loads(export_csl_json(loaded))
    jsonschema.validate(items, CSL_SCHEMA)
    assert len(items) == len(loaded.papers) > 0
    assert sorted(item["id"] for item in items) == _keys(loaded)


def test_csl_json_names_dates_and_types(catalog: Catalog) -> None:
    keys = citations.bibtex_keys(catalog.papers.values())
    items = {item["id"]: item for item in json.loads(export_csl_json(catalog))}
    conference = items[keys["conference"]]
    assert conference["type"] == "paper-conference"
    assert conference["title"] == ENTRIES["papers/conference"]["title"]  # plain text, no LaTeX escapes
    assert conference["author"] == [{"family": "García", "given": "José"}, {"family": "Lovelace", "given": "Ada"},
                                    {"literal": "Plato"}]
    assert conference["issued"] == {"date-parts": [[2024, 3]]}
    assert items[keys["preprint"]]["type"] == "article" and items[keys["preprint"]]["number"] == "arXiv:2501.00001"
    assert items[keys["journal"]]["type"] == "article-journal"
    assert "issued" not in items[keys["bare"]]


def test_the_schema_check_can_fail(catalog: Catalog) -> None:
    items = json.loads(export_csl_json(catalog))
    items[0]["type"] = "not-a-type"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(items, CSL_SCHEMA)


def test_each_paper_page_citation_is_the_catalog_record(catalog: Catalog) -> None:
    cited = citations.citations_by_id(catalog.papers.values())
    whole = rispy.loads(export_ris(catalog))
    for paper_id, found in cited.items():
        assert rispy.loads(found["ris"]) == [record for record in whole if record["id"] == found["key"]]
        assert json.loads(found["csl"])[0]["id"] == found["key"]
        assert bibtexparser.parse_string(found["bibtex"]).entries[0].key == found["key"], paper_id


@pytest.mark.parametrize("fmt", ["ris", "csl-json"])
def test_emocat_export_writes_the_same_text(tmp_path: Path, fmt: str) -> None:
    root = write_catalog(tmp_path / "catalog", ENTRIES)
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["--catalog", str(root), "export", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == export(load_valid(root), fmt)
    assert fmt in FORMATS


# --- one CSV per kind --------------------------------------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("folder", ["papers", "datasets", "benchmarks", "models"])
def test_kind_csv_has_one_row_per_entry_and_only_that_kinds_fields(catalog: Catalog, folder: str) -> None:
    text = kind_csv.export_kind_csv(catalog, folder)
    rows = _rows(text)
    assert [row["id"] for row in rows] == sorted(catalog.by_kind(folder))
    header = next(csv.reader(io.StringIO(text[1:])))
    others = {"title": "papers", "samples": "datasets", "task": "benchmarks", "organisation": "models"}
    for column, owner in others.items():
        assert (column in header) == (owner == folder or (column == "samples" and folder == "benchmarks")), column


def test_benchmarks_csv_fills_the_task(repository: Catalog) -> None:
    rows = _rows(kind_csv.export_kind_csv(repository, "benchmarks"))
    assert len(rows) == len(repository.benchmarks)
    with_task = [bench.id for bench in repository.benchmarks.values() if bench.task]
    assert with_task and all(row["task"] for row in rows if row["id"] in with_task)
    assert sum(int(row["results"]) for row in rows) == sum(len(b.results) for b in repository.benchmarks.values())


def test_kind_csv_values(catalog: Catalog) -> None:
    papers = {row["id"]: row for row in _rows(kind_csv.export_kind_csv(catalog, "papers"))}
    assert papers["conference"]["authors"] == "José García; Ada Lovelace; Plato"
    assert papers["conference"]["link_paper"] == "https://example.org/paper?a=1&b=2"
    assert papers["conference"]["referenced_by"] == "data"
    bench = _rows(kind_csv.export_kind_csv(catalog, "benchmarks"))[0]
    assert (bench["task"], bench["main_metric"], bench["results"]) == ("emotion-recognition", "ACC", "1")
    model = _rows(kind_csv.export_kind_csv(catalog, "models"))[0]
    assert (model["organisation"], model["open_weights"], model["sizes"]) == ("example-lab", "true", "7B")


@pytest.mark.parametrize("kind", ["paper", "dataset", "benchmark", "model"])
def test_emocat_export_csv_kind(tmp_path: Path, kind: str) -> None:
    root = write_catalog(tmp_path / "catalog", ENTRIES)
    target = tmp_path / f"{kind}.csv"
    result = CliRunner().invoke(cli, ["--catalog", str(root), "export", "csv", "--kind", kind, "-o", str(target)])
    assert result.exit_code == 0, result.output
    written = target.read_bytes().decode("utf-8")
    assert written == kind_csv.export_kind_csv(load_valid(root), kind_csv.KIND_NAMES[kind])


def test_kind_goes_with_csv_only(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", ENTRIES)
    result = CliRunner().invoke(cli, ["--catalog", str(root), "export", "json", "--kind", "paper"])
    assert result.exit_code == 2
    assert "--kind goes with csv only" in result.output

"""emocat import awesome: lists in several styles become valid entries; every unmapped row is reported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emocat.catalog.checks import check
from emocat.catalog.loader import load
from emocat.catalog.modalities import normalise_modalities
from emocat.cli import cli
from emocat.commands.fmt import format_catalog
from emocat.errors import Severity, UsageError
from emocat.importer import (
    ImportReport,
    hours_value,
    import_awesome,
    parse_date,
    plan_import,
    split_sizes,
)

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ADDED = dt.date(2026, 11, 25)

VOCABULARY = {
    "topics": {"survey": {"name": "Surveys"}},
    "organisations": {
        "example-lab": {"name": "Example Lab"},
        "other-org": {"name": "Other Organisation", "aliases": ["Other Org"]},
    },
    "languages": {"en": {"name": "English"}, "zh": {"name": "Chinese"}},
}
META = {
    "title": "Test catalog",
    "description": "A catalog built by the import tests.",
    "repository": "https://github.com/example/catalog",
    "site_url": "https://example.github.io/catalog/",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    for kind in ("papers", "datasets", "benchmarks", "models"):
        (folder / kind).mkdir(parents=True)
    (folder / "catalog.yaml").write_text(yaml.safe_dump(META), encoding="utf-8")
    (folder / "vocabulary.yaml").write_text(yaml.safe_dump(VOCABULARY), encoding="utf-8")
    return folder


def run(root: Path, name: str, *, dry_run: bool = False) -> ImportReport:
    return import_awesome(FIXTURES / name, root, dry_run=dry_run, added=ADDED)


def line_of(name: str, marker: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if marker in line]
    assert len(found) == 1, f"marker {marker!r} must occur once in {name}"
    return found[0]


def lines_with(report: ImportReport, rule: str) -> set[int]:
    return {p.line for p in report.problems if p.rule == rule}


def entries_by_kind(root: Path) -> dict[str, dict[str, object]]:
    catalog, problems = load(root)
    assert not problems
    return {"paper": dict(catalog.papers), "model": dict(catalog.models), "dataset": dict(catalog.datasets)}


@pytest.mark.parametrize("name", ["bullets_nested.md", "tables_mixed.md", "details_grouped.md", "broken.md"])
def test_each_style_imports_valid_canonical_entries(root: Path, name: str) -> None:
    report = run(root, name)
    mapped = report.items - len(report.errors)
    assert report.created
    assert mapped / report.items >= (0.6 if name == "broken.md" else 1.0)
    _, problems = check(root)
    assert [p.format() for p in problems if p.severity is Severity.ERROR] == []
    assert all(planned.path.exists() for planned in report.created)
    assert [p for p in format_catalog(root, check=True).changed if p.parent != root] == []


def test_bullet_list_with_nested_headings(root: Path) -> None:
    report = run(root, "bullets_nested.md")
    assert report.errors == []
    kinds = entries_by_kind(root)
    assert sorted(kinds["paper"]) == [
        "faces-in-the-wild-revisited",
        "late-fusion-strikes-back",
        "open-review-paper-on-affect",
        "prosody-matters",
        "speechemo",
        "trimodal-fusion-network",
        "visualmood",
    ]
    assert sorted(kinds["model"]) == ["affectchat", "emotalker", "moodlm-7b"]
    assert sorted(kinds["dataset"]) == ["feelspeech", "moodfaces"]
    catalog, _ = load(root)
    visual = catalog.papers["visualmood"]
    assert (visual.arxiv, visual.year, visual.month) == ("2312.05678", 2023, 12)
    assert visual.links.pdf == "https://arxiv.org/pdf/2312.05678v2.pdf"
    assert visual.links.paper == "https://arxiv.org/abs/2312.05678"
    assert catalog.papers["faces-in-the-wild-revisited"].doi == "10.1145/3581783.3612000"
    assert catalog.papers["prosody-matters"].description == "Shows that pitch contours help."
    # a badge next to a link is decoration, not the paper's code
    assert catalog.papers["open-review-paper-on-affect"].links.code is None
    assert catalog.models["affectchat"].sizes == ["1.3B", "7B", "13B"]
    assert catalog.models["emotalker"].links.code == "https://github.com/example/emotalker"
    assert (
        catalog.datasets["feelspeech"].links.huggingface
        == "https://huggingface.co/datasets/example/feelspeech"
    )


def test_tables_in_any_column_order_with_br_badges_and_ragged_pipes(root: Path) -> None:
    report = run(root, "tables_mixed.md")
    assert report.errors == []
    catalog, _ = load(root)
    vision = catalog.papers["emovision"]
    assert vision.title == "EmoVision: Seeing Feelings"
    assert vision.links.code == "https://github.com/example/emovision"
    assert vision.modalities == ["audio", "video"]
    assert vision.venue == "CVPR"
    assert catalog.papers["bold-title-with-pipe-inside"].title == "Bold Title With Pipe | Inside"
    assert catalog.papers["bold-title-with-pipe-inside"].modalities == ["image"]
    assert catalog.papers["wrong-date-paper"].modalities == ["text", "audio", "video"]
    assert (
        catalog.papers["dialogue-affect-tracker"].year,
        catalog.papers["dialogue-affect-tracker"].month,
    ) == (2023, 7)
    # the arXiv id wins over a disagreeing date column, and the disagreement is reported on its line
    assert (vision.year, vision.month) == (2024, 3)
    assert lines_with(report, "import-date") == {
        line_of("tables_mixed.md", "EmoVision"),
        line_of("tables_mixed.md", "Wrong Date Paper"),
    }
    feel = catalog.models["feelgpt-7b"]
    assert (feel.organisation, feel.modalities) == ("example-lab", ["text", "video"])
    calm, mini = catalog.datasets["calmspeech"], catalog.datasets["minidialog"]
    assert (calm.hours, calm.samples, calm.emotion_labels, calm.languages) == (
        Decimal("6.5"),
        1200,
        True,
        ["en"],
    )
    assert (mini.samples, mini.languages, mini.hours) == (3500, ["en", "zh"], Decimal("12.33"))
    assert catalog.datasets["bigfaces"].samples == 450000
    assert catalog.datasets["bigfaces"].hours is None
    # a "+" makes a different dataset, not a duplicate
    assert (catalog.datasets["calmspeech-plus"].name, catalog.datasets["calmspeech-plus"].samples) == ("CalmSpeech+", 900)


def test_details_and_bare_summary_lines_are_group_labels(root: Path) -> None:
    report = run(root, "details_grouped.md")
    assert report.errors == []
    catalog, _ = load(root)
    assert catalog.models["moodlm-model"].organisation == "example-lab"
    assert catalog.models["moodlm-model"].sizes == ["1B", "3B", "7B"]
    assert catalog.models["serene-2b"].organisation == "other-org"  # matched through an alias
    assert catalog.models["lonely-3b"].organisation is None
    unknown = {line_of("details_grouped.md", "Lonely-3B"), line_of("details_grouped.md", "Lonely-8B")}
    assert lines_with(report, "import-vocabulary") == unknown
    # a paper and a model share a name: the paper keeps it, the model gets -model (docs/ids.md)
    assert "moodlm-paper" not in catalog.papers
    assert catalog.papers["moodlm"].arxiv == "2410.04444"


def test_broken_rows_are_reported_with_line_numbers(root: Path) -> None:
    name = "broken.md"
    report = run(root, name)
    unmapped = {
        line_of(name, m) for m in ("Just some words", "Dead Link Paper", "example/nameless", "| - | 12")
    }
    assert {p.line for p in report.errors} == unmapped
    assert all(p.rule == "import-unmapped" and p.path.endswith(name) for p in report.errors)
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    assert lines_with(report, "import-empty") == {
        n for n, line in enumerate(lines, start=1) if line.strip() == "-"
    }
    assert lines_with(report, "import-duplicate") == {
        line_of(name, "listed twice"),
        line_of(name, "third time"),
    }
    assert lines_with(report, "import-link") == {line_of(name, "stray-text")}
    assert lines_with(report, "import-table") == {line_of(name, "Extra Cells")}
    assert line_of(name, "Unit-less") in lines_with(report, "import-number")
    assert line_of(name, "Odd Set") in lines_with(report, "import-modality")
    catalog, _ = load(root)
    assert [p.id for p in catalog.papers.values()].count("good-paper-one") == 1
    assert sorted(catalog.papers) == ["good-paper-one", "trailing-junk"]
    assert catalog.datasets["odd-set"].samples is None


def test_dry_run_writes_nothing(root: Path) -> None:
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    report = run(root, "tables_mixed.md", dry_run=True)
    assert len(report.created) == 11
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_second_import_merges_into_the_catalog_and_overwrites_nothing(root: Path) -> None:
    run(root, "bullets_nested.md")
    snapshot = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    again = run(root, "bullets_nested.md")
    assert again.created == []
    duplicates = [p for p in again.problems if p.rule == "import-duplicate"]
    assert len(duplicates) == 12
    assert all("already in the catalog as" in p.message for p in duplicates)
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == snapshot


def test_catalog_duplicate_names_the_existing_entry_and_what_the_list_adds(root: Path) -> None:
    (root / "papers" / "speech-emo.yaml").write_text(
        "title: 'SpeechEmo: Listening for Feelings in Speech'\nyear: 2024\nadded: 2026-01-01\n",
        encoding="utf-8",
    )
    report = run(root, "bullets_nested.md")
    message = next(p.message for p in report.problems if p.line == line_of("bullets_nested.md", "SpeechEmo"))
    assert "already in the catalog as speech-emo" in message
    assert "arxiv" in message and "links.paper" in message
    assert not (root / "papers" / "speechemo.yaml").exists()


def test_not_utf8_is_a_usage_error_naming_line_and_column(root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"# List\n\n- [ok](https://arxiv.org/abs/2301.00001)\n- caf\xe9\n")
    with pytest.raises(UsageError, match=r"bad\.md:4:6: not UTF-8"):
        import_awesome(bad, root, added=ADDED)
    result = CliRunner().invoke(cli, ["--catalog", str(root), "import", "awesome", str(bad)])
    assert result.exit_code == 2
    assert "bad.md:4:6: not UTF-8" in result.output
    assert "Traceback" not in result.output


def test_cli_reports_rows_and_exit_codes(root: Path) -> None:
    runner = CliRunner()
    broken = runner.invoke(
        cli, ["--catalog", str(root), "import", "awesome", str(FIXTURES / "broken.md"), "--dry-run"]
    )
    assert broken.exit_code == 1
    assert f"broken.md:{line_of('broken.md', 'Just some words')}:1: error: not imported" in broken.output
    assert broken.output.rstrip().endswith("12 items read, 6 entries would be created, 4 not imported")
    assert not any((root / "papers").iterdir())
    fine = runner.invoke(
        cli, ["--catalog", str(root), "import", "awesome", str(FIXTURES / "details_grouped.md")]
    )
    assert fine.exit_code == 0, fine.output
    assert "created " in fine.output and (root / "models" / "moodlm-model.yaml").exists()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "-",
                "*",
                "|",
                "[",
                "]",
                "(",
                ")",
                "<",
                ">",
                "#",
                ":",
                "!",
                "`",
                "\\",
                " ",
                "\n",
                "\t",
                "A",
                "z",
                "0",
                ".",
                ",",
                "/",
                "✓",
                "\x00",
                "é",
                "https://",
                "<summary>",
                "</details>",
                "arxiv.org/abs/2401.0000",
                "| --- |",
                "huggingface.co/x",
            ]
        ),
        max_size=120,
    ).map("".join)
)
def test_garbage_never_crashes(root: Path, text: str) -> None:
    catalog, _ = load(root)
    report = plan_import(text, Path("garbage.md"), catalog, added=ADDED)
    for planned in report.created:
        assert planned.entry.id
    assert all(p.line >= 1 for p in report.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,V,T", ["text", "audio", "video"]),
        ("V,A", ["audio", "video"]),
        ("Audio, Video, Text", ["text", "audio", "video"]),
        ("I", ["image"]),
        ("Video, Text", ["text", "video"]),
        ("AV", ["audio", "video"]),
        ("speech + vision", ["audio", "video"]),
    ],
)
def test_modality_notations(text: str, expected: list[str]) -> None:
    assert normalise_modalities(text) == (expected, [])


def test_unknown_modality_is_returned() -> None:
    assert normalise_modalities("A, haptic") == (["audio"], ["haptic"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Qwen2-0.5B|1.5B|7B|57B-A14B-MoE|72B", ("Qwen2", ["0.5B", "1.5B", "7B", "57B-A14B-MoE", "72B"])),
        ("Llama 3.1-8|70|405B", ("Llama 3.1", ["8B", "70B", "405B"])),
        ("InternVL-2|6|14|26", ("InternVL", ["2", "6", "14", "26"])),
        ("Mixtral-8x7B", ("Mixtral-8x7B", ["8x7B"])),
        ("RWKV-v4|5|6", ("RWKV-v4|5|6", [])),
        ("BLOOMZ&mT0", ("BLOOMZ&mT0", [])),
    ],
)
def test_split_sizes(name: str, expected: tuple[str, list[str]]) -> None:
    assert split_sizes(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06:30", "6.5"),
        ("3025:00", "3025"),
        ("04:39", "4.65"),
        ("04:11", "4.18"),
        ("2.5", "2.5"),
        ("soon", None),
    ],
)
def test_hours(text: str, expected: str | None) -> None:
    value = hours_value(text)
    assert (str(value) if value is not None else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05", (2024, 5)),
        ("2023/7", (2023, 7)),
        ("May 2024", (2024, 5)),
        ("2022", (2022, None)),
        ("-", (None, None)),
    ],
)
def test_parse_date(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_date(text) == expected

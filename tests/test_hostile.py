"""Hostile inputs: every broken file gives exit 1 and one located error on the offending line, never a traceback.

Each file in ``tests/hostile/`` holds one failure mode and starts with its expectation:
``# expect: FOLDER LINE:COL RULE TEXT`` (TEXT must appear in the problem line). The few files that cannot
carry a comment are described in ``HEADERLESS``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogs import baseline_catalog
from emocat.catalog.checks import check
from emocat.catalog.models import Paper
from emocat.cli import cli
from emocat.store import yamlio

HOSTILE = Path(__file__).parent / "hostile"
HEADER = re.compile(r"^# expect: (\w+) (\d+):(\d+) ([a-z0-9-]+) (.+)$")
HEADERLESS = {
    "empty-file.yaml": "# expect: papers 1:1 empty-file the file is empty",
}


@dataclass(frozen=True)
class Case:
    name: str
    folder: str
    line: int
    column: int
    rule: str
    text: str

    @property
    def relative(self) -> str:
        return f"catalog/{self.folder}/{self.name}"


def _case(path: Path) -> Case:
    header = HEADERLESS.get(path.name) or path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = HEADER.match(header)
    assert match, f"{path.name} has no '# expect: FOLDER LINE:COL RULE TEXT' header"
    folder, line, column, rule, text = match.groups()
    return Case(path.name, folder, int(line), int(column), rule, text)


CASES = [_case(path) for path in sorted(HOSTILE.iterdir())]


def _run(root: Path, *args: str) -> Result:
    """Run emocat from the folder that holds ``catalog/`` so paths read ``catalog/...``."""
    cwd = os.getcwd()
    os.chdir(root.parent)
    try:
        return CliRunner().invoke(cli, ["--catalog", "catalog", "check", *args])
    finally:
        os.chdir(cwd)


def _assert_clean_exit(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: error: ", line)]


def test_suite_is_large_and_every_fixture_is_one_failure_mode() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def test_baseline_catalog_is_clean(tmp_path: Path) -> None:
    result = _run(baseline_catalog(tmp_path / "catalog"))
    _assert_clean_exit(result, 0)
    assert result.output == "0 errors, 0 warnings in 0 files\n"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file_gives_one_located_error(tmp_path: Path, case: Case) -> None:
    root = baseline_catalog(tmp_path / "catalog", {f"{case.folder}/{case.name}": (HOSTILE / case.name).read_bytes()})
    result = _run(root)
    _assert_clean_exit(result, 1)
    errors = _errors(result.output)
    own = [line for line in errors if line.startswith(f"{case.relative}:")]
    others = [line for line in errors if line not in own]
    assert len(own) == 1, result.output
    expected = f"{case.relative}:{case.line}:{case.column}: error: "
    assert own[0].startswith(expected), f"expected {expected}..., got {own[0]}"
    assert own[0].endswith(f" [{case.rule}]"), own[0]
    assert case.text in own[0], own[0]
    if case.rule == "duplicate":  # reported on both files, each naming the other
        assert len(others) == 1 and others[0].endswith("[duplicate]") and case.name in others[0], result.output
    else:
        assert others == [], result.output
    assert result.output.splitlines()[-1].startswith(f"{len(errors)} error{'s' if len(errors) > 1 else ''}, ")


def test_all_hostile_files_are_reported_in_one_run(tmp_path: Path) -> None:
    extra = {f"{case.folder}/{case.name}": (HOSTILE / case.name).read_bytes() for case in CASES}
    result = _run(baseline_catalog(tmp_path / "catalog", extra))
    _assert_clean_exit(result, 1)
    errors = _errors(result.output)
    for case in CASES:
        assert any(line.startswith(f"{case.relative}:{case.line}:{case.column}: error: ") for line in errors), case
    duplicates = sum(1 for case in CASES if case.rule == "duplicate")  # each also reported on the original
    assert len(errors) == len(CASES) + duplicates
    assert result.output.splitlines()[-1].startswith(f"{len(CASES) + duplicates} errors, ")


def test_three_broken_files_are_all_reported(tmp_path: Path) -> None:
    chosen = [case for case in CASES if case.name in ("duplicate-key.yaml", "year-3000.yaml", "yaml-bomb.yaml")]
    extra = {f"{case.folder}/{case.name}": (HOSTILE / case.name).read_bytes() for case in chosen}
    result = _run(baseline_catalog(tmp_path / "catalog", extra))
    _assert_clean_exit(result, 1)
    assert [line.split(": error:")[0] for line in _errors(result.output)] == [
        f"{case.relative}:{case.line}:{case.column}" for case in chosen
    ]
    assert result.output.splitlines()[-1] == "3 errors, 0 warnings in 3 files"


def test_symlink_pointing_outside_the_catalog(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: Somebody else's file\nadded: 2025-01-31\n", encoding="utf-8")
    root = baseline_catalog(tmp_path / "project" / "catalog")
    (root / "papers" / "symlink-outside.yaml").symlink_to(outside)
    result = _run(root)
    _assert_clean_exit(result, 1)
    assert _errors(result.output) == [
        "catalog/papers/symlink-outside.yaml:1:1: error: a symbolic link that points outside the catalog [symlink]"
    ]


def test_symlink_inside_the_catalog_is_read(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    (root / "datasets" / "meld-alias.yaml").symlink_to(root / "datasets" / "meld.yaml")
    catalog, problems = check(root)
    assert "meld-alias" in catalog.datasets
    assert not [p for p in problems if p.severity.value == "error"]


def test_file_over_one_mebibyte(tmp_path: Path) -> None:
    filler = "".join(f"# padding line {index:07d} to make the file large\n" for index in range(25_000))
    text = "title: A paper padded with comments\nyear: 2024\n" + filler + "added: 2025-01-31\n"
    assert len(text.encode()) > yamlio.MAX_BYTES
    root = baseline_catalog(tmp_path / "catalog", {"papers/file-over-1-mib.yaml": text})
    result = _run(root)
    _assert_clean_exit(result, 1)
    assert _errors(result.output) == [
        "catalog/papers/file-over-1-mib.yaml:1:1: error: the file is larger than 1048576 bytes (1 MiB), "
        "the limit for one entry [file-size]"
    ]


def test_same_id_in_two_kinds(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog", {"datasets/base-paper.yaml": "name: A dataset\nadded: 2025-01-31\n"})
    result = _run(root)
    _assert_clean_exit(result, 1)
    assert _errors(result.output) == [
        "catalog/datasets/base-paper.yaml:1:1: error: the id 'base-paper' is already used by "
        "catalog/papers/base-paper.yaml; ids are unique across kinds [duplicate-id]"
    ]


def test_a_broken_target_does_not_cascade_into_unknown_references(tmp_path: Path) -> None:
    # base-paper uses meld; a broken meld is reported once, in its own file.
    root = baseline_catalog(tmp_path / "catalog", {"datasets/meld.yaml": "name: MELD\nsamples: lots\nadded: 2025-01-31\n"})
    assert [p.path for p in check(root)[1]] == [str(root / "datasets" / "meld.yaml")]


def test_a_broken_vocabulary_does_not_cascade_into_every_entry(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog", {"vocabulary.yaml": "topics:\n  Bad_Slug:\n    name: x\n"})
    _, problems = check(root)
    assert [p.format() for p in problems] == [
        f"{root}/vocabulary.yaml:2:3: error: topics.Bad_Slug: 'Bad_Slug' is not an id: lowercase letters and "
        "digits joined by single hyphens, e.g. emotion-llama; did you mean 'bad-slug'? [format]"
    ]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog", {"papers/no-year.yaml": "title: A paper\nadded: 2025-01-31\n"})
    lenient = _run(root)
    _assert_clean_exit(lenient, 0)
    strict = _run(root, "--strict")
    _assert_clean_exit(strict, 1)
    assert len(_errors(strict.output)) == 4  # no link, no year, no authors, no venue


# --- valid oddities: accepted, and their values are kept exactly ---

ODD_PAPER = "title: no\nvenue: 2024-05-01\nkeyword: 1:30\nauthors: [Zoë Ünal, 王小明, Jürgen Ørsted]\nyear: 2024\n"
ODD_PAPER += "abstract: <script>alert(1)</script> a | b [c] *d* `e`\n"
ODD_PAPER += "links: {paper: 'https://example.org/odd'}\nadded: 2025-01-31\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lf", ODD_PAPER.encode()),
        ("crlf", ODD_PAPER.replace("\n", "\r\n").encode()),
        ("bom", b"\xef\xbb\xbf" + ODD_PAPER.encode()),
        ("bom-crlf", b"\xef\xbb\xbf" + ODD_PAPER.replace("\n", "\r\n").encode()),
    ],
)
def test_valid_oddities_are_accepted_and_keep_their_value(tmp_path: Path, name: str, data: bytes) -> None:
    root = baseline_catalog(tmp_path / "catalog", {f"papers/odd-{name}.yaml": data})
    result = _run(root)
    _assert_clean_exit(result, 0)
    paper = check(root)[0].papers[f"odd-{name}"]
    assert isinstance(paper, Paper)
    assert paper.title == "no"
    assert paper.venue == "2024-05-01"
    assert paper.keyword == "1:30"
    assert paper.authors == ["Zoë Ünal", "王小明", "Jürgen Ørsted"]
    assert paper.abstract == "<script>alert(1)</script> a | b [c] *d* `e`"


def test_errors_in_crlf_and_bom_files_point_at_the_right_line(tmp_path: Path) -> None:
    text = "title: A paper\r\nyear: 3000\r\nadded: 2025-01-31\r\n"
    root = baseline_catalog(tmp_path / "catalog", {"papers/crlf-bom.yaml": b"\xef\xbb\xbf" + text.encode()})
    assert _errors(_run(root).output) == [
        "catalog/papers/crlf-bom.yaml:2:7: error: year: 3000 is too large; it must be at most 2100 [schema]"
    ]


def test_numbers_keep_their_exact_text() -> None:
    data = yamlio.parse("a: 25.00\nb: 0.10\nc: 2406.12340\nd: 7\n")
    assert data == {"a": Decimal("25.00"), "b": Decimal("0.10"), "c": Decimal("2406.12340"), "d": 7}
    assert [str(data[k]) for k in "abc"] == ["25.00", "0.10", "2406.12340"]

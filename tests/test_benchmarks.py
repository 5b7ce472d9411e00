"""benchmarks/: the synthetic catalog is valid, realistic in shape and deterministic; the one command runs."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from emocat.catalog.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import run
from synthetic import generate

pytestmark = pytest.mark.slow  # runs the benchmarks


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_synthetic_catalog_is_valid_and_spread_over_the_kinds(tmp_path: Path) -> None:
    catalog, problems = check(generate(tmp_path / "catalog", 60))
    assert [p.format() for p in problems] == []
    assert (len(catalog.papers), len(catalog.models), len(catalog.datasets), len(catalog.benchmarks)) == (30, 15, 9, 6)
    assert all(5 <= len(bench.results) <= 40 for bench in catalog.benchmarks.values())
    assert catalog.referrers, "entries refer to each other"


def test_synthetic_catalog_is_deterministic(tmp_path: Path) -> None:
    assert _digest(generate(tmp_path / "a", 30)) == _digest(generate(tmp_path / "b", 30))
    assert _digest(generate(tmp_path / "c", 30, seed=1)) != _digest(tmp_path / "a")


def test_one_command_takes_every_measure_of_design_8(capsys: pytest.CaptureFixture[str]) -> None:
    """``benchmarks/run.py --quick`` (tiny catalogs, one run each) prints one row per §8 target."""
    status = run.main(["--quick"])
    lines = capsys.readouterr().out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("measure ")))
    rows = lines[header + 2 : header + 7]
    names = ["check / floor", "README render", "emocat --help start-up", "site plugin / floor",
             f"site plugin {run.QUICK_N} / {run.QUICK_N // 2}"]
    assert [row.startswith(name) for row, name in zip(rows, names, strict=True)] == [True] * 5, rows
    results = [row.split()[-1] for row in rows]
    assert set(results) <= {"pass", "FAIL"}
    for row in rows:
        assert re.search(r"\s\d+\.\d+( s)?\s", row), f"no value in {row!r}"
    assert status == (0 if results == ["pass"] * 5 else 1)


def test_table_lines_up_and_marks_failures() -> None:
    measures = [run.Measure("a ratio", 1.234, "", "<= 1.3", True), run.Measure("a longer time", 0.61, "s", "< 0.5 s", False)]
    assert run.table(measures).splitlines() == [
        "measure          value   target  result",
        "-------------  -------  -------  ------",
        "a ratio           1.23   <= 1.3  pass",
        "a longer time  0.610 s  < 0.5 s  FAIL",
    ]

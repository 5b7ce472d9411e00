"""Hostile .bib files for ``emocat add --bibtex``: every entry is written or reported at its line, and no file
runs for long, whatever its braces or ``@string`` macros do. Real files, a real ``emocat`` process, a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from emocat.sources.bibtex_file import MAX_DEPTH, MAX_EXPANSION, read_bibtex

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # a bounded expansion takes well under a second; the unbounded one ran for minutes


def add_bibtex(tmp_path: Path, text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    bib = tmp_path / "hostile.bib"
    bib.write_text(text, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
    result = subprocess.run([sys.executable, "-m", "emocat", "add", "--bibtex", str(bib)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result, bib


def doubling_strings(levels: int) -> str:
    """``s0 = "ab"``, ``sN = sN-1 # sN-1``: 2**levels times the text, from a file of a few hundred bytes."""
    lines = ['@string{s0 = "ab"}'] + [f"@string{{s{n} = s{n - 1} # s{n - 1}}}" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_deeply_nested_title_is_reported_at_its_line_and_the_others_are_written(tmp_path: Path) -> None:
    text = (
        "@article{first, title = {Feelings of First Machines}, year = {2024}}\n\n"
        "@article{deep, title = {" + "{" * 300 + "Deep" + "}" * 300 + "}, year = {2024}}\n\n"
        "@article{last, title = {Moods of Last Machines}, year = {2023}}\n"
    )
    result, bib = add_bibtex(tmp_path, text)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{bib}:3:1: error: @article{{deep}}: title: its braces nest 300 deep (at most {MAX_DEPTH}); "
        "this entry was skipped [bibtex-unreadable]"
    ]
    created = [line for line in result.stdout.splitlines() if line.startswith("created ")]
    assert len(created) == 2 and "Feelings of First Machines" in created[0] and "Moods of Last Machines" in created[1]


def test_braces_nested_as_deep_as_allowed_are_read(tmp_path: Path) -> None:
    depth = MAX_DEPTH  # inside the field's own braces
    text = "@article{deep, title = {" + "{" * depth + "Deep Enough" + "}" * depth + "}, year = {2024}}\n"
    result, _ = add_bibtex(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert "created catalog/papers/deep-enough.yaml: Deep Enough" in result.stdout


def test_exponential_string_macros_are_bounded_and_located(tmp_path: Path) -> None:
    text = (
        "@article{fine, title = {A Paper Before the Bomb}, year = {2024}}\n"
        + doubling_strings(22)
        + "@article{boom, title = s22, year = {2024}}\n"
        + "@article{after, title = {A Paper After the Bomb}, year = {2024}}\n"
    )
    assert len(text.encode()) < 800
    result, bib = add_bibtex(tmp_path, text)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{bib}:25:1: error: @article{{boom}}: title: it expands to more than {MAX_EXPANSION:,} "
                           "characters (@string s")
    assert line.endswith("; this entry was skipped [bibtex-unreadable]")
    assert "A Paper Before the Bomb" in result.stdout and "A Paper After the Bomb" in result.stdout


@pytest.mark.parametrize("levels", [5, 14])
def test_string_macros_below_the_bound_still_expand(levels: int) -> None:
    text = doubling_strings(levels) + f"@misc{{k, title = s{levels}, note = s{levels} # s{levels}}}\n"
    result = read_bibtex(text, "fine.bib")
    assert result.problems == []
    (entry,) = result.entries
    assert entry.fields["title"] == "ab" * 2**levels
    assert entry.fields["note"] == "ab" * 2 ** (levels + 1)


def test_many_macros_that_stay_small_are_bounded_too() -> None:
    """Empty macros never grow, so only the number of expansions stops a doubling chain of them."""
    lines = ["@string{e0 = {}}"] + [f"@string{{e{n} = e{n - 1} # e{n - 1} # s{n}}}" for n in range(1, 40)]
    lines += [f"@string{{s{n} = s{n}}}" for n in range(1, 40)]  # loops: their results are never cached
    result = read_bibtex("\n".join(lines) + "\n@misc{k, title = e39}\n", "loops.bib")
    assert result.entries == []
    assert len(result.problems) == 1 and result.problems[0].rule == "bibtex-unreadable"

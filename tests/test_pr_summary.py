"""tools/pr_summary.py: the job summary of a pull request (changed entries, their pages, README changes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from click.testing import CliRunner

from emocat.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pr_summary", ROOT / "tools" / "pr_summary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pr_summary = _tool()


def test_summary_lists_changed_entries_with_pages_and_the_readme_changes(
        repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "catalog/papers/a-new-paper.yaml").write_text(
        "title: 'A New Paper | with <odd> [text]'\nyear: 2025\nlinks:\n  paper: https://example.org/new\n"
        "added: 2025-06-01\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["readme", "--output", str(repo_copy / "after.md")]).exit_code == 0
    (repo_copy / "changes.txt").write_text(
        "A\tcatalog/papers/a-new-paper.yaml\nM\tcatalog/datasets/mer2023.yaml\nD\tcatalog/papers/gone.yaml\n"
        "M\tcatalog/vocabulary.yaml\nM\tsrc/emocat/cli.py\n", encoding="utf-8")
    code = pr_summary.main(["--changes", "changes.txt", "--before", "README.md", "--after", "after.md",
                            "--artifact-url", "https://github.com/o/r/actions/runs/1/artifacts/2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "[site preview artifact](https://github.com/o/r/actions/runs/1/artifacts/2)" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "Change" not in line]
    site = yaml.safe_load((repo_copy / "catalog/catalog.yaml").read_text(encoding="utf-8"))["site_url"].rstrip("/") + "/"
    assert rows[0] == (r"| added | paper `a-new-paper`: A New Paper \| with \<odd\> \[text\] | "
                       f"`papers/a-new-paper/index.html` | {site}papers/a-new-paper/ |")
    assert rows[1].startswith("| changed | dataset `mer2023`: ")
    assert rows[2:] == ["| removed | `catalog/papers/gone.yaml` | | |", "| changed | `catalog/vocabulary.yaml` | | |"]
    diff = out.split("```diff\n", 1)[1].split("```", 1)[0].splitlines()
    assert diff and any(line.startswith("+") and "A New Paper" in line for line in diff)
    assert "when README.md is regenerated on main after merge" in out


def test_summary_of_a_change_without_catalog_files_or_readme_changes(repo_copy: Path) -> None:
    catalog, _ = pr_summary.load("catalog")
    text = pr_summary.summary(catalog, "catalog", pr_summary.parse_changes("M\tsrc/x.py\n"), "same\n", "same\n")
    assert "This pull request changes no catalog file." in text and "README.md stays as it is." in text


def test_a_long_readme_diff_is_cut() -> None:
    after = "\n".join(f"line {n}" for n in range(500))
    diff = pr_summary.readme_changes("", after)
    assert len(diff) == pr_summary.MAX_DIFF_LINES + 1 and diff[-1] == "… and 300 more changed lines"


def test_renames_count_as_their_new_path() -> None:
    assert pr_summary.parse_changes("R097\tcatalog/papers/a.yaml\tcatalog/papers/b.yaml\n\n") == [
        ("renamed", "catalog/papers/b.yaml")]

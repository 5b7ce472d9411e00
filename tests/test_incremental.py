"""``check --changed-since REV`` in real git repositories: the full check's problems, restricted to what changed.

Each case commits a catalog, changes it, and compares the incremental check with the full check run before
and after the change: the problems of the changed files, and those of unchanged files that the change
brought (present after, absent before).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from catalogs import BASELINE, baseline_catalog, write_catalog
from emocat.catalog.checks import check
from emocat.catalog.identity import title_key
from emocat.catalog.incremental import _words, check_changed
from emocat.cli import cli
from emocat.errors import Problem

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

EXTRA = {
    **BASELINE,
    "papers/other-paper": {"title": "Another Paper About Emotion Reasoning", "arxiv": "2501.00001", "year": 2025,
                           "topics": ["survey"], "uses": ["meld"], "introduces": ["base-model"],
                           "links": {"paper": "https://example.org/another"}},
    "papers/third-paper": {"title": "Ünïcode Títle of a Third Paper", "topics": ["emotion-mllm"], "year": 2025,
                           "links": {"paper": "https://example.org/third"}},
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def committed(tmp_path: Path) -> Path:
    root = write_catalog(tmp_path / "catalog", EXTRA, meta={"survey": "base-paper"})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "catalog")
    return root


def expected(before: list[Problem], after: list[Problem], changed: set[str]) -> list[Problem]:
    """The reference: problems of changed files, and new problems of the others, from two full checks."""
    earlier = set(before)
    return sorted({p for p in after if p.path in changed or p not in earlier})


def _write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


def _replace(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "a title now the same as an unchanged paper's": (
        lambda r: _replace(r, "papers/other-paper.yaml", "Another Paper About Emotion Reasoning",
                           "'Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning'"),
        {"papers/other-paper.yaml", "papers/base-paper.yaml"}),
    "a deleted dataset that unchanged entries use": (
        lambda r: (r / "datasets/meld.yaml").unlink(), {"papers/base-paper.yaml", "papers/other-paper.yaml", "benchmarks/base-bench.yaml"}),
    "a new paper whose arXiv link is an unchanged paper's arXiv id": (
        lambda r: _write(r, "papers/copy.yaml", "title: A Copy\nyear: 2025\nlinks:\n  pdf: https://arxiv.org/pdf/2406.11161v2\n"
                         "added: 2025-02-01\n"), {"papers/copy.yaml", "papers/base-paper.yaml"}),
    "a paper that no longer parses": (
        lambda r: _write(r, "papers/other-paper.yaml", "title: [unclosed\n"), {"papers/other-paper.yaml"}),
    "a dataset moved to the models folder": (
        lambda r: (r / "datasets/meld.yaml").rename(r / "models/meld.yaml"), {"models/meld.yaml"}),
    "a topic removed from the vocabulary": (
        lambda r: _replace(r, "vocabulary.yaml", "  survey:\n    name: Surveys\n", ""), {"papers/other-paper.yaml"}),
    "an untracked file with a bad name": (
        lambda r: _write(r, "papers/Bad_Name.yaml", "title: x\n"), set()),
    "a new paper with the title of an unchanged paper written with escapes": (
        lambda r: (_write(r, "papers/third-paper.yaml", 'title: "\\u00dcn\\u00efcode T\\u00edtle of a Third Paper"\n'
                          "added: 2025-01-01\n"), git(r.parent, "commit", "-qam", "escaped"),
                   _write(r, "papers/fourth.yaml", "title: Unicode Title of a Third Paper\nadded: 2025-01-01\n")),
        {"papers/third-paper.yaml"}),
    "a new paper whose title only differs by look-alike letters": (
        lambda r: _write(r, "papers/fifth.yaml", "title: Another Paper About Еmotion Rеasoning\nadded: 2025-01-01\n"),
        {"papers/other-paper.yaml"}),
    "the survey of catalog.yaml deleted": (
        lambda r: (r / "papers/base-paper.yaml").unlink(), {"catalog.yaml", "models/base-model.yaml"}),
    "a changed id reference and an entry that refers to itself": (
        lambda r: _replace(r, "models/base-model.yaml", "paper: base-paper", "paper: base-model"), set()),
    "hundreds of new papers, one of them a copy (every file is parsed)": (
        lambda r: [_write(r, f"papers/new-{i}.yaml", f"title: New paper {i}\nyear: 2025\nlinks:\n  paper: "
                          f"https://example.org/{'another' if i == 7 else f'new/{i}'}\nadded: 2025-01-01\n")
                   for i in range(300)], {"papers/other-paper.yaml"}),
    "nothing": (lambda r: None, set()),
}


@pytest.mark.parametrize("case", CHANGES, ids=list(CHANGES))
def test_changed_since_is_the_full_check_restricted_to_the_change(tmp_path: Path, case: str) -> None:
    root = committed(tmp_path)
    change, unchanged_files_hit = CHANGES[case]
    before = check(root)[1]
    change(root)
    after = check(root)[1]
    names = {line for line in git(tmp_path, "status", "--porcelain", "-uall").splitlines()}
    changed = {str(tmp_path / line[3:]) for line in names}
    if "escapes" in case:  # the change committed a file first: compare with the check of that commit
        before = check_before(tmp_path, "HEAD")
    found = check_changed(root, "HEAD")
    assert found == expected(before, after, changed)
    hit = {str(root / name) for name in unchanged_files_hit}
    assert hit <= {p.path for p in found}, "the change's problems in unchanged files are reported"
    assert {p.path for p in found} - changed <= hit


def check_before(repository: Path, revision: str) -> list[Problem]:
    """A full check of the catalog as it was at ``revision`` (checked out in place, then restored)."""
    git(repository, "stash", "-u", "-q")
    head = git(repository, "rev-parse", "HEAD").strip()
    git(repository, "checkout", "-q", revision)
    try:
        return check(repository / "catalog")[1]
    finally:
        git(repository, "checkout", "-q", head)
        git(repository, "stash", "pop", "-q")


def test_a_one_file_change_parses_only_what_it_touches(tmp_path: Path) -> None:
    root = committed(tmp_path)
    _replace(root, "papers/third-paper.yaml", "Third Paper", "Third Paper, Revised")
    parsed: list[str] = []

    def parser(jobs):  # type: ignore[no-untyped-def]
        from emocat.catalog.loader import parse_files

        parsed.extend(job.entry_id for job in jobs)
        return parse_files(jobs)

    assert check_changed(root, "HEAD", parser=parser) == []
    assert parsed == ["third-paper"]


def test_the_command_line_prints_the_same_lines_as_a_full_check(tmp_path: Path) -> None:
    root = committed(tmp_path)
    _replace(root, "papers/other-paper.yaml", "Another Paper About Emotion Reasoning",
             "'Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning'")
    runner = CliRunner()
    full = runner.invoke(cli, ["--catalog", str(root), "check", "--no-cache"])
    changed = runner.invoke(cli, ["--catalog", str(root), "check", "--changed-since", "HEAD"])
    assert changed.exit_code == full.exit_code == 1
    assert changed.output == full.output
    assert "2 errors, 0 warnings in 2 files" in changed.output


@pytest.mark.parametrize(("setup", "revision", "message"), [
    ("plain folder", "HEAD", "is not inside a git repository"),
    ("repository", "no-such-revision", "unknown git revision 'no-such-revision'"),
])
def test_usage_errors_are_clear(tmp_path: Path, setup: str, revision: str, message: str) -> None:
    root = committed(tmp_path) if setup == "repository" else baseline_catalog(tmp_path / "catalog")
    result = CliRunner().invoke(cli, ["--catalog", str(root), "check", "--changed-since", revision])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_title_words_are_the_title_key(text: str) -> None:
    assert _words(text) == title_key(text)

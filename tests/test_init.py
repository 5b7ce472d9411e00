"""``emocat init``: a new project that checks, renders and keeps every file that was already there."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from emocat.catalog.checks import check
from emocat.catalog.models import KINDS
from emocat.commands.init import init_project
from emocat.errors import UsageError
from emocat.outputs.readme.render import readme_diff
from test_cli import run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AWESOME_LIST = FIXTURES / "init" / "awesome-tiny-graphs.md"


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)



def test_init_writes_a_valid_empty_project(workdir: Path) -> None:
    result = run("init", "awesome-graph-things", "--title", "Awesome Graph: Things", "--repository",
                 "https://github.com/someone/awesome-graph-things")
    assert result.exit_code == 0, result.output
    root = workdir / "awesome-graph-things"
    for relative in ("catalog/catalog.yaml", "catalog/vocabulary.yaml", "mkdocs.yml", "docs/about.md",
                     "docs/contributing.md", ".github/workflows/ci.yml", ".github/workflows/pages.yml",
                     ".github/PULL_REQUEST_TEMPLATE.md", ".github/ISSUE_TEMPLATE/config.yml",
                     ".pre-commit-config.yaml", "README.md", "CONTRIBUTING.md", "requirements.txt"):
        assert (root / relative).is_file(), relative
    assert sorted(p.name for p in (root / "catalog").iterdir() if p.is_dir()) == sorted(KINDS)
    meta = yaml.safe_load((root / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "Awesome Graph: Things"
    assert meta["repository"] == "https://github.com/someone/awesome-graph-things"
    assert meta["site_url"] == "https://someone.github.io/awesome-graph-things/"
    assert meta["license"] == "CC-BY-4.0"
    catalog, problems = check(root / "catalog", strict=True)
    assert problems == []
    assert readme_diff(catalog, root) == ""
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "pip install -q -r requirements.txt" in readme and "-e '.[test]'" not in readme
    assert "The data is published under CC-BY-4.0." in readme


def test_init_json_schemas_validate_what_it_wrote(workdir: Path) -> None:
    assert run("init").exit_code == 0
    for name in ("catalog", "vocabulary"):
        schema = json.loads((workdir / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        data = yaml.safe_load((workdir / "catalog" / f"{name}.yaml").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
    assert {p.name for p in (workdir / "schema").iterdir()} == {
        f"{kind}.schema.json" for kind in ("paper", "dataset", "benchmark", "model", "catalog", "vocabulary")}


def test_the_site_config_is_self_contained(workdir: Path) -> None:
    assert run("init").exit_code == 0
    config = yaml.load((workdir / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    assert config["theme"]["font"] is False
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "emocat" in plugins
    assert not {"info", "privacy", "social", "material/info", "material/privacy", "material/social"} & set(plugins)
    for page in config["nav"]:
        target = next(iter(page.values()))
        generated = target in ("index.md", "downloads.md") or target.endswith("/index.md")
        assert generated or (workdir / "docs" / target).is_file(), target


class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml's ``!ENV [NAME, default]`` read as its default."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])  # type: ignore[no-untyped-call, union-attr]


def test_init_never_overwrites_and_says_what_it_kept(workdir: Path) -> None:
    (workdir / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    (workdir / "README.md").write_text("# Mine\n", encoding="utf-8")
    result = run("init", ".")
    assert result.exit_code == 0
    assert "kept mkdocs.yml (it exists)\n" in result.output
    assert "kept README.md (it exists)\n" in result.output
    assert (workdir / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Mine\n"
    assert (workdir / "README.md").read_text(encoding="utf-8") == "# Mine\n"
    before = {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()}
    again = run("init", ".")
    assert again.exit_code == 0
    assert again.output.count("kept ") == len(before)
    assert {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()} == before


def test_init_with_another_catalog_folder(workdir: Path) -> None:
    assert run("init", "project", "--catalog", "data").exit_code == 0
    root = workdir / "project"
    assert (root / "data" / "catalog.yaml").is_file() and not (root / "catalog").exists()
    assert check(root / "data", strict=True)[1] == []
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert [hook["args"] for hook in hooks] == [["--catalog", "data"]] * 2
    assert all(hook["files"].startswith("^data/") for hook in hooks)
    assert "[`data/`](data/)" in (root / "README.md").read_text(encoding="utf-8")
    assert "EMOCAT_CATALOG: data" in (root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--title", "two\nlines"], "--title"),
    (["--repository", "ftp://example.org/x"], "--repository"),
    (["--site-url", "not a url"], "--site-url"),
    (["--catalog", "../outside"], "--catalog"),
])
def test_bad_options_are_usage_errors_and_write_nothing(workdir: Path, args: list[str], message: str) -> None:
    result = run("init", "new", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message} ")
    assert not (workdir / "new").exists()


def test_init_refuses_a_file(workdir: Path) -> None:
    (workdir / "taken").write_text("x", encoding="utf-8")
    result = run("init", "taken")
    assert result.exit_code == 2 and "'taken' is a file" in result.stderr
    with pytest.raises(UsageError, match="taken is a file; give a folder"):
        init_project(workdir / "taken")


def test_init_then_import_an_awesome_list_on_another_topic(workdir: Path) -> None:
    assert run("init").exit_code == 0
    shutil.copy(AWESOME_LIST, workdir / "list.md")
    imported = run("import", "awesome", "list.md")
    assert imported.exit_code == 0, imported.output
    catalog, problems = check(workdir / "catalog")
    assert [p for p in problems if p.severity.value == "error"] == []
    assert len(catalog.papers) >= 4 and len(catalog.datasets) == 2
    assert run("readme").exit_code == 0
    readme = (workdir / "README.md").read_text(encoding="utf-8")
    assert "## Papers" in readme and "## Datasets" in readme
    for empty in ("## Benchmarks", "## Models", "## Citation", "Trending", "Milestone"):
        assert empty not in readme, f"an empty section is shown: {empty}"
    # Datasets without any emotion-specific field get a table of what they have, not empty emotion columns.
    assert "### Other datasets" in readme
    assert "emotion" not in readme.lower() and "Egocentric" not in readme


def test_what_init_writes_is_already_canonical(workdir: Path) -> None:
    assert run("init", "--title", 'Awesome "Quoted": A # B').exit_code == 0
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout) == (0, "0 files would reformat, 0 unreadable\n")
    assert yaml.safe_load((workdir / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))["title"] == (
        'Awesome "Quoted": A # B')


# --- the generated workflows: a pull request carries entry files only, main regenerates README.md ---

def _workflow(root: Path, name: str) -> Any:
    return yaml.safe_load((root / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _named(steps: list[dict[str, Any]], command: str) -> int:
    """The index of the one step whose script contains ``command``."""
    found = [i for i, step in enumerate(steps) if command in step.get("run", "")]
    assert len(found) == 1, (command, found)
    return found[0]


def test_the_pull_request_workflow_never_asks_for_a_regenerated_readme(workdir: Path) -> None:
    assert run("init", "project", "--catalog", "data").exit_code == 0
    root = workdir / "project"
    text = (root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "readme --check" not in text and "{%" not in text and "{{ catalog" not in text
    workflow = _workflow(root, "ci.yml")
    assert set(workflow[True]) == {"pull_request", "workflow_dispatch"}  # YAML 1.1 reads the key `on` as true
    assert workflow["env"]["EMOCAT_CATALOG"] == "data"
    assert workflow["concurrency"]["group"] == (
        "ci-${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}")
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    changed = steps[_named(steps, "--changed-since")]
    assert changed["run"] == 'emocat check --changed-since "origin/$BASE" --format github'
    assert changed["if"] == "github.event_name == 'pull_request'"
    assert changed["env"] == {"BASE": "${{ github.base_ref }}"}
    # What the pull request changed is reported first; then the whole catalog, formatting, README and site.
    order = [_named(steps, command) for command in (
        "--changed-since", "emocat check --format github", "emocat fmt --check",
        'emocat readme --output "$RUNNER_TEMP/README.md"', "mkdocs build --strict")]
    assert order == sorted(order)
    # README.md is only rendered elsewhere: nothing in the checkout is regenerated or committed.
    scripts = [line.strip() for step in steps for line in step.get("run", "").splitlines()]
    assert not [line for line in scripts if re.match(r"emocat (readme|build)\b(?!.*--output)", line)]
    assert not [line for line in scripts if line.startswith("git ")]


def test_the_pages_workflow_regenerates_the_readme_before_it_builds(workdir: Path) -> None:
    assert run("init", "project", "--catalog", "data").exit_code == 0
    root = workdir / "project"
    text = (root / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "{%" not in text and "{{ catalog" not in text
    workflow = _workflow(root, "pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["env"]["EMOCAT_CATALOG"] == "data"
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert list(jobs) == ["readme", "build", "deploy"]
    assert jobs["readme"]["permissions"] == {"contents": "write"}
    assert jobs["readme"]["outputs"] == {"sha": "${{ steps.commit.outputs.sha }}"}
    steps = jobs["readme"]["steps"]
    assert _named(steps, "emocat check --format github") < _named(steps, "emocat readme") < _named(steps, "git commit")
    assert steps[_named(steps, "emocat readme")]["run"] == "emocat readme"
    assert jobs["build"]["needs"] == "readme" and jobs["deploy"]["needs"] == "build"
    build = jobs["build"]["steps"]
    assert build[0]["with"]["ref"] == "${{ needs.readme.outputs.sha }}"
    assert "emocat build --site-dir site" in build[_named(build, "emocat build")]["run"]
    assert "permissions" not in jobs["build"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}


def test_the_contributor_guides_leave_the_readme_out_of_a_pull_request(workdir: Path) -> None:
    assert run("init").exit_code == 0
    checklist = (workdir / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "emocat readme" not in checklist and "emocat check" in checklist
    assert "`README.md` is not part of the change: it is regenerated on `main` after merge" in checklist
    guide = (workdir / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "Commit the entry files only" in guide and "emocat check --changed-since origin/main" in guide
    readme = (workdir / "README.md").read_text(encoding="utf-8")
    for path in ("CONTRIBUTING.md", "docs/contributing.md", "README.md", ".github/PULL_REQUEST_TEMPLATE.md",
                 ".github/ISSUE_TEMPLATE/suggest-entry.yml", ".github/ISSUE_TEMPLATE/config.yml"):
        text = (workdir / path).read_text(encoding="utf-8")
        assert "readme --check" not in text, path
        # No command line ends by regenerating the README for the contributor to commit.
        assert not re.search(r"&& (\.venv/bin/)?emocat readme\b", text), path
    assert "Open a pull request with the entry file only" in readme


# The generated workflows, run step by step as the runner would (the checkout, Python set-up, installation
# and the mkdocs build left out) in a real git repository with a bare one as its origin.

#: git without the user's or the system's configuration (signing, hooks, another default branch).
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True).stdout


def _run_job(root: Path, workflow: Any, job: str, github: dict[str, str],
             env: dict[str, str]) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """Run the job's scripts in ``root`` until one fails; ``${{ github.X }}`` reads ``github``."""
    def expand(value: object) -> str:
        def lookup(found: re.Match[str]) -> str:
            assert found[1] in github, f"no value for ${{{{ github.{found[1]} }}}} in this test"
            return github[found[1]]
        return re.sub(r"\$\{\{ github\.([a-z_]+) \}\}", lookup, str(value))

    bindir = str(Path(sys.executable).parent)
    base = {**os.environ, **GIT_ENV, "PATH": bindir + os.pathsep + os.environ["PATH"], **env}
    base.update({key: expand(value) for key, value in workflow.get("env", {}).items()})
    done = []
    for step in workflow["jobs"][job]["steps"]:
        script = step.get("run", "")
        if not script or script.startswith("python -m pip install") or script.startswith("mkdocs build"):
            continue
        if "if" in step:
            assert step["if"] == "github.event_name == 'pull_request'", step["if"]
            if github.get("event_name") != "pull_request":
                continue
        step_env = {**base, **{key: expand(value) for key, value in step.get("env", {}).items()}}
        result = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", script], cwd=root, env=step_env,
                                capture_output=True, text=True, check=False, timeout=120)
        done.append((step.get("name", script), result))
        if result.returncode != 0:
            break
    return done


NEW_PAPER = ("# yaml-language-server: $schema=../../schema/paper.schema.json\n"
             "title: A New Paper\nyear: 2025\nlinks:\n  paper: https://example.org/new\nadded: 2025-06-01\n")


@pytest.fixture
def pushed(workdir: Path) -> Path:
    """A project made by ``emocat init``, committed on main and pushed to a bare ``origin``."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    if shutil.which("emocat", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the emocat command is not installed beside this Python")
    root = workdir / "project"
    assert run("init", str(root), "--repository", "https://github.com/someone/project").exit_code == 0
    _git(workdir, "init", "-q", "--bare", "-b", "main", "origin.git")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "init")
    _git(root, "remote", "add", "origin", str(workdir / "origin.git"))
    _git(root, "push", "-q", "origin", "main")
    return root


def test_a_pull_request_with_an_entry_only_passes_and_main_regenerates_the_readme(pushed: Path) -> None:
    root, temp = pushed, pushed.parent / "runner"
    temp.mkdir()
    _git(root, "checkout", "-q", "-b", "add-a-paper")
    (root / "catalog" / "papers" / "a-new-paper.yaml").write_text(NEW_PAPER, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add a paper")
    readme_before = (root / "README.md").read_text(encoding="utf-8")
    summary = temp / "summary.md"
    ran = _run_job(root, _workflow(root, "ci.yml"), "check", {"event_name": "pull_request", "base_ref": "main"},
                   {"RUNNER_TEMP": str(temp), "GITHUB_STEP_SUMMARY": str(summary)})
    assert all(result.returncode == 0 for _, result in ran), [(name, r.stdout + r.stderr) for name, r in ran]
    assert [name for name, _ in ran][:2] == ["Check what the pull request changes", "Check the catalog"]
    # The README the pull request did not touch: rendered for the summary, the checkout left as it was.
    assert "+| 2025 | [A New Paper](https://someone.github.io/project/papers/a-new-paper/)" in summary.read_text(
        encoding="utf-8")
    assert (root / "README.md").read_text(encoding="utf-8") == readme_before
    assert _git(root, "status", "--porcelain") == ""

    # Merged: main's Pages run commits the regenerated README.md and builds from that commit.
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--ff-only", "add-a-paper")
    _git(root, "push", "-q", "origin", "main")
    merged = _git(root, "rev-parse", "HEAD").strip()
    output = temp / "output"
    pages = _workflow(root, "pages.yml")
    ran = _run_job(root, pages, "readme", {}, {"GITHUB_REF_NAME": "main", "GITHUB_SHA": merged,
                                               "GITHUB_OUTPUT": str(output)})
    assert all(result.returncode == 0 for _, result in ran), [(name, r.stdout + r.stderr) for name, r in ran]
    origin = root.parent / "origin.git"
    head = _git(origin, "rev-parse", "main").strip()
    assert head != merged and output.read_text(encoding="utf-8") == f"sha={head}\n"
    assert _git(origin, "log", "-1", "--format=%an %s", "main") == (
        "github-actions[bot] README: regenerate from the catalog\n")
    assert "A New Paper" in _git(origin, "show", "main:README.md")
    assert _git(origin, "diff", "--name-only", merged, "main") == "README.md\n"

    # Run again: nothing to commit, and the build job gets the commit it was started for.
    output.unlink()
    ran = _run_job(root, pages, "readme", {}, {"GITHUB_REF_NAME": "main", "GITHUB_SHA": head,
                                               "GITHUB_OUTPUT": str(output)})
    assert all(result.returncode == 0 for _, result in ran)
    assert "README.md is up to date" in ran[-1][1].stdout
    assert output.read_text(encoding="utf-8") == f"sha={head}\n"


def test_a_broken_entry_fails_on_the_pull_request_check_first(pushed: Path) -> None:
    root, temp = pushed, pushed.parent / "runner"
    temp.mkdir()
    _git(root, "checkout", "-q", "-b", "broken")
    (root / "catalog" / "papers" / "broken.yaml").write_text(
        NEW_PAPER.replace("year: 2025", "year: 3000"), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "A broken paper")
    ran = _run_job(root, _workflow(root, "ci.yml"), "check", {"event_name": "pull_request", "base_ref": "main"},
                   {"RUNNER_TEMP": str(temp), "GITHUB_STEP_SUMMARY": str(temp / "summary.md")})
    name, result = ran[-1]
    assert (len(ran), name, result.returncode) == (1, "Check what the pull request changes", 1)
    assert result.stdout.startswith("::error file=catalog/papers/broken.yaml,line=3,"), result.stdout


def test_a_refused_push_leaves_main_as_it_is_and_still_publishes(pushed: Path) -> None:
    root = pushed
    (root / "catalog" / "papers" / "a-new-paper.yaml").write_text(NEW_PAPER, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add a paper")
    started = _git(root, "rev-parse", "HEAD").strip()
    # main moves on before the run pushes (the push is refused as it would be by a branch rule)
    other = root.parent / "other"
    _git(root.parent, "clone", "-q", str(root.parent / "origin.git"), str(other))
    (other / "NOTES.md").write_text("notes\n", encoding="utf-8")
    _git(other, "add", "-A")
    _git(other, "commit", "-qm", "notes")
    _git(other, "push", "-q", "origin", "main")
    output = root.parent / "output"
    ran = _run_job(root, _workflow(root, "pages.yml"), "readme", {},
                   {"GITHUB_REF_NAME": "main", "GITHUB_SHA": started, "GITHUB_OUTPUT": str(output)})
    assert all(result.returncode == 0 for _, result in ran), [(name, r.stdout + r.stderr) for name, r in ran]
    assert "::warning::README.md was regenerated but could not be pushed to main" in ran[-1][1].stdout
    assert output.read_text(encoding="utf-8") == f"sha={started}\n"
    assert _git(root, "rev-parse", "HEAD").strip() == started

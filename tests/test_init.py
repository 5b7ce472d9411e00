"""``emocat init``: a new project that checks, renders and keeps every file that was already there."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

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

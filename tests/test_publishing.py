"""What a published project carries: a code licence, a data licence, a valid CITATION.cff, a version the
pre-commit example can point at, and workflows on actions that run on a supported Node runtime."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import emocat
from emocat.cli import cli
from test_github import actionlint

REPO = Path(__file__).resolve().parent.parent
CFF_SCHEMA = REPO / "tests" / "data" / "cff" / "schema-1.2.0.json"

#: The first major version of each action whose ``runs.using`` is node24 (read from the action.yml of its
#: tags: checkout v5, setup-python v6, setup-node v5, upload-artifact v6, upload-pages-artifact v5 (a
#: composite over upload-artifact v7), deploy-pages v5). Node 20 actions are no longer supported on GitHub's
#: runners; an action missing here has not been looked at. actions/configure-pages has no node24 release.
NODE24_SINCE = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/setup-node": 5,
    "actions/upload-artifact": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def _pyproject() -> dict[str, str]:
    """``version`` and ``license`` of pyproject.toml's [project] table (tomllib is Python 3.11+)."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8").split("[project]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^(version|license) = "([^"]*)"$', text, re.MULTILINE))


def test_the_code_licence_is_the_mit_licence_pyproject_names() -> None:
    assert _pyproject()["license"] == "MIT"
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in text and 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_data_licence_is_stated_in_the_catalog_readme_and_citation() -> None:
    meta = yaml.safe_load((REPO / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))
    assert meta["license"] == "CC-BY-4.0"
    assert f"The data is published under {meta['license']}." in (REPO / "README.md").read_text(encoding="utf-8")
    assert yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))["license"] == meta["license"]


def _citation_authors() -> list[dict[str, str]]:
    """The authors of the survey, from the BibTeX citation in catalog.yaml."""
    citation = yaml.safe_load((REPO / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))["citation"]
    found = re.search(r"author\s*=\s*\{(.*?)\}", citation)
    assert found, citation
    names = [name.strip().split(", ", 1) for name in found[1].split(" and ")]
    return [{"family-names": family, "given-names": given} for family, given in names]


def test_citation_cff_is_valid_and_names_the_surveys_authors() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(cff)
    assert cff["authors"] == _citation_authors()
    assert cff["preferred-citation"]["authors"] == _citation_authors()


def test_the_cff_schema_catches_a_file_without_authors() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    del cff["authors"]
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError, match="'authors' is a required property"):
        jsonschema.Draft7Validator(schema).validate(cff)


def test_one_version_and_the_pre_commit_examples_point_at_its_tag() -> None:
    version = _pyproject()["version"]
    assert emocat.__version__ == version
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.strip().endswith(str(version))
    for path in (".pre-commit-hooks.yaml", "CONTRIBUTING.md"):
        revs = re.findall(r"rev: (\S+)", (REPO / path).read_text(encoding="utf-8"))
        assert revs == [f"v{version}"], path
    assert f"## [{version}]" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def _workflows(tmp_path: Path) -> list[Path]:
    """The repository's workflows and the ones ``emocat init`` writes."""
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    return sorted((REPO / ".github" / "workflows").glob("*.yml")) + sorted(
        (tmp_path / "new" / ".github" / "workflows").glob("*.yml"))


def test_every_action_runs_on_a_supported_node_runtime(tmp_path: Path) -> None:
    workflows = _workflows(tmp_path)
    assert len(workflows) == 5
    for path in workflows:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" not in step:
                    continue
                action, _, ref = step["uses"].partition("@")
                assert action in NODE24_SINCE, f"{path}: {step['uses']} has not been checked for its Node runtime"
                major = re.fullmatch(r"v(\d+)(?:\.\d+)*", ref)
                assert major and int(major[1]) >= NODE24_SINCE[action], f"{path}: {step['uses']} runs on Node 20 or older"


def test_the_workflows_init_writes_pass_actionlint(tmp_path: Path) -> None:
    written = [path for path in _workflows(tmp_path) if not path.is_relative_to(REPO)]
    result = actionlint(written)
    assert result.returncode == 0, result.stdout + result.stderr

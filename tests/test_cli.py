"""Exact output and exit codes of the foundation commands: check, schema, new, fmt, and --help of all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result
from pydantic import BaseModel

from catalogs import baseline_catalog
from emocat.catalog.checks import check
from emocat.catalog.models import KIND_BY_NAME
from emocat.cli import cli
from emocat.errors import Severity
from emocat.store import yamlio

BAD_YEAR = "title: A paper from the future\nyear: 3000\nlinks: {paper: 'https://example.org/future'}\nadded: 2025-01-31\n"
NO_YEAR = "title: A paper without year or link\nadded: 2025-01-31\n"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A folder with the baseline ``catalog/``, made the working directory so paths print as ``catalog/...``."""
    baseline_catalog(tmp_path / "catalog")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def add(project: Path, relative: str, text: str) -> Path:
    path = project / "catalog" / relative
    path.write_text(text, encoding="utf-8")
    return path


# --- check ---

def test_check_clean_catalog(project: Path) -> None:
    result = run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "0 errors, 0 warnings in 0 files\n", "")


def test_check_text(project: Path) -> None:
    add(project, "papers/bad-year.yaml", BAD_YEAR)
    add(project, "papers/no-year.yaml", NO_YEAR)
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout == (
        "catalog/papers/bad-year.yaml:2:7: error: year: 3000 is too large; it must be at most 2100 [schema]\n"
        "catalog/papers/no-year.yaml:1:8: warning: title: a paper without a year [no-year]\n"
        "catalog/papers/no-year.yaml:1:8: warning: title: a paper without any link; add links.paper [no-link]\n"
        "1 error, 2 warnings in 2 files\n"
    )


def test_check_warnings_alone_pass_unless_strict(project: Path) -> None:
    add(project, "papers/no-year.yaml", NO_YEAR)
    assert run("check").exit_code == 0
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == (
        "catalog/papers/no-year.yaml:1:8: error: title: a paper without a year [no-year]\n"
        "catalog/papers/no-year.yaml:1:8: error: title: a paper without any link; add links.paper [no-link]\n"
        "catalog/papers/no-year.yaml:1:8: error: title: a paper without authors; add the authors in order [no-authors]\n"
        "catalog/papers/no-year.yaml:1:8: error: title: a paper without venue; add the venue, or arXiv [no-venue]\n"
        "4 errors, 0 warnings in 1 file\n"
    )


def test_check_json(project: Path) -> None:
    add(project, "papers/bad-year.yaml", BAD_YEAR)
    add(project, "papers/no-year.yaml", NO_YEAR)
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "catalog/papers/bad-year.yaml", "line": 2, "column": 7, "severity": "error", "field": "year",
         "message": "3000 is too large; it must be at most 2100", "rule": "schema"},
        {"path": "catalog/papers/no-year.yaml", "line": 1, "column": 8, "severity": "warning", "field": "title",
         "message": "a paper without a year", "rule": "no-year"},
        {"path": "catalog/papers/no-year.yaml", "line": 1, "column": 8, "severity": "warning", "field": "title",
         "message": "a paper without any link; add links.paper", "rule": "no-link"},
    ]


def test_check_json_of_a_clean_catalog_is_an_empty_array(project: Path) -> None:
    result = run("check", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_check_github(project: Path) -> None:
    add(project, "papers/bad-year.yaml", BAD_YEAR)
    add(project, "papers/no-year.yaml", NO_YEAR)
    result = run("check", "--format", "github", "--strict")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=catalog/papers/bad-year.yaml,line=2,col=7,title=schema::"
        "year: 3000 is too large; it must be at most 2100\n"
        "::error file=catalog/papers/no-year.yaml,line=1,col=8,title=no-year::title: a paper without a year\n"
        "::error file=catalog/papers/no-year.yaml,line=1,col=8,title=no-link::"
        "title: a paper without any link; add links.paper\n"
        "::error file=catalog/papers/no-year.yaml,line=1,col=8,title=no-authors::"
        "title: a paper without authors; add the authors in order\n"
        "::error file=catalog/papers/no-year.yaml,line=1,col=8,title=no-venue::"
        "title: a paper without venue; add the venue, or arXiv\n"
    )
    assert result.stderr == "5 errors, 0 warnings in 2 files\n"


def test_github_annotations_escape_their_properties(project: Path) -> None:
    os.mkdir(project / "catalog" / "odd,dir")
    result = run("check", "--format", "github")
    assert result.stdout == (
        "::warning file=catalog/odd%2Cdir,line=1,col=1,title=unexpected-file::unexpected folder in the catalog; "
        "entries live in papers, datasets, benchmarks, models\n"
    )


def test_missing_catalog_is_a_usage_error(project: Path) -> None:
    for command in (["check"], ["fmt"], ["fmt", "--check"], ["new", "paper", "some-paper"]):
        result = run("--catalog", "nowhere", *command)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", "error: no catalog folder at nowhere\n")
    assert not (project / "nowhere").exists()


def test_usage_errors_exit_2(project: Path) -> None:
    assert run("check", "--format", "xml").exit_code == 2
    assert run("check", "--no-such-option").exit_code == 2
    assert run("no-such-command").exit_code == 2
    (project / "a-file").write_text("", encoding="utf-8")
    assert run("--catalog", "a-file", "check").exit_code == 2


# --- schema ---

def test_schema_prints_one_valid_json_schema_for_every_kind(project: Path) -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["anyOf"] == [{"$ref": f"#/$defs/{kind}"} for kind in KIND_BY_NAME]
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((project / "catalog").glob("*/*.yaml")):
        assert validator.is_valid(_json_data(path)), path
    assert not validator.is_valid({"title": "x", "added": "2025-01-31", "colour": "red"})


def test_schema_to_a_folder_and_to_a_file(project: Path) -> None:
    result = run("schema", "-o", "out")
    names = ["paper", "dataset", "benchmark", "model", "catalog", "vocabulary"]
    assert (result.exit_code, result.stdout) == (0, "".join(f"wrote out/{name}.schema.json\n" for name in names))
    for name in names:
        jsonschema.Draft202012Validator.check_schema(json.loads((project / "out" / f"{name}.schema.json").read_text()))
    result = run("schema", "-o", "all.json")
    assert (result.exit_code, result.stdout) == (0, "wrote all.json\n")
    assert (project / "all.json").read_text(encoding="utf-8") == run("schema").stdout


def _json_data(path: Path) -> typing.Any:
    """A catalog file as JSON sees it: emocat's strict reader, with exact decimals turned into floats."""
    def convert(value: typing.Any) -> typing.Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return convert(yamlio.read(path))


# --- new ---

def _field_paths(cls: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every field name of a model and of the models nested in it, as dotted paths (``id`` excluded)."""
    for name, info in cls.model_fields.items():
        if info.exclude:
            continue
        yield prefix + name
        for nested in _models_in(info.annotation):
            yield from _field_paths(nested, f"{prefix}{name}.")


def _models_in(annotation: typing.Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _scaffold_paths(text: str) -> set[str]:
    """Dotted paths of the keys written in a scaffold, commented out or not."""
    found: set[str] = set()
    stack: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = raw[2:] if raw.startswith("# ") else raw
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if body.startswith("- "):
            body, indent = body[2:], indent + 2
        key = body.split(":", 1)[0]
        if ":" not in body or not key.replace("_", "").isalpha() or not key.islower():
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([*(name for _, name in stack), key])
        found.add(path)
        stack.append((indent, key))
    return found


@pytest.mark.parametrize("kind", list(KIND_BY_NAME))
def test_new_scaffold_lists_every_field_and_passes_check(project: Path, kind: str) -> None:
    entry_id = f"fresh-{kind}"
    folder = KIND_BY_NAME[kind].folder
    result = run("new", kind, entry_id)
    assert (result.exit_code, result.stdout) == (
        0, f"created catalog/{folder}/{entry_id}.yaml; fill it in, then run emocat check\n")
    text = (project / "catalog" / folder / f"{entry_id}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n")
    missing = set(_field_paths(KIND_BY_NAME[kind])) - _scaffold_paths(text)
    assert not missing, f"templates/new/{kind}.yaml.j2 does not mention {sorted(missing)}"
    _, problems = check(Path("catalog"))
    assert problems, "a bare scaffold should get warnings about what it lacks"
    assert all(p.severity is Severity.WARNING for p in problems), [p.format() for p in problems]
    assert {p.path for p in problems} == {f"catalog/{folder}/{entry_id}.yaml"}


def test_scaffold_field_parser_sees_nested_fields() -> None:
    text = "name: x\n# results:\n#   - model: m\n#     source:\n#       url: u\n# links:\n#   code: c\nadded: d\n"
    assert _scaffold_paths(text) == {"name", "results", "results.model", "results.source", "results.source.url",
                                     "links", "links.code", "added"}


def test_new_refuses_an_id_in_use_in_any_kind(project: Path) -> None:
    before = (project / "catalog" / "papers" / "base-paper.yaml").read_bytes()
    result = run("new", "dataset", "base-paper")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: catalog/papers/base-paper.yaml already exists; choose another id\n"
    assert not (project / "catalog" / "datasets" / "base-paper.yaml").exists()
    assert (project / "catalog" / "papers" / "base-paper.yaml").read_bytes() == before


@pytest.mark.parametrize("bad_id", ["Bad_Id", "trailing-", "two--hyphens", "a" * 81, "émotion"])
def test_new_refuses_an_invalid_id(project: Path, bad_id: str) -> None:
    result = run("new", "paper", bad_id)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {bad_id!r} is not a valid id: lowercase letters and digits joined by single hyphens, "
        "at most 80 characters\n"
    )
    assert sorted(p.name for p in (project / "catalog" / "papers").iterdir()) == ["base-paper.yaml"]


def test_new_refuses_an_unknown_kind(project: Path) -> None:
    assert run("new", "poem", "a-poem").exit_code == 2


# --- fmt ---

UNTIDY = (
    "\ufeff# a comment after a BOM, kept above its key\r\n"
    "metrics:\r\n  - acc\r\n"
    "results:\r\n  - value: 25.00\r\n    metric: acc\r\n    as_printed: 'no'\r\n    baseline: 'no'\r\n"
    "    source: {url: 'https://example.org/r'}\r\n"
    "added: 2025-01-31\r\n"
    "name: 'yes'\r\n"
)
TIDY = (
    "# yaml-language-server: $schema=../../schema/benchmark.schema.json\n"
    "name: 'yes'\n"
    "# a comment after a BOM, kept above its key\n"
    "metrics: [acc]\n"
    "results:\n- baseline: 'no'\n  as_printed: 'no'\n  metric: acc\n  value: 25.00\n  source:\n    url: https://example.org/r\n"
    "added: 2025-01-31\n"
)


def _tidy_project() -> None:
    assert run("fmt").exit_code == 0  # the baseline is written in canonical form already


def test_fmt_check_reports_without_writing(project: Path) -> None:
    _tidy_project()
    path = add(project, "benchmarks/untidy.yaml", UNTIDY)
    before = path.read_bytes()
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout) == (
        1, "would reformat catalog/benchmarks/untidy.yaml\n1 file would reformat, 0 unreadable\n")
    assert path.read_bytes() == before


def test_fmt_rewrites_canonically_atomically_and_idempotently(project: Path) -> None:
    _tidy_project()
    path = add(project, "benchmarks/untidy.yaml", UNTIDY)
    inode = path.stat().st_ino
    result = run("fmt")
    assert (result.exit_code, result.stdout) == (
        0, "reformatted catalog/benchmarks/untidy.yaml\n1 file reformatted, 0 unreadable\n")
    assert path.read_bytes() == TIDY.encode("utf-8")  # LF, no BOM, 25.00 kept, 'no' and 'yes' still text
    assert path.stat().st_ino != inode  # replaced by a rename, never rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["base-bench.yaml", "untidy.yaml"]  # no temp files
    again = run("fmt")
    assert (again.exit_code, again.stdout) == (0, "0 files reformatted, 0 unreadable\n")
    checked = run("fmt", "--check")
    assert (checked.exit_code, checked.stdout) == (0, "0 files would reformat, 0 unreadable\n")
    entry = check(project / "catalog")[0].benchmarks["untidy"]
    assert entry.name == "yes" and entry.results[0].as_printed == "no"
    assert str(entry.results[0].value) == "25.00"


def test_fmt_leaves_broken_files_alone_and_fails(project: Path) -> None:
    _tidy_project()
    path = add(project, "papers/broken.yaml", "title: [unclosed\n")
    result = run("fmt")
    assert result.exit_code == 1
    assert result.stdout == (
        "catalog/papers/broken.yaml:2:1: error: did not find expected ',' or ']' while parsing a flow sequence "
        "that starts at 1:8 [yaml-syntax]\n0 files reformatted, 1 unreadable\n"
    )
    assert path.read_text(encoding="utf-8") == "title: [unclosed\n"


# --- help, entry points, exit codes ---

def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example() -> None:
    found = [(), *(path for path, _ in _commands(cli))]
    assert {("check",), ("schema",), ("new",), ("fmt",)} <= set(found)
    for path in found:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example:" in result.stdout, f"emocat {' '.join(path)} --help has no Example: block"
        example = result.stdout.split("Example:", 1)[1].strip().splitlines()
        assert example and example[0].strip().startswith("emocat "), (path, example)


def test_python_dash_m_emocat() -> None:
    result = subprocess.run([sys.executable, "-m", "emocat", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: python -m emocat [OPTIONS] COMMAND [ARGS]...") or "Usage:" in result.stdout
    assert "check" in result.stdout and "Example:" in result.stdout


def test_main_help_lists_the_foundation_commands() -> None:
    result = run("--help")
    for name in ("check", "schema", "new", "fmt"):
        assert f"\n  {name} " in result.stdout


def test_help_imports_no_heavy_library() -> None:
    """``emocat --help`` starts fast because commands import what they need only when they run."""
    heavy = ["pydantic", "yaml", "jinja2", "mkdocs", "material", "httpx", "bibtexparser", "markdown"]
    code = (
        "import sys; from emocat.cli import cli; from click.testing import CliRunner\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        f"print(sorted({{name.split('.')[0] for name in sys.modules}} & set({heavy!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

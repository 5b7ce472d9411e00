"""``--catalog`` where users type it: before the subcommand, after it, or from ``EMOCAT_CATALOG``, with the
same result for every command."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from catalogs import baseline_catalog, write_catalog
from emocat.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIBTEX = "@article{k, title={A Paper From a File}, author={Doe, Jane}, year={2024}}\n"


def _baseline(root: Path) -> None:
    baseline_catalog(root / "data")


def _empty(root: Path) -> None:
    write_catalog(root / "data")  # no entries: links and enrich have nothing to ask the network about


def _with_mkdocs(root: Path) -> None:
    _baseline(root)
    (root / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: docs\nplugins:\n  - emocat:\n      catalog: data\n",
                                     encoding="utf-8")
    (root / "docs").mkdir()


#: Every command, the arguments it is run with, and the catalog it needs (in ``data/``).
COMMANDS: dict[str, tuple[list[str], Callable[[Path], None]]] = {
    "check": (["check", "--strict"], _baseline),
    "schema": (["schema", "-o", "schema"], _baseline),
    "new": (["new", "paper", "fresh-paper"], _baseline),
    "fmt": (["fmt", "--check"], _baseline),
    "readme": (["readme"], _baseline),
    "import awesome": (["import", "awesome", "list.md", "--dry-run"], _baseline),
    "add": (["add", "--bibtex", "refs.bib", "--dry-run"], _baseline),
    "export": (["export", "csv"], _baseline),
    "links": (["links", "--no-cache"], _empty),
    "enrich": (["enrich", "--dry-run"], _empty),
    "build": (["build", "--pages-dir", "pages"], _with_mkdocs),
    "init": (["init", "new-project"], _baseline),
}


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append(prefix + name)
    return found


#: Commands that do not end by themselves; each has its own test of a real run (tests/test_serve.py).
SERVERS = {"serve"}


def test_every_command_is_covered() -> None:
    assert sorted(_commands(cli)) == sorted([*COMMANDS, *SERVERS])


@pytest.fixture
def chdir() -> Iterator[Callable[[Path], None]]:
    cwd = os.getcwd()
    yield os.chdir
    os.chdir(cwd)


def _run(root: Path, args: list[str], env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _project(root: Path, make: Callable[[Path], None]) -> Path:
    root.mkdir()
    make(root)
    shutil.copy(FIXTURES / "init" / "awesome-tiny-graphs.md", root / "list.md")
    (root / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".emocat-cache" not in p.parts}  # the parse cache is keyed by the catalog's path


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_catalog_before_or_after_the_command_or_from_the_environment(
        name: str, tmp_path: Path, chdir: Callable[[Path], None]) -> None:
    args, make = COMMANDS[name]
    depth = len(name.split())
    outcomes = []
    for where in ("before", "after", "environment"):
        root = _project(tmp_path / where, make)
        chdir(root)
        if where == "before":
            result = _run(root, ["--catalog", "data", *args])
        elif where == "after":
            result = _run(root, [*args[:depth], "--catalog", "data", *args[depth:]])
        else:
            result = _run(root, args, env={"EMOCAT_CATALOG": "data"})
        here = str(root.resolve())
        outcomes.append((result.exit_code, result.stdout.replace(here, "ROOT"), result.stderr.replace(here, "ROOT"),
                         _files(root)))
    assert outcomes[0][0] in (0, 1), outcomes[0][1:3]
    assert "No such option" not in outcomes[1][2]
    assert outcomes[0] == outcomes[1] == outcomes[2]


def test_the_command_line_wins_over_the_environment(tmp_path: Path, chdir: Callable[[Path], None]) -> None:
    root = _project(tmp_path / "p", _baseline)
    chdir(root)
    env = {"EMOCAT_CATALOG": "nowhere"}
    for args in (["--catalog", "data", "check"], ["check", "--catalog", "data"]):
        assert _run(root, args, env=env).exit_code == 0
    assert _run(root, ["check"], env=env).stderr == "error: no catalog folder at nowhere\n"


def test_after_the_command_wins_over_before(tmp_path: Path, chdir: Callable[[Path], None]) -> None:
    root = _project(tmp_path / "p", _baseline)
    chdir(root)
    assert _run(root, ["--catalog", "nowhere", "check", "--catalog", "data"]).exit_code == 0
    assert _run(root, ["--catalog", "data", "check", "--catalog", "nowhere"]).exit_code == 2

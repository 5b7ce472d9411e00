"""Every command and every option of the command line is documented in docs/commands.md, with an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from emocat.cli import cli

DOCS = (Path(__file__).resolve().parent.parent / "docs" / "commands.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += _commands(command, path + " ")
    return found


COMMANDS = _commands(cli)


def _section(path: str) -> str:
    match = re.search(rf"^## `emocat {re.escape(path)}`\n(.*?)(?=^## |\Z)", DOCS, re.M | re.S)
    assert match, f"docs/commands.md has no section '## `emocat {path}`'"
    return match.group(1)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_a_section_with_an_example(path: str, command: click.Command) -> None:
    section = _section(path)
    if isinstance(command, click.Group):
        return
    assert re.search(rf"```(?:sh|console)\n(?:[^`]*\n)?emocat [^\n]*{re.escape(path.split()[-1])}", section), path


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_option_is_documented(path: str, command: click.Command) -> None:
    section = _section(path)
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and "--catalog" not in param.opts:  # global
            names = [name for name in param.opts if name not in ("-h", "--help")]
            assert any(f"`{name}" in section for name in names), f"emocat {path}: {names[0]} is not in its section"


def test_every_command_has_help_with_an_example() -> None:
    for path, command in COMMANDS:
        if not isinstance(command, click.Group):
            assert command.help and "Example" in command.help, path


def test_the_global_options_are_documented() -> None:
    for param in cli.params:
        if isinstance(param, click.Option):
            assert any(f"`{name}" in DOCS for name in param.opts), param.opts


def test_every_plugin_option_is_documented() -> None:
    from emocat.plugin import EmocatConfig

    match = re.search(r"^## The MkDocs plugin\n(.*?)(?=^## |\Z)", DOCS, re.M | re.S)
    assert match, "docs/commands.md has no section '## The MkDocs plugin'"
    for name, _ in EmocatConfig._schema:
        assert f"- `{name}`:" in match.group(1), f"the plugin option {name} is not in docs/commands.md"

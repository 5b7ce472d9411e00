"""Repository-level promises: the README's quick start runs exactly what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start_blocks() -> list[str]:
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    heading = re.search(r"^#+ .*Quick start.*$", readme, re.MULTILINE | re.IGNORECASE)
    assert heading, "README.md has no Quick start section"
    return re.findall(r"^```sh\n(.*?)\n```$", readme[heading.end():], re.MULTILINE | re.DOTALL)


def _ci_command() -> str:
    lines = REPO.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return commands[-1]


def test_readme_ends_with_two_quick_start_commands() -> None:
    blocks = _quick_start_blocks()
    assert len(blocks) == 2, blocks
    assert all(len(block.strip().splitlines()) == 1 for block in blocks), blocks
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    assert readme.rstrip().endswith(f"```sh\n{blocks[1]}\n```")


def test_readme_test_command_is_what_ci_runs() -> None:
    assert _quick_start_blocks()[1].strip() == _ci_command()


def test_ci_installs_from_scratch_and_runs_the_tests() -> None:
    command = _ci_command()
    assert command.startswith("python3 -m venv .venv && ")
    assert "pip install" in command and "pytest" in command

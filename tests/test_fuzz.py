"""Fuzz: random and mutated YAML bytes never crash the loader or ``emocat check``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from emocat.catalog.checks import check
from emocat.cli import cli
from emocat.store import yamlio

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "catalog").rglob("*.yaml"))[::25]
LOCATED = re.compile(r"^\S.*:\d+:\d+: (error|warning): .+ \[[a-z0-9-]+\]$")

# Bytes that steer the parser into its corners: indicators, escapes, tabs, BOMs, bad UTF-8.
SPECIAL = [b":", b"- ", b"&a ", b"*a", b"!!", b"<<: ", b"---\n", b"\t", b"\xef\xbb\xbf", b"\xff", b"\x00",
           b'"', b"'", b"[", b"{", b"}", b"]", b"#", b"|\n", b">\n", b"\r\n", b"%YAML 1.1\n", b"? ", b"\\x"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(min_size=1, max_size=4)))
        if action == "insert":
            data[at:at] = piece
        elif action == "delete":
            del data[at : at + len(piece)]
        else:
            data[at : at + len(piece)] = piece
    return bytes(data)


@given(st.one_of(st.binary(max_size=300), mutated()))
def test_reader_either_parses_or_raises_a_located_error(data: bytes) -> None:
    try:
        result = yamlio.parse(yamlio.decode(data))
    except yamlio.YamlError as exc:
        assert exc.line >= 1 and exc.column >= 1 and exc.message and exc.rule
    else:
        assert isinstance(result, dict)


def _small_catalog(root: Path) -> Path:
    """The repository's catalog.yaml and vocabulary.yaml with a sample of its entries."""
    root.mkdir(parents=True)
    for name in ("catalog.yaml", "vocabulary.yaml"):
        shutil.copy(REPO / "catalog" / name, root / name)
    for folder in ("papers", "datasets", "benchmarks", "models"):
        (root / folder).mkdir()
        for path in sorted((REPO / "catalog" / folder).glob("*.yaml"))[:3]:
            shutil.copy(path, root / folder / path.name)
    return root


@pytest.fixture(scope="module")
def catalog_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_catalog(tmp_path_factory.mktemp("fuzz") / "catalog")


@given(mutated())
def test_check_reports_located_problems_and_never_crashes(catalog_copy: Path, data: bytes) -> None:
    target = catalog_copy / "papers" / "fuzzed.yaml"
    target.write_bytes(data)
    try:
        _, problems = check(catalog_copy)
    finally:
        target.unlink()
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert LOCATED.match(problem.format()), problem.format()


@given(st.lists(mutated(), min_size=1, max_size=3))
def test_cli_exits_0_or_1_with_a_summary(tmp_path_factory: pytest.TempPathFactory, files: list[bytes]) -> None:
    root = _small_catalog(tmp_path_factory.mktemp("cli") / "catalog")
    for index, data in enumerate(files):
        (root / "datasets" / f"fuzzed-{index}.yaml").write_bytes(data)
    result = CliRunner().invoke(cli, ["--catalog", str(root), "check"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert re.match(r"^\d+ errors?, \d+ warnings? in \d+ files?$", lines[-1])
    assert all(LOCATED.match(line) for line in lines[:-1]), lines

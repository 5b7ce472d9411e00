"""Crash safety: a writer killed with SIGKILL leaves every file whole (old or new) and no litter."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

UNFORMATTED = """added: 2025-01-{day:02d}
links: {{code: 'https://github.com/o/r{n}'}}
title: "Paper number {n} with a rather long title to make the file bigger {pad}"
year: 2024
"""


def _catalog(root: Path, count: int) -> dict[Path, str]:
    (root / "papers").mkdir(parents=True)
    (root / "catalog.yaml").write_text(
        "title: T\ndescription: D\nrepository: https://github.com/o/r\nsite_url: https://o.github.io/r/\n"
    )
    (root / "vocabulary.yaml").write_text("topics: {}\n")
    before = {}
    for n in range(count):
        path = root / "papers" / f"paper-{n}.yaml"
        text = UNFORMATTED.format(n=n, day=n % 28 + 1, pad="x" * 200)
        path.write_text(text)
        before[path] = text
    return before


def _run_and_kill(args: list[str], cwd: Path, delay: float) -> int:
    process = subprocess.Popen([sys.executable, "-m", "emocat", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait()


def _visible_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def _litter(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if p.is_file()]


def test_fmt_killed_midway_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    from emocat.loader import load
    from emocat.writer import dump_entry

    root = tmp_path / "catalog"
    before = _catalog(root, 1500)
    expected_after = {}
    catalog, _ = load(root)
    for entry in catalog.entries():
        expected_after[catalog.path_of(entry.id)] = dump_entry(entry)

    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        code = _run_and_kill(["fmt"], tmp_path, rng.uniform(0.4, 1.6))
        kills += code == -signal.SIGKILL
        for path, old in before.items():
            text = path.read_text()
            assert text in (old, expected_after[path]), f"{path} is neither the old nor the new text"
        assert set(_visible_files(root)) == set(before) | {root / "catalog.yaml", root / "vocabulary.yaml"}
        for leftover in _litter(root):
            assert leftover.name.endswith(".emocat-tmp"), leftover
    assert kills >= 1, "the writer finished before every kill; make the catalog bigger"

    done = subprocess.run([sys.executable, "-m", "emocat", "fmt"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _litter(root) == [], "a completed run sweeps what killed runs left"
    for path, new in expected_after.items():
        assert path.read_text() == new


def test_a_stale_temporary_file_is_swept_by_the_next_write(tmp_path: Path) -> None:
    from emocat.writer import atomic_write

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".x.yaml.{dead.stdout.strip()}.emocat-tmp"
    stale.write_text("half a fi")
    atomic_write(tmp_path / "y.yaml", "whole\n")
    assert not stale.exists()
    assert (tmp_path / "y.yaml").read_text() == "whole\n"
    assert os.listdir(tmp_path) == ["y.yaml"]

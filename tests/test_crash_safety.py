"""Crash safety: a writer killed with SIGKILL leaves every file whole (old or new) and no litter.

Each command runs as a real ``python -m emocat`` process and is killed several times: at random moments
(seeded), and, on Linux, as soon as it has a file in the target folder open for writing (seen in
``/proc/PID/fd``), so some kills land mid-write. After each kill every file must be byte for byte its old or
its complete new version, with no extra visible file; a hidden temporary may be left only if it is whole. A
complete run afterwards must succeed and leave the exact new version and no litter.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emocat.catalog.loader import Catalog

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import generate  # noqa: E402

KILLED = -signal.SIGKILL
TMP_SUFFIX = ".emocat-tmp"

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


def _emocat(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "emocat", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _run_and_kill(args: list[str], cwd: Path, delay: float) -> int:
    process = _emocat(args, cwd)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait()


def _writing(pid: int, folder: Path) -> bool:
    """Whether the process has a file in ``folder`` open for writing (named or not: O_TMPFILE shows as ``#INODE``)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            opened = Path(os.readlink(f"/proc/{pid}/fd/{fd}").removesuffix(" (deleted)"))
            if opened.parent != folder.resolve():
                continue
            flags = next(line for line in Path(f"/proc/{pid}/fdinfo/{fd}").read_text().splitlines()
                         if line.startswith("flags:"))
        except (OSError, StopIteration):
            continue
        if int(flags.split()[1], 8) & os.O_ACCMODE != os.O_RDONLY:
            return True
    return False


def _kill_while_writing(args: list[str], cwd: Path, folder: Path, timeout: float = 60) -> tuple[int, bool]:
    """Run emocat and kill it as soon as it writes into ``folder``; (exit code, whether it was seen writing)."""
    process = _emocat(args, cwd)
    deadline = time.monotonic() + timeout
    seen = False
    while process.poll() is None and time.monotonic() < deadline and not seen:
        seen = _writing(process.pid, folder)
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    return process.wait(), seen


def _visible_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def _litter(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if p.is_file()]


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in _visible_files(root)}


def _restore(root: Path, before: dict[Path, bytes]) -> None:
    for path in _visible_files(root):
        if path not in before:
            path.unlink()
        elif path.read_bytes() != before[path]:
            path.write_bytes(before[path])


def _assert_old_or_new(root: Path, before: dict[Path, bytes], new: dict[Path, bytes]) -> None:
    now = _snapshot(root)
    assert set(before) <= set(now), f"files disappeared: {sorted(set(before) - set(now))}"
    assert set(now) <= set(before) | set(new), f"extra files: {sorted(set(now) - set(before) - set(new))}"
    for path, data in now.items():
        assert data in (before.get(path), new.get(path)), f"{path} is neither its old nor its new version"
    for leftover in _litter(root):
        assert leftover.name.endswith(TMP_SUFFIX), f"unexpected hidden file {leftover}"
        target = leftover.parent / leftover.name[1:].rsplit(".", 2)[0]
        assert leftover.read_bytes() == new.get(target), f"{leftover} is a partial file"


#: How often a run is watched for the moment it writes before the test gives up (a short write on a
#: loaded machine is easily missed by the watcher).
WATCH_TRIES = 10


def _crash_then_recover(root: Path, args: list[str], new: dict[Path, bytes], writes_into: Path, *,
                        kills: int, seed: int) -> None:
    """Kill ``emocat ARGS`` run in ``root`` again and again from the same start, checking the files each time.

    ``new`` is what a complete run writes. The first kill (on Linux) comes as soon as the process writes into
    ``writes_into``; the time that took scales the random moments of the others. The last killed state is
    left for a complete run, which must succeed, give exactly the new version and sweep any litter.
    """
    before = _snapshot(root)
    assert any(before.get(path) != data for path, data in new.items()), "a run would change nothing"
    rng = random.Random(seed)
    linux = sys.platform.startswith("linux")
    run_up = 1.0
    killed = killed_while_writing = 0
    for attempt in range(kills):
        _restore(root, before)
        if attempt == 0 and linux:
            for _ in range(WATCH_TRIES):  # a busy machine may not schedule the watcher during a short write
                started = time.monotonic()
                code, seen = _kill_while_writing(args, root, writes_into)
                run_up = time.monotonic() - started
                if seen:
                    break
                _restore(root, before)
            killed_while_writing += seen and code == KILLED
        else:
            code = _run_and_kill(args, root, rng.uniform(0.5, 1.5) * run_up)
        killed += code == KILLED
        _assert_old_or_new(root, before, new)
    assert killed >= 1, "every run finished before its kill; make the input bigger"
    if linux:
        assert killed_while_writing == 1, f"the process was not caught writing in {WATCH_TRIES} tries"

    done = subprocess.run([sys.executable, "-m", "emocat", *args], cwd=root, capture_output=True, text=True)
    if args[0] == "add":  # papers a killed run already added are now duplicates, reported and skipped
        problems = [line for line in done.stderr.splitlines() if ": error: " in line]
        assert all("already in the catalog" in line for line in problems), done.stderr
        assert done.returncode == (1 if problems else 0), done.stderr
    else:
        assert done.returncode == 0, done.stdout + done.stderr
    assert _litter(root) == [], "a completed run sweeps what killed runs left"
    assert _snapshot(root) == {**before, **new}


@pytest.fixture(scope="module")
def synthetic_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A realistic catalog of 200 entries (README about 90 kB, JSON export about 390 kB)."""
    project = tmp_path_factory.mktemp("synthetic")
    generate(project / "catalog", 200, seed=7)
    return project


@pytest.fixture(scope="module")
def synthetic_catalog(synthetic_project: Path) -> Catalog:
    from emocat.catalog.checks import load_valid

    return load_valid(synthetic_project / "catalog")


@pytest.fixture
def project(synthetic_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(synthetic_project, copy)
    return copy


def test_fmt_killed_midway_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    from emocat.commands.fmt import format_catalog

    root = tmp_path / "project"
    _catalog(root / "catalog", 200)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    format_catalog(reference / "catalog")
    new = {root / path.relative_to(reference): data for path, data in _snapshot(reference).items()}
    _crash_then_recover(root, ["fmt"], new, root / "catalog" / "papers", kills=3, seed=7)


def test_readme_killed_midway_leaves_the_previous_readme(project: Path, synthetic_catalog: Catalog) -> None:
    from emocat.outputs.readme.render import render_readme

    (project / "README.md").write_text("# The previous README\n\nkept until the new one is complete\n")
    new = {project / "README.md": render_readme(synthetic_catalog, project).encode()}
    _crash_then_recover(project, ["readme"], new, project, kills=2, seed=11)


@pytest.mark.parametrize(("fmt", "name", "kills"), [("json", "catalog.json", 2), ("csv", "catalog.csv", 2),
                                                   ("bibtex", "catalog.bib", 2)])
def test_export_killed_midway_leaves_the_previous_export(project: Path, synthetic_catalog: Catalog, fmt: str,
                                                         name: str, kills: int) -> None:
    """Random kills land while the catalog loads, the same for every format; the kill while writing differs."""
    from emocat.outputs.export import export

    (project / name).write_text("the previous export\n")
    new = {project / name: export(synthetic_catalog, fmt).encode()}
    _crash_then_recover(project, ["export", fmt, "-o", name], new, project, kills=kills, seed=13)


BIB_ENTRY = """@article{{key{n},
  title = {{Crash-safe catalog entry number {n}: {words}}},
  author = {{Doe, Jane and Roe, Richard and Zhang, Wei}},
  journal = {{Journal of Robust Tools}},
  year = {{2024}},
  doi = {{10.5555/crash.{n}}},
  abstract = {{{abstract}}}
}}
"""


def test_add_killed_midway_leaves_the_catalog_whole(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from emocat.adding import add

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # one "added" date here and in every child, even at midnight
    rng = random.Random(17)
    words = ["emotion", "signal", "atomic", "rename", "durable", "kernel", "catalog", "entry", "write", "crash"]
    (project / "refs.bib").write_text("\n".join(
        BIB_ENTRY.format(n=n, words=" ".join(rng.choice(words) for _ in range(6)),
                         abstract=" ".join(rng.choice(words) for _ in range(80)))
        for n in range(50)
    ))
    planned = add(project / "catalog", None, project / "refs.bib", dry_run=True)
    assert len(planned.added) == 50 and not planned.problems
    new = {item.path: item.text.encode() for item in planned.added}
    _crash_then_recover(project, ["add", "--bibtex", "refs.bib"], new, project / "catalog" / "papers",
                        kills=3, seed=19)


def test_a_stale_temporary_file_is_swept_by_the_next_write(tmp_path: Path) -> None:
    from emocat.store.files import atomic_write

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".x.yaml.{dead.stdout.strip()}.emocat-tmp"
    stale.write_text("half a fi")
    atomic_write(tmp_path / "y.yaml", "whole\n")
    assert not stale.exists()
    assert (tmp_path / "y.yaml").read_text() == "whole\n"
    assert os.listdir(tmp_path) == ["y.yaml"]

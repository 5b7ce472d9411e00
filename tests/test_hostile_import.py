"""Hostile lists for ``emocat import awesome``: input that made the old line regexes backtrack for minutes, and a
disk that fills up half way through an import.

Each list is a real file imported by a real ``emocat`` process under a generous timeout: the Markdown parser
runs in linear time, so even the 100 KB versions finish in seconds; a regex that backtracks does not finish.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from catalogs import write_catalog
from emocat.catalog.loader import load

#: far above the few seconds a linear parse needs here, far below what the backtracking took
TIMEOUT = 120
SIZE = 100_000

def _lines(line: Callable[[int], str], size: int) -> str:
    """Lines ``line(0)``, ``line(1)``, ... until there are ``size`` characters."""
    out: list[str] = []
    total = 0
    while total < size:
        out.append(line(len(out)))
        total += len(out[-1])
    return "".join(out)


#: name -> a body of about ``n`` bytes
PATTERNS: dict[str, Callable[[int], str]] = {
    "heading-of-spaces": lambda n: "#" + " " * n + "\n",
    "heading-of-spaces-then-text": lambda n: "## " + " " * n + "x #\n",
    "bullet-of-images": lambda n: "- " + "![a](b)" * (n // 7) + "\n",
    "line-of-html-links": lambda n: "- " + '<a href="x">' * (n // 12) + "\n",
    "line-of-stars": lambda n: "- " + "*a " * (n // 3) + "\n",
    "link-label-of-images": lambda n: "- [" + "![a](b)" * (n // 7) + "](https://example.org/x)\n",
    # HTML blocks hold Markdown that is parsed again: once, not again for each level of nesting
    "html-in-nested-lists": lambda n: _lines(lambda i: "  " * i + "- <div>\n", n),
    "html-in-nested-quotes": lambda n: _lines(lambda i: "> " * i + "<div>\n", n),
}
#: the sizes at which each was first found to hang (the nested HTML overflowed the stack at about 90 KB)
FOUND_AT = {"heading-of-spaces": 4096, "heading-of-spaces-then-text": 4096, "bullet-of-images": 211,
            "line-of-html-links": 4096, "line-of-stars": 4096, "html-in-nested-lists": 4096,
            "html-in-nested-quotes": 4096, "link-label-of-images": 211}


def emocat(*args: str, cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "emocat", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.mark.parametrize("size", ["found", "100k"])
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pathological_markdown_imports_in_linear_time(tmp_path: Path, name: str, size: str) -> None:
    root = write_catalog(tmp_path / "catalog")
    body = PATTERNS[name](FOUND_AT[name] if size == "found" else SIZE)
    source = tmp_path / f"{name}.md"
    source.write_text(f"# A list\n\n## Papers\n\n{body}- [Calm Paper](https://arxiv.org/abs/2401.00001)\n",
                      encoding="utf-8")
    assert source.stat().st_size >= (FOUND_AT[name] if size == "found" else SIZE)
    result = emocat("--catalog", str(root), "import", "awesome", str(source), "--dry-run", cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1), result.stderr
    # the ordinary item after the hostile line is still read
    assert f"would create {root / 'papers' / 'calm-paper.yaml'}" in result.stdout


# --- a disk that fills up during the import -----------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, bool]]:
    """A folder on a 64 KiB tmpfs (root can mount one); else a folder whose ``papers`` cannot be written to."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = shutil.which("mount") is not None and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, check=False
    ).returncode == 0
    try:
        yield mount, mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=True)
        else:
            if (mount / "catalog" / "papers").is_dir():
                (mount / "catalog" / "papers").chmod(0o755)


def test_disk_full_names_the_file_and_lists_what_was_written(tmp_path: Path, small_disk: tuple[Path, bool]) -> None:
    disk, full_disk = small_disk
    root = write_catalog(disk / "catalog")
    for kind in ("papers", "models", "datasets", "benchmarks"):
        (root / kind).mkdir(exist_ok=True)
    if not full_disk:  # no tmpfs: a folder that refuses writes stands in for a full disk
        (root / "papers").chmod(0o555)
    bullets = "".join(f"- [Paper Number {n}](https://arxiv.org/abs/2401.{n:05d}) - {'x' * 3000}\n" for n in range(40))
    source = tmp_path / "long.md"
    source.write_text(f"## Papers\n\n{bullets}", encoding="utf-8")

    result = emocat("--catalog", str(root), "import", "awesome", str(source), cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1
    failed = [line for line in result.stdout.splitlines() if "[import-write]" in line]
    assert len(failed) == 1, result.stdout
    created = [Path(line.removeprefix("created ")) for line in result.stdout.splitlines()
               if line.startswith("created ")]
    assert created or not full_disk  # the disk held some entries before it filled up
    line = failed[0]
    number = len(created) + 3  # the bullet of the entry that could not be written
    assert line.startswith(f"{source}:{number}:1: error: cannot write {root / 'papers'}/paper-number-")
    assert "No space left on device" in line or "Permission denied" in line
    assert f"{len(created)} entr{'y was' if len(created) == 1 else 'ies were'} written before it" in line
    assert f"this one and {40 - len(created) - 1} more were not" in line
    # what was listed is on disk, whole, and nothing else is
    on_disk = sorted((root / "papers").iterdir())
    assert sorted(created) == on_disk
    catalog, problems = load(root)
    assert problems == [] and len(catalog.papers) == len(created)
    assert result.stdout.rstrip().endswith(f"40 items read, {len(created)} entries created, 1 not imported")

"""Checks that cost what changed: ``check --changed-since`` on a one-file change, and a full check with a warm
parse cache against a cold one; and ``emocat check`` against its floor as whole processes.

Usage: ``python benchmarks/incremental.py [--n 10000] [--repeat 3]`` (real-shaped entries, see realshaped.py)

- one-file change: the catalog is committed in a fresh git repository, one paper's title is edited, and
  ``emocat check --changed-since HEAD`` runs in a new process (wall time, best of ``repeat``);
- warm / cold: ``emocat check`` in a new process with its parse cache removed before each cold run, and
  left in place for each warm one (wall time, best of ``repeat`` each, alternating);
- process check / floor: ``emocat check --no-cache`` in a new process against a new process that reads and
  CSafeLoader-parses the same files (wall time, best of ``repeat`` each, alternating): imports and start-up
  count, as they do for a user.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realshaped import generate

from emocat.catalog.cache import default_path

#: a one-file change checks in a few seconds, whatever the size of the catalog
CHANGED_TARGET = 5.0
#: a second full check, nothing changed, against the first
WARM_TARGET = 0.5

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def emocat(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "emocat", "--catalog", str(root), "check", *args]


def wall(command: Sequence[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def git(repository: Path, *args: str) -> None:
    # no automatic gc: a repack of 100,000 new objects would run during the measurements
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "gc.auto=0", *args],
                   cwd=repository, check=True, capture_output=True)


def committed(work: Path, n: int) -> Path:
    """A git repository under ``work`` whose ``catalog/`` holds ``n`` real-shaped entries, committed."""
    repository = work / f"repository-{n}"
    root = generate(repository / "catalog", n)
    git(repository, "init", "-q")
    git(repository, "add", "-A")
    git(repository, "commit", "-qm", "catalog")
    return root


def changed_time(root: Path, repeat: int) -> float:
    """Best time of ``check --changed-since HEAD`` after one paper's title was edited."""
    path = min((root / "papers").iterdir())
    text = path.read_text(encoding="utf-8")
    start = text.index("\ntitle: ") + len("\ntitle: ")
    start += text[start] in "'\""
    path.write_text(text[:start] + "Revised " + text[start:], encoding="utf-8")
    try:
        return min(wall(emocat(root, "--changed-since", "HEAD")) for _ in range(repeat))
    finally:
        path.write_text(text, encoding="utf-8")


def cache_times(root: Path, repeat: int) -> tuple[float, float]:
    """Best (cold, warm) times of a full ``emocat check`` without and with its parse cache."""
    cache = default_path(root)
    cold = warm = float("inf")
    for _ in range(repeat):
        cache.unlink(missing_ok=True)
        cold = min(cold, wall(emocat(root)))
        warm = min(warm, wall(emocat(root)))
    cache.unlink(missing_ok=True)
    return cold, warm


def process_times(root: Path, repeat: int) -> tuple[float, float]:
    """Best (floor, check) times as new processes."""
    floor = check = float("inf")
    for _ in range(repeat):
        floor = min(floor, wall([sys.executable, "-c", FLOOR, str(root)]))
        check = min(check, wall(emocat(root, "--no-cache")))
    return floor, check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="emocat-bench-") as scratch:
        root = committed(Path(scratch), args.n)
        changed = changed_time(root, args.repeat)
        cold, warm = cache_times(root, args.repeat)
        floor, check = process_times(root, args.repeat)
    print(f"{args.n:,} real-shaped entries")
    print(f"check --changed-since HEAD, one file changed: {changed:.3f} s (target < {CHANGED_TARGET} s)")
    print(f"full check, cold {cold:.3f} s, warm {warm:.3f} s: {warm / cold:.2f} (target <= {WARM_TARGET})")
    print(f"processes: floor {floor:.3f} s, check {check:.3f} s: {check / floor:.2f}")
    return 0 if changed < CHANGED_TARGET and warm / cold <= WARM_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

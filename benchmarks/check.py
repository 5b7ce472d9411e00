"""Measure ``emocat check`` against its floor (reading and libyaml-parsing the same files), as in DESIGN §8.

Usage: ``python benchmarks/check.py [--n 10000] [--repeat 3] [--catalog DIR]``

Prints the best-of-``repeat`` time of each side, their ratio (target: at most 1.3), and the start-up time of
``emocat --help`` (best of 5 runs in a new process; target: under 0.3 s). Runs of the two sides alternate,
so a machine that gets busier or quieter during the measurement affects both alike.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from emocat.catalog.checks import check
from emocat.errors import Severity

RATIO_TARGET = 1.3
STARTUP_TARGET = 0.3


def floor(root: Path) -> None:
    """What any validator must do at least: read every file and parse it with libyaml."""
    for path in sorted(root.rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def emocat_check(root: Path) -> None:
    _, problems = check(root)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise SystemExit(f"the synthetic catalog is not valid: {errors[0].format()}")


def best_of(repeat: int, *runs: Callable[[], None]) -> list[float]:
    """Best wall time of each callable over ``repeat`` alternating rounds."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def measure(root: Path, repeat: int) -> tuple[float, float]:
    """Best time of the floor and of ``emocat check`` on ``root``, after one untimed check (file cache, imports)."""
    emocat_check(root)
    floor_time, check_time = best_of(repeat, lambda: floor(root), lambda: emocat_check(root))
    return floor_time, check_time


def startup_time(runs: int = 5) -> float:
    """Best wall time of ``emocat --help`` in a fresh interpreter."""
    command = [sys.executable, "-c", "import sys; from emocat.cli import main; sys.argv = ['emocat', '--help']; main()"]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="entries in the synthetic catalog")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best time of each side counts")
    parser.add_argument("--catalog", type=Path, help="measure this catalog instead of a synthetic one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="emocat-bench-") as scratch:
        root = args.catalog or generate(Path(scratch) / "catalog", args.n)
        files = sum(1 for _ in root.rglob("*.yaml"))
        floor_time, check_time = measure(root, args.repeat)
    ratio = check_time / floor_time
    startup = startup_time()
    print(f"catalog: {files} files ({args.n if args.catalog is None else 'given'} entries)")
    print(f"floor (read + CSafeLoader), best of {args.repeat}: {floor_time:.3f} s")
    print(f"emocat check, best of {args.repeat}:             {check_time:.3f} s")
    print(f"ratio check/floor: {ratio:.2f} (target <= {RATIO_TARGET})")
    print(f"emocat --help start-up, best of 5: {startup:.3f} s (target < {STARTUP_TARGET})")
    return 0 if ratio <= RATIO_TARGET and startup < STARTUP_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

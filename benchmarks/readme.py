"""Benchmark of ``emocat readme``: render the README of a synthetic catalog (DESIGN §8: 10,000 entries < 0.5 s).

Not a test. What is timed is the render alone (the context, the templates, the table alignment), in a fresh
process that has done nothing but load the catalog, as ``emocat readme`` does: CPU time, best of a few rounds
after one untimed render that compiles the templates (once per process, whatever the size). Loading is the
check's measure.

Run:
    .venv/bin/python benchmarks/readme.py                      # synthetic 5,000 and 10,000 entries, and their ratio
    .venv/bin/python benchmarks/readme.py --entries 2000
    .venv/bin/python benchmarks/readme.py --catalog catalog    # one catalog, in this process
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

PROJECT = Path(__file__).resolve().parents[1]
REPEAT = 5


class Timing(NamedTuple):
    cpu: float  # best CPU time of one render, seconds
    wall: float  # best wall time of one render, seconds
    size: int  # characters of the README


def render_times(root: Path, repeat: int = REPEAT) -> Timing:
    """Load the catalog at ``root`` in this process, then time ``render_readme`` ``repeat`` times."""
    from emocat.catalog.checks import load_valid
    from emocat.outputs.readme.render import render_readme

    catalog = load_valid(root)
    size = len(render_readme(catalog, PROJECT))
    cpu = wall = float("inf")
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        render_readme(catalog, PROJECT)
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start_wall)
    return Timing(cpu, wall, size)


def measure(root: Path, repeat: int = REPEAT) -> Timing:
    """:func:`render_times` in a fresh interpreter, so that nothing measured before disturbs the heap."""
    child = subprocess.run(
        [sys.executable, __file__, "--catalog", str(root), "--repeat", str(repeat), "--json"],
        capture_output=True, text=True, check=True,
    )
    return Timing(**json.loads(child.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="time this catalog in this process")
    parser.add_argument("--entries", type=int, default=10_000, help="synthetic size (and half of it)")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--json", action="store_true", help="print the timing as JSON (with --catalog)")
    args = parser.parse_args(argv)
    if args.catalog is not None:
        timing = render_times(args.catalog, args.repeat)
        print(json.dumps(timing._asdict()) if args.json else
              f"{timing.cpu:.3f} s CPU, {timing.wall:.3f} s wall, {timing.size / 1e6:.1f} MB (best of {args.repeat})")
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import generate

    with tempfile.TemporaryDirectory(prefix="emocat-readme-") as scratch:
        sizes = (args.entries // 2, args.entries)
        timings = [measure(generate(Path(scratch) / str(n), n), args.repeat) for n in sizes]
    for n, timing in zip(sizes, timings, strict=True):
        print(f"{n:>6} entries: {timing.cpu:.3f} s CPU ({timing.size / 1e6:.1f} MB), best of {args.repeat}")
    print(f"ratio {sizes[1]} / {sizes[0]}: {timings[1].cpu / timings[0].cpu:.2f} (linear: about 2); target < 0.5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Head to head with hecat 1.6.0: its lint and Markdown export of awesome-selfhosted-data against emocat's
check and README on as many real-shaped entries.

Usage: ``python benchmarks/hecat.py --hecat PATH/TO/hecat --data PATH/TO/awesome-selfhosted-data [--rounds 3]``

Run by hand, never in CI: hecat is not on the package index, so it is installed from its repository at tag
1.6.0 into an environment of its own (benchmarks/README.md says how). What each side does, as child
processes, interleaved round by round:

- hecat: the two steps the data repository's build runs, ``make awesome_lint`` (``.hecat/awesome-lint.yml``,
  processor ``awesome_lint``) then ``make export_markdown`` (``.hecat/export-markdown.yml``, exporter
  ``markdown_singlepage``: README.md and non-free.md), with the repository's own configurations rewritten
  into a temporary folder so that they read the data work tree and write their Markdown into that folder;
- emocat: ``emocat check --no-cache`` (hecat has no cache either) then ``emocat readme -o FILE`` on a
  catalog of real-shaped entries (``realshaped.py``) as many as the data has software entries, with the
  ``emocat`` beside the running interpreter (the project's environment).

Each side's time is the CPU time (user + system) of its children, from ``getrusage(RUSAGE_CHILDREN)`` before
and after each one, which other work on a shared machine disturbs less than wall time; wall times are kept
too. The verdict is the best hecat round over the best emocat round, on CPU time: at least ``TARGET``.
hecat's lint exits 1 when it finds problems in the data (projects not updated for years, as the clock moves
on) after running every check, so such a round counts; any other failure of a child stops the benchmark.
A missing hecat, data folder or configuration ends it with one line and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realshaped import generate

#: hecat lint + export over emocat check + README, CPU time, best round against best round
TARGET = 20.0
#: the data repository's configurations of the two steps its build runs, and the module of each step
LINT_CONFIG = Path(".hecat/awesome-lint.yml")
EXPORT_CONFIG = Path(".hecat/export-markdown.yml")
LINT_MODULE = "processors/awesome_lint"
EXPORT_MODULE = "exporters/markdown_singlepage"
#: the last line hecat's lint logs before it exits 1 because it found problems in the data
LINT_FOUND_PROBLEMS = "There were errors during processing"


class Unavailable(Exception):
    """Something the benchmark needs is missing or failed; the message is one line."""


@dataclass(frozen=True)
class Run:
    """One child process: its CPU time (user + system) and wall time, in seconds."""

    cpu: float
    wall: float


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: Sequence[str], cwd: Path, log: Path) -> tuple[Run, int]:
    """Run ``command`` in ``cwd`` with its output into ``log``; its times and exit status."""
    with log.open("wb") as out:
        cpu, start = _cpu(), time.perf_counter()
        status = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                check=False).returncode
        wall, cpu = time.perf_counter() - start, _cpu() - cpu
    return Run(cpu, wall), status


def _last_line(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else "no output"


def _ran(name: str, command: Sequence[str], cwd: Path, log: Path, *, problems_ok: bool = False) -> tuple[Run, bool]:
    """``timed`` that raises on a failed child; also whether a lint found problems in the data (exit 1)."""
    run, status = timed(command, cwd, log)
    if status == 0:
        return run, False
    if problems_ok and status == 1 and LINT_FOUND_PROBLEMS in log.read_text(encoding="utf-8", errors="replace"):
        return run, True
    raise Unavailable(f"{name} failed (exit status {status}): {_last_line(log)}")


def emocat_executable() -> Path:
    """The ``emocat`` script of the running interpreter's environment."""
    return Path(sys.executable).parent / "emocat"


def emocat_commands(root: Path, readme: Path) -> dict[str, list[str]]:
    emocat = str(emocat_executable())
    return {"check": [emocat, "--catalog", str(root), "check", "--no-cache"],
            "readme": [emocat, "--catalog", str(root), "readme", "-o", str(readme)]}


def emocat_round(root: Path, work: Path) -> dict[str, Run]:
    """``emocat check --no-cache`` then ``emocat readme`` of the catalog at ``root``, README into ``work``."""
    readme = work / "emocat-README.md"
    readme.unlink(missing_ok=True)
    runs = {name: _ran(f"emocat {name}", command, work, work / f"emocat-{name}.log")[0]
            for name, command in emocat_commands(root, readme).items()}
    if not readme.is_file():
        raise Unavailable(f"emocat readme wrote no {readme}")
    return runs


def software_count(data_dir: Path) -> int:
    """The software entries of the data, counted as hecat lists them (every file under ``software/``)."""
    return sum(len(files) for _, _, files in os.walk(data_dir / "software"))


def hecat_configs(data_dir: Path, work: Path) -> dict[str, Path]:
    """The data repository's lint and export configurations, written into ``work`` with their paths
    pointing at ``data_dir`` (read) and ``work/markdown`` (written)."""
    output = work / "markdown"
    output.mkdir(parents=True, exist_ok=True)
    configs = {}
    for name, relative, module in (("lint", LINT_CONFIG, LINT_MODULE), ("export", EXPORT_CONFIG, EXPORT_MODULE)):
        path = data_dir / relative
        try:
            config: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
            steps = config["steps"]
            if not steps or any(step["module"] != module for step in steps):
                raise Unavailable(f"{path}: expected only steps of module {module}")
            for step in steps:
                options = step["module_options"]
                options["source_directory"] = str(data_dir)
                if "output_directory" in options:
                    options["output_directory"] = str(output)
        except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
            raise Unavailable(f"{path}: not a hecat configuration ({type(error).__name__}: {error})") from None
        configs[name] = work / f"hecat-{name}.yml"
        configs[name].write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return configs


def hecat_round(hecat_bin: Path, configs: dict[str, Path], work: Path) -> tuple[dict[str, Run], bool]:
    """hecat's lint then its Markdown export, as the data repository's build runs them; also whether the
    lint found problems in the data."""
    for written in (work / "markdown").iterdir():
        written.unlink()
    lint, problems = _ran("hecat lint", [str(hecat_bin), "--config", str(configs["lint"])], work,
                          work / "hecat-lint.log", problems_ok=True)
    export, _ = _ran("hecat export", [str(hecat_bin), "--config", str(configs["export"])], work,
                     work / "hecat-export.log")
    if not (work / "markdown" / "README.md").is_file():
        raise Unavailable(f"hecat export wrote no README.md into {work / 'markdown'}")
    return {"lint": lint, "export": export}, problems


def _inputs(hecat_bin: Path, data_dir: Path) -> None:
    if not (hecat_bin.is_file() and os.access(hecat_bin, os.X_OK)):
        raise Unavailable(f"no hecat executable at {hecat_bin} (install hecat 1.6.0 as benchmarks/README.md says)")
    if not (data_dir / "software").is_dir():
        raise Unavailable(f"{data_dir} is not an awesome-selfhosted-data work tree (it has no software/ folder)")
    for relative in (LINT_CONFIG, EXPORT_CONFIG):
        if not (data_dir / relative).is_file():
            raise Unavailable(f"{data_dir} is not an awesome-selfhosted-data work tree (it has no {relative})")
    if not emocat_executable().is_file():
        raise Unavailable(f"no emocat beside {sys.executable}: run this with the project's environment")


def _summary(runs: Sequence[dict[str, Run]], side: str) -> dict[str, float]:
    totals = [Run(sum(r.cpu for r in one.values()), sum(r.wall for r in one.values())) for one in runs]
    cpu, wall = [r.cpu for r in totals], [r.wall for r in totals]
    figures = {f"{side}_cpu_best": min(cpu), f"{side}_cpu_median": statistics.median(cpu),
               f"{side}_wall_best": min(wall), f"{side}_wall_median": statistics.median(wall)}
    for step in runs[0]:
        figures[f"{side}_{step}_cpu_best"] = min(one[step].cpu for one in runs)
    return figures


def measure(hecat_bin: Path, data_dir: Path, rounds: int, *,
            progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Interleave ``rounds`` rounds of hecat (lint + export) and emocat (check + readme) on as many entries.

    Returns the entries, each side's best and median CPU and wall times (and each step's best CPU time),
    the ratios hecat/emocat (``ratio_cpu``: best over best, the verdict; ``ratio_cpu_median``, ``ratio_wall``)
    and ``lint_problem_rounds``, the rounds whose lint exited 1 for problems in the data. Raises
    ``Unavailable`` when hecat, the data or emocat is missing or a child fails.
    """
    hecat_bin, data_dir = Path(hecat_bin).absolute(), Path(data_dir).absolute()
    _inputs(hecat_bin, data_dir)
    say = progress or (lambda line: None)
    entries = software_count(data_dir)
    if entries == 0:
        raise Unavailable(f"{data_dir / 'software'} has no software entries")
    with tempfile.TemporaryDirectory(prefix="emocat-hecat-") as scratch:
        work = Path(scratch)
        configs = hecat_configs(data_dir, work)
        root = generate(work / "emocat" / "catalog", entries)
        say(f"{entries:,} software entries in {data_dir}; {entries:,} real-shaped emocat entries in {root}")
        hecat_runs, emocat_runs, problem_rounds = [], [], 0
        for number in range(1, rounds + 1):
            runs, problems = hecat_round(hecat_bin, configs, work)
            hecat_runs.append(runs)
            problem_rounds += problems
            emocat_runs.append(emocat_round(root, work))
            say(f"round {number}/{rounds}: " + ", ".join(
                f"{side} {step} {run.cpu:.2f} s CPU ({run.wall:.2f} s wall)"
                for side, one in (("hecat", hecat_runs[-1]), ("emocat", emocat_runs[-1])) for step, run in one.items())
                + (" (hecat lint found problems in the data)" if problems else ""))
    figures = {"entries": float(entries), "rounds": float(rounds), "lint_problem_rounds": float(problem_rounds),
               **_summary(hecat_runs, "hecat"), **_summary(emocat_runs, "emocat")}
    figures["ratio_cpu"] = figures["hecat_cpu_best"] / figures["emocat_cpu_best"]
    figures["ratio_cpu_median"] = figures["hecat_cpu_median"] / figures["emocat_cpu_median"]
    figures["ratio_wall"] = figures["hecat_wall_best"] / figures["emocat_wall_best"]
    return figures


def report(figures: dict[str, float]) -> str:
    """The figures of ``measure`` as a few lines of text, ending with the verdict."""
    rows = [("", "CPU best", "CPU median", "wall best", "wall median")]
    for side, what in (("hecat", "hecat lint + export"), ("emocat", "emocat check + readme")):
        rows.append((what, *(f"{figures[f'{side}_{kind}']:.2f} s"
                             for kind in ("cpu_best", "cpu_median", "wall_best", "wall_median"))))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    rounds, entries = int(figures["rounds"]), int(figures["entries"])
    passed = figures["ratio_cpu"] >= TARGET
    lines = [f"{entries:,} entries each, {rounds} round{'s' * (rounds != 1)} interleaved", *lines,
             f"steps (CPU best): hecat lint {figures['hecat_lint_cpu_best']:.2f} s, "
             f"export {figures['hecat_export_cpu_best']:.2f} s; emocat check {figures['emocat_check_cpu_best']:.2f} s, "
             f"readme {figures['emocat_readme_cpu_best']:.2f} s"]
    if figures["lint_problem_rounds"]:
        lines.append(f"hecat's lint found problems in the data in {int(figures['lint_problem_rounds'])} of {rounds} "
                     "rounds (exit 1 after every check; timed all the same)")
    lines.append(f"hecat / emocat: {figures['ratio_cpu']:.1f}x CPU best (median {figures['ratio_cpu_median']:.1f}x, "
                 f"wall best {figures['ratio_wall']:.1f}x); target >= {TARGET:g}x: {'pass' if passed else 'FAIL'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hecat", type=Path, required=True, help="the hecat executable (of hecat 1.6.0's environment)")
    parser.add_argument("--data", type=Path, required=True, help="a work tree of awesome-selfhosted-data")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of each side (default 3)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    try:
        figures = measure(args.hecat, args.data, args.rounds, progress=lambda line: print(line, flush=True))
    except Unavailable as error:
        print(f"hecat.py: {error}", file=sys.stderr)
        return 2
    print()
    print(report(figures))
    return 0 if figures["ratio_cpu"] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

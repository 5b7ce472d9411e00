"""Every performance target of DESIGN §8 in one run, on synthetic catalogs generated once, as one table.

Usage: ``python benchmarks/run.py [--n 10000] [--repeat 3] [--site-runs 1] [--incremental-n 100000] [--quick]
[--hecat BIN --hecat-data DIR [--hecat-rounds 3]]``

Measures, each against its target:

- ``emocat check`` / its floor (reading + CSafeLoader-parsing the same files) at N entries: at most 1.3;
- the site build with the emocat plugin / the same pages pre-written as Markdown, at N: at most 1.15
  (CPU time of the child ``mkdocs build --strict``, see ``site_build.py``);
- linearity: the plugin build at N against N/2 should take twice the time, within ±20 % (see
  ``LINEAR_TOLERANCE``);
- the README of the N-entry catalog, rendered in a fresh process after loading it: under 0.5 s of CPU time
  (best of five renders, one in ``--quick``);
- ``emocat --help`` in a fresh interpreter: under 0.3 s of wall time;
- on real-shaped entries (the real catalog replicated with new ids, see ``realshaped.py``): check / floor at
  N, in this process and as new processes, at most 1.3; a full check with a warm parse cache against a
  cold one, at most 0.5; ``check --changed-since HEAD`` after a one-file change at N and at
  ``--incremental-n`` (100,000) entries, in a fresh git repository: under 5 s (see ``incremental.py``);
- the site's bytes per entry at N (reported, no target; see ``site_bytes.py``);
- the preview (``emocat serve``, ``preview.py``) at N: from saving an entry (a paper's title, a model's name)
  to its page served with the change, under 3 s;
- in Chromium, at 1,000 and N entries: the papers page interactive under 2 s, a filter keystroke to the next
  frame under 50 ms, a sort under 200 ms (``table_browser.py``), the first search result under 1 s after typing
  on a cold page (``search_browser.py``);
- with ``--hecat`` and ``--hecat-data`` (by hand: hecat is not on the package index, see ``hecat.py``): hecat
  1.6.0's lint + Markdown export of awesome-selfhosted-data against emocat's check + README on as many
  real-shaped entries, interleaved, CPU time: at least 20 times faster.

The exit status is 0 only when every measure meets its target. ``--quick`` runs everything once on tiny
catalogs, to show that the command works (the test suite does that); its figures say nothing about the targets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check
import hecat
import incremental
import preview
import readme
import search_browser
import site_build
import site_bytes
import table_browser
from synthetic import generate

README_TARGET = 0.5
#: The plugin build at N may take 2 × (1 ± LINEAR_TOLERANCE) the time of N/2: one build's time varies by up to
#: ±20 % between runs on the shared machine, and fixed costs pull the ratio below 2; a cost growing with the
#: square of the catalog would show as a ratio near 4.
LINEAR_TOLERANCE = 0.2
QUICK_N = 40
#: the large catalog of the one-file change measure
INCREMENTAL_N = 100_000
#: the browser figures are also taken at this size, beside N
BROWSER_N = 1_000


@dataclass(frozen=True)
class Measure:
    """One row of the table: what was measured, its value, the target and whether it is met."""

    name: str
    value: float
    unit: str  # "" for a ratio, "s" for a time, "ms" for a browser time, "KB" for a size
    target: str
    passed: bool | None  # None: a figure to report, with no target

    def row(self) -> tuple[str, str, str, str]:
        formats = {"s": f"{self.value:.3f} s", "ms": f"{self.value:,.0f} ms", "KB": f"{self.value:,.1f} KB"}
        verdict = "report" if self.passed is None else "pass" if self.passed else "FAIL"
        return self.name, formats.get(self.unit, f"{self.value:.2f}"), self.target, verdict


def check_measure(root: Path, n: int, repeat: int, log: Callable[[str], None]) -> Measure:
    floor_time, check_time = check.measure(root, repeat)
    log(f"check: floor {floor_time:.3f} s, emocat check {check_time:.3f} s (best of {repeat}, wall)")
    ratio = check_time / floor_time
    return Measure(f"check / floor, {n:,} entries", ratio, "", f"<= {check.RATIO_TARGET}",
                   ratio <= check.RATIO_TARGET)


def site_measures(catalogs: dict[int, Path], work: Path, runs: int, log: Callable[[str], None]) -> list[Measure]:
    """The plugin/floor ratio at the largest size, and the plugin build's scaling from the smaller size.

    The floor is built at the largest size only: the linearity target is about the plugin build.
    """
    large, small = max(catalogs), min(catalogs)
    plugin: dict[int, float] = {}
    best = site_build.measure_catalog(catalogs[large], work / f"site-{large}", runs)
    (plugin_wall, plugin[large]), (floor_wall, floor_cpu) = best["plugin"], best["floor"]
    log(f"site, {large:,} entries: plugin {plugin[large]:.2f} s, floor {floor_cpu:.2f} s CPU "
        f"(wall {plugin_wall:.2f} s / {floor_wall:.2f} s; best of {runs})")
    ratio = plugin[large] / floor_cpu
    measures = [Measure(f"site plugin / floor, {large:,} entries", ratio, "", f"<= {site_build.TARGET}",
                        ratio <= site_build.TARGET)]
    if small != large:
        best = site_build.measure_catalog(catalogs[small], work / f"site-{small}", runs, floor=False)
        plugin_wall, plugin[small] = best["plugin"]
        log(f"site, {small:,} entries: plugin {plugin[small]:.2f} s CPU (wall {plugin_wall:.2f} s; best of {runs})")
        expected = large / small
        scaling = plugin[large] / plugin[small]
        low, high = expected * (1 - LINEAR_TOLERANCE), expected * (1 + LINEAR_TOLERANCE)
        measures.append(Measure(f"site plugin {large:,} / {small:,} entries", scaling, "",
                                f"{low:.1f} to {high:.1f}", low <= scaling <= high))
    return measures


def scale_measures(work: Path, n: int, large: int, repeat: int, log: Callable[[str], None]) -> list[Measure]:
    """Real-shaped entries: check / floor (in this process and as processes), a one-file change at N and at
    ``large`` entries, and a full check with a warm parse cache against a cold one (see ``incremental.py``)."""
    measures = []
    root = incremental.committed(work, n)
    floor_time, check_time = check.measure(root, repeat)
    log(f"real-shaped, {n:,} entries: floor {floor_time:.3f} s, emocat check {check_time:.3f} s (best of {repeat})")
    ratio = check_time / floor_time
    measures.append(Measure(f"check / floor, {n:,} real-shaped", ratio, "", f"<= {check.RATIO_TARGET}",
                            ratio <= check.RATIO_TARGET))
    floor_process, check_process = incremental.process_times(root, repeat)
    log(f"real-shaped, {n:,} entries, new processes: floor {floor_process:.3f} s, check {check_process:.3f} s")
    ratio = check_process / floor_process
    measures.append(Measure(f"check / floor, {n:,} real-shaped (processes)", ratio, "", f"<= {check.RATIO_TARGET}",
                            ratio <= check.RATIO_TARGET))
    cold, warm = incremental.cache_times(root, repeat)
    log(f"full check, {n:,} real-shaped: cold cache {cold:.3f} s, warm {warm:.3f} s (best of {repeat}, processes)")
    measures.append(Measure(f"check warm cache / cold, {n:,} real-shaped", warm / cold, "",
                            f"<= {incremental.WARM_TARGET}", warm / cold <= incremental.WARM_TARGET))
    for size in sorted({n, large}):
        where = root if size == n else incremental.committed(work, size)
        seconds = incremental.changed_time(where, repeat)
        log(f"check --changed-since HEAD, one paper edited, {size:,} real-shaped: {seconds:.3f} s (best of {repeat})")
        measures.append(Measure(f"check --changed-since, 1 of {size:,} files", seconds, "s",
                                f"< {incremental.CHANGED_TARGET} s", seconds < incremental.CHANGED_TARGET))
    return measures


def readme_measure(root: Path, n: int, repeat: int, log: Callable[[str], None]) -> Measure:
    # In a fresh process that only loads the catalog first, as `emocat readme` does: after this process's
    # check rounds the same render took 1.4 times as long (a heap full of their garbage).
    cpu, wall, size = readme.measure(root, repeat)
    log(f"README: {cpu:.3f} s CPU, {wall:.3f} s wall, {size / 1e6:.1f} MB (best of {repeat}, fresh process)")
    return Measure(f"README render, {n:,} entries (CPU)", cpu, "s", f"< {README_TARGET} s", cpu < README_TARGET)


def startup_measure(runs: int, log: Callable[[str], None]) -> Measure:
    startup = check.startup_time(runs)
    log(f"emocat --help: {startup:.3f} s (best of {runs}, wall, fresh interpreter)")
    return Measure("emocat --help start-up (wall)", startup, "s", f"< {check.STARTUP_TARGET} s",
                   startup < check.STARTUP_TARGET)


def bytes_measure(site_dir: Path, n: int, log: Callable[[str], None]) -> Measure:
    figures = site_bytes.measure(site_dir, n)
    log("site bytes, {:,} entries: {:,.0f} per entry; entry page {:,.0f} (content {:,.0f}, white space {:,.0f}, "
        "chrome {:,.0f})".format(n, *(figures[key] for key in (
            "site bytes per entry", "entry page bytes", "entry page content", "entry page whitespace outside content",
            "entry page chrome"))))
    return Measure(f"site bytes per entry, {n:,} entries", figures["site bytes per entry"] / 1000, "KB", "(report)",
                   None)


def browser_measures(sites: dict[int, Path], tries: int, log: Callable[[str], None]) -> list[Measure]:
    """In Chromium at each size: the papers page's load to interactive, a filter keystroke and a sort to paint,
    and the first search result after typing on a cold page (Pagefind's chunked index)."""
    measures = []
    for size, site_dir in sorted(sites.items()):
        figures = table_browser.measure(site_dir, tries)
        log(f"papers page, {size:,} entries: " + ", ".join(f"{key} {value:,.1f}" for key, value in figures.items()))
        for key, label in (("interactive_ms", "interactive"), ("keystroke_ms", "filter keystroke to paint"),
                           ("sort_ms", "sort to paint")):
            target = table_browser.TARGETS[key]
            measures.append(Measure(f"papers page {label}, {size:,} entries", figures[key], "ms",
                                    f"< {target:,.0f} ms", figures[key] < target))
        found = search_browser.measure(site_dir)
        log(search_browser.report(f"search, {size:,} entries", found))
        measures.append(Measure(f"first search result, cold page, {size:,} entries", found["first_result_s"], "s",
                                f"< {search_browser.TARGET:g} s", found["first_result_s"] < search_browser.TARGET))
    return measures


def preview_measure(work: Path, n: int, edits: int, log: Callable[[str], None]) -> Measure:
    figures = preview.measure(work, n, edits, log=log)
    log(f"preview, {n:,} entries: first build served after {figures['start_s']:.1f} s; edit to served best "
        f"{figures['best_s']:.2f} s, worst {figures['worst_s']:.2f} s; index pages worst {figures['index_worst_s']:.2f} s")
    return Measure(f"preview edit to served (worst of {edits}), {n:,} entries", figures["worst_s"], "s",
                   f"< {preview.TARGET:g} s", figures["worst_s"] < preview.TARGET)


def hecat_measure(hecat_bin: Path, data_dir: Path, rounds: int, log: Callable[[str], None]) -> Measure:
    figures = hecat.measure(hecat_bin, data_dir, rounds, progress=log)
    log(hecat.report(figures))
    entries = int(figures["entries"])
    return Measure(f"hecat / emocat, {entries:,} entries (CPU, best)", figures["ratio_cpu"], "",
                   f">= {hecat.TARGET:g}", figures["ratio_cpu"] >= hecat.TARGET)


def run(n: int, work: Path, *, repeat: int = 3, readme_repeat: int = readme.REPEAT, site_runs: int = 1,
        startup_runs: int = 5, large: int = INCREMENTAL_N, browser_sizes: Sequence[int] = (BROWSER_N,),
        browser_tries: int = 5, preview_edits: int = 4, peer: tuple[Path, Path, int] | None = None,
        log: Callable[[str], None] = print) -> list[Measure]:
    """Generate the synthetic catalogs (N and N/2 entries) under ``work`` once and take every measure; the
    browser figures are taken on the N-entry site and on sites of ``browser_sizes`` entries; ``peer``: hecat's
    executable, the awesome-selfhosted-data work tree and the rounds, for the head-to-head (``hecat.py``)."""
    catalogs = {size: generate(work / f"catalog-{size}", size) for size in sorted({n, n // 2})}
    log(f"synthetic catalogs of {' and '.join(f'{size:,}' for size in catalogs)} entries under {work}")
    measures = [
        check_measure(catalogs[n], n, repeat, log),
        readme_measure(catalogs[n], n, readme_repeat, log),
        startup_measure(startup_runs, log),
        *site_measures(catalogs, work, site_runs, log),
    ]
    sites = {n: work / f"site-{n}" / "site-plugin"}
    measures.append(bytes_measure(sites[n], n, log))
    for size in browser_sizes:
        if size not in sites:
            sites[size] = table_browser.build(work / "browser", size)
    measures += browser_measures(sites, browser_tries, log)
    measures += scale_measures(work, n, large, repeat, log)
    (work / "preview").mkdir()
    measures.append(preview_measure(work / "preview", n, preview_edits, log))
    if peer is not None:
        measures.append(hecat_measure(*peer, log))
    return measures


def table(measures: Sequence[Measure]) -> str:
    rows = [("measure", "value", "target", "result"), *(m.row() for m in measures)]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = ["  ".join(cell.ljust(width) if column in (0, 3) else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="entries of the large catalog (the small has n/2)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the check; the best counts")
    parser.add_argument("--site-runs", type=int, default=1, help="builds per site measurement; the best counts")
    parser.add_argument("--incremental-n", type=int, default=INCREMENTAL_N,
                        help="entries of the large catalog of the one-file change measure")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_N} entries, one run of everything")
    parser.add_argument("--hecat", type=Path, help="hecat 1.6.0's executable: adds the head-to-head (hecat.py)")
    parser.add_argument("--hecat-data", type=Path, help="a work tree of awesome-selfhosted-data, with --hecat")
    parser.add_argument("--hecat-rounds", type=int, default=3, help="interleaved rounds of the head-to-head")
    args = parser.parse_args(argv)
    if (args.hecat is None) != (args.hecat_data is None):
        parser.error("--hecat and --hecat-data go together")
    peer = (args.hecat, args.hecat_data, args.hecat_rounds) if args.hecat is not None else None
    n, repeat, readme_repeat, site_runs, startup_runs = args.n, args.repeat, readme.REPEAT, args.site_runs, 5
    large, browser_sizes, tries = args.incremental_n, (BROWSER_N,), 5
    if args.quick:
        n, repeat, readme_repeat, site_runs, startup_runs, large = QUICK_N, 1, 1, 1, 1, 2 * QUICK_N
        browser_sizes, tries = (), 1
    edits = 1 if args.quick else 4
    with tempfile.TemporaryDirectory(prefix="emocat-bench-") as scratch:
        measures = run(n, Path(scratch), repeat=repeat, readme_repeat=readme_repeat, site_runs=site_runs,
                       startup_runs=startup_runs, large=large, browser_sizes=browser_sizes, browser_tries=tries,
                       preview_edits=edits, peer=peer, log=lambda line: print(line, flush=True))
    print()
    print(table(measures))
    if args.quick:
        print(f"(--quick: {QUICK_N} entries are too few for the targets; this run only shows that every measure works)")
    return 0 if all(m.passed is not False for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())

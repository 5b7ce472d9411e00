"""Site build: the emocat plugin against the floor of DESIGN §8, at 1,000 and 5,000 entries.

The floor is ``mkdocs build`` of the very same pages written out beforehand as plain Markdown files
(with the same theme, override, scripts and stylesheets), without the plugin, followed by the same search
indexing the plugin runs at the end of its build (``emocat.outputs.site.search.index_site``: Pagefind on
the built pages). The plugin build also loads and checks the catalog and renders every page, which is
what is measured against it.

    .venv/bin/python benchmarks/site_build.py [SIZES...] [--runs N]

Each build runs in a child process; floor and plugin builds alternate and the best of N runs is kept.
The ratio plugin / floor (target <= 1.15) is computed on CPU time (user + system of the child), which
other work on a shared machine disturbs far less than wall time; wall times are printed beside it.
The last line shows how the plugin build scales from the smallest to the largest size (linear: 5,000
entries take about 5x the time of 1,000).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from emocat.catalog.checks import load_valid  # noqa: E402
from emocat.outputs.site import pages as site  # noqa: E402
from emocat.outputs.site.search import index_site  # noqa: E402
from emocat.store.templates import template_dirs  # noqa: E402

TARGET = 1.15


def _config(docs: Path, *, plugin: Path | None) -> dict[str, Any]:
    """The repository's site configuration, with or without the emocat plugin."""
    config: dict[str, Any] = {
        "site_name": "Synthetic", "site_url": "https://example.github.io/synthetic/",
        "repo_url": "https://github.com/example/synthetic", "docs_dir": str(docs),
        "theme": {"name": "material", "font": False, "features": ["content.code.copy", "navigation.top"]},
        "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list", "md_in_html", "tables", "admonition"],
        "nav": [{"Home": "index.md"}, {"Papers": "papers/index.md"}, {"Datasets": "datasets/index.md"},
                {"Benchmarks": "benchmarks/index.md"}, {"Models": "models/index.md"},
                {"Topics": "topics/index.md"}, {"Downloads": "downloads.md"}],
    }
    if plugin is not None:
        config["plugins"] = [{"emocat": {"catalog": str(plugin)}}]
    else:
        config["plugins"] = []  # written out, or MkDocs would add its search plugin
        config["theme"]["custom_dir"] = str(site.theme_dir(template_dirs(REPO)))
        config["extra_css"] = [p for p in site.ASSET_FILES if p.endswith(".css")]
        config["extra_javascript"] = [p for p in site.ASSET_FILES if p.endswith(".js")]
        config["not_in_nav"] = "\n".join(f"/{folder}/*/index.md" for folder in ("papers", "datasets", "benchmarks",
                                                                                 "models", "topics", "tasks"))
    return config


def write_floor(catalog_dir: Path, docs: Path) -> None:
    """Write every page and file the plugin would generate as ordinary files under ``docs``."""
    built = site.build(load_valid(catalog_dir), project=REPO)
    for page in built.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(page.meta, allow_unicode=True, sort_keys=True)
        target.write_text(f"---\n{front}---\n\n{page.content}", encoding="utf-8")
    for name, text in built.files.items():
        (docs / name).write_text(text, encoding="utf-8")
    for name, source in built.assets.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, docs / name)


def timed_build(config_file: Path, out: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one ``mkdocs build --strict`` in a child process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file),
                              "-d", str(out)], env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"mkdocs build failed for {config_file}")
    return wall, usage.ru_utime + usage.ru_stime


def timed_index(site_dir: Path) -> tuple[float, float]:
    """Wall time and CPU time of the plugin's search indexing step, run on a site built without the plugin."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    index_site(site_dir)  # Pagefind runs as a child process, whose time RUSAGE_CHILDREN counts once it ended
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(work: Path, size: int, runs: int) -> dict[str, tuple[float, float]]:
    """Generate a synthetic catalog of ``size`` entries under ``work`` and measure its site (see below)."""
    folder = work / str(size)
    return measure_catalog(generate(folder / "catalog", size), folder, runs)


def measure_catalog(catalog: Path, folder: Path, runs: int, *, floor: bool = True) -> dict[str, tuple[float, float]]:
    """Best wall and CPU time of the floor and the plugin build of ``catalog``, run alternately ``runs`` times.

    The floor's pages, the configurations and the built sites are written under ``folder``. Without ``floor``
    only the plugin build is measured.
    """
    (folder / "docs-plugin").mkdir(parents=True)
    configs = {"plugin": folder / "plugin.yml"}
    configs["plugin"].write_text(yaml.safe_dump(_config(folder / "docs-plugin", plugin=catalog)), encoding="utf-8")
    if floor:
        write_floor(catalog, folder / "docs-floor")
        configs["floor"] = folder / "floor.yml"
        configs["floor"].write_text(yaml.safe_dump(_config(folder / "docs-floor", plugin=None)), encoding="utf-8")
    best = {name: (float("inf"), float("inf")) for name in configs}
    for _ in range(runs):
        for name, config in configs.items():
            wall, cpu = timed_build(config, folder / f"site-{name}")
            if name == "floor":  # the plugin indexes its site for search inside its build: the floor does too
                index_wall, index_cpu = timed_index(folder / f"site-{name}")
                wall, cpu = wall + index_wall, cpu + index_cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=1, help="builds per measurement; the best is kept")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="emocat-site-bench-") as tmp:
        for size in args.sizes:
            best = measure(Path(tmp), size, args.runs)
            (plugin_wall, plugin_cpu), (floor_wall, floor_cpu) = best["plugin"], best["floor"]
            results[size] = plugin_cpu
            ratio = plugin_cpu / floor_cpu
            verdict = "ok" if ratio <= TARGET else "MISSES"
            print(f"{size:>6} entries: CPU plugin {plugin_cpu:6.2f} s / floor {floor_cpu:6.2f} s = {ratio:.3f} "
                  f"(target <= {TARGET}) {verdict}; wall {plugin_wall:6.2f} s / {floor_wall:6.2f} s = "
                  f"{plugin_wall / floor_wall:.3f}", flush=True)
    if len(results) > 1:
        small, large = min(results), max(results)
        print(f"scaling {large}/{small}: the plugin build takes {results[large] / results[small]:.2f}x the CPU "
              f"time for {large / small:.0f}x the entries")


if __name__ == "__main__":
    main()

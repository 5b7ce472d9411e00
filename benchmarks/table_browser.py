"""The papers table in Chromium (DESIGN §8: at 10,000 entries interactive under 2 s, a filter keystroke under
50 ms to the next frame, a sort under 200 ms), at 1,000 and 10,000 synthetic entries.

    .venv/bin/python benchmarks/table_browser.py [SIZES...] [--tries N] [--site DIR ...]

Each size is generated (``synthetic.generate``) and built with the emocat plugin (as ``site_build.py`` builds
it); ``--site`` measures sites built beforehand instead, for instance by another version of emocat. The site
is served on 127.0.0.1 and opened in Debian's Chromium (``EMOCAT_CHROMIUM`` names another). Times come from
the page itself (``performance.now()``, milliseconds):

- ``interactive_ms``: navigation start to the first paint after the papers table is ready (its script has
  run: emocat marks the table ``data-emocat-ready``, and the rest of its start-up runs in the same task);
- ``keystroke_ms``: a key typed into the search field, from its input event to the next paint (the
  ``requestAnimationFrame`` after the update, then the message that follows that frame's rendering);
- ``sort_ms``: a click on the Title or Date header to the next paint, in both directions;
- ``dom_content_loaded_ms`` and ``html_kb`` (the page's size) beside them.

Each figure is the median of ``--tries`` page loads, keystrokes and clicks. The figures are printed, never
asserted: a shared machine makes them vary, and the targets are read from them. The theme's search index is
not loaded: at 10,000 entries it is a 46 MB file that a worker parses for seconds after every page load,
which would be measured instead of the table (search has its own target in DESIGN §8).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_build import _config, timed_build
from synthetic import generate

TARGETS = {"interactive_ms": 2000.0, "keystroke_ms": 50.0, "sort_ms": 200.0}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]
TABLE = "#emocat-papers"
KEYS = "reaso"

#: Runs before the page's own scripts: records when the table is ready and how long inputs and sort clicks
#: take to reach the screen. A message posted from a requestAnimationFrame callback arrives once that frame's
#: style, layout and paint are done.
PROBE = """
window.__bench = {ready: null, input: [], sort: []};
(function () {
  function afterPaint(done) {
    requestAnimationFrame(function () {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { done(performance.now()); };
      channel.port2.postMessage(0);
    });
  }
  new MutationObserver(function (changes, observer) {
    var table = document.querySelector("TABLE");
    if (table && table.hasAttribute("data-emocat-ready")) {
      observer.disconnect();
      afterPaint(function (now) { window.__bench.ready = now; });
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-emocat-ready"]});
  document.addEventListener("input", function (event) {
    var start = event.timeStamp;
    afterPaint(function (now) { window.__bench.input.push(now - start); });
  }, true);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("TABLE th")) { return; }
    var start = event.timeStamp;
    afterPaint(function (now) { window.__bench.sort.push(now - start); });
  }, true);
})();
""".replace("TABLE", TABLE)


def chromium() -> str:
    found = os.environ.get("EMOCAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise SystemExit("no chromium executable (install Debian's chromium package, or set EMOCAT_CHROMIUM)")
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site_dir: Path) -> Iterator[str]:
    """The base URL of ``site_dir`` served on 127.0.0.1 for the duration of the block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _wait_for(tab: Any, name: str, count: int) -> None:
    tab.wait_for_function(f"window.__bench.{name}.length >= {count}", timeout=120_000)


def measure(site_dir: Path, tries: int = 5) -> dict[str, float]:
    """Medians over ``tries`` of the papers page of the built site in ``site_dir`` (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    loads, loaded, keys, sorts = [], [], [], []
    with served(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(PROBE)
        context.route("**/search/search_index.json", lambda route: route.abort())
        tab = context.new_page()
        for _ in range(tries):
            tab.goto(base + "papers/", timeout=120_000)
            tab.wait_for_function("window.__bench.ready !== null", timeout=120_000)
            loads.append(tab.evaluate("window.__bench.ready"))
            loaded.append(tab.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
        size = tab.evaluate("performance.getEntriesByType('navigation')[0].decodedBodySize")
        tab.focus("input[name=words]")
        for index, key in enumerate((KEYS * tries)[:tries]):
            tab.keyboard.press(key)
            _wait_for(tab, "input", index + 1)
        keys = tab.evaluate("window.__bench.input")
        headers = [f"{TABLE} th:nth-child({column}) button" for column in (1, 2)]  # Title (text), Date (number)
        for index in range(tries):
            tab.click(headers[index // 2 % 2])
            _wait_for(tab, "sort", index + 1)
        sorts = tab.evaluate("window.__bench.sort")
        browser.close()
    return {"interactive_ms": statistics.median(loads), "keystroke_ms": statistics.median(keys),
            "sort_ms": statistics.median(sorts), "dom_content_loaded_ms": statistics.median(loaded),
            "html_kb": size / 1024}


def build(work: Path, size: int) -> Path:
    """Generate ``size`` synthetic entries under ``work`` and build their site with the plugin; return the site."""
    folder = work / str(size)
    catalog = generate(folder / "catalog", size)
    (folder / "docs").mkdir(parents=True)
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump(_config(folder / "docs", plugin=catalog)), encoding="utf-8")
    timed_build(config, folder / "site")
    return folder / "site"


def report(name: str, figures: dict[str, float]) -> None:
    parts = []
    for key, value in figures.items():
        target = TARGETS.get(key)
        verdict = "" if target is None else (" ok" if value <= target else f" MISSES {target:.0f}")
        parts.append(f"{key} {value:,.0f}{verdict}")
    print(f"{name}: " + "; ".join(parts), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--tries", type=int, default=5, help="page loads, keystrokes and clicks; the median is kept")
    parser.add_argument("--site", type=Path, action="append", default=[], help="measure this built site instead")
    args = parser.parse_args()
    for site_dir in args.site:
        report(str(site_dir), measure(site_dir, args.tries))
    if args.site:
        return
    with tempfile.TemporaryDirectory(prefix="emocat-table-bench-") as tmp:
        for size in args.sizes:
            report(f"{size:>6} entries", measure(build(Path(tmp), size), args.tries))


if __name__ == "__main__":
    main()

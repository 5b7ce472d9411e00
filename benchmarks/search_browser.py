"""The site search in Chromium (DESIGN §8: the first result under 1 s after typing, from a chunked index).

For each size, a synthetic catalog is generated and built with the plugin (Pagefind indexes it at the end
of the build); then the built site is served on 127.0.0.1 and, in a fresh browser context (nothing
cached), its home page is opened and a query is typed into the header's search field key by key.

    .venv/bin/python benchmarks/search_browser.py [SIZES...] [--site DIR] [--query WORDS] [--runs N]

Printed per site (``measure`` returns the same figures):

- ``first_result_s``: from the first keystroke to the first result shown (target < 1 s);
- ``full_query_s``: from the last keystroke to the results of the whole query shown;
- ``query_bytes`` and ``query_requests``: what the browser fetched from ``pagefind/`` from the focus on
  (Pagefind's script, worker and WebAssembly, the index chunks of the words typed and the fragments of the
  results shown);
- ``largest_file_bytes``: the largest single file among them (a lunr index is one file of every page);
- ``worst_first_result_s``: the slowest first result of the runs (each figure above is the median of
  ``RUNS`` cold searches, on a busy machine the times vary from run to run).

Chromium is Debian's ``/usr/bin/chromium`` (or ``EMOCAT_CHROMIUM``), driven by Playwright.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_build
from synthetic import generate

TARGET = 1.0
#: Words of the synthetic titles (synthetic.WORDS), typed as a reader would, about 12 keys a second.
QUERY = "emotion reasoning"
KEY_DELAY_MS = 80
FIELD = "#emocat-search-query"

#: Cold searches per measure; the median of each figure is reported.
RUNS = 3

#: Installed before the page's own scripts: the times of the first and last key, of the first result shown
#: and of the results of the whole query (``words``, set before typing) shown.
_PROBE = """
window.__search = {words: null, firstKey: null, lastKey: null, firstResult: null, fullQuery: null};
document.addEventListener('keydown', () => {
  const now = performance.now();
  if (window.__search.firstKey === null) { window.__search.firstKey = now; }
  window.__search.lastKey = now;
}, true);
new MutationObserver(() => {
  const now = performance.now(), found = window.__search;
  if (found.firstResult === null && document.querySelector('.emocat-search__result')) { found.firstResult = now; }
  const status = document.querySelector('#emocat-search-panel .emocat-search__status');
  if (found.fullQuery === null && found.words && status && status.textContent.includes('\u201c' + found.words + '\u201d')) {
    found.fullQuery = now;
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


class _Server(http.server.ThreadingHTTPServer):
    """Remembers what it sent: (path, bytes of the body) of every file."""

    sent: list[tuple[str, int]]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a request the browser gave up on (a page left while loading)


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: _Server

    def copyfile(self, source: Any, outputfile: Any) -> None:
        body = source.read()
        outputfile.write(body)
        self.server.sent.append((self.path.split("?")[0], len(body)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site_dir: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve ``site_dir`` on 127.0.0.1; the base URL, and the list of (path, bytes) sent, filled as it goes."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server.sent
    finally:
        server.shutdown()
        server.server_close()


def _chromium() -> str:
    found = os.environ.get("EMOCAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise SystemExit("no chromium executable: install Debian's chromium package or set EMOCAT_CHROMIUM")
    return found


def _cold_search(browser: Any, base: str, sent: list[tuple[str, int]], query: str) -> dict[str, float]:
    """One search on a cold page: a fresh context (empty cache), the home page, ``query`` typed key by key."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        context.add_init_script(_PROBE)
        tab = context.new_page()
        tab.goto(base, wait_until="load")
        tab.evaluate("words => { window.__search.words = words; }", query)
        start = len(sent)
        tab.focus(FIELD)  # loads Pagefind; the key typed right after it is the first keystroke
        tab.keyboard.type(query, delay=KEY_DELAY_MS)
        tab.wait_for_function("() => window.__search.fullQuery !== null", timeout=120_000)
        times = tab.evaluate("() => window.__search")
    finally:
        context.close()
    bodies = [size for path, size in sent[start:] if path.startswith("/pagefind/")]
    return {
        "first_result_s": (times["firstResult"] - times["firstKey"]) / 1000,
        "full_query_s": (times["fullQuery"] - times["lastKey"]) / 1000,
        "query_bytes": float(sum(bodies)),
        "query_requests": float(len(bodies)),
        "largest_file_bytes": float(max(bodies, default=0)),
    }


def measure(site_dir: Path, query: str = QUERY, runs: int = RUNS, browser: Any = None) -> dict[str, float]:
    """The median of each figure over ``runs`` cold searches for ``query`` on the built site (see the module's
    help), and ``worst_first_result_s``, the slowest first result among them. ``browser``: a Playwright
    Chromium to use (default: one launched for this measure)."""
    with served(site_dir) as (base, sent):
        if browser is not None:
            found = [_cold_search(browser, base, sent, query) for _ in range(runs)]
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                launched = playwright.chromium.launch(executable_path=_chromium(), args=["--headless", "--no-sandbox"])
                try:
                    found = [_cold_search(launched, base, sent, query) for _ in range(runs)]
                finally:
                    launched.close()
    figures = {name: statistics.median(run[name] for run in found) for name in found[0]}
    figures["worst_first_result_s"] = max(run["first_result_s"] for run in found)
    return figures


def report(label: str, figures: dict[str, float], runs: int = RUNS) -> str:
    verdict = "ok" if figures["first_result_s"] < TARGET else "MISSES"
    return (f"{label}: first result {figures['first_result_s']:.3f} s after the first key (target < {TARGET:g} s) "
            f"{verdict}, slowest of {runs} {figures['worst_first_result_s']:.3f} s; whole query "
            f"{figures['full_query_s']:.3f} s after the last key; "
            f"{figures['query_bytes'] / 1e3:,.0f} kB in {figures['query_requests']:.0f} requests, "
            f"largest file {figures['largest_file_bytes'] / 1e3:,.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building synthetic ones")
    parser.add_argument("--query", default=QUERY, help=f"the words typed (default {QUERY!r})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"cold searches per site (default {RUNS})")
    args = parser.parse_args()
    if args.site:
        print(report(str(args.site), measure(args.site, args.query, args.runs), args.runs), flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="emocat-search-bench-") as tmp:
        for size in args.sizes:
            folder = Path(tmp) / str(size)
            catalog = generate(folder / "catalog", size)
            wall, cpu = site_build.measure_catalog(catalog, folder, 1, floor=False)["plugin"]
            print(f"{size:>6} entries: site built with the plugin in {wall:.1f} s ({cpu:.1f} s CPU)", flush=True)
            print(report(f"{size:>6} entries", measure(folder / "site-plugin", args.query, args.runs), args.runs),
                  flush=True)


if __name__ == "__main__":
    main()

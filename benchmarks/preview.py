"""The preview: from saving an entry to its page served with the change, under ``emocat serve``.

    .venv/bin/python benchmarks/preview.py [--n 10000] [--edits 3]

It writes a synthetic catalog of N entries and a site configuration beside it, starts ``emocat serve`` (which
runs ``mkdocs serve --dirty`` with the plugin) on a free port of 127.0.0.1, waits for the first build, then
edits entries one at a time: a paper's title, a model's name (its benchmarks re-rank), a paper's title again.
For each it takes the wall time from the write to the first answer of the server whose page shows the change
(polled every 20 ms), and the same for the papers index. Target at 10,000 entries: under 3 s for the entry
page (DESIGN §8; the full rebuild took 211 s before the preview kept its site).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_build import _config  # noqa: E402
from synthetic import generate  # noqa: E402

TARGET = 3.0
#: the first build at 10,000 entries (pages, then Pagefind) takes a few minutes on a loaded 2-core machine
START_TIMEOUT = 1800.0
EDIT_TIMEOUT = 600.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait(url: str, text: str, deadline: float, server: subprocess.Popen[bytes]) -> float:
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return time.monotonic()
        if server.poll() is not None:
            raise RuntimeError(f"emocat serve stopped (exit {server.returncode})")
        time.sleep(0.02)
    raise RuntimeError(f"{url} never showed {text!r}")


def _edit(path: Path, field: str, value: str) -> None:
    """Write the entry with one field changed, as an editor saves a file (write, then rename)."""
    text = path.read_text(encoding="utf-8")
    fields = yaml.safe_load(text)
    old = fields[field]
    written = text.replace(yaml.safe_dump({field: old}, allow_unicode=True, width=10**6).strip(),
                           yaml.safe_dump({field: value}, allow_unicode=True, width=10**6).strip(), 1)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(written, encoding="utf-8")
    os.replace(temporary, path)


def measure(work: Path, n: int, edits: int = 3, log: Callable[[str], None] = print) -> dict[str, float]:
    """The preview's figures at ``n`` entries: start-up, and the best and worst edit-to-served times."""
    catalog = generate(work / "catalog", n)
    (work / "docs").mkdir(exist_ok=True)
    config = _config(work / "docs", plugin=catalog)
    config.pop("site_url")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "emocat", "--catalog", str(catalog), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    started = time.monotonic()
    with open(work / "serve.log", "wb") as output:
        server = subprocess.Popen(command, cwd=work, stdout=output, stderr=subprocess.STDOUT,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            papers = sorted((catalog / "papers").glob("*.yaml"))
            models = sorted((catalog / "models").glob("*.yaml"))
            _wait(f"{base}papers/{papers[0].stem}/", "<h1", started + START_TIMEOUT, server)
            figures = {"start_s": time.monotonic() - started}
            times, index_times = [], []
            plan = [("papers", papers, "title"), ("models", models, "name")]
            for number in range(edits):
                folder, files, field = plan[number % len(plan)]
                path = files[(number * 7919) % len(files)]
                marker = f"Edited {number} {time.time_ns()}"
                time.sleep(1.5)  # the watcher settles between edits, as between a person's saves
                saved = time.monotonic()
                _edit(path, field, marker)
                served = _wait(f"{base}{folder}/{path.stem}/", marker, saved + EDIT_TIMEOUT, server)
                listed = _wait(f"{base}{folder}/", marker, saved + EDIT_TIMEOUT, server)
                times.append(served - saved)
                index_times.append(listed - saved)
                log(f"preview, {n:,} entries: {folder} edit {number + 1}: page served after {served - saved:.2f} s, "
                    f"its index after {listed - saved:.2f} s")
            figures.update(best_s=min(times), worst_s=max(times), index_worst_s=max(index_times))
            return figures
        finally:
            server.terminate()
            server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="emocat-preview-") as work:
        figures = measure(Path(work), args.n, args.edits)
    print(f"start-up {figures['start_s']:.1f} s; edit to served: best {figures['best_s']:.2f} s, worst "
          f"{figures['worst_s']:.2f} s (target < {TARGET:g} s); index pages worst {figures['index_worst_s']:.2f} s")
    sys.exit(0 if figures["worst_s"] < TARGET else 1)


if __name__ == "__main__":
    main()

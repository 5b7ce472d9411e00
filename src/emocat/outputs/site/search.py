"""Site search: what an entry page tells the Pagefind index (title, kind, facets), and indexing a built site."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from emocat.catalog.models import MODALITIES, Entry, Model, Paper
from emocat.catalog.view import natural_key
from emocat.errors import EmocatError
from emocat.outputs.site.data import SiteData

#: The folder of the built site that holds the index and Pagefind's script (``pagefind/pagefind.js``).
BUNDLE = "pagefind"
#: The kind filter of each entry kind; hand-written pages are "Documentation" (templates/site/theme/main.html).
KIND_NAMES = {"paper": "Paper", "dataset": "Dataset", "benchmark": "Benchmark", "model": "Model"}
#: The facets of the search page, each in the order a reader scans it (newest year first).
FACET_ORDER: dict[str, Callable[[str], Any]] = {"year": lambda year: -int(year), "modality": MODALITIES.index,
                                                "topic": natural_key}
#: Pages that list everything (the papers table, the results matrix, the authors index...) say so in their meta,
#: in the front matter Material's own search reads, so that a search finds entries instead of every list.
NOT_INDEXED: dict[str, Any] = {"exclude": True}
#: The "¶" links the toc extension adds to headings: not words of the page, nor of its title.
PERMALINKS = ".headerlink"
#: Seconds Pagefind may take: it indexes 10,000 entry pages in well under a minute.
TIMEOUT = 600.0


def entry_search(entry: Entry, data: SiteData) -> dict[str, Any]:
    """The search record of an entry page: its title and filters (kind, year, modality, topic), as name/value pairs."""
    filters = [("kind", KIND_NAMES[entry.kind])]
    if isinstance(entry, Paper) and entry.year:
        filters.append(("year", str(entry.year)))
    elif isinstance(entry, Model) and entry.release:
        filters.append(("year", entry.release[:4]))
    filters += [("modality", modality) for modality in getattr(entry, "modalities", ())]
    filters += [("topic", data.term("topics", slug)) for slug in getattr(entry, "topics", ())]
    return {"title": entry.label, "filters": filters}


def facets(records: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Every value of the year, modality and topic filters that some entry has, in ``FACET_ORDER``."""
    values: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for name, value in record["filters"]:
            values[name].add(value)
    return {name: sorted(values[name], key=order) for name, order in FACET_ORDER.items() if values[name]}


def index_site(site_dir: Path, *, timeout: float = TIMEOUT) -> Path:
    """Write the Pagefind index of the built site in ``site_dir`` to ``site_dir/pagefind``; return that folder."""
    if not site_dir.is_dir():
        raise EmocatError(f"search index: {site_dir} is not a built site (no such folder)")
    binary = _binary()
    command = [str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE, "--quiet",
               "--exclude-selectors", PERMALINKS]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise EmocatError(f"search index: pagefind did not finish indexing {site_dir} in {timeout:g} s") from None
    except OSError as exc:
        raise EmocatError(f"search index: cannot run {binary} ({exc.strerror or exc})") from None
    if done.returncode != 0:
        output = "\n".join(part.strip() for part in (done.stdout, done.stderr) if part.strip())
        raise EmocatError(f"search index: pagefind failed on {site_dir} (exit {done.returncode}):\n{output}")
    return site_dir / BUNDLE


def _binary() -> Path:
    """The Pagefind binary of the ``pagefind-bin`` package (or ``PAGEFIND_BINARY_PATH``, or one on PATH)."""
    from pagefind.service import get_executable  # imported here: only a site build needs it

    try:
        binary = get_executable()
    except FileNotFoundError:  # pagefind-bin installed without its binary
        binary = None
    if binary is None:
        raise EmocatError("search index: no pagefind binary; install emocat with its dependencies "
                          "(pip install 'pagefind[bin]') or set PAGEFIND_BINARY_PATH")
    return binary

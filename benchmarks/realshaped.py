"""A catalog of real-shaped entries: the project's own entries replicated to any size, with new ids.

``generate(root, n, source=catalog/)`` writes ``n`` entries: the real ones first, then copies of them
(copy ``k`` of ``x`` is ``x-copyk``), each written in canonical form with its schema line, as the real files
are (small files, most of their bytes in a few fields). A copy refers to copies of the same round where
they exist, else to the originals; its title, arXiv id, DOI and links are made unique, so the catalog has
no duplicates and checks without errors.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from emocat.catalog.loader import CATALOG_FILE, VOCABULARY_FILE, load
from emocat.catalog.models import Benchmark, Dataset, Entry, Model, Paper
from emocat.store import yamlio
from emocat.store.writer import dump_entry, dump_yaml

SOURCE = Path(__file__).resolve().parent.parent / "catalog"


_ARXIV = re.compile(r"\d{4}\.\d{4,5}")


def _copy_url(url: str | None, copy: int, swaps: dict[str, str], arxiv: str) -> str | None:
    if url is None:
        return None
    for old, new in swaps.items():
        url = url.replace(old, new)
    if "arxiv.org/" in url:  # the query below does not make an arXiv link another paper
        url = _ARXIV.sub(arxiv, url)
    return f"{url}{'&' if '?' in url else '?'}copy={copy}"


def _copy(entry: Entry, copy: int, index: int, rename: dict[str, str]) -> Entry:
    update: dict[str, Any] = {"id": rename[entry.id]}
    swaps: dict[str, str] = {}
    arxiv = f"{30 + copy // 12:02d}{copy % 12 + 1:02d}.{index:05d}"
    if isinstance(entry, Paper):
        update["title"] = f"{entry.title} ({copy})"
        if entry.arxiv:
            swaps[entry.arxiv] = update["arxiv"] = arxiv
        if entry.doi:
            swaps[entry.doi] = update["doi"] = f"{entry.doi}.copy{copy}"
        update["introduces"] = [rename.get(t, t) for t in entry.introduces]
        update["uses"] = [rename.get(t, t) for t in entry.uses]
    elif isinstance(entry, Benchmark):
        update["datasets"] = [rename.get(t, t) for t in entry.datasets]
        update["results"] = [r.model_copy(update={"model_id": rename.get(r.model_id, r.model_id)}) if r.model_id else r
                             for r in entry.results]
        if entry.suite:
            update["suite"] = rename.get(entry.suite, entry.suite)
    if isinstance(entry, (Benchmark, Dataset, Model)) and entry.paper:
        update["paper"] = rename.get(entry.paper, entry.paper)
    links = {name: _copy_url(url, copy, swaps, arxiv) for name, url in entry.links}
    update["links"] = entry.links.model_copy(update=links)
    return entry.model_copy(update=update)


def generate(root: Path | str, n: int, source: Path = SOURCE) -> Path:
    """Write a valid catalog of ``n`` real-shaped entries into ``root``; return ``root``."""
    root = Path(root)
    catalog, _ = load(source)
    originals = sorted(catalog.entries(), key=lambda e: e.id)  # kinds mixed, also in a part
    root.mkdir(parents=True, exist_ok=True)
    for name in (CATALOG_FILE, VOCABULARY_FILE):
        shutil.copyfile(source / name, root / name)
    for entry in originals:
        (root / entry.folder).mkdir(exist_ok=True)
    copies = -(-n // len(originals))
    written = 0
    for copy in range(copies):
        wanted = originals[: n - written]
        rename = {e.id: (e.id if copy == 0 else f"{e.id}-copy{copy}") for e in wanted}
        for index, entry in enumerate(wanted):
            made = _copy(entry, copy, index, rename) if copy else _within(entry, set(rename))
            (root / made.folder / f"{made.id}.yaml").write_text(dump_entry(made), encoding="utf-8")
        written += len(wanted)
    if n < len(originals):  # a part of the real catalog: its survey and trending may be left out
        meta = yamlio.read(source / CATALOG_FILE)
        kept = {e.id for e in originals[:n]}
        meta["trending"] = [t for t in meta.get("trending", []) if t in kept]
        if meta.get("survey") not in kept:
            meta.pop("survey", None)
        (root / CATALOG_FILE).write_text(dump_yaml(meta), encoding="utf-8")
    return root


def _within(entry: Entry, kept: set[str]) -> Entry:
    """``entry`` without references to entries left out of a partial copy of the real catalog."""
    update: dict[str, Any] = {}
    if isinstance(entry, Paper):
        update = {"introduces": [t for t in entry.introduces if t in kept], "uses": [t for t in entry.uses if t in kept]}
    elif isinstance(entry, Benchmark):
        update["datasets"] = [t for t in entry.datasets if t in kept]
        update["results"] = [r if r.model_id in kept or not r.model_id
                             else r.model_copy(update={"model_id": None, "baseline": r.as_printed})
                             for r in entry.results]
        if entry.suite and entry.suite not in kept:
            update["suite"] = None
    if isinstance(entry, (Benchmark, Dataset, Model)) and entry.paper and entry.paper not in kept:
        update["paper"] = None
    return entry.model_copy(update=update)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("realshaped-catalog")
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(generate(target, size))

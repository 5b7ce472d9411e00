"""Parse entry files in several processes, for catalogs large enough to pay for starting them.

Reading and parsing is per file and is most of a check's time; validation and the cross-entry rules stay in
the calling process, which receives the parsed fields (plain values, cheap to send back) in the order of
the files, so problems and their order are the same as with one process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from emocat.catalog.loader import EntryFile, Parsed, Parser, parse_file

#: below this many files one process is quicker (starting the workers and sending results costs ~0.1 s)
THRESHOLD = 2_000
#: files per task sent to a worker: small enough to share the work evenly, large enough to be cheap to send
CHUNK = 250


def cores() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _parse_chunk(jobs: Sequence[EntryFile], contents: Sequence[bytes | None]) -> list[Parsed]:
    return [parse_file(job.path, content) for job, content in zip(jobs, contents, strict=True)]


def _usable() -> bool:
    # fork is the cheap start (the workers inherit the imported code); forking a process that runs other
    # threads can deadlock, so those parse in one process
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def parse_many(jobs: Sequence[EntryFile], contents: Sequence[bytes | None] | None = None, *,
               processes: int | None = None, threshold: int = THRESHOLD) -> list[Parsed]:
    """Parse ``jobs`` (``contents``: their bytes, where already read), in ``processes`` processes (by
    default one per core) when there are at least ``threshold`` of them; results in the order of ``jobs``."""
    contents = contents if contents is not None else [None] * len(jobs)
    count = processes if processes is not None else cores()
    if count < 2 or len(jobs) < max(threshold, 2) or not _usable():
        return _parse_chunk(jobs, contents)
    size = max(1, min(CHUNK, -(-len(jobs) // count)))
    starts = range(0, len(jobs), size)
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = pool.map(_parse_chunk, [jobs[i : i + size] for i in starts], [contents[i : i + size] for i in starts])
        return [parsed for part in parts for parsed in part]


def parser(*, processes: int | None = None, threshold: int = THRESHOLD) -> Parser:
    """A parser for ``load`` that uses ``parse_many``."""
    return lambda jobs: parse_many(jobs, processes=processes, threshold=threshold)

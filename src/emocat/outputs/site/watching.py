"""The preview's file watcher: the system's change notifications instead of MkDocs' polling.

MkDocs' development server polls the folders it watches every half second, walking and stat-ing every file
(watchdog's ``PollingObserver``). With a 10,000-entry catalog under watch, each poll takes a good part of a
second of the one interpreter lock the build needs too, so polling slowed every rebuild and added up to a
poll's interval and walk before a change was even seen. ``use_native_observer`` moves the server's watches to
watchdog's native observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), which
costs nothing while nothing changes. Where the system refuses (no inotify instance or watch left, say), or the
server watches a path this module was not told of, the server keeps polling, watching what it watched.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from watchdog.observers.api import ObservedWatch

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def use_native_observer(server: Any, known: Iterable[str]) -> bool:
    """Move the watches of ``server`` (MkDocs' ``LiveReloadServer``, which only the plugin imports), all among
    the paths ``known``, to a native observer; ``True`` when it did.

    Only before the server starts its observer, and only through the server's own ``watch`` and ``unwatch``
    (``unwatch`` of a path not watched raises ``KeyError`` and changes nothing), so its bookkeeping stays its own.
    """
    polling = server.observer
    if polling.is_alive() or isinstance(polling, _ChangesOnly):
        return False
    times: dict[str, int] = {}
    for path in dict.fromkeys(os.path.abspath(path) for path in known):
        while True:  # a path watched twice needs two unwatch calls
            try:
                server.unwatch(path)
            except KeyError:
                break
            times[path] = times.get(path, 0) + 1
    if polling.emitters:  # the server watches something else too: everything stays as it was
        _watch(server, times)
        return False
    trial = _ChangesOnly()
    trial.start()
    try:  # in a running observer a native watch is set up as it is scheduled: a refusal shows here
        for path in times:
            trial.schedule(watchdog.events.FileSystemEventHandler(), path, recursive=True)
    except OSError as exc:
        log.info("emocat: watching for changes by polling (%s)", exc)
        _watch(server, times)
        return False
    finally:
        trial.stop()
        trial.join()
    server.observer = _ChangesOnly()
    _watch(server, times)
    return True


#: What a change is. A native observer also reports files opened and closed after reading, and MkDocs
#: rebuilds on any event of a file: a build reading the catalog would set off the next build, and so on.
CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileAttribEvent,
    watchdog.events.FileClosedEvent, watchdog.events.FileDeletedEvent, watchdog.events.FileMovedEvent,
    watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent, watchdog.events.DirMovedEvent,
]


class _ChangesOnly(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The native observer, reporting only ``CHANGES`` for every watch scheduled without a filter of its own."""

    def schedule(self, event_handler: watchdog.events.FileSystemEventHandler, path: str | Path, *,
                 recursive: bool = False, event_filter: list[type[watchdog.events.FileSystemEvent]] | None = None,
                 follow_symlink: bool = False) -> ObservedWatch:
        watch: ObservedWatch = super().schedule(event_handler, path, recursive=recursive,
                                                event_filter=event_filter or CHANGES, follow_symlink=follow_symlink)
        return watch


def _watch(server: Any, times: dict[str, int]) -> None:
    for path, count in times.items():
        for _ in range(count):
            server.watch(path)

"""The preview's watcher: MkDocs' development server learns of changes from the system, not by polling."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchdog.observers
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from emocat.outputs.site.watching import use_native_observer


def _watched(server: LiveReloadServer) -> set[tuple[str, bool]]:
    return {(str(emitter.watch.path), emitter.watch.is_recursive) for emitter in server.observer.emitters}


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[[Callable[[], None]], LiveReloadServer]]:
    made: list[LiveReloadServer] = []

    def make(builder: Callable[[], None]) -> LiveReloadServer:
        server = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(tmp_path))
        made.append(server)
        return server

    yield make
    for server in made:
        server.shutdown(wait=server.serve_thread.is_alive())


def test_the_watches_move_to_the_native_observer_and_a_change_rebuilds(tmp_path: Path, make_server) -> None:
    catalog, config = tmp_path / "catalog", tmp_path / "mkdocs.yml"
    (catalog / "papers").mkdir(parents=True)
    config.write_text("site_name: x\n", encoding="utf-8")
    built = threading.Event()
    server = make_server(built.set)
    server.watch(str(catalog))
    server.watch(str(catalog))  # watched twice: one unwatch must not end its watch
    server.watch(str(config))
    before = _watched(server)

    assert use_native_observer(server, [str(catalog), str(config), str(tmp_path / "theme")])

    assert isinstance(server.observer, watchdog.observers.Observer)
    assert not isinstance(server.observer, PollingObserver)
    assert _watched(server) == before
    server.unwatch(str(catalog))
    assert _watched(server) == before  # still watched once
    threading.Thread(target=server.serve, daemon=True).start()
    time.sleep(0.3)
    (catalog / "papers" / "new.yaml").write_text("title: New\n", encoding="utf-8")
    assert built.wait(10), "a file written in the catalog did not start a build"
    time.sleep(0.5)
    built.clear()
    for path in (catalog / "papers" / "new.yaml", config):  # what a build does: read, which changes nothing
        path.read_text(encoding="utf-8")
    assert not built.wait(1.5), "reading a watched file started a build"
    config.write_text("site_name: y\n", encoding="utf-8")
    assert built.wait(10), "mkdocs.yml changed and no build started"


def test_a_watch_the_system_refuses_keeps_the_server_polling(tmp_path: Path, make_server) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    server = make_server(lambda: None)
    server.watch(str(gone))
    gone.rmdir()  # a native watch of a missing folder is refused
    before = _watched(server)

    assert not use_native_observer(server, [str(gone)])

    assert isinstance(server.observer, PollingObserver)
    assert _watched(server) == before


def test_a_watch_of_a_path_it_was_not_told_of_keeps_the_server_polling(tmp_path: Path, make_server) -> None:
    known, unknown = tmp_path / "known", tmp_path / "unknown"
    known.mkdir()
    unknown.mkdir()
    server = make_server(lambda: None)
    server.watch(str(known))
    server.watch(str(unknown))
    before = _watched(server)

    assert not use_native_observer(server, [str(known)])

    assert isinstance(server.observer, PollingObserver)
    assert _watched(server) == before
    server.unwatch(str(known))  # the server's own count of the path is what it was
    with pytest.raises(KeyError):
        server.unwatch(str(known))

"""atomic_write by each method: anonymous file linked through /proc, linked by AT_EMPTY_PATH, named temporary."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emocat.errors import ExistsError
from emocat.store.files import Linker, Writer, atomic_write, link_via_empty_path, link_via_proc

METHODS: dict[str, tuple[Linker, ...]] = {
    "link_via_proc": (link_via_proc,),
    "link_via_empty_path": (link_via_empty_path,),
    "named-temp": (),
}


@pytest.fixture(params=list(METHODS))
def writer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Writer:
    """A writer held to one method; skipped where this system does not offer that method."""
    method: str = request.param
    writer = Writer(METHODS[method])
    if method != "named-temp":
        if not sys.platform.startswith("linux") or not hasattr(os, "O_TMPFILE"):
            pytest.skip("anonymous files (O_TMPFILE) are Linux only")
        atomic_write(tmp_path_factory.mktemp("probe") / "file", "probe\n", writer=writer)
        if writer.method != method:
            pytest.skip(f"{method} does not work on this system (the writer fell back to {writer.method})")
    return writer


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_new_file_is_written_whole_with_the_usual_mode(writer: Writer, tmp_path: Path, umask: int) -> None:
    path = tmp_path / "new" / "entry.yaml"
    atomic_write(path, "title: é\n", writer=writer)
    assert path.read_bytes() == "title: é\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert _listing(path.parent) == ["entry.yaml"]


def test_an_existing_file_is_replaced_and_nothing_else_is_left(writer: Writer, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("old\n")
    atomic_write(path, "new\n", writer=writer)
    assert path.read_text() == "new\n"
    assert _listing(tmp_path) == ["README.md"]


def test_write_new_never_overwrites(writer: Writer, tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    atomic_write(path, "first\n", overwrite=False, writer=writer)
    with pytest.raises(ExistsError, match=r"entry\.yaml already exists"):
        atomic_write(path, "second\n", overwrite=False, writer=writer)
    assert path.read_text() == "first\n"
    assert _listing(tmp_path) == ["entry.yaml"]


def test_a_temporary_name_left_under_this_process_id_is_taken_over(writer: Writer, tmp_path: Path) -> None:
    """A killed writer's leftover whose process id is now ours (ids are reused) is not swept; it must not block."""
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    leftover = tmp_path / f".a.yaml.{os.getpid()}.emocat-tmp"
    leftover.write_text("half a fi")
    atomic_write(path, "new\n", writer=writer)
    assert path.read_text() == "new\n"
    assert not leftover.exists()


def test_the_anonymous_file_has_no_name_until_it_is_complete(tmp_path: Path) -> None:
    seen: list[tuple[list[str], int]] = []

    def watching(fd: int, target: Path) -> None:
        seen.append((_listing(target.parent), os.fstat(fd).st_size))
        link_via_proc(fd, target)

    writer = Writer((watching,))
    text = "x" * 100_000
    atomic_write(tmp_path / "new.yaml", text, overwrite=False, writer=writer)
    if writer.method != "watching":
        pytest.skip("no anonymous files here: " + writer.method)
    assert seen == [([], len(text))], "nothing was visible in the folder until the data was all there"
    assert (tmp_path / "new.yaml").read_text() == text


def _refused(fd: int, target: Path) -> None:
    raise PermissionError(errno.EPERM, "Operation not permitted", str(target))


def _disk_full(fd: int, target: Path) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", str(target))


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="anonymous files (O_TMPFILE) are Linux only")
def test_a_linker_that_is_not_permitted_is_dropped_for_the_next(tmp_path: Path) -> None:
    writer = Writer((_refused, link_via_proc))
    atomic_write(tmp_path / "a.yaml", "a\n", writer=writer)
    assert (tmp_path / "a.yaml").read_text() == "a\n"
    assert writer.linkers == [link_via_proc], "the refused way is not tried again in this process"

    alone = Writer((_refused,))
    atomic_write(tmp_path / "b.yaml", "b\n", overwrite=False, writer=alone)
    assert (tmp_path / "b.yaml").read_text() == "b\n"
    assert alone.method == "named-temp"
    assert _listing(tmp_path) == ["a.yaml", "b.yaml"]


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="anonymous files (O_TMPFILE) are Linux only")
@pytest.mark.parametrize("overwrite", [True, False])
def test_a_failed_write_is_reported_and_leaves_the_folder_as_it_was(tmp_path: Path, overwrite: bool) -> None:
    (tmp_path / "old.yaml").write_text("old\n")
    writer = Writer((_disk_full,))
    with pytest.raises(OSError, match="No space left"):
        atomic_write(tmp_path / ("old.yaml" if overwrite else "new.yaml"), "new\n", overwrite=overwrite, writer=writer)
    assert writer.linkers == [_disk_full], "a full disk says nothing about the method"
    assert _listing(tmp_path) == ["old.yaml"]
    assert (tmp_path / "old.yaml").read_text() == "old\n"


def test_the_default_writer_uses_an_anonymous_file_on_linux(tmp_path: Path) -> None:
    from emocat.store import files as module

    atomic_write(tmp_path / "a.yaml", "a\n")
    if sys.platform.startswith("linux") and hasattr(os, "O_TMPFILE"):
        assert module._WRITER.method != "named-temp", "no way to name an anonymous file; writes fell back"

"""Files written whole or not at all: a killed writer leaves the previous file or the new one, never a part."""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from emocat.errors import ExistsError, UsageError

_TMP_SUFFIX = ".emocat-tmp"
_swept: set[Path] = set()

#: errors from a linker that mean "this way of naming an anonymous file does not work here", not "this write failed"
_UNSUPPORTED = {errno.EXDEV, errno.EPERM, errno.ENOENT, errno.EACCES, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
_AT_FDCWD = -100
_AT_EMPTY_PATH = 0x1000

Linker = Callable[[int, Path], None]
"""Give the anonymous file open as a descriptor a name (a hard link); raise ``OSError`` as ``link(2)`` does."""


def link_via_proc(fd: int, target: Path) -> None:
    """Link through ``/proc/self/fd``, the documented way that needs no privilege (see ``open(2)``)."""
    # Python calls link(2) unless a directory descriptor is given, and link(2) would link the /proc symlink
    # itself (EXDEV) instead of following it; the descriptor forces linkat(2) with AT_SYMLINK_FOLLOW and is
    # ignored because the source path is absolute.
    os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, follow_symlinks=True)


def link_via_empty_path(fd: int, target: Path) -> None:
    """Link the descriptor itself with ``linkat(fd, "", AT_FDCWD, target, AT_EMPTY_PATH)`` (may need privilege)."""
    if _linkat()(fd, b"", _AT_FDCWD, os.fsencode(target), _AT_EMPTY_PATH) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


@functools.cache
def _linkat() -> Any:
    linkat = ctypes.CDLL(None, use_errno=True).linkat
    linkat.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
    return linkat


class Writer:
    """Writes files whole or not at all, by the best method this process has found to work.

    Preferred: the data goes into an anonymous file (``O_TMPFILE``) that has no name until it is complete
    and on disk, so a killed writer leaves nothing behind. It is then linked straight to a new file's name,
    or, to replace a file, linked to a hidden temporary name and renamed over it (a killed writer can leave
    that temporary only between those two calls, and it is whole). ``linkers`` are the ways of linking to
    try, in order; one that fails for a reason of method (no ``/proc``, no privilege, ...) is dropped for the
    rest of the process. With none left, or no ``O_TMPFILE`` on the system, the data is written to the
    hidden temporary name and renamed. Either way new files get the mode ``0o666`` less the umask.
    """

    def __init__(self, linkers: Sequence[Linker] = (link_via_proc, link_via_empty_path)) -> None:
        self.linkers = list(linkers) if hasattr(os, "O_TMPFILE") else []

    @property
    def method(self) -> str:
        """The name of the method the next write will try first (``"named-temp"`` if no linker is left)."""
        return self.linkers[0].__name__ if self.linkers else "named-temp"

    def write(self, path: Path, data: bytes, *, overwrite: bool, mode: int | None = None) -> None:
        """Write ``data`` as ``path``; ``mode`` (the permission bits of a file being replaced) is kept."""
        directory = path.parent
        directory.mkdir(parents=True, exist_ok=True)
        if directory not in _swept:
            sweep_stale(directory)
            _swept.add(directory)
        if not (self.linkers and self._write_anonymous(path, data, overwrite, mode)):
            _write_named(path, data, overwrite, mode)

    def _write_anonymous(self, path: Path, data: bytes, overwrite: bool, mode: int | None) -> bool:
        """Write by an anonymous file; False (nothing written) if this system offers no way to name one."""
        try:
            fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666)
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
            self.linkers = []
            return False
        name = _temporary(path) if overwrite else path
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
            try:
                if not self._link(fd, name):
                    return False
            except FileExistsError:
                if not overwrite:
                    raise _exists(path) from None
                name.unlink()  # left by a killed writer whose process id this process now has
                if not self._link(fd, name):
                    return False
        if overwrite:
            try:
                os.replace(name, path)
            except BaseException:
                name.unlink(missing_ok=True)
                raise
        return True

    def _link(self, fd: int, name: Path) -> bool:
        """Link ``fd`` to ``name`` by the first linker that works; False if none does."""
        while self.linkers:
            try:
                self.linkers[0](fd, name)
                return True
            except OSError as error:
                if error.errno not in _UNSUPPORTED:
                    raise
                self.linkers.pop(0)
        return False


def _exists(path: Path) -> ExistsError:
    return ExistsError(f"{path} already exists; it was left untouched")


def _temporary(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}{_TMP_SUFFIX}"


def _write_named(path: Path, data: bytes, overwrite: bool, mode: int | None = None) -> None:
    """The portable method: write a hidden temporary file, flush it to disk, then rename or link it."""
    tmp = _temporary(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise _exists(path) from None
            finally:
                tmp.unlink(missing_ok=True)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_WRITER = Writer()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (to tell a killed writer's leftovers from a running one's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(directory: Path) -> list[Path]:
    """Remove temporary files left in ``directory`` by writers that were killed mid-write."""
    removed = []
    for leftover in directory.glob(f".*{_TMP_SUFFIX}"):
        pid = leftover.name.rsplit(".", 2)[-2] if leftover.name.count(".") >= 3 else ""
        if pid.isdigit() and not pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device",
          stat.S_IFCHR: "a character device", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link",
          stat.S_IFREG: "a file"}
#: Suffix of the complete new text kept beside a hard-linked file while it is rewritten in place.
_IN_PLACE_SUFFIX = ".emocat-new"


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words (``"a FIFO"``, ``"a folder"``, ...)."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def reason(error: OSError) -> str:
    """Why a path could not be opened, in words a user can act on."""
    if error.errno == errno.ELOOP:
        return "a symbolic link loop"
    if error.errno == errno.ENOENT:
        return "it does not exist (or is a broken symbolic link)"
    return error.strerror or str(error)


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path``.

    Anything else (a FIFO, a device, a folder, a link loop) raises ``UsageError`` without blocking: the
    file is opened non-blocking and checked before a single byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {reason(error)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"cannot read {path}: {kind_of(info.st_mode)}, not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {reason(error)}") from None
    finally:
        os.close(fd)


def _write_through(path: Path, data: bytes) -> None:
    """Write into a character device (``/dev/stdout``, a terminal, ``/dev/null``) without replacing it."""
    with open(path, "ab") as handle:
        handle.write(data)


def _write_in_place(path: Path, data: bytes, writer: Writer) -> None:
    """Rewrite a hard-linked file in place, so every link keeps seeing it.

    The new text is first written whole beside it (atomically, as ``.NAME.emocat-new``), then copied into
    the file and removed: a rewrite killed half-way leaves that complete copy to restore from.
    """
    copy = path.parent / f".{path.name}{_IN_PLACE_SUFFIX}"
    writer.write(copy, data, overwrite=True)
    with open(path, "r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    copy.unlink()


def atomic_write(path: Path, text: str, *, overwrite: bool = True, writer: Writer | None = None) -> None:
    """Write ``text`` to ``path`` completely or not at all, even if the process is killed.

    Only regular files are written. A symbolic link is followed and kept (its target is rewritten); a
    replaced file keeps its permission bits, and a hard-linked one is rewritten in place so that its links
    stay; a character device such as ``/dev/stdout`` is written through, never replaced. A FIFO, socket,
    block device or folder raises ``UsageError`` and is left alone. Raise ``ExistsError`` if ``overwrite``
    is false and ``path`` exists. Temporary files left by a killed writer are removed by the next write to
    that folder. ``writer`` chooses the method (see ``Writer``); by default the best one that works here.
    """
    chosen = writer or _WRITER
    data = text.encode("utf-8")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        chosen.write(path, data, overwrite=overwrite)
        return
    except OSError as error:
        raise UsageError(f"cannot write {path}: {reason(error)}") from None
    if not overwrite:
        raise _exists(path)
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            why = reason(error) if isinstance(error, OSError) else "a symbolic link loop"
            raise UsageError(f"cannot write {path}: {why}") from None
        info, path = os.stat(target), target
    if stat.S_ISCHR(info.st_mode):
        _write_through(path, data)
    elif not stat.S_ISREG(info.st_mode):
        raise UsageError(f"cannot write {path}: it is {kind_of(info.st_mode)}; emocat writes only regular files")
    elif info.st_nlink > 1:
        _write_in_place(path, data, chosen)
    else:
        chosen.write(path, data, overwrite=True, mode=stat.S_IMODE(info.st_mode))


def write_new(path: Path, text: str, *, inside: Path | None = None) -> None:
    """Create ``path`` with ``text``; refuse if it exists, or if its folder is not really inside ``inside``
    (a symbolic link to somewhere else)."""
    if inside is not None:
        try:
            path.parent.resolve().relative_to(inside.resolve())
        except (ValueError, OSError, RuntimeError):
            raise UsageError(f"cannot write {path}: its folder leads outside {inside} (a symbolic link?)") from None
    atomic_write(path, text, overwrite=False)

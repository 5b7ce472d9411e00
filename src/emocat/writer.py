"""Canonical YAML for entries, and atomic, never-overwriting file writes."""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from emocat.errors import ExistsError
from emocat.models import Entry
from emocat.yamlio import StrictResolver

SCHEMA_DIR = "schema"


class _Dumper(yaml.CSafeDumper):
    """Block style, unicode kept, lines never folded; short scalar lists in flow style.

    A string is quoted when either YAML 1.1 (other tools) or emocat's strict reader would read it as
    something other than text, so the file means the same to both.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if kind is yaml.ScalarNode and implicit[0] and tag == "tag:yaml.org,2002:str":
            strict: str = _STRICT.resolve(kind, value, implicit)
            return strict
        return tag


_STRICT = StrictResolver()


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.Node:
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    if "." not in text:
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_date(dumper: _Dumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_list(dumper: _Dumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in value) and sum(len(item) + 2 for item in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_str(dumper: _Dumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, _represent_date)
_Dumper.add_representer(list, _represent_list)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def canonical_data(model: BaseModel) -> dict[str, Any]:
    """Fields in canonical order (own fields first, then links, description, added), empties dropped."""
    data = model.model_dump(mode="python", exclude_none=True)
    data.pop("id", None)
    if isinstance(model, Entry):
        shared = ("links", "description", "added")
        ordered = {k: v for k, v in data.items() if k not in shared}
        ordered.update({k: data[k] for k in shared if k in data})
        data = ordered
    return dict(_prune(data))


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False)


def schema_comment(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{kind}.schema.json\n"


def dump_entry(entry: Entry) -> str:
    """The canonical text of an entry file (what ``emocat fmt`` writes)."""
    return schema_comment(entry.kind) + dump_yaml(canonical_data(entry))


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

    def write(self, path: Path, data: bytes, *, overwrite: bool) -> None:
        directory = path.parent
        directory.mkdir(parents=True, exist_ok=True)
        if directory not in _swept:
            sweep_stale(directory)
            _swept.add(directory)
        if not (self.linkers and self._write_anonymous(path, data, overwrite)):
            _write_named(path, data, overwrite)

    def _write_anonymous(self, path: Path, data: bytes, overwrite: bool) -> bool:
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


def _write_named(path: Path, data: bytes, overwrite: bool) -> None:
    """The portable method: write a hidden temporary file, flush it to disk, then rename or link it."""
    tmp = _temporary(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
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


def _pid_alive(pid: int) -> bool:
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
        if pid.isdigit() and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def atomic_write(path: Path, text: str, *, overwrite: bool = True, writer: Writer | None = None) -> None:
    """Write ``text`` to ``path`` completely or not at all, even if the process is killed.

    Raise ``ExistsError`` if ``overwrite`` is false and ``path`` exists. Temporary files left by a killed
    writer are removed by the next write to that folder. ``writer`` chooses the method (see ``Writer``);
    by default the best one that works in this process.
    """
    (writer or _WRITER).write(path, text.encode("utf-8"), overwrite=overwrite)


def free_id(candidates: list[str], taken: set[str], *, numbered: str) -> str:
    """The first of ``candidates`` not in ``taken``, else ``numbered-2``, ``numbered-3``, …"""
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{numbered}-{number}" in taken:
        number += 1
    return f"{numbered}-{number}"


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; refuse if it exists."""
    atomic_write(path, text, overwrite=False)


def write_all(files: Iterable[tuple[Path, str]]) -> None:
    for path, text in files:
        atomic_write(path, text)

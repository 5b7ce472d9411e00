"""Parsed entry files remembered by their content, so that a second check parses only what changed.

One file per catalog holds, for each entry file, the hash of its bytes and what parsing them gave (the
fields, or the located YAML error). A file whose bytes hash the same is not parsed again; validation
and every rule still run on the remembered fields, so a remembered result can never let an invalid
entry through. The cache is only an optimisation: a file that is missing, truncated, corrupt, written
by another version of emocat or for other parsing code is ignored (and replaced), and a cache that
cannot be written is skipped.

Format: one JSON header line (``format``, ``version``, ``fingerprint`` of the code that parses, the
SHA-256 ``digest`` of the payload), then the payload: base64 of a pickle of plain values (dicts, lists,
strings, numbers, dates, decimals). The pickle is read with an unpickler that resolves no global but
``datetime.date`` and ``decimal.Decimal``, so a forged file cannot run code.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import hashlib
import importlib
import io
import json
import pickle
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic

from emocat import __version__
from emocat.catalog import loader
from emocat.catalog.loader import EntryFile, Parsed, parse_file
from emocat.errors import EmocatError
from emocat.store import yamlio
from emocat.store.files import atomic_write, read_regular

FORMAT = "emocat-parse-cache"
VERSION = 1
#: where a project keeps its caches (ignored by git), beside the catalog folder
CACHE_DIR = ".emocat-cache"
#: the modules whose code decides what a file parses to, or how the parsed fields are validated
_CODE = ("emocat.store.yamlio", "emocat.store.files", "emocat.catalog.loader", "emocat.catalog.models",
         "emocat.catalog.values", "emocat.catalog.messages")

#: a file's remembered parse: (content hash, fields) or (content hash, (line, column, message, rule))
Record = tuple[bytes, Any]
Compute = Callable[[Sequence[EntryFile], Sequence[bytes | None]], Sequence[Parsed]]


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the versions of emocat, Python, pydantic, PyYAML and libyaml, and of the source of the
    parsing and model code."""
    from yaml import __version__ as pyyaml
    from yaml._yaml import get_version_string as libyaml

    versions = f"{__version__}|{sys.version}|{pydantic.VERSION}|{pyyaml}|{libyaml()}"
    digest = hashlib.sha256(versions.encode())
    for name in _CODE:
        digest.update(Path(str(importlib.import_module(name).__file__)).read_bytes())
    return digest.hexdigest()


def default_path(root: Path) -> Path:
    """``<project>/.emocat-cache/parsed-<hash of the catalog folder>.cache``, the project being the catalog's parent."""
    where = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return root.resolve().parent / CACHE_DIR / f"parsed-{where}.cache"


def content_hash(data: bytes) -> bytes:
    """Git's blob id of ``data`` (SHA-1 of ``blob <size>\\0`` and the bytes)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).digest()


_ALLOWED: dict[tuple[str, str], type] = {("datetime", "date"): dt.date, ("decimal", "Decimal"): decimal.Decimal}


class _PlainUnpickler(pickle.Unpickler):

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return found


def _freeze(parsed: Parsed) -> Any:
    if isinstance(parsed, yamlio.YamlError):
        return (parsed.line, parsed.column, parsed.message, parsed.rule)
    return parsed


def _thaw(value: Any) -> Parsed | None:
    if isinstance(value, dict):
        return value
    if (isinstance(value, tuple) and len(value) == 4 and all(isinstance(v, int) for v in value[:2])
            and all(isinstance(v, str) for v in value[2:])):
        return yamlio.YamlError(*value)
    return None


class ParseCache:
    """The remembered parses of one catalog's entry files, read from and written to ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[str, Record] = {}
        self.hits = 0
        self.misses = 0

    def read(self) -> None:
        """Load the cache file; anything unexpected leaves the cache empty."""
        self.records = {}
        try:
            data = read_regular(self.path, 1 << 31)
        except EmocatError:
            return
        header, _, payload = data.partition(b"\n")
        try:
            meta = json.loads(header)
            if (not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION
                    or meta.get("fingerprint") != fingerprint()
                    or meta.get("digest") != hashlib.sha256(payload).hexdigest()):
                return
            records = _PlainUnpickler(io.BytesIO(base64.b64decode(payload, validate=True))).load()
        except (ValueError, binascii.Error, pickle.UnpicklingError, EOFError, TypeError, AttributeError,
                IndexError, KeyError, RecursionError, MemoryError):
            return
        if isinstance(records, dict):
            self.records = {key: record for key, record in records.items()
                            if isinstance(key, str) and isinstance(record, tuple) and len(record) == 2
                            and isinstance(record[0], bytes) and _thaw(record[1]) is not None}

    def write(self) -> None:
        """Write the cache file atomically; a cache that cannot be written is skipped."""
        payload = base64.b64encode(pickle.dumps(self.records, protocol=pickle.HIGHEST_PROTOCOL))
        header = {"format": FORMAT, "version": VERSION, "fingerprint": fingerprint(),
                  "digest": hashlib.sha256(payload).hexdigest()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(header) + "\n" + payload.decode("ascii"))
        except (OSError, EmocatError):
            pass

    def parser(self, compute: Compute | None = None) -> loader.Parser:
        """A parser for ``load`` that answers from the cache, parses the rest (with ``compute``, by default
        in this process), remembers them and writes the cache when anything changed."""
        return lambda jobs: self._parse(jobs, compute or _parse_here)

    def _parse(self, jobs: Sequence[EntryFile], compute: Compute) -> list[Parsed]:
        results: list[Parsed | None] = []
        todo: list[int] = []
        hashes: list[bytes | None] = []
        contents: list[bytes | None] = []
        for job in jobs:
            try:
                content: bytes | None = read_regular(job.path, yamlio.MAX_BYTES)
            except EmocatError:
                content = None  # parse_file reports it
            digest = content_hash(content) if content is not None else None
            record = self.records.get(_key(job))
            found = _thaw(record[1]) if record is not None and record[0] == digest else None
            if found is None:
                todo.append(len(results))
            results.append(found)
            hashes.append(digest)
            contents.append(content)
        self.hits, self.misses = len(jobs) - len(todo), len(todo)
        fresh = compute([jobs[i] for i in todo], [contents[i] for i in todo]) if todo else []
        for index, parsed in zip(todo, fresh, strict=True):
            results[index] = parsed
        seen = {_key(job) for job in jobs}
        stale = self.records.keys() - seen
        for index, parsed in zip(todo, fresh, strict=True):
            digest = hashes[index]
            if digest is not None:
                self.records[_key(jobs[index])] = (digest, _freeze(parsed))
            else:
                self.records.pop(_key(jobs[index]), None)
        for key in stale:
            del self.records[key]
        if todo or stale:
            self.write()
        return [parsed for parsed in results if parsed is not None]


def _key(job: EntryFile) -> str:
    return f"{job.folder}/{job.entry_id}"


def _parse_here(jobs: Sequence[EntryFile], contents: Sequence[bytes | None]) -> list[Parsed]:
    return [parse_file(job.path, content) for job, content in zip(jobs, contents, strict=True)]

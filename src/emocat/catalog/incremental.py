"""``check --changed-since REV``: check the files changed since a git revision, and what the change causes.

Changed files (added, modified or untracked entry files, ``catalog.yaml``, ``vocabulary.yaml``) are checked
fully. The cross-entry rules run on them against the rest of the catalog, of which only the files that
could be involved are parsed: the entries a changed entry refers to, and the files whose text mentions a
changed id, shares an identity key (arXiv id, DOI, link, normalised title) with a changed entry (as it is
now or as it was at REV), or uses a vocabulary value whose presence changed. A file with a backslash
(a YAML escape could spell anything) is always parsed; a change with hundreds of ids and keys to look for
parses every file. Every other file is only listed: its id is taken to be in use (and may be suggested for
a mistyped reference even if that file is invalid, which only a full check can tell).

A problem in an unchanged file is reported when the change causes it: the rules run twice on the same
files, once with the changed files as they are and once as they were at REV, and a problem of an
unchanged file that only the first run finds is reported (a duplicate now reported on both files, a
reference to a deleted entry). The output is the full check's, restricted to what the change touches.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from emocat.catalog.checks import RULES
from emocat.catalog.identity import identity_keys, title_key
from emocat.catalog.loader import (
    CATALOG_FILE,
    VOCABULARY_FILE,
    Catalog,
    EntryFile,
    Locator,
    Parsed,
    Parser,
    load,
    parse_files,
    validate_file,
)
from emocat.catalog.models import KINDS, CatalogMeta, Entry, Vocabulary
from emocat.errors import EmocatError, Problem, Severity, UsageError
from emocat.store import yamlio
from emocat.store.files import read_regular

_VOCABULARIES = ("topics", "tasks", "organisations", "languages")
#: with more ids and keys to look for than this (a change of hundreds of files), every file is parsed
MANY = 500


@dataclass
class Change:
    """What differs from REV: paths relative to the catalog folder, and their content at REV."""

    names: set[str] = field(default_factory=set)
    before: dict[str, bytes] = field(default_factory=dict)

    def entry_ids(self) -> set[str]:
        return {name.split("/")[1][: -len(".yaml")] for name in self.names if _is_entry(name)}


def _is_entry(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[0] in KINDS and parts[1].endswith(".yaml")


def _git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, and git was not found on PATH") from None


def changes(root: Path, revision: str) -> Change:
    """The files under ``root`` that differ from ``revision`` (committed, staged, unstaged or untracked)."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise UsageError(f"--changed-since: {root} is not inside a git repository")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode != 0:
        raise UsageError(f"--changed-since: unknown git revision {revision!r}")
    diff = _git(root, "diff", "--name-only", "--no-renames", "--relative", "-z", revision, "--", ".")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    for run in (diff, untracked):
        if run.returncode != 0:
            raise UsageError(f"--changed-since: git failed: {run.stderr.decode(errors='replace').strip()}")
    names = {name.decode("utf-8", "surrogateescape") for name in (diff.stdout + untracked.stdout).split(b"\0") if name}
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode("utf-8", "surrogateescape").strip()
    ordered = sorted(names)
    query = "".join(f"{revision}:{prefix}{name}\n" for name in ordered).encode("utf-8", "surrogateescape")
    batch = _git(root, "cat-file", "--batch", data=query).stdout
    before: dict[str, bytes] = {}
    at = 0
    for name in ordered:
        end = batch.index(b"\n", at)
        header = batch[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            before[name] = batch[at : at + size]
            at += size + 1
    return Change(names, before)


def _mentions(text: str, needles: Iterable[str]) -> bool:
    return any(needle in text for needle in needles)


def _title_span(text: str) -> str | None:
    """The text of the top-level ``title`` field and what follows it up to the next top-level line."""
    start = 0 if text.startswith("title:") else text.find("\ntitle:") + 1
    if start == 0 and not text.startswith("title:"):
        return None
    end = start
    while True:
        end = text.find("\n", end)
        if end == -1 or end + 1 >= len(text) or text[end + 1] not in " \t\r\n":
            return text[start + len("title:") : None if end == -1 else end]
        end += 1


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> str:
    """``title_key(text)``; for ASCII text (most), the same words found by one regular expression."""
    return " ".join(_ASCII_WORD.findall(text.lower())) if text.isascii() else title_key(text)


@dataclass
class _Needles:
    ids: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    def count(self) -> int:
        return len(self.ids) + len(self.keys) + len(self.titles)

    def add(self, entry: Entry) -> None:
        for _, what, key in identity_keys(entry):
            if not key:
                continue
            if what == "title":
                self.titles.add(f" {key} ")
            else:
                self.keys.add(key.casefold())

    def involve(self, folder: str, content: bytes) -> bool:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return True
        if "\\" in text:
            return True
        folded = text.casefold()
        if _mentions(folded, self.keys) or _mentions(text, self.ids):
            return True
        if self.titles and folder == "papers":
            span = _title_span(text)
            return span is None or _mentions(f" {_words(span)} ", self.titles)
        return False


def _vocabulary_values(content: bytes | None) -> dict[str, set[str]]:
    try:
        vocabulary = Vocabulary.model_validate(yamlio.read_bytes(content)) if content is not None else None
    except (yamlio.YamlError, ValueError):
        vocabulary = None
    return {name: set(getattr(vocabulary, name)) if vocabulary else set() for name in _VOCABULARIES}


def _read(path: Path) -> bytes | None:
    try:
        return read_regular(path, yamlio.MAX_BYTES)
    except EmocatError:
        return None


class _Selection:
    """Decides which entry files an incremental check parses, and parses them."""

    def __init__(self, root: Path, change: Change, parser: Parser | None) -> None:
        self.root, self.change, self.parser = root, change, parser or parse_files
        self.needles = _Needles(ids=change.entry_ids())
        self.before: dict[str, Entry] = {}
        self.vocab_words: set[str] = set()
        if VOCABULARY_FILE in change.names:
            old = _vocabulary_values(change.before.get(VOCABULARY_FILE))
            new = _vocabulary_values(_read(root / VOCABULARY_FILE))
            self.vocab_words = {word for name in _VOCABULARIES for word in old[name] ^ new[name]}

    def __call__(self, jobs: Sequence[EntryFile]) -> list[Parsed | Entry | None]:
        changed = [job for job in jobs if self._name(job) in self.change.names]
        parsed: dict[EntryFile, Parsed | Entry | None] = dict(zip(changed, self.parser(changed), strict=True))
        listed = {job.entry_id for job in jobs}
        targets: set[str] = set()
        for job, result in parsed.items():
            if isinstance(result, dict):
                targets.update(value for value in _walk(result) if value in listed)
                with contextlib.suppress(ValueError):  # an invalid entry has no identity to share
                    self.needles.add(KINDS[job.folder].model_validate({**result, "id": job.entry_id}))
        locator = Locator()
        for name, content in self.change.before.items():
            if _is_entry(name):
                folder, file = name.split("/")
                entry = validate_file(EntryFile(self.root / name, folder, file[: -len(".yaml")]), content, locator, [])
                if entry is not None:
                    self.before[name] = entry
                    self.needles.add(entry)
        self.needles.ids |= self.vocab_words
        wanted = [job for job in jobs if job not in parsed and (job.entry_id in targets or self._involved(job))]
        parsed.update(zip(wanted, self.parser(wanted), strict=True))
        return [parsed.get(job) for job in jobs]

    def _name(self, job: EntryFile) -> str:
        return f"{job.folder}/{job.path.name}"

    def _involved(self, job: EntryFile) -> bool:
        if self.needles.count() > MANY:  # looking for them all in every file would cost more than parsing
            return True
        content = _read(job.path)
        return content is None or self.needles.involve(job.folder, content)


def _walk(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _rules(catalog: Catalog) -> list[Problem]:
    locator = Locator()
    return [problem for rule in RULES for problem in rule(catalog, locator)]


def _as_before(catalog: Catalog, root: Path, change: Change, selection: _Selection) -> Catalog:
    """The same parsed files, with the changed ones as they were at REV."""
    before = Catalog(root=root, meta=catalog.meta, vocabulary=catalog.vocabulary,
                     vocabulary_valid=catalog.vocabulary_valid, invalid=dict(catalog.invalid))
    for name, model, attribute in ((CATALOG_FILE, CatalogMeta, "meta"), (VOCABULARY_FILE, Vocabulary, "vocabulary")):
        if name in change.names:
            try:
                old = model.model_validate(yamlio.read_bytes(change.before.get(name, b"")))
            except (yamlio.YamlError, ValueError):
                old = None
            if attribute == "vocabulary":
                before.vocabulary_valid = old is not None
                before.vocabulary = old if isinstance(old, Vocabulary) else Vocabulary()
            else:
                before.meta = old if isinstance(old, CatalogMeta) else None
    changed = change.entry_ids()
    records: list[tuple[str, str, Entry, Path]] = []
    for entry in catalog.entries():
        if entry.id not in changed:
            records.append((entry.folder, entry.id, entry, catalog.paths[entry.id]))
    for entry_id, path in catalog.paths.items():
        if entry_id in catalog.invalid and entry_id not in changed:
            before.paths[entry_id] = path  # listed, not parsed
    for name in change.names:
        if _is_entry(name):
            before.invalid.pop(name.split("/")[1][: -len(".yaml")], None)
            folder = name.split("/")[0]
            old_entry = selection.before.get(name)
            if old_entry is not None:
                records.append((folder, old_entry.id, old_entry, root / name))
            elif name in change.before:
                before.invalid[name.split("/")[1][: -len(".yaml")]] = root / name
    order = {folder: index for index, folder in enumerate(KINDS)}
    for folder, entry_id, entry, path in sorted(records, key=lambda r: (order[r[0]], r[3].name)):
        before.by_kind(folder)[entry_id] = entry
        before.paths[entry_id] = path
    return before


def check_changed(root: Path | str, revision: str, *, strict: bool = False,
                  parser: Parser | None = None) -> list[Problem]:
    """The problems of a full check that the files changed since ``revision`` touch, sorted."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"no catalog folder at {root}")
    change = changes(root, revision)
    selection = _Selection(root, change, parser)
    catalog, loaded = load(root, parser=selection)
    parsed = {entry.id for entry in catalog.entries()}
    for entry_id, path in catalog.paths.items():
        if entry_id not in parsed:
            # listed, not parsed: its id is in use (and suggested), references to it are not looked into
            catalog.invalid[entry_id] = path
    changed_paths = {str(root / name) for name in change.names}
    changed_ids = change.entry_ids()

    def touched(problem: Problem) -> bool:
        return problem.path in changed_paths

    problems = [p for p in loaded if touched(p) or (p.rule == "duplicate-id" and Path(p.path).stem in changed_ids)]
    now = _rules(catalog)
    problems += [p for p in now if touched(p)]
    if any(not touched(p) for p in now):
        earlier = set(_rules(_as_before(catalog, root, change, selection)))
        problems += [p for p in now if not touched(p) and p not in earlier]
    if strict:
        problems = [Problem(p.path, p.line, p.column, Severity.ERROR, p.field, p.message, p.rule) for p in problems]
    return sorted(set(problems))

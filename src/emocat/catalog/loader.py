"""Load ``catalog/`` into validated models, collecting every problem with its location."""

from __future__ import annotations

import gc
import os
import re
import stat
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from emocat.catalog.messages import describe
from emocat.catalog.models import KINDS, Benchmark, CatalogMeta, Dataset, Entry, Model, Paper, Vocabulary
from emocat.catalog.values import ID_MAX, ID_PATTERN
from emocat.errors import Problem, Severity, UsageError
from emocat.store import yamlio
from emocat.store.files import kind_of, read_regular, reason

CATALOG_FILE = "catalog.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
_ID_RE = re.compile(ID_PATTERN)

M = TypeVar("M", bound=BaseModel)


@dataclass
class Catalog:
    """Every valid entry of a catalog folder, by kind and id, with the file each came from."""

    root: Path
    meta: CatalogMeta | None = None
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    papers: dict[str, Paper] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    models: dict[str, Model] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    #: ids whose file exists but failed validation (their problems are reported; references to them are not)
    invalid: dict[str, Path] = field(default_factory=dict)
    #: False when vocabulary.yaml is missing or invalid, so that entries are not blamed for it
    vocabulary_valid: bool = True

    def by_kind(self, folder: str) -> dict[str, Any]:
        return typing.cast(dict[str, Any], getattr(self, folder))

    def entries(self) -> Iterator[Entry]:
        for folder in KINDS:
            yield from self.by_kind(folder).values()

    def get(self, entry_id: str) -> Entry | None:
        for folder in KINDS:
            found = self.by_kind(folder).get(entry_id)
            if found is not None:
                return typing.cast(Entry, found)
        return None

    def __len__(self) -> int:
        return sum(len(self.by_kind(folder)) for folder in KINDS)

    def path_of(self, entry_id: str) -> Path:
        return self.paths[entry_id]

    @cached_property
    def referrers(self) -> dict[str, list[tuple[str, str]]]:
        """Reverse links: target id -> sorted (field, source id) pairs that point at it."""
        found: dict[str, set[tuple[str, str]]] = {}
        for entry_id, relation, target in outgoing_references(self):
            found.setdefault(target, set()).add((relation, entry_id))
        return {target: sorted(pairs) for target, pairs in found.items()}


def outgoing_references(catalog: Catalog) -> Iterator[tuple[str, str, str]]:
    """Yield (source id, field, target id) for every id-valued field of every entry."""
    for entry in catalog.entries():
        for field_path, target in references_of(entry):
            yield entry.id, field_path.split(".")[0].split("[")[0], target


def references_of(entry: Entry) -> Iterator[tuple[str, str]]:
    """Yield (field path, target id) for an entry's cross-references."""
    if isinstance(entry, Paper):
        for name in ("introduces", "uses"):
            for index, target in enumerate(getattr(entry, name)):
                yield f"{name}[{index}]", target
    elif isinstance(entry, Benchmark):
        for index, target in enumerate(entry.datasets):
            yield f"datasets[{index}]", target
        if entry.paper:
            yield "paper", entry.paper
        if entry.suite:
            yield "suite", entry.suite
        for index, result in enumerate(entry.results):
            if result.model_id:
                yield f"results[{index}].model_id", result.model_id
    elif isinstance(entry, (Dataset, Model)) and entry.paper:
        yield "paper", entry.paper


class Locator:
    """Turns a field path into ``PATH:LINE:COL``, reading and composing a file only when asked."""

    def __init__(self) -> None:
        self._texts: dict[Path, str] = {}
        self._trees: dict[Path, Any] = {}
        #: key lookups of each file's tree (by node id: they go with the tree)
        self._index: dict[Path, yamlio.KeyIndex] = {}

    def text(self, path: Path) -> str:
        if path not in self._texts:
            try:
                self.remember(path, read_regular(path, yamlio.MAX_BYTES))
            except UsageError:
                self._texts[path] = ""
        return self._texts[path]

    def forget(self, path: Path) -> None:
        """Read ``path`` again the next time it is asked for (its file changed)."""
        self._texts.pop(path, None)
        self._trees.pop(path, None)
        self._index.pop(path, None)

    def remember(self, path: Path, data: bytes) -> None:
        """Take ``data`` as the content of ``path`` (a file's bytes already read, or another version of it)."""
        try:
            self._texts[path] = yamlio.decode(data)
        except yamlio.YamlError:
            self._texts[path] = ""
        self._trees.pop(path, None)
        self._index.pop(path, None)

    def position(self, path: Path, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        if not loc:
            return 1, 1
        if path not in self._trees:
            self._trees[path] = yamlio.compose(self.text(path))
        return yamlio.locate_in(self._trees[path], loc, key=key, index=self._index.setdefault(path, {}))

    def problem(
        self,
        path: Path,
        loc: Sequence[str | int],
        message: str,
        rule: str,
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> Problem:
        line, column = self.position(path, loc, key=key)
        return Problem(str(path), line, column, severity, dotted(loc), message, rule)


def dotted(loc: Sequence[str | int]) -> str:
    """``['results', 3, 'value']`` -> ``results[3].value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_path(text: str) -> list[str | int]:
    """Inverse of :func:`dotted`: ``results[3].value`` -> ``['results', 3, 'value']``."""
    parts: list[str | int] = []
    for piece in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", text):
        parts.append(piece.group(1) if piece.group(1) is not None else int(piece.group(2)))
    return parts


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while building many acyclic objects.

    Loading allocates hundreds of thousands of dicts, lists and models that all stay alive; the collector
    would walk them again and again for nothing (about a third of the load time at 10,000 entries).
    Rendering a loaded catalog pauses it too (see ``render.render_readme``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class EntryFile:
    """One entry file to read: where it is, its kind folder and the id its name gives."""

    path: Path
    folder: str
    entry_id: str


#: An entry file read and parsed: its fields, or why it cannot be read as strict YAML
Parsed = dict[str, Any] | yamlio.YamlError
#: Reads and parses entry files, one result each, in order (None leaves a file unread, taken to be valid; an
#: entry model is taken as it is); see catalog.cache (remembers results by content), catalog.parallel (several
#: processes) and catalog.live (keeps the models of unchanged files)
Parser = typing.Callable[[Sequence[EntryFile]], Sequence["Parsed | Entry | None"]]


def parse_file(path: Path, content: bytes | None = None) -> Parsed:
    """Read ``path`` (or take ``content`` as its bytes) as one strict YAML mapping."""
    try:
        return yamlio.read(path) if content is None else yamlio.read_bytes(content)
    except yamlio.YamlError as exc:
        return exc


def parse_files(jobs: Sequence[EntryFile]) -> list[Parsed]:
    return [parse_file(job.path) for job in jobs]


def validate_file(job: EntryFile, content: bytes, locator: Locator, problems: list[Problem]) -> Entry | None:
    """The entry that ``content`` (another version of the file, say) gives, its problems added to ``problems``."""
    locator.remember(job.path, content)
    parsed = parse_file(job.path, content)
    return _load_model(job.path, KINDS[job.folder], locator, problems, entry_id=job.entry_id, parsed=parsed)


def load(root: Path | str, *, parser: Parser | None = None) -> tuple[Catalog, list[Problem]]:
    """Load every file under ``root``; return the valid part and all problems found.

    ``parser`` reads and parses the entry files (by default one after the other, see ``parse_files``).
    """
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"no catalog folder at {root}")
    with without_cyclic_gc():
        return _load(root, parser)


def _load(root: Path, parser: Parser | None) -> tuple[Catalog, list[Problem]]:
    locator = Locator()
    catalog = Catalog(root=root)
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    jobs: list[EntryFile] = []
    resolved_root = root.resolve()

    def refuse(path: Path, message: str, rule: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(str(path), 1, 1, severity, "", message, rule))

    meta_path = root / CATALOG_FILE
    vocab_path = root / VOCABULARY_FILE
    for path in (meta_path, vocab_path):
        if path.is_symlink() and not path.exists():
            refuse(path, "a broken symbolic link or a link loop", "symlink")
        elif not path.exists():
            refuse(path, f"the catalog has no {path.name}", "missing-file")
        elif path.is_symlink() and not _inside(path, resolved_root):
            refuse(path, "a symbolic link that points outside the catalog", "symlink")
        elif path == meta_path:
            catalog.meta = _load_model(path, CatalogMeta, locator, problems)
        else:
            vocabulary = _load_model(path, Vocabulary, locator, problems)
            if vocabulary is not None:
                catalog.vocabulary = vocabulary
    catalog.vocabulary_valid = not any(p.path == str(vocab_path) for p in problems)

    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or child.name in (CATALOG_FILE, VOCABULARY_FILE, *KINDS):
            continue
        what = "folder" if child.is_dir() else "file"
        refuse(child, f"unexpected {what} in the catalog; entries live in {', '.join(KINDS)}", "unexpected-file",
               Severity.WARNING)

    for folder in KINDS:
        directory = root / folder
        try:
            mode = os.stat(directory).st_mode
        except FileNotFoundError:
            if directory.is_symlink():
                refuse(directory, "a broken symbolic link", "symlink")
            continue
        except OSError as error:
            refuse(directory, f"cannot open the folder: {reason(error)}", "folder-read")
            continue
        if not stat.S_ISDIR(mode):
            refuse(directory, f"{folder} must be a folder of <id>.yaml files, not {kind_of(mode)}", "not-a-folder")
            continue
        if directory.is_symlink() and not _inside(directory, resolved_root):
            refuse(directory, "a symbolic link that points outside the catalog", "symlink")
            continue
        try:
            with os.scandir(directory) as scan:
                items = sorted(scan, key=lambda item: item.name)
        except OSError as error:
            refuse(directory, f"cannot list the folder: {reason(error)}", "folder-read")
            continue
        for item in items:
            path = directory / item.name
            if item.name.startswith("."):
                continue
            if item.is_symlink() and not path.exists():
                refuse(path, "a broken symbolic link or a link loop", "symlink")
                continue
            if not item.name.endswith(".yaml") or item.is_dir():
                hint = " (use the .yaml extension)" if item.name.endswith(".yml") else ""
                refuse(path, f"not an entry file{hint}; entries are <id>.yaml files", "unexpected-file")
                continue
            if item.is_symlink() and not _inside(path, resolved_root):
                refuse(path, "a symbolic link that points outside the catalog", "symlink")
                continue
            entry_id = item.name[: -len(".yaml")]
            if not _ID_RE.fullmatch(entry_id) or len(entry_id) > ID_MAX:
                refuse(path, f"the file name {item.name!r} is not a valid id; use lowercase letters and digits "
                       f"joined by single hyphens (e.g. emotion-llama.yaml), at most {ID_MAX} characters", "file-name")
                continue
            if entry_id in seen:
                refuse(path, f"the id {entry_id!r} is already used by {seen[entry_id]}; ids are unique across kinds",
                       "duplicate-id")
                continue
            seen[entry_id] = path
            jobs.append(EntryFile(path, folder, entry_id))
    for job, parsed in zip(jobs, (parser or parse_files)(jobs), strict=True):
        if parsed is None:  # listed but not read (an incremental check): taken to be valid
            catalog.paths[job.entry_id] = job.path
            continue
        if isinstance(parsed, Entry):
            entry: Entry | None = parsed
        else:
            entry = _load_model(job.path, KINDS[job.folder], locator, problems, entry_id=job.entry_id, parsed=parsed)
        if entry is None:
            catalog.invalid[job.entry_id] = job.path
            continue
        catalog.by_kind(job.folder)[job.entry_id] = entry
        catalog.paths[job.entry_id] = job.path
    return catalog, problems


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return False
    return True


def _load_model(
    path: Path,
    cls: type[M],
    locator: Locator,
    problems: list[Problem],
    *,
    entry_id: str | None = None,
    parsed: Parsed | None = None,
) -> M | None:
    data = parse_file(path) if parsed is None else parsed
    if isinstance(data, yamlio.YamlError):
        problems.append(Problem(str(path), data.line, data.column, Severity.ERROR, "", data.message, data.rule))
        return None
    data = dict(data)  # the id is added below; a remembered result stays as it was
    if entry_id is not None:
        if "id" in data:
            problems.append(locator.problem(path, ["id"], f"remove this field: the file name is the id ({entry_id!r})", "id-field", key=True))
            return None
        data["id"] = entry_id
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = [part for part in error["loc"] if part != "__root__"]
            problems.append(_to_problem(path, cls, loc, error, locator))
        return None


def _to_problem(path: Path, cls: type[BaseModel], loc: list[Any], error: Any, locator: Locator) -> Problem:
    kind = error["type"]
    message = describe(cls, loc, error)
    at_key = kind == "extra_forbidden"
    if loc and loc[-1] == "[key]":  # a bad key of a mapping such as the vocabulary: point at the key
        loc, at_key = loc[:-1], True
    return locator.problem(path, loc, message, _RULES.get(kind, "schema"), key=at_key)


_RULES = {
    "missing": "required",
    "extra_forbidden": "unknown-field",
    "literal_error": "allowed-values",
    "string_pattern_mismatch": "format",
    "url_host": "format",
}

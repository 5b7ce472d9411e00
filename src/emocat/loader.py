"""Load ``catalog/`` into validated models, collecting every problem with its location."""

from __future__ import annotations

import difflib
import gc
import os
import re
import types
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from emocat import yamlio
from emocat.errors import Problem, Severity, UsageError
from emocat.models import (
    ID_MAX,
    ID_PATTERN,
    KINDS,
    PATTERN_HINTS,
    Benchmark,
    CatalogMeta,
    Dataset,
    Entry,
    Model,
    Paper,
    Vocabulary,
)

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

    def text(self, path: Path) -> str:
        if path not in self._texts:
            try:
                self._texts[path] = yamlio.decode(path.read_bytes())
            except (OSError, yamlio.YamlError):
                self._texts[path] = ""
        return self._texts[path]

    def position(self, path: Path, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        if not loc:
            return 1, 1
        if path not in self._trees:
            self._trees[path] = yamlio.compose(self.text(path))
        return yamlio.locate_in(self._trees[path], loc, key=key)

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


def load(root: Path | str) -> tuple[Catalog, list[Problem]]:
    """Load every file under ``root``; return the valid part and all problems found."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"no catalog folder at {root}")
    with without_cyclic_gc():
        return _load(root)


def _load(root: Path) -> tuple[Catalog, list[Problem]]:
    locator = Locator()
    catalog = Catalog(root=root)
    problems: list[Problem] = []
    resolved_root = root.resolve()

    def refuse(path: Path, message: str, rule: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(str(path), 1, 1, severity, "", message, rule))

    meta_path = root / CATALOG_FILE
    vocab_path = root / VOCABULARY_FILE
    for path in (meta_path, vocab_path):
        if not path.exists():
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

    for folder, cls in KINDS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        if directory.is_symlink() and not _inside(directory, resolved_root):
            refuse(directory, "a symbolic link that points outside the catalog", "symlink")
            continue
        with os.scandir(directory) as scan:
            items = sorted(scan, key=lambda item: item.name)
        for item in items:
            path = directory / item.name
            if item.name.startswith("."):
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
            if entry_id in catalog.paths or entry_id in catalog.invalid:
                other = catalog.paths.get(entry_id) or catalog.invalid[entry_id]
                refuse(path, f"the id {entry_id!r} is already used by {other}; ids are unique across kinds",
                       "duplicate-id")
                continue
            entry = _load_model(path, cls, locator, problems, entry_id=entry_id)
            if entry is None:
                catalog.invalid[entry_id] = path
                continue
            catalog.by_kind(folder)[entry_id] = entry
            catalog.paths[entry_id] = path
    return catalog, problems


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True


def _load_model(
    path: Path,
    cls: type[M],
    locator: Locator,
    problems: list[Problem],
    *,
    entry_id: str | None = None,
) -> M | None:
    try:
        data = yamlio.read(path)
    except yamlio.YamlError as exc:
        problems.append(Problem(str(path), exc.line, exc.column, Severity.ERROR, "", exc.message, exc.rule))
        return None
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
}

_TYPE_NAMES = {str: "text", int: "a number", Decimal: "a number", bool: "true/false", list: "a list",
               dict: "a mapping", type(None): "nothing"}
_NUMBER_ERRORS = ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number", "is_instance_of")


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """A scalar as it was written in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _brief(text: str, limit: int = 80) -> str:
    """``repr`` of a text, shortened so one bad value cannot flood the output."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def _quote_hint(loc: Sequence[Any], value: Any) -> str:
    """How the line should look with the value quoted."""
    quoted = "'" + _shown(value).replace("'", "''") + "'"
    if loc and isinstance(loc[-1], int):
        return f"quote it: - {quoted}"
    return f"quote it: {loc[-1] if loc else 'field'}: {quoted}"


def describe(cls: type[BaseModel], loc: Sequence[Any], error: Any) -> str:
    """Turn one pydantic error into a sentence that says how to fix it."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(cls, loc[:-1]))
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed fields: {', '.join(allowed)}"
        return f"unknown field {name!r}{hint}"
    if kind == "string_type":
        if value is None:
            return "empty value; give a value or remove the field"
        if isinstance(value, (bool, int, Decimal)):
            return f"expected text, got {_type_name(value)} ({_shown(value)}); {_quote_hint(loc, value)}"
        return f"expected text, got {_type_name(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if value is None:
            return "empty value; give a whole number or remove the field"
        if isinstance(value, str):
            return f"expected a whole number, got the text {_brief(value)}; write digits only, without quotes or separators"
        return f"expected a whole number, got {_type_name(value)} ({_shown(value)})"
    if kind in ("bool_type", "bool_parsing"):
        if isinstance(value, str):
            return f"expected true or false, got the text {_brief(value)}; write true or false without quotes"
        return f"expected true or false, got {_type_name(value)} ({_shown(value)}); write true or false"
    if kind in _NUMBER_ERRORS:
        if isinstance(value, str):
            return f"expected a number, got the text {_brief(value)}; write the number without quotes"
        return f"expected a number, got {_type_name(value)} ({_shown(value)})"
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"{value!r} is not {hint}" if len(str(value)) < 120 else f"the value is not {hint}"
    if kind == "string_too_short":
        return "empty text; give a value or remove the field"
    if kind == "string_too_long":
        return f"longer than {ctx.get('max_length')} characters; shorten it"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{_brief(_shown(value))} is not allowed; allowed values: {', '.join(allowed)}{hint}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{_shown(value)} is too small; it must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{_shown(value)} is too large; it must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"expected a list, got {_type_name(value)}; write one '- item' per line or [a, b]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if value is None:
            return "empty value; give its fields on the lines below, indented, or remove the field"
        return f"expected a mapping of fields, got {_type_name(value)}"
    if kind.startswith("date"):
        shown = _brief(value) if isinstance(value, str) else _shown(value)
        return f"expected a date such as 2025-01-31, got {shown}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def _fields_at(cls: type[BaseModel], loc: Sequence[Any]) -> set[str]:
    """The field names allowed in the mapping at ``loc`` of a ``cls`` document."""
    annotation: Any = cls
    for part in loc:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if origin is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                return set()
            annotation = info.annotation
        else:
            return set()
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name for name, info in annotation.model_fields.items() if not info.exclude}
    return set()


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds fields or items."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation

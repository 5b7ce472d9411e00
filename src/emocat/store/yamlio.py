"""Strict YAML reading (libyaml) and locating a field's line and column in a file."""

from __future__ import annotations

import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from emocat.errors import UsageError
from emocat.store import indentation
from emocat.store.files import read_regular

MAX_BYTES = 1 << 20

try:  # pragma: no cover - libyaml is a hard requirement on supported platforms
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    raise ImportError("emocat needs PyYAML built with libyaml (yaml.CParser)") from None


@dataclass
class YamlError(Exception):
    """A file that cannot be read as one strict YAML mapping."""

    line: int
    column: int
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message} [{self.rule}]"


STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
#: First characters of plain scalars that may be something other than text.
_NOT_TEXT_START = frozenset("tTfFnN~-+0123456789.")
#: Numbers longer than this are refused rather than converted (huge literals are a denial of service).
MAX_NUMBER_CHARS = 100


class StrictResolver(BaseResolver):
    """Only ``true``/``false``, plain decimal numbers and ``null`` are anything but text.

    Floats need a decimal point (``1e5`` stays text), so hashes and codes never turn into numbers.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0] or (value and value[0] not in _NOT_TEXT_START):
                return STR  # quoted, or plain text that cannot be anything else (most values)
            if _NULL_RE.match(value):
                return NULL
            if _BOOL_RE.match(value):
                return BOOL
            if _INT_RE.match(value):
                return INT
            if _FLOAT_RE.match(value):
                return FLOAT
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP


# The same rules, registered the standard way, for code that asks PyYAML's resolver machinery directly.
StrictResolver.add_implicit_resolver(BOOL, _BOOL_RE, list("tTfF"))
StrictResolver.add_implicit_resolver(INT, _INT_RE, list("-+0123456789"))
StrictResolver.add_implicit_resolver(FLOAT, _FLOAT_RE, list("-+0123456789."))
StrictResolver.add_implicit_resolver(NULL, _NULL_RE, [*"~nN", ""])


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class StrictLoader(_Parser, StrictResolver):
    """libyaml parser and composer with the strict resolver; :func:`build` makes Python values."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        StrictResolver.__init__(self)


def _number(node: yaml.ScalarNode) -> int | Decimal:
    text = node.value
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(*_mark(node), f"a number of {len(text)} digits is out of range; quote it if it is text",
                        "number-range")
    if node.tag == INT:
        return int(text)
    value = Decimal(text)
    if abs(value.adjusted()) > MAX_NUMBER_CHARS:
        raise YamlError(*_mark(node), f"the number {text} is out of range; quote it if it is text", "number-range")
    return value


def build(node: yaml.Node) -> Any:
    """Turn a composed node into plain Python values.

    Refuses duplicate and merge keys, keeps decimals exact and never calls a constructor by tag, so
    nothing but text, numbers, booleans, null, lists and mappings can come out.
    """
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag == STR:
            return node.value
        if tag in (INT, FLOAT):
            return _number(node)
        if tag == BOOL:
            return node.value in ("true", "True", "TRUE")
        if tag == NULL:
            return None
        raise YamlError(*_mark(node), f"tags ({tag}) are not allowed; quote the value instead", "yaml-tag")
    if isinstance(node, yaml.SequenceNode):
        return [build(item) for item in node.value]
    if not isinstance(node, yaml.MappingNode):  # pragma: no cover - the composer makes only these three
        raise YamlError(*_mark(node), "unexpected YAML node", "yaml-syntax")
    mapping: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlError(*_mark(key_node), "a key must be plain text", "yaml-key-type")
        key = key_node.value
        if key == "<<" and not key_node.style:
            raise YamlError(*_mark(key_node), "merge keys (<<) are not allowed; write the fields out", "yaml-merge-key")
        if key in mapping:
            message = f"duplicate key {key!r} (first on line {lines[key]}); keep one of them"
            raise YamlError(*_mark(key_node), message, "yaml-duplicate-key")
        lines[key] = key_node.start_mark.line + 1
        mapping[key] = build(value_node)
    return mapping


# An anchor (&name), alias (*name) or tag (!) can only start a node: at a line start, after white space or
# after a flow indicator. Files without such a spot (almost all) skip the event scan.
_INDICATOR_CHARS = ("&", "*", "!")
_SUSPECT = re.compile(r"(?:^|[\s\[\]{},:?-])(?:[&*]\S|!)", re.MULTILINE)


_SEPARATORS = re.compile("[\x85\u2028\u2029]")


def _suspect(text: str) -> bool:
    return any(char in text for char in _INDICATOR_CHARS) and _SUSPECT.search(text) is not None


def decode(data: bytes) -> str:
    """Decode UTF-8 (an optional BOM is dropped); bad bytes are located."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        if start == 0 and data.startswith(b"\xef\xbb\xbf"):
            start = 3  # columns are counted after the BOM, as everywhere else
        column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
        raise YamlError(line, column, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", "encoding") from None
    return text[1:] if text.startswith("\ufeff") else text


def _offset_to_mark(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def _scan_events(text: str) -> None:
    """Reject anchors, aliases and explicit tags, which the fast path cannot see."""
    loader = yaml.CSafeLoader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(line, column, f"aliases (*{event.anchor}) are not allowed; write the value out", "yaml-alias")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YamlError(line, column, f"anchors (&{anchor}) are not allowed", "yaml-anchor")
            tag = getattr(event, "tag", None)
            if tag is not None:  # libyaml reports a tag only when the file writes one
                raise YamlError(line, column, f"tags ({tag}) are not allowed; quote the value instead", "yaml-tag")
    finally:
        loader.dispose()


def parse(text: str) -> dict[str, Any]:
    """Parse one strict YAML document whose top level is a mapping."""
    if not text.strip():
        raise YamlError(1, 1, "the file is empty; an entry is a YAML mapping of fields", "empty-file")
    separator = _SEPARATORS.search(text)
    if separator:  # YAML counts these as line breaks, editors mostly do not: lines would disagree
        line, column = _offset_to_mark(text, separator.start())
        code = f"U+{ord(separator.group()):04X}"
        raise YamlError(line, column, f"the line separator {code} is not allowed; use a line break or a space",
                        "yaml-character")
    try:
        if _suspect(text):
            _scan_events(text)
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise YamlError(1, 1, "the file holds no YAML document", "empty-file")
            if not isinstance(node, yaml.MappingNode):
                kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
                raise YamlError(*_mark(node), f"the top level must be a mapping of fields, not {kind}", "top-level")
            data = build(node)
            if "- " in text and (deeper := indentation.deeper_item(text)) is not None:
                raise YamlError(*deeper, indentation.RULE)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        offending = _char_at(text, line, column)
        if "expected a single document" in (exc.context or "") or "another document" in message:
            message, rule = "a file holds one YAML document; remove the '---' separator", "yaml-documents"
        elif "maximum nesting depth" in message:
            message, rule = "the document nests too deeply", "yaml-depth"
        elif offending == "\t" or ("\t" in text and "tab" in message):
            message, rule = "tab characters cannot indent YAML; use spaces", "yaml-tab"
        elif (explained := indentation.explain(text, line, message)) is not None:
            message, rule = explained, indentation.RULE
        else:
            rule = "yaml-syntax"
            if "mapping values are not allowed" in message:
                message = "unexpected ': '; if the value is text that contains ': ', quote the whole value"
            elif exc.context and (start := exc.context_mark) is not None:
                message = f"{message} {exc.context} that starts at {start.line + 1}:{start.column + 1}"
        raise YamlError(line, column, message, rule) from None
    except yaml.reader.ReaderError as exc:
        # libyaml reads the text as UTF-8, so the position counts bytes
        offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        line, column = _offset_to_mark(text, offset)
        raise YamlError(line, column, f"control character #x{exc.character:04x} is not allowed", "yaml-character") from None
    except yaml.YAMLError as exc:  # pragma: no cover - other libyaml failures
        raise YamlError(1, 1, str(exc).splitlines()[0], "yaml-syntax") from None
    except RecursionError:
        raise YamlError(1, 1, "the document nests too deeply", "yaml-depth") from None
    return typing.cast(dict[str, Any], data)  # build() of a mapping node is a dict


def read(path: Path) -> dict[str, Any]:
    """Read a catalog file: size limit, UTF-8, strict YAML mapping."""
    try:
        data = read_regular(path, MAX_BYTES)
    except UsageError as exc:
        raise YamlError(1, 1, str(exc).replace(f"cannot read {path}: ", "cannot read the file: ", 1), "file-read") from None
    return read_bytes(data)


def read_bytes(data: bytes) -> dict[str, Any]:
    """Parse the bytes of a catalog file: size limit, UTF-8, strict YAML mapping."""
    if len(data) > MAX_BYTES:
        raise YamlError(1, 1, f"the file is larger than {MAX_BYTES} bytes (1 MiB), the limit for one entry", "file-size")
    return parse(decode(data))


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for locating fields), or None if it cannot be composed."""
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def locate(text: str, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
    """Return the 1-based line and column of ``loc`` in ``text`` (nearest existing parent)."""
    return locate_in(compose(text), loc, key=key)


#: Per mapping node (by ``id``), its first key/value pair for each key: one scan of a mapping serves every
#: lookup in it, so locating many problems in one file costs linear time, not quadratic.
KeyIndex = dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]]


def _pairs(node: yaml.MappingNode, index: KeyIndex | None) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    found = index.get(id(node)) if index is not None else None
    if found is None:
        found = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                found.setdefault(key_node.value, (key_node, value_node))
        if index is not None:
            index[id(node)] = found
    return found


def locate_in(
    root: yaml.Node | None, loc: Sequence[str | int], *, key: bool = False, index: KeyIndex | None = None
) -> tuple[int, int]:
    """Like :func:`locate`, on a tree from :func:`compose`; ``index`` caches key lookups across calls.

    A field is found at its value, or at its key when ``key`` is set or when its value is a block list
    or mapping (which starts on the next line).
    """
    if root is None:
        return 1, 1
    node: yaml.Node = root
    position = _mark(node)
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            pair = _pairs(node, index).get(part)
            if pair is None:
                return position
            key_node, value_node = pair
            position = _mark(key_node) if (key and last) else _mark(value_node)
            if not key and last and isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style:
                position = _mark(key_node)
            node = value_node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            position = _mark(node)
        else:
            return position
    return position

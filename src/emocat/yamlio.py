"""Strict YAML reading (libyaml) and locating a field's line and column in a file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import BaseResolver

MAX_BYTES = 1 << 20

try:  # pragma: no cover - libyaml is a hard requirement on supported platforms
    from yaml.cyaml import CParser as _Parser
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


class StrictResolver(BaseResolver):
    """Only ``true``/``false``, plain decimal numbers and ``null`` are anything but text.

    Floats need a decimal point (``1e5`` stays text), so hashes and codes never turn into numbers.
    """


StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
StrictResolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), list("~nN") + [""])


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class StrictConstructor(yaml.constructor.SafeConstructor):
    """Safe constructor that refuses duplicate and merge keys and keeps decimals exact."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        if not isinstance(node, yaml.MappingNode):
            raise YamlError(*_mark(node), "expected a mapping", "yaml-syntax")
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise YamlError(*_mark(key_node), "merge keys (<<) are not allowed; write the fields out", "yaml-merge-key")
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(*_mark(key_node), "a key must be plain text", "yaml-key-type")
            key = key_node.value
            if key in mapping:
                raise YamlError(*_mark(key_node), f"duplicate key {key!r}", "yaml-duplicate-key")
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Decimal:  # type: ignore[override]
        value = Decimal(node.value)
        if not value.is_finite() or abs(value.adjusted()) > 100:
            raise YamlError(*_mark(node), f"the number {node.value} is out of range; quote it if it is text", "number-range")
        return value


StrictConstructor.add_constructor("tag:yaml.org,2002:float", StrictConstructor.construct_yaml_float)
StrictConstructor.add_constructor(
    "tag:yaml.org,2002:map", lambda self, node: self.construct_mapping(node, deep=True)
)


class StrictLoader(_Parser, StrictConstructor, StrictResolver):  # type: ignore[misc]
    """libyaml parser + strict constructor + strict resolver."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        StrictConstructor.__init__(self)
        StrictResolver.__init__(self)


_SUSPECT = re.compile(r"[&*!]")


def decode(data: bytes) -> str:
    """Decode UTF-8 (an optional BOM is dropped); bad bytes are located."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
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
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(line, column, f"aliases (*{event.anchor}) are not allowed; write the value out", "yaml-alias")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YamlError(line, column, f"anchors (&{anchor}) are not allowed", "yaml-anchor")
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = tag is not None and (implicit is False or (isinstance(implicit, tuple) and not any(implicit)))
            if explicit and tag != "!":
                raise YamlError(line, column, f"tags ({tag}) are not allowed; quote the value instead", "yaml-tag")
    finally:
        loader.dispose()


def parse(text: str) -> dict[str, Any]:
    """Parse one strict YAML document whose top level is a mapping."""
    if not text.strip():
        raise YamlError(1, 1, "the file is empty; an entry is a YAML mapping of fields", "empty-file")
    try:
        if _SUSPECT.search(text):
            _scan_events(text)
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise YamlError(1, 1, "the file holds no YAML document", "empty-file")
            if not isinstance(node, yaml.MappingNode):
                kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
                raise YamlError(*_mark(node), f"the top level must be a mapping of fields, not {kind}", "top-level")
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        offending = _char_at(text, line, column)
        if "expected a single document" in (exc.context or "") or "another document" in message:
            message, rule = "a file holds one YAML document; remove the '---' separator", "yaml-documents"
        elif "could not determine a constructor" in message:
            rule = "yaml-tag"
        elif offending == "\t" or ("\t" in text and "tab" in message):
            message, rule = "tab characters cannot indent YAML; use spaces", "yaml-tab"
        else:
            rule = "yaml-syntax"
        raise YamlError(line, column, message, rule) from None
    except yaml.reader.ReaderError as exc:
        line, column = _offset_to_mark(text, exc.position)
        raise YamlError(line, column, f"control character #x{exc.character:04x} is not allowed", "yaml-character") from None
    except yaml.YAMLError as exc:  # pragma: no cover - other libyaml failures
        raise YamlError(1, 1, str(exc).splitlines()[0], "yaml-syntax") from None
    except RecursionError:
        raise YamlError(1, 1, "the document nests too deeply", "yaml-depth") from None
    assert isinstance(data, dict)
    return data


def read(path: Path) -> dict[str, Any]:
    """Read a catalog file: size limit, UTF-8, strict YAML mapping."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(1, 1, f"the file is {size} bytes; the limit is {MAX_BYTES} (1 MiB)", "file-size")
        data = path.read_bytes()
    except OSError as exc:
        raise YamlError(1, 1, f"cannot read the file: {exc.strerror}", "file-read") from None
    return parse(decode(data))


def locate(text: str, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
    """Return the 1-based line and column of ``loc`` in ``text`` (nearest existing parent)."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return 1, 1
    if node is None:
        return 1, 1
    position = _mark(node)
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    position = _mark(key_node) if (key and last) else _mark(value_node)
                    if not key and last and isinstance(value_node, yaml.CollectionNode) and value_node.flow_style is False:
                        position = _mark(key_node)
                    node = value_node
                    break
            else:
                return position
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            position = _mark(node)
        else:
            return position
    return position

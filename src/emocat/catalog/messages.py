"""Sentences for schema errors: what is wrong with a value and how to write it instead."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from emocat.catalog.values import ID_PATTERN, PATTERN_HINTS, as_id

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


def _visible_repr(value: Any) -> str:
    """``repr`` with the characters that show as nothing but that Python counts printable escaped."""
    return "".join(f"\\u{ord(char):04x}" if char in _INVISIBLE else char for char in repr(value))


#: Hangul and Halfwidth fillers, the blank Braille pattern, the Mongolian vowel separator.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


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
        if ctx.get("pattern") == ID_PATTERN and isinstance(value, str) and re.fullmatch(ID_PATTERN, as_id(value)):
            hint += f"; did you mean {as_id(value)!r}?"  # written as words: spaces, capitals, underscores
        return f"{_visible_repr(value)} is not {hint}" if len(str(value)) < 120 else f"the value is not {hint}"
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

"""A "did you mean": the allowed value closest to one written with other spaces, capitals or words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from emocat.catalog.values import as_id


def closest(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str | None:
    """The choice ``value`` most likely means: the same id once spaces and capitals are evened out, an id
    whose display name it is (``names``: name -> id), else the closest spelling."""
    allowed = list(choices)
    normal = as_id(value)
    if normal in allowed:
        return normal
    by_name = {as_id(name): choice for name, choice in (names or {}).items()}
    if normal in by_name:
        return by_name[normal]
    close = difflib.get_close_matches(normal or value, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """``; did you mean 'x'?`` for :func:`closest`, or nothing."""
    found = closest(value, choices, names)
    return f"; did you mean {found!r}?" if found is not None and found != value else ""

"""Problems found in catalog files, and the exceptions the library raises."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding: ``PATH:LINE:COL: severity: field: message [rule]``."""

    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str
    rule: str

    def format(self) -> str:
        """One line: control, line-breaking and bidi characters of names and values are shown escaped, so a
        file name can neither forge another problem line nor send escape sequences to the terminal."""
        where = f"{shown(self.path)}:{self.line}:{self.column}"
        subject = f"{shown(self.field)}: " if self.field else ""
        return f"{where}: {self.severity.value}: {subject}{shown(self.message)} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file at the line."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        text = f"{self.field}: {self.message}" if self.field else self.message
        return (
            f"::{level} file={_escape_property(self.path)},line={self.line},col={self.column},"
            f"title={_escape_property(self.rule)}::{_escape_data(shown(text))}"
        )


#: Characters that must not reach a terminal or a log line as they are: C0 and C1 controls, DEL, line and
#: paragraph separators, and the bidirectional formatting characters (which can reorder what is shown).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\n``-like ``\\x0a``, ``\\u202e``)."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(problems: Iterable[Problem]) -> str:
    """Return the closing line ``N errors, M warnings in K files``."""
    items = list(problems)
    errors = sum(1 for p in items if p.severity is Severity.ERROR)
    warnings = len(items) - errors
    files = len({p.path for p in items})
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    )


def to_json(problems: Iterable[Problem]) -> str:
    """The problems as a JSON array of objects (path, line, column, severity, field, message, rule)."""
    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False)


class EmocatError(Exception):
    """Base of every error the library raises on purpose."""


class CatalogError(EmocatError):
    """The catalog has problems; ``problems`` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(summary(self.problems))


class UsageError(EmocatError):
    """The caller asked for something that cannot be done (bad argument, missing folder)."""


class ExistsError(EmocatError):
    """A file or entry already exists and will not be overwritten."""


class IdInUseError(ExistsError, UsageError):
    """The id asked for already names an entry: nothing is overwritten, and the caller must choose another."""


class NetworkError(EmocatError):
    """A remote service could not be used; nothing was written."""

"""Today's date for new entries and records: the system date, or ``SOURCE_DATE_EPOCH`` when it is set.

``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) is the reproducible-builds convention; with it, ``emocat add``,
``new``, ``import`` and ``enrich`` write the same dates on every run, whatever the day.
"""

from __future__ import annotations

import datetime as dt
import os

from emocat.errors import UsageError

VARIABLE = "SOURCE_DATE_EPOCH"


def today() -> dt.date:
    """The date to record as "today"."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    if not (value.isascii() and value.isdigit()):
        raise UsageError(f"{VARIABLE}={value!r}: expected a whole number of seconds since 1970-01-01 UTC")
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise UsageError(f"{VARIABLE}={value!r}: not a date this system can represent") from None

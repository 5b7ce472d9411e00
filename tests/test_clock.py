"""The recorded date: the system's, or SOURCE_DATE_EPOCH's for reproducible runs; a bad value is a clear error."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emocat import clock
from emocat.errors import UsageError


def test_without_the_variable_it_is_the_system_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.date.today()
    assert clock.today() in (before, dt.date.today())


@pytest.mark.parametrize(("value", "date"), [("0", dt.date(1970, 1, 1)), ("1735689599", dt.date(2024, 12, 31)),
                                             (" 1735689600\n", dt.date(2025, 1, 1))])
def test_source_date_epoch_is_read_in_utc(monkeypatch: pytest.MonkeyPatch, value: str, date: dt.date) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert clock.today() == date


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5", "1e9", "９", "99999999999999999999999"])
def test_a_value_that_is_not_a_representable_count_of_seconds_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                                         value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH="):
        clock.today()


def test_emocat_new_writes_the_reproducible_date_and_reports_a_bad_one(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    made = subprocess.run([sys.executable, "-m", "emocat", "new", "paper", "my-paper"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "added: 2025-01-01\n" in (tmp_path / "catalog" / "papers" / "my-paper.yaml").read_text()
    bad = subprocess.run([sys.executable, "-m", "emocat", "new", "paper", "other"], cwd=tmp_path,
                         env={**env, "SOURCE_DATE_EPOCH": "soon"}, capture_output=True, text=True)
    assert bad.returncode == 2
    assert "SOURCE_DATE_EPOCH='soon': expected a whole number of seconds" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "catalog" / "papers" / "other.yaml").exists()

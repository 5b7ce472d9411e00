"""Shared test configuration."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from scripted_server import ScriptedServer, serving

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Where the stub serves arXiv's query API (``stub_sources``).
ARXIV_API = "/api/query"

# The suite runs a short, derandomized profile: the same examples on every run, so a test run is reproducible
# and CI cannot fail on a draw nobody has seen. `EMOCAT_HYPOTHESIS=long pytest tests/test_properties.py ...`
# runs the long, random one that explores (see benchmarks/README.md for the full list of files).
settings.register_profile("short", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("EMOCAT_HYPOTHESIS", "short"))


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's catalog and README; the test runs from its folder."""
    shutil.copytree(REPO_ROOT / "catalog", tmp_path / "catalog")
    shutil.copy(REPO_ROOT / "README.md", tmp_path / "README.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def stub_sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    """One local server standing in for arXiv (under ``ARXIV_API``) and Crossref, named by the environment."""
    with serving() as stub:
        monkeypatch.setenv("EMOCAT_ARXIV_URL", stub.url + ARXIV_API)
        monkeypatch.setenv("EMOCAT_CROSSREF_URL", stub.url)
        yield stub

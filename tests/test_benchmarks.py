"""The synthetic catalog used by benchmarks/ is valid, realistic in shape and deterministic."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from emocat.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synthetic import generate


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_synthetic_catalog_is_valid_and_spread_over_the_kinds(tmp_path: Path) -> None:
    catalog, problems = check(generate(tmp_path / "catalog", 60))
    assert [p.format() for p in problems] == []
    assert (len(catalog.papers), len(catalog.models), len(catalog.datasets), len(catalog.benchmarks)) == (30, 15, 9, 6)
    assert all(5 <= len(bench.results) <= 40 for bench in catalog.benchmarks.values())
    assert catalog.referrers, "entries refer to each other"


def test_synthetic_catalog_is_deterministic(tmp_path: Path) -> None:
    assert _digest(generate(tmp_path / "a", 30)) == _digest(generate(tmp_path / "b", 30))
    assert _digest(generate(tmp_path / "c", 30, seed=1)) != _digest(tmp_path / "a")

"""Hostile lists for ``emocat import awesome``: input that made the old line regexes backtrack for minutes.

Each list is a real file imported by a real ``emocat`` process under a generous timeout: the Markdown parser
runs in linear time, so even the 100 KB versions finish in seconds; a regex that backtracks does not finish.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from catalogs import write_catalog

#: far above the few seconds a linear parse needs here, far below what the backtracking took
TIMEOUT = 120
SIZE = 100_000

#: name -> a body of about ``n`` bytes
PATTERNS: dict[str, Callable[[int], str]] = {
    "heading-of-spaces": lambda n: "#" + " " * n + "\n",
    "heading-of-spaces-then-text": lambda n: "## " + " " * n + "x #\n",
    "bullet-of-images": lambda n: "- " + "![a](b)" * (n // 7) + "\n",
    "line-of-html-links": lambda n: "- " + '<a href="x">' * (n // 12) + "\n",
    "line-of-stars": lambda n: "- " + "*a " * (n // 3) + "\n",
}
#: the sizes at which each was first found to hang
FOUND_AT = {"heading-of-spaces": 4096, "heading-of-spaces-then-text": 4096, "bullet-of-images": 211,
            "line-of-html-links": 4096, "line-of-stars": 4096}


def emocat(*args: str, cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "emocat", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.mark.parametrize("size", ["found", "100k"])
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pathological_markdown_imports_in_linear_time(tmp_path: Path, name: str, size: str) -> None:
    root = write_catalog(tmp_path / "catalog")
    body = PATTERNS[name](FOUND_AT[name] if size == "found" else SIZE)
    source = tmp_path / f"{name}.md"
    source.write_text(f"# A list\n\n## Papers\n\n{body}- [Calm Paper](https://arxiv.org/abs/2401.00001)\n",
                      encoding="utf-8")
    assert source.stat().st_size >= (FOUND_AT[name] if size == "found" else SIZE)
    result = emocat("--catalog", str(root), "import", "awesome", str(source), "--dry-run", cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1), result.stderr
    # the ordinary item after the hostile line is still read
    assert f"would create {root / 'papers' / 'calm-paper.yaml'}" in result.stdout


"""Fixtures of the site tests: a small catalog from dicts, and sites built once per session."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalogs import write_catalog
from emocat.commands.build import build_site
from emocat.commands.pages import dump_config, read_config

REPO = Path(__file__).resolve().parents[2]
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"

SOURCE = {"repository": "example/results", "path": "README.md", "commit": "0123456789abcdef0123456789abcdef01234567"}

#: A small catalog that exercises every page kind, ordering rule and escaping path.
FIXTURE: dict[str, dict[str, Any]] = {
    "papers/alpha-net": {
        "title": "AlphaNet: Listening to Emotions", "authors": ["Ada Lovelace", "Alan Turing"], "year": 2024,
        "month": 5, "venue": "ACM MM", "arxiv": "2405.00001", "modalities": ["audio", "text"],
        "topics": ["emotion-mllm"], "tasks": ["emotion-recognition"], "introduces": ["alpha-model"],
        "uses": ["sound-set"], "links": {"paper": "https://arxiv.org/abs/2405.00001",
                                          "code": "https://github.com/example/alphanet"},
        "repository": {"stars": 12345, "pushed": "2025-02-10", "archived": False, "checked": "2025-03-01"},
        "abstract": "We listen to speech and read text to recognise emotions.", "added": "2025-03-01",
    },
    "papers/beta-vision": {
        "title": "Beta: Seeing Feelings", "authors": ["Grace Hopper"], "year": 2023, "venue": "CVPR",
        "modalities": ["image", "video"], "topics": ["survey"],
        "links": {"paper": "https://example.org/beta", "code": "https://github.com/example/beta"},
        "repository": {"stars": 987, "checked": "2025-03-01"}, "added": "2025-02-01",
    },
    "papers/hostile": {
        "title": HOSTILE_TITLE, "year": 2022, "venue": "</title><script>alert(2)</script>",
        "authors": ["A & B <b>bold</b>"], "modalities": ["text"], "topics": ["survey"],
        "links": {"paper": "https://example.org/x?a=1&b=2"}, "added": "2025-01-01",
    },
    "datasets/sound-set": {
        "name": "SoundSet | [v2]", "modalities": ["audio"], "samples": 13708, "emotion_classes": 7,
        "label_type": "categorical", "annotation": "human", "hours": Decimal("12.5"), "paper": "alpha-net",
        "added": "2025-01-15",
    },
    "datasets/tiny-set": {"name": "TinySet", "modalities": ["text"], "samples": 900, "added": "2025-01-15"},
    "models/alpha-model": {
        "name": "Alpha-7B", "organisation": "example-lab", "sizes": ["7B"], "modalities": ["audio", "text"],
        "open_weights": True, "release": "2024-05", "paper": "alpha-net", "added": "2025-03-01",
        "links": {"code": "https://github.com/example/alpha-model"},
        "repository": {"stars": 87, "pushed": "2023-11-30", "archived": True, "checked": "2025-03-01"},
    },
    "models/loner": {"name": "Loner", "aliases": ["Lone Wolf"], "added": "2025-01-02"},
    "benchmarks/sound-bench": {
        "name": "SoundBench", "datasets": ["sound-set"], "split": "test", "samples": 411,
        "task": "emotion-recognition",
        "metrics": ["wer", "accuracy"],
        "results": [
            {"model_id": "alpha-model", "as_printed": "Alpha-7B [A]", "modalities": ["audio"], "regime": "fine-tuned",
             "metric": "wer", "value": Decimal("12.5"), "scale": "0-100", "source": dict(SOURCE)},
            {"baseline": "Baseline <b>", "as_printed": "Baseline <b>", "regime": "zero-shot", "metric": "wer",
             "value": Decimal("30.25"), "scale": "0-100", "source": dict(SOURCE)},
            {"baseline": "Tie A", "as_printed": "Tie A", "metric": "wer", "value": Decimal("20.0"), "scale": "0-100",
             "source": {"url": "https://example.org/table"}},
            {"baseline": "Tie B", "as_printed": "Tie B", "metric": "wer", "value": Decimal("0.200"), "scale": "0-1",
             "source": {"url": "https://example.org/table"}},
            {"model_id": "alpha-model", "as_printed": "Alpha-7B [A]", "modalities": ["audio"], "regime": "fine-tuned",
             "metric": "accuracy", "value": Decimal("0.9036"), "scale": "0-1", "source": dict(SOURCE)},
            {"model_id": "alpha-model", "as_printed": "Alpha 7B", "modalities": ["audio"], "regime": "fine-tuned",
             "metric": "wer", "value": Decimal("0.171"), "scale": "0-1", "source": {"url": "https://example.org/other"}},
            {"model_id": "loner", "as_printed": "Loner", "modalities": ["text"], "metric": "wer",
             "value": Decimal("25.5"), "scale": "0-100", "source": {"url": "https://example.org/other"}},
        ],
        "added": "2025-03-02",
    },
    "benchmarks/quiet-bench": {
        "name": "QuietBench", "datasets": ["tiny-set"], "task": "emotion-recognition", "added": "2025-01-20",
    },
}


def fixture_catalog(root: Path) -> Path:
    """Write the fixture catalog under ``root/catalog`` and return that folder."""
    return write_catalog(root / "catalog", FIXTURE)


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once with mkdocs build --strict."""
    site_dir = tmp_path_factory.mktemp("repo-site") / "site"
    build_site(REPO / "mkdocs.yml", site_dir, REPO / "catalog")
    return site_dir


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the fixture catalog (with hostile text), built once with the repository's mkdocs.yml."""
    root = tmp_path_factory.mktemp("fixture-site")
    site_dir = root / "site"
    build_site(REPO / "mkdocs.yml", site_dir, fixture_catalog(root))
    return site_dir


def build_with_options(catalog: Path, root: Path, **options: Any) -> Path:
    """The site of ``catalog`` built into ``root/site`` by MkDocs with the repository's mkdocs.yml, its docs and
    these options of the emocat plugin (such as ``large_tables``); returns the site folder."""
    config = read_config(REPO / "mkdocs.yml")
    config["docs_dir"] = str(REPO / "docs")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "emocat" in plugin:
            plugin["emocat"] = {**plugin["emocat"], "catalog": str(catalog), **options}
    (root / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    build_site(root / "mkdocs.yml", root / "site", catalog)
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Any]:
    """Serve built sites on 127.0.0.1; ``serve(site_dir)`` returns the base URL."""
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def start(site_dir: Path) -> str:
        if site_dir not in servers:
            handler = functools.partial(_Quiet, directory=str(site_dir))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[site_dir] = server
        return f"http://127.0.0.1:{servers[site_dir].server_address[1]}/"

    yield start
    for server in servers.values():
        server.shutdown()
        server.server_close()

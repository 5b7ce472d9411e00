"""``emocat serve``: the preview server answers on 127.0.0.1 and rebuilds when a catalog file changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.cli import cli

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _site_path() -> str:
    """The path mkdocs serve puts the site under: that of ``site_url`` in mkdocs.yml."""
    for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return urllib.parse.urlsplit(line.split(":", 1)[1].strip()).path or "/"
    return "/"


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, text: str, deadline: float) -> str:
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


@pytest.mark.slow
def test_serve_previews_the_site_and_rebuilds_on_catalog_changes(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "catalog", {"papers/first": {"title": "First Title", "year": 2024}})
    port = _free_port()
    command = [sys.executable, "-m", "emocat", "--catalog", str(catalog), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}{_site_path()}papers/first/"
        _wait_for(url, "First Title", time.monotonic() + 120)
        entry = catalog / "papers" / "first.yaml"
        entry.write_text(entry.read_text(encoding="utf-8").replace("First Title", "Second Title"), encoding="utf-8")
        _wait_for(url, "Second Title", time.monotonic() + 120)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until(check: Callable[[], bool], what: str, deadline: float, log: Path | None = None) -> None:
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never: {what}" + (f"\n{log.read_text(encoding='utf-8')}" if log else ""))


@pytest.mark.slow
def test_serve_renders_again_only_what_an_edit_alters(tmp_path: Path) -> None:
    entries = {f"papers/paper-{n}": {"title": f"Paper Number {n}", "year": 2020 + n % 5} for n in range(8)}
    entries["papers/paper-0"]["uses"] = ["first-set"]  # type: ignore[index]
    entries["datasets/first-set"] = {"name": "First Set"}
    catalog = write_catalog(tmp_path / "catalog", entries)
    port = _free_port()
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "emocat", "--catalog", str(catalog), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with open(log, "wb") as output:
        server = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            base = f"http://127.0.0.1:{port}{_site_path()}"
            _wait_for(f"{base}papers/paper-0/", "First Set", time.monotonic() + 120)
            dataset = catalog / "datasets" / "first-set.yaml"
            dataset.write_text(dataset.read_text(encoding="utf-8").replace("First Set", "Renamed Set"),
                               encoding="utf-8")
            _wait_for(f"{base}datasets/first-set/", "Renamed Set", time.monotonic() + 120)
            _wait_for(f"{base}papers/paper-0/", "Renamed Set", time.monotonic() + 30)  # it links to the dataset
            _wait_for(f"{base}datasets/", "Renamed Set", time.monotonic() + 30)
            text = log.read_text(encoding="utf-8")
            assert "page(s) rendered again" in text and "Aborted" not in text, text
            rendered = int(text.rsplit("page(s) rendered again", 1)[0].rsplit("emocat: ", 1)[1])
            assert 0 < rendered < 12, text  # of the site's 26 generated pages, far from all

            edited = catalog / "papers" / "paper-1.yaml"
            edited.write_text("title: [unclosed\n", encoding="utf-8")  # an error is shown, the server lives on
            _wait_until(lambda: "paper-1.yaml:2:1: error" in log.read_text(encoding="utf-8"), "the error", time.monotonic() + 60,
                        log)
            (catalog / "papers" / "paper-7.yaml").unlink()
            edited.write_text("title: Paper Back Again\nyear: 2021\nadded: 2025-01-01\n", encoding="utf-8")
            _wait_for(f"{base}papers/paper-1/", "Paper Back Again", time.monotonic() + 120)
            _wait_until(lambda: _get(f"{base}papers/paper-7/") is None, "the removed entry's page is gone",
                        time.monotonic() + 30)
            assert "Paper Number 7" not in (_get(f"{base}papers/") or "Paper Number 7")
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_serve_refuses_a_bad_address(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--dev-addr", "nowhere"])
    assert result.exit_code == 2
    assert "--dev-addr must be HOST:PORT" in result.output


@pytest.mark.slow
def test_build_points_to_serve_not_to_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = write_catalog(tmp_path / "catalog", {"papers/first": {"title": "First Title", "year": 2024}})
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for page in (REPO / "docs").glob("*.md"):
        (tmp_path / "docs" / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "build", "--site-dir", str(tmp_path / "public")])
    assert result.exit_code == 0, result.output
    assert "preview it with: emocat serve" in result.output
    assert "index.html" not in result.output

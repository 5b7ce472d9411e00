"""The site's search index: Pagefind's chunked index of entry and hand-written pages, and its failures."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE, REPO, fixture_catalog
from emocat.commands.build import build_site
from emocat.errors import EmocatError
from emocat.outputs.site.search import index_site


def _fragments(site_dir: Path) -> list[dict[str, Any]]:
    """Pagefind's record of every indexed page (a gzipped JSON file per page, behind a signature)."""
    return [json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            for path in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment"))]


def test_a_built_site_has_the_pagefind_index_of_its_entry_and_hand_written_pages(fixture_site: Path) -> None:
    assert not (fixture_site / "search" / "search_index.json").exists()  # no lunr index of every page
    bundle = fixture_site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and list((bundle / "index").glob("*.pf_index"))
    records = {record["url"]: record for record in _fragments(fixture_site)}
    entries = {f"/{key}/": value for key, value in FIXTURE.items()}
    hand_written = {f"/{page.stem}/" for page in (REPO / "docs").glob("*.md")}
    assert set(records) == set(entries) | hand_written  # no index page, author page or topic page
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(records)
    for url, fields in entries.items():
        record = records[url]
        assert record["meta"]["title"] == fields.get("title", fields.get("name")), url
        assert record["filters"]["kind"] == [url.split("/")[1].removesuffix("s").capitalize()], url
        assert sorted(record["filters"].get("modality", [])) == sorted(fields.get("modalities", [])), url
    assert all(records[url]["filters"] == {"kind": ["Documentation"]} for url in hand_written)
    alpha = records["/papers/alpha-net/"]
    assert alpha["filters"]["year"] == ["2024"] and alpha["filters"]["topic"] == ["Emotion MLLMs"]
    assert "Ada Lovelace" in alpha["content"]
    assert "@inproceedings" not in alpha["content"]  # the citation blocks repeat the page; not indexed
    assert "¶" not in alpha["content"] and "Papers · added" not in alpha["content"]


def test_indexing_a_missing_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(EmocatError, match=r"search index: .*nothing is not a built site"):
        index_site(tmp_path / "nothing")


def test_a_folder_without_pages_fails_with_pagefinds_reason(tmp_path: Path) -> None:
    with pytest.raises(EmocatError, match=r"(?s)pagefind failed on .* \(exit 1\):\nError: .*html files"):
        index_site(tmp_path)
    assert not (tmp_path / "pagefind").exists()


def test_a_binary_that_cannot_run_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "index.html").write_text("<html><body><p>words</p></body></html>", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    with pytest.raises(EmocatError, match=r"search index: cannot run .*no-pagefind \(No such file or directory\)"):
        index_site(tmp_path)


@pytest.mark.slow
def test_an_indexer_failure_fails_the_build_with_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(EmocatError) as info:
        build_site(REPO / "mkdocs.yml", tmp_path / "site", fixture_catalog(tmp_path))
    message = str(info.value)
    assert "emocat: search index: pagefind failed on" in message and "(exit 3):\nError: the disk is full" in message
    assert "Traceback" not in message
    assert not (tmp_path / "site").exists()  # the failed build was not swapped in

"""``emocat enrich`` against stub arXiv and GitHub APIs served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.catalog.loader import load
from emocat.cli import cli
from emocat.enrich import enrich
from emocat.errors import CatalogError
from emocat.sources.client import HttpClient
from emocat.sources.github import GitHub, RateLimited, parse_repository
from emocat.store.writer import dump_entry
from scripted_server import Reply, Request, ScriptedServer, in_turn, serving

TODAY = dt.date(2026, 3, 1)

PAPERS = {
    "2406.11161": {
        "title": "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning",
        "authors": ["Zebang Cheng", "Zhi-Qi Cheng", "Jun-Yan He"],
        "published": "2024-06-17T08:00:00Z",
        "summary": "Accurate emotion perception is crucial\n  for many applications.",
        "journal_ref": "NeurIPS 2024",
    },
    "2509.24322": {
        "title": "Multimodal Large Language Models Meet Multimodal Emotion Recognition and Reasoning: A Survey",
        "authors": ["Yuntao Shou", "Tao Meng"],
        "published": "2025-09-29T10:00:00Z",
        "summary": "A survey of MLLMs for emotion.",
    },
}

REPOS = {
    "ZebangCheng/Emotion-LLaMA": {"stargazers_count": 1234, "pushed_at": "2025-12-30T11:22:33Z", "archived": False},
    "old/abandoned": {"stargazers_count": 7, "pushed_at": "2021-01-02T00:00:00Z", "archived": True},
}


def _atom(ids: list[str]) -> bytes:
    entries = []
    for arxiv_id in ids:
        paper = PAPERS.get(arxiv_id)
        if paper is None:
            continue  # like arXiv for an id it does not know: no entry
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
        journal = (
            f"<arxiv:journal_ref>{escape(paper['journal_ref'])}</arxiv:journal_ref>" if "journal_ref" in paper else ""
        )
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}v2</id><updated>{paper['published']}</updated>"
            f"<published>{paper['published']}</published><title>{escape(paper['title'])}</title>"
            f"<summary>{escape(paper['summary'])}</summary>{authors}{journal}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>query</title>{''.join(entries)}</feed>"
    ).encode()


def arxiv_api(request: Request, server: ScriptedServer) -> Reply:
    ids = request.query.get("id_list", [""])[0].split(",")
    return Reply(200, _atom(ids), {"Content-Type": "application/atom+xml"})


def github_api(request: Request, server: ScriptedServer) -> Reply:
    name = request.path.removeprefix("/repos/")
    for full, data in REPOS.items():
        if full.lower() == name.lower():
            body = json.dumps({"full_name": full, **data}).encode()
            return Reply(200, body, {"Content-Type": "application/json", "X-RateLimit-Remaining": "59"})
    return Reply(404, b'{"message": "Not Found"}', {"Content-Type": "application/json"})


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Any:
    """One stub server for both services; base URLs go through the environment."""
    with serving() as server:
        server.routes["/api/query"] = arxiv_api
        for full in [*REPOS, "ghost/gone"]:
            server.routes[f"/repos/{full}"] = github_api
        monkeypatch.setenv("EMOCAT_ARXIV_URL", f"{server.url}/api/query")
        monkeypatch.setenv("EMOCAT_GITHUB_URL", server.url)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield server


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(
        tmp_path / "catalog",
        {
            "papers/emotion-llama": {
                "title": "Emotion-LLaMA",
                "arxiv": "2406.11161",
                "links": {"code": "https://github.com/ZebangCheng/Emotion-LLaMA"},
            },
            "papers/survey": {
                "title": "The survey",
                "arxiv": "2509.24322",
                "year": 2024,
                "venue": "Hand-curated venue",
            },
            "papers/missing": {
                "title": "Not on arXiv",
                "arxiv": "2999.00001",
                "links": {"code": "https://github.com/ZebangCheng/Emotion-LLaMA/tree/main"},
            },
            "models/abandoned": {"name": "Abandoned", "links": {"code": "https://github.com/old/abandoned.git"}},
            "models/ghost": {"name": "Ghost", "links": {"code": "https://github.com/ghost/gone"}},
        },
    )


def _snapshot(root: Path) -> dict[Path, str]:
    return {p: p.read_text() for p in sorted(root.rglob("*.yaml"))}


def _http() -> HttpClient:
    return HttpClient(timeout=5, retries=0, backoff=0.01)


def test_fills_missing_fields_and_keeps_curated_ones(api: ScriptedServer, catalog: Path) -> None:
    report = enrich(catalog, today=TODAY, http=_http(), pause=0)
    entries, _ = load(catalog)
    llama = entries.papers["emotion-llama"]
    assert llama.authors == ["Zebang Cheng", "Zhi-Qi Cheng", "Jun-Yan He"]
    assert (llama.year, llama.month, llama.venue) == (2024, 6, "NeurIPS 2024")
    assert llama.abstract == "Accurate emotion perception is crucial for many applications."
    assert llama.repository is not None
    assert (llama.repository.stars, llama.repository.pushed) == (1234, dt.date(2025, 12, 30))
    assert (llama.repository.archived, llama.repository.checked) == (False, TODAY)

    survey = entries.papers["survey"]
    assert (survey.year, survey.venue, survey.month) == (2024, "Hand-curated venue", 9)
    assert {(c.entry, c.field, c.old, c.new) for c in report.kept} == {
        ("survey", "year", 2024, 2025),
        ("survey", "venue", "Hand-curated venue", "arXiv"),
    }
    abandoned = entries.models["abandoned"].repository
    assert abandoned is not None and abandoned.archived is True and abandoned.stars == 7

    path = catalog / "papers" / "emotion-llama.yaml"
    assert path.read_text() == dump_entry(llama)
    assert path in report.written
    assert "emotion-llama: year: (none) -> 2024" in [c.describe() for c in report.changes]
    assert "emotion-llama: repository.stars: (none) -> 1234" in [c.describe() for c in report.changes]


def test_hand_written_comments_survive_enrichment(api: ScriptedServer, catalog: Path) -> None:
    path = catalog / "papers" / "emotion-llama.yaml"
    text = path.read_text()
    path.write_text(text.replace("title:", "# checked against the NeurIPS version\ntitle:") + "# keep me\n")
    enrich(catalog, today=TODAY, http=_http(), pause=0)
    updated = path.read_text()
    assert "# checked against the NeurIPS version\ntitle: Emotion-LLaMA\n" in updated
    assert updated.endswith("# keep me\n")
    assert "stars: 1234" in updated


def test_a_failed_lookup_writes_nothing_for_that_entry(api: ScriptedServer, catalog: Path) -> None:
    before = _snapshot(catalog)
    report = enrich(catalog, today=TODAY, http=_http(), pause=0)
    failures = dict(report.failures)
    assert failures["missing"] == "arXiv has no paper with the id 2999.00001"
    assert "ghost/gone" in failures["ghost"] and "404" in failures["ghost"]
    for name in ("papers/missing.yaml", "models/ghost.yaml"):
        assert (catalog / name).read_text() == before[catalog / name]
    assert not [c for c in report.changes if c.entry in ("missing", "ghost")]
    assert not report.ok


def test_arxiv_queries_are_batched(api: ScriptedServer, catalog: Path) -> None:
    enrich(catalog, only="arxiv", today=TODAY, http=_http(), batch_size=2, pause=0)
    lists = sorted(r.query["id_list"][0] for r in api.hits("/api/query"))
    assert lists == ["2406.11161,2999.00001", "2509.24322"]  # in order of entry id
    assert not [r for r in api.requests if r.path.startswith("/repos/")]


def test_force_overwrites_curated_values(api: ScriptedServer, catalog: Path) -> None:
    report = enrich(catalog, only="arxiv", force=True, today=TODAY, http=_http(), pause=0)
    survey = load(catalog)[0].papers["survey"]
    assert (survey.year, survey.venue) == (2025, "arXiv")
    assert not report.kept


def test_dry_run_writes_nothing(api: ScriptedServer, catalog: Path) -> None:
    before = _snapshot(catalog)
    report = enrich(catalog, dry_run=True, today=TODAY, http=_http(), pause=0)
    assert report.changes and not report.written
    assert _snapshot(catalog) == before


def test_second_run_changes_nothing(api: ScriptedServer, catalog: Path) -> None:
    enrich(catalog, today=TODAY, http=_http(), pause=0)
    after = _snapshot(catalog)
    again = enrich(catalog, today=TODAY, http=_http(), pause=0)
    assert again.changes == [] and again.written == []
    assert _snapshot(catalog) == after


def test_github_rate_limit_stops_querying(api: ScriptedServer, catalog: Path) -> None:
    reset = int(time.time()) + 3600
    limited = Reply(
        403, b'{"message": "API rate limit exceeded"}', {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    )
    for full in [*REPOS, "ghost/gone"]:
        api.routes[f"/repos/{full}"] = lambda request, server: limited
    before = _snapshot(catalog)
    report = enrich(catalog, only="github", today=TODAY)
    assert len([r for r in api.requests if r.path.startswith("/repos/")]) == 1
    assert len(report.stopped) == 1
    assert "rate limit" in report.stopped[0] and "GITHUB_TOKEN" in report.stopped[0]
    assert "4 entries not checked" in report.stopped[0]
    assert _snapshot(catalog) == before


def test_github_short_rate_limit_is_waited_out(api: ScriptedServer) -> None:
    api.routes["/repos/old/abandoned"] = _then(in_turn(Reply(429, headers={"Retry-After": "1"})), github_api)
    with GitHub(max_wait=5) as hub:
        info = hub.repository("old", "abandoned")
    assert info.archived is True
    first, second = api.hits("/repos/old/abandoned")
    assert second.at - first.at >= 0.9


def test_github_long_wait_is_not_waited(api: ScriptedServer) -> None:
    api.routes["/repos/old/abandoned"] = lambda request, server: Reply(429, headers={"Retry-After": "600"})
    started = time.monotonic()
    with GitHub(max_wait=5) as hub, pytest.raises(RateLimited, match="slow down"):
        hub.repository("old", "abandoned")
    assert time.monotonic() - started < 5
    assert len(api.hits("/repos/old/abandoned")) == 1


def test_github_token_is_sent_as_bearer(api: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret-123")
    with GitHub() as hub:
        hub.repository("old", "abandoned")
    (request,) = api.hits("/repos/old/abandoned")
    assert request.headers["Authorization"] == "Bearer secret-123"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/ZebangCheng/Emotion-LLaMA", ("ZebangCheng", "Emotion-LLaMA")),
        ("https://github.com/o/r.git", ("o", "r")),
        ("https://github.com/o/r/tree/main/src", ("o", "r")),
        ("http://www.github.com/o/r/", ("o", "r")),
        ("https://github.com/o", None),
        ("https://github.com/orgs/o", None),
        ("https://gitlab.com/o/r", None),
        ("https://o.github.io/r", None),
    ],
)
def test_parse_repository(url: str, expected: tuple[str, str] | None) -> None:
    assert parse_repository(url) == expected


def test_cli_prints_changes_and_exits_1_on_failures(api: ScriptedServer, catalog: Path) -> None:
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "enrich", "--only", "arxiv", "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "would change emotion-llama: venue: (none) -> NeurIPS 2024" in result.output
    assert "kept survey: year: 2024 (source says 2025); --force replaces it" in result.output
    assert "failed missing: arXiv has no paper with the id 2999.00001" in result.output

    (catalog / "papers" / "missing.yaml").unlink()
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "enrich", "--only", "arxiv"])
    assert result.exit_code == 0, result.output
    assert "changed emotion-llama: venue: (none) -> NeurIPS 2024" in result.output


def _then(first: Any, then: Any) -> Any:
    """A route answering with ``first`` once, then delegating to ``then``."""
    calls = {"n": 0}

    def route(request: Request, server: ScriptedServer) -> Reply:
        calls["n"] += 1
        return first(request, server) if calls["n"] == 1 else then(request, server)

    return route


def test_a_renamed_repository_is_noted(api: ScriptedServer, catalog: Path) -> None:
    body = json.dumps({"full_name": "new-owner/abandoned", **REPOS["old/abandoned"]}).encode()
    api.routes["/repos/old/abandoned"] = lambda request, server: Reply(200, body)
    report = enrich(catalog, only="github", today=TODAY)
    assert report.notes == ["abandoned: links.code: GitHub says the repository is now new-owner/abandoned"]
    assert load(catalog)[0].models["abandoned"].repository is not None


def test_github_server_errors_are_retried(api: ScriptedServer) -> None:
    api.routes["/repos/old/abandoned"] = _then(in_turn(Reply(502)), github_api)
    with GitHub(backoff=0.01) as hub:
        assert hub.repository("old", "abandoned").stars == 7
    assert len(api.hits("/repos/old/abandoned")) == 2


def test_an_invalid_catalog_is_refused_before_any_lookup(api: ScriptedServer, catalog: Path) -> None:
    (catalog / "papers" / "broken.yaml").write_text("title: [unclosed\n")
    with pytest.raises(CatalogError):
        enrich(catalog, today=TODAY, http=_http(), pause=0)
    assert api.requests == []


def test_unreachable_github_stops_after_the_first_try(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("EMOCAT_GITHUB_URL", f"http://127.0.0.1:{port}")
    before = _snapshot(catalog)
    report = enrich(catalog, only="github", today=TODAY)
    assert report.failures == []
    assert len(report.stopped) == 1 and "cannot reach GitHub" in report.stopped[0]
    assert "4 entries not checked" in report.stopped[0]
    assert _snapshot(catalog) == before

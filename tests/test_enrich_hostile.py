"""``emocat enrich`` against a hostile GitHub stub on 127.0.0.1: a clear message per lookup, nothing written.

A remote answer may only write what is within bounds (a star count is a whole number from 0 to 10^9, and so on);
anything else is reported as malformed and the entry is left as it was. Waits derived from headers are bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.catalog.loader import load
from emocat.cli import cli
from emocat.enrich import enrich
from emocat.sources.client import HttpClient
from emocat.sources.github import GitHub
from scripted_server import Reply, ScriptedServer, serving

TODAY = dt.date(2026, 3, 1)
REPO = "/repos/owner/tool"
GOOD = {"full_name": "owner/tool", "stargazers_count": 42, "pushed_at": "2025-12-30T11:22:33Z", "archived": False}


def answer(**fields: Any) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


def raw_stars(text: str) -> bytes:
    """A body whose star count is written as ``text`` (JSON extensions such as Infinity need raw text)."""
    return answer(stargazers_count=0).replace(b'"stargazers_count": 0', b'"stargazers_count": ' + text.encode())


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Any:
    with serving() as server:
        monkeypatch.setenv("EMOCAT_GITHUB_URL", server.url)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield server


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(
        tmp_path / "catalog",
        {
            "models/tool": {"name": "Tool", "links": {"code": "https://github.com/owner/tool"}},
            "models/other": {"name": "Other", "links": {"code": "https://github.com/owner/other"}},
        },
    )


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def _hub(**knobs: Any) -> GitHub:
    return GitHub(**{"timeout": 2.0, "backoff": 0.01, "max_wait": 1.0, **knobs})


MALFORMED: dict[str, tuple[bytes, str]] = {
    "infinity": (raw_stars("Infinity"), "Infinity is not a JSON number"),
    "minus-infinity": (raw_stars("-Infinity"), "-Infinity is not a JSON number"),
    "nan": (raw_stars("NaN"), "NaN is not a JSON number"),
    "1e300": (raw_stars("1e300"), "stargazers_count is 1e+300, not a whole number from 0 to 1000000000"),
    "negative": (raw_stars("-1"), "stargazers_count is -1, not a whole number"),
    "fraction": (raw_stars("1.5"), "stargazers_count is 1.5, not a whole number"),
    "text": (raw_stars('"12"'), "stargazers_count is '12', not a whole number"),
    "boolean": (raw_stars("true"), "stargazers_count is True, not a whole number"),
    "null": (raw_stars("null"), "stargazers_count is None, not a whole number"),
    "too-many": (raw_stars("1000000001"), "stargazers_count is 1000000001, not a whole number"),
    "5000-digits": (raw_stars("9" * 5000), "not JSON"),
    "missing": (json.dumps({"full_name": "owner/tool"}).encode(), "stargazers_count is None"),
    "archived-text": (answer(archived="false"), "archived is 'false', not true or false"),
    "pushed-garbage": (answer(pushed_at="yesterday"), "pushed_at is 'yesterday', not a date and time"),
    "pushed-future": (answer(pushed_at="9999-12-31T00:00:00Z"), "pushed_at 9999-12-31 is not a plausible date"),
    "full-name": (answer(full_name="../../etc/passwd"), "full_name is '../../etc/passwd', not owner/name"),
    "not-json": (b'{"stargazers_count": ', "not JSON"),
    "not-utf8": (b"\xff\xfe\x00{", "not JSON"),
    "a-list": (b"[1, 2, 3]", "not a JSON object"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    "empty": (b"", "not JSON"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_answer_is_reported_and_nothing_is_written(api: ScriptedServer, catalog: Path,
                                                               case: str) -> None:
    body, detail = MALFORMED[case]
    api.route(REPO, Reply(200, body, {"Content-Type": "application/json"}))
    api.route("/repos/owner/other", Reply(200, answer(full_name="owner/other", stargazers_count=7)))
    before = _snapshot(catalog)
    report = enrich(catalog, only="github", today=TODAY, github=_hub())
    failures = dict(report.failures)
    assert set(failures) == {"tool"}
    assert "GitHub sent a malformed answer" in failures["tool"] and detail in failures["tool"], failures["tool"]
    assert (catalog / "models" / "tool.yaml").read_bytes() == before[catalog / "models" / "tool.yaml"]
    other = load(catalog)[0].models["other"].repository
    assert other is not None and other.stars == 7  # one bad answer does not stop the others


def test_the_command_reports_an_infinite_star_count_without_a_traceback(api: ScriptedServer, catalog: Path) -> None:
    api.route(REPO, Reply(200, raw_stars("1e300")))
    api.route("/repos/owner/other", Reply(200, raw_stars("Infinity")))
    before = _snapshot(catalog)
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "enrich", "--only", "github"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "failed tool: " in result.output and "failed other: " in result.output
    assert _snapshot(catalog) == before
    check = CliRunner().invoke(cli, ["--catalog", str(catalog), "check"])
    assert check.exit_code == 0, check.output


def test_a_truncated_answer_is_a_failed_lookup(api: ScriptedServer, catalog: Path) -> None:
    api.route(REPO, Reply(200, b'{"stargazers_count": 4', length=400))
    api.route("/repos/owner/other", Reply(200, answer(full_name="owner/other")))
    before = _snapshot(catalog)
    report = enrich(catalog, only="github", today=TODAY, github=_hub(retries=1))
    failures = dict(report.failures)
    assert set(failures) == {"tool"} and "GitHub" in failures["tool"], failures
    assert len(api.hits(REPO)) == 2  # an answer cut short is asked once more, then given up
    assert (catalog / "models" / "tool.yaml").read_bytes() == before[catalog / "models" / "tool.yaml"]


def test_a_huge_answer_is_refused_at_the_cap(api: ScriptedServer, catalog: Path) -> None:
    api.route(REPO, Reply(200, b" " * (3 * 1024 * 1024) + answer()))
    report = enrich(catalog, only="github", today=TODAY, github=_hub())
    assert "sent more than 1048576 bytes" in dict(report.failures)["tool"]
    assert load(catalog)[0].models["tool"].repository is None


def test_a_slow_server_times_out_with_a_message(api: ScriptedServer, catalog: Path) -> None:
    api.route(REPO, Reply(200, answer(), delay=2.0))
    api.route("/repos/owner/other", Reply(200, answer(full_name="owner/other")))
    started = time.monotonic()
    report = enrich(catalog, only="github", today=TODAY, github=_hub(timeout=0.3))
    assert time.monotonic() - started < 1.8
    assert "did not answer within 0.3 s" in dict(report.failures)["tool"]
    assert not report.stopped and load(catalog)[0].models["other"].repository is not None


LIMITS: dict[str, tuple[int, dict[str, str], str]] = {
    "reset-1e300": (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1e300"}, "rate limit reached (HTTP 403)"),
    "reset-nan": (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "nan"}, "rate limit reached (HTTP 403)"),
    "reset-inf": (429, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "inf"}, "rate limit reached (HTTP 429)"),
    "reset-far": (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9" * 20},
                  "asks to wait more than a year"),
    "retry-nan": (429, {"Retry-After": "nan"}, "asks to slow down (HTTP 429)"),
    "retry-huge": (429, {"Retry-After": "1" * 19}, "asks to wait more than a year"),
    "retry-date": (429, {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}, "asks to slow down (HTTP 429)"),
}


@pytest.mark.parametrize("case", sorted(LIMITS))
def test_hostile_rate_limit_headers_stop_the_run_quickly(api: ScriptedServer, catalog: Path, case: str) -> None:
    code, headers, expected = LIMITS[case]
    limited = Reply(code, b'{"message": "API rate limit exceeded"}', headers)
    api.route(REPO, limited)
    api.route("/repos/owner/other", limited)
    before = _snapshot(catalog)
    started = time.monotonic()
    report = enrich(catalog, only="github", today=TODAY, github=_hub(max_wait=5.0))
    assert time.monotonic() - started < 3
    assert len(report.stopped) == 1 and expected in report.stopped[0], report.stopped
    assert "GITHUB_TOKEN" in report.stopped[0] and "2 entries not checked" in report.stopped[0]
    assert _snapshot(catalog) == before


# --- arXiv answers: the same rules through the same client ---

FEED_HEAD = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
BOMB = (b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8))
        + b']><feed xmlns="http://www.w3.org/2005/Atom"><title>&i;</title></feed>')
ARXIV_ANSWERS: dict[str, tuple[Reply, str]] = {
    "not-xml": (Reply(200, FEED_HEAD + b"<entry>"), "not XML"),
    "truncated": (Reply(200, FEED_HEAD, length=5000), "could not reach arXiv"),
    "huge": (Reply(200, FEED_HEAD + b" " * 20_000 + b"</feed>"), "sent more than 10000 bytes"),
    "slow": (Reply(200, FEED_HEAD + b"</feed>", delay=2.0), "did not answer within 0.3 s"),
    "bad-date": (Reply(200, FEED_HEAD + b"<entry><id>http://arxiv.org/abs/2406.11161v1</id><title>T</title>"
                      b"<published>99999-99-99</published></entry></feed>"), "is not ISO 8601"),
    "entity-bomb": (Reply(200, BOMB), "not XML"),
    "html": (Reply(200, b"<html><body>maintenance</body></html>"), "expected an Atom feed"),
}


@pytest.mark.parametrize("case", sorted(ARXIV_ANSWERS))
def test_a_bad_arxiv_answer_fails_the_lookup_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                case: str) -> None:
    reply, detail = ARXIV_ANSWERS[case]
    root = write_catalog(tmp_path / "catalog", {"papers/paper": {"title": "A paper", "arxiv": "2406.11161"}})
    before = _snapshot(root)
    with serving() as server:
        server.route("/api/query", reply)
        monkeypatch.setenv("EMOCAT_ARXIV_URL", f"{server.url}/api/query")
        with HttpClient(timeout=0.3, retries=0, max_body=10_000) as client:
            report = enrich(root, only="arxiv", today=TODAY, http=client, pause=0)
    failures = dict(report.failures)
    assert "arXiv lookup failed: " in failures["paper"] and detail in failures["paper"], failures
    assert _snapshot(root) == before

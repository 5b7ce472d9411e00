"""``emocat links`` against a real scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.cli import cli
from emocat.errors import CatalogError, NetworkError, UsageError
from emocat.links import TTL, LinkResult, Settings, changed_entries, check_links, check_urls
from scripted_server import Reply, ScriptedServer, by_method, in_turn, serving

FAST = Settings(timeout=0.5, retries=2, backoff=0.05, max_wait=2.0)


def _routes(base: str) -> dict[str, Any]:
    return {
        "/ok": Reply(200),
        "/moved": Reply(301, headers={"Location": f"{base}/ok"}),
        "/temporary": Reply(302, headers={"Location": "/ok"}),
        "/gone": Reply(404),
        "/removed": Reply(410),
        "/forbidden": Reply(403),
        "/login": Reply(401),
        "/busy": Reply(429, headers={"Retry-After": "0"}),
        "/no-head": by_method(HEAD=Reply(405), GET=Reply(200, b"hello")),
        "/slow": Reply(200, delay=2.0),
        "/failing": Reply(503),
        "/loop": Reply(302, headers={"Location": "/loop"}),
    }


@pytest.fixture
def server() -> Any:
    with serving() as srv:
        srv.routes.update(_routes(srv.url))
        yield srv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _check(urls: list[str], settings: Settings = FAST) -> dict[str, LinkResult]:
    return {r.url: r for r in asyncio.run(check_urls(urls, settings))}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/ok", "ok", 200),
        ("/moved", "redirect", 200),
        ("/temporary", "redirect", 200),
        ("/gone", "broken", 404),
        ("/removed", "broken", 410),
        ("/forbidden", "blocked", 403),
        ("/login", "blocked", 401),
        ("/busy", "blocked", 429),
        ("/no-head", "ok", 200),
        ("/slow", "timeout", None),
        ("/failing", "broken", 503),  # a 5xx that persists after the retries (the one HTTP policy)
        ("/loop", "error", None),
    ],
)
def test_each_answer_gets_its_status(server: ScriptedServer, path: str, status: str, code: int | None) -> None:
    result = _check([server.url + path])[server.url + path]
    assert (result.status, result.code) == (status, code), result.message


def test_refused_connection_is_broken() -> None:
    url = f"http://127.0.0.1:{_free_port()}/paper"
    result = _check([url])[url]
    assert result.status == "broken"
    assert "refused" in result.message


def test_permanent_redirect_suggests_the_new_url_and_a_temporary_one_does_not(server: ScriptedServer) -> None:
    results = _check([server.url + "/moved", server.url + "/temporary"])
    moved, temporary = results[server.url + "/moved"], results[server.url + "/temporary"]
    assert moved.final_url == moved.suggestion == server.url + "/ok"
    assert "301" in moved.message
    assert temporary.final_url == server.url + "/ok"
    assert temporary.suggestion is None


def test_head_refused_falls_back_to_get(server: ScriptedServer) -> None:
    _check([server.url + "/no-head", server.url + "/forbidden"])
    assert [r.method for r in server.hits("/no-head")] == ["HEAD", "GET"]
    assert [r.method for r in server.hits("/forbidden")] == ["HEAD", "GET"]
    _check([server.url + "/ok"])
    assert [r.method for r in server.hits("/ok")] == ["HEAD"]


def test_429_is_retried_then_reported_blocked(server: ScriptedServer) -> None:
    result = _check([server.url + "/busy"], Settings(timeout=0.5, retries=3, backoff=0.01))[server.url + "/busy"]
    assert result.status == "blocked"
    assert len(server.hits("/busy")) == 4
    assert "after 3 retries" in result.message


def test_429_honours_retry_after_then_succeeds(server: ScriptedServer) -> None:
    server.routes["/later"] = in_turn(Reply(429, headers={"Retry-After": "1"}), Reply(200))
    result = _check([server.url + "/later"], Settings(timeout=0.5, retries=2, backoff=0.01))[server.url + "/later"]
    assert result.status == "ok"
    first, second = server.hits("/later")
    assert second.at - first.at >= 0.9


def test_retry_after_beyond_the_cap_is_not_waited_for(server: ScriptedServer) -> None:
    server.routes["/much-later"] = in_turn(Reply(429, headers={"Retry-After": "3600"}), Reply(200))
    started = time.monotonic()
    result = _check([server.url + "/much-later"], Settings(timeout=0.5, retries=1, max_wait=0.2))
    late = result[server.url + "/much-later"]
    assert (late.status, late.code) == ("blocked", 429)
    assert "asks to retry after 3600 s, longer than emocat waits (0.2 s)" in late.message
    assert len(server.hits("/much-later")) == 1
    assert time.monotonic() - started < 2


def test_concurrency_is_bounded_per_host_and_overall(server: ScriptedServer) -> None:
    server.routes["/wait"] = Reply(200, delay=0.15)
    urls = [f"{server.url}/wait?n={i}" for i in range(8)]
    results = _check(urls, Settings(concurrency=16, per_host=2, timeout=2))
    assert {r.status for r in results.values()} == {"ok"}
    assert server.max_in_flight == 2

    server.max_in_flight = 0
    port = server.url.rsplit(":", 1)[1]
    urls = [f"http://127.0.0.1:{port}/wait?n={i}" for i in range(6)]
    urls += [f"http://localhost:{port}/wait?n={i}" for i in range(6)]
    results = _check(urls, Settings(concurrency=3, per_host=4, timeout=2))
    assert {r.status for r in results.values()} == {"ok"}
    assert server.max_in_flight == 3


# --- the whole command, on a catalog built in tmp_path ---


def catalog_with_links(root: Path, papers: dict[str, dict[str, str]]) -> Path:
    """A valid catalog whose papers have the given links."""
    entries = {f"papers/{entry_id}": {"title": f"Paper {entry_id}", "links": links} for entry_id, links in papers.items()}
    return write_catalog(root, entries)


@pytest.fixture
def catalog(tmp_path: Path, server: ScriptedServer) -> Path:
    base = server.url
    return catalog_with_links(
        tmp_path / "catalog",
        {
            "alpha": {"paper": f"{base}/ok", "code": f"{base}/moved"},
            "beta": {"paper": f"{base}/ok", "pdf": f"{base}/gone"},
            "gamma": {"project": f"{base}/forbidden"},
        },
    )


def test_json_report_lists_every_url_once_with_its_entries(
    catalog: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    out = tmp_path / "report" / "links.json"
    report = check_links(catalog, json_file=out, cache_file=None, settings=FAST)
    data = json.loads(out.read_text())
    assert [item["url"] for item in data] == sorted({item["url"] for item in data})
    by_url = {item["url"]: item for item in data}
    base = server.url
    assert set(by_url) == {f"{base}/ok", f"{base}/moved", f"{base}/gone", f"{base}/forbidden"}
    assert by_url[f"{base}/ok"]["entries"] == ["alpha", "beta"]
    assert by_url[f"{base}/ok"]["status"] == "ok"
    moved = {"status": "redirect", "code": 200, "final_url": f"{base}/ok", "entries": ["alpha"]}
    assert moved.items() <= by_url[f"{base}/moved"].items()
    assert {"status": "broken", "code": 404, "entries": ["beta"]}.items() <= by_url[f"{base}/gone"].items()
    assert by_url[f"{base}/forbidden"]["status"] == "blocked"
    assert [r.url for r in report.broken] == [f"{base}/gone"]
    assert len(server.hits("/ok", "HEAD")) == 2  # once though two entries use it, once at the end of /moved


def test_problems_name_file_line_and_field(catalog: Path, server: ScriptedServer) -> None:
    report = check_links(catalog, cache_file=None, settings=FAST)
    lines = [p.format() for p in report.problems]
    beta = catalog / "papers" / "beta.yaml"
    text = beta.read_text().splitlines()
    line = next(i for i, row in enumerate(text, 1) if "/gone" in row)
    gone = next(row for row in lines if "/gone" in row)
    assert gone.startswith(f"{beta}:{line}:")
    assert ": error: links.pdf: " in gone and gone.endswith("[link-broken]")
    moved = next(row for row in lines if "/moved" in row)
    assert ": warning: links.code: " in moved and f"update it to {server.url}/ok" in moved


def test_cache_skips_fresh_results_and_rechecks_stale_ones(
    catalog: Path, server: ScriptedServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache" / "links.json"
    clock = [1_000_000.0]
    first = check_links(catalog, cache_file=cache, settings=FAST, now=lambda: clock[0])
    assert first.from_cache == 0
    asked = len(server.requests)
    assert asked > 0

    second = check_links(catalog, cache_file=cache, settings=FAST, now=lambda: clock[0] + 60)
    assert len(server.requests) == asked
    assert second.from_cache == 4
    assert [(r.url, r.status) for r in second.results] == [(r.url, r.status) for r in first.results]

    clock[0] += TTL["broken"] + 1
    third = check_links(catalog, cache_file=cache, settings=FAST, now=lambda: clock[0])
    rechecked = {r.path for r in server.requests[asked:]}
    assert rechecked == {"/gone", "/forbidden"}
    assert third.from_cache == 2


def test_unreadable_cache_is_started_afresh(catalog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    cache.write_text("{not json")
    report = check_links(catalog, cache_file=cache, settings=FAST)
    assert report.warnings and "unreadable link cache" in report.warnings[0]
    assert json.loads(cache.read_text())["version"] == 1


def test_invalid_catalog_is_refused(catalog: Path) -> None:
    (catalog / "papers" / "delta.yaml").write_text("title: [unclosed\n")
    with pytest.raises(CatalogError):
        check_links(catalog, cache_file=None, settings=FAST)


def _git(root: Path, *args: str) -> str:
    command = [
        "git",
        "-c",
        "user.email=t@example.org",
        "-c",
        "user.name=t",
        "-c",
        "commit.gpgsign=false",
        *args,
    ]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


def test_changed_since_checks_only_changed_entries(catalog: Path, server: ScriptedServer, tmp_path: Path) -> None:
    repo = catalog.parent
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    assert changed_entries(catalog, "HEAD") == set()

    beta = catalog / "papers" / "beta.yaml"
    beta.write_text(beta.read_text().replace("/gone", "/removed"))
    catalog_with_links(catalog, {"epsilon": {"paper": f"{server.url}/login"}})
    assert changed_entries(catalog, "HEAD") == {"beta", "epsilon"}

    report = check_links(catalog, changed_since="HEAD", cache_file=None, settings=FAST)
    assert {r.url: r.entries for r in report.results} == {
        f"{server.url}/ok": ["beta"],
        f"{server.url}/removed": ["beta"],
        f"{server.url}/login": ["epsilon"],
    }
    assert not server.hits("/moved") and not server.hits("/forbidden")

    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "second")
    assert changed_entries(catalog, "HEAD~1") == {"beta", "epsilon"}


def test_changed_since_errors_are_clear(catalog: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git repository"):
        changed_entries(catalog, "HEAD")
    _git(catalog.parent, "init", "-q")
    with pytest.raises(UsageError, match="unknown git revision 'nope'"):
        changed_entries(catalog, "nope")


def test_cli_exits_1_only_when_something_is_broken(catalog: Path, server: ScriptedServer, tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "--catalog",
        str(catalog),
        "links",
        "--no-cache",
        "--timeout",
        "1",
        "--json",
        str(tmp_path / "r.json"),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "[4/4] " in result.output
    assert "links.pdf: " in result.output and "[link-broken]" in result.output
    assert "4 URLs checked (0 from the cache): 1 ok, 1 redirect, 1 broken, 1 blocked" in result.output

    beta = catalog / "papers" / "beta.yaml"
    beta.write_text(beta.read_text().replace("/gone", "/ok"))
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 broken" not in result.output and "1 blocked" in result.output


def test_cli_reports_usage_errors_without_traceback(catalog: Path) -> None:
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "links", "--changed-since", "HEAD", "--no-cache"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output
    assert "Traceback" not in result.output


def _resolver_says_no_such_host() -> bool:
    try:
        socket.getaddrinfo("emocat-test.invalid", 80)
    except socket.gaierror as exc:
        return exc.errno == socket.EAI_NONAME
    return False


needs_nxdomain = pytest.mark.skipif(
    not _resolver_says_no_such_host(), reason="this resolver does not answer 'no such host' for .invalid names"
)


@needs_nxdomain
def test_unknown_host_is_broken(server: ScriptedServer, tmp_path: Path) -> None:
    root = catalog_with_links(
        tmp_path / "catalog", {"a": {"paper": "http://emocat-test.invalid/x", "code": f"{server.url}/ok"}}
    )
    report = check_links(root, cache_file=None, settings=FAST)
    statuses = {r.url: (r.status, r.message) for r in report.results}
    assert statuses["http://emocat-test.invalid/x"][0] == "broken"
    assert statuses["http://emocat-test.invalid/x"][1].startswith("no such host")


@needs_nxdomain
def test_no_host_resolving_at_all_means_offline_not_broken(tmp_path: Path) -> None:
    root = catalog_with_links(
        tmp_path / "catalog",
        {"a": {"paper": "http://one.emocat-test.invalid/", "code": "http://two.emocat-test.invalid/"}},
    )
    cache = tmp_path / "links.json"
    with pytest.raises(NetworkError, match="offline"):
        check_links(root, cache_file=cache, settings=FAST)
    assert not cache.exists()

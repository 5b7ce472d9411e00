"""``emocat links`` on hostile addresses and hostile servers: a status or a clear message for each, never a traceback."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogs import write_catalog
from emocat.cli import cli
from emocat.links import Settings, check_urls
from scripted_server import Reply, ScriptedServer, serving

FAST = Settings(timeout=1.0, retries=1, backoff=0.01, max_wait=0.5)

#: Addresses the check used to accept and the link checker crashed on (IDNAError, InvalidURL, a wrapped port).
CRASHERS = ["https://xn--/", "http://127.0.0.1:99999/", "http://[::1/"]

#: Where the scripted server redirects, and what the report must say about it.
REDIRECTS: dict[str, tuple[int, dict[str, str], str]] = {
    "idna": (301, {"Location": "https://xn--/"}, "unusable address"),
    "port": (302, {"Location": "http://127.0.0.1:99999/"}, "the port 99999 is outside 1-65535"),
    "bracket": (307, {"Location": "http://[::1/"}, "unusable address"),
    "relative-bracket": (308, {"Location": "//[::1/x"}, "unusable address"),
    "ftp": (301, {"Location": "ftp://example.org/paper.pdf"}, "not an http(s) address"),
    "script": (302, {"Location": "javascript:alert(1)"}, "not an http(s) address"),
    "mail": (307, {"Location": "mailto:someone@example.org"}, "not an http(s) address"),
    "empty": (308, {"Location": ""}, "without a Location header"),
    "none": (302, {}, "without a Location header"),
    "self": (301, {"Location": "/self"}, "redirect loop"),
    "ping": (302, {"Location": "/pong"}, "redirect loop"),
    "chain0": (301, {"Location": "/chain1"}, "more than 10 redirects"),
}


@pytest.fixture
def server() -> Any:
    with serving() as srv:
        for name, (code, headers, _) in REDIRECTS.items():
            srv.route(f"/{name}", Reply(code, headers=headers))
        srv.route("/pong", Reply(307, headers={"Location": "/ping"}))
        for n in range(1, 40):
            srv.route(f"/chain{n}", Reply(301, headers={"Location": f"/chain{n + 1}"}))
        srv.route("/ok", Reply(200))
        yield srv


def test_addresses_that_crashed_the_checker_get_a_status_and_a_message() -> None:
    results = {r.url: r for r in asyncio.run(check_urls(CRASHERS, FAST))}
    for url in CRASHERS:
        assert results[url].status == "error", url
        assert results[url].message.startswith("unusable URL: "), results[url].message


def test_a_catalog_with_such_addresses_is_refused_with_located_errors(tmp_path: Path) -> None:
    links = "".join(f"  {name}: '{url}'\n" for name, url in zip(("paper", "code", "project"), CRASHERS, strict=True))
    text = f"title: Hostile links\nyear: 2024\nlinks:\n{links}added: 2025-01-31\n"
    root = write_catalog(tmp_path / "catalog", files={"papers/hostile.yaml": text})
    result = CliRunner().invoke(cli, ["--catalog", str(root), "links", "--no-cache"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    located = [line for line in result.output.splitlines() if "/papers/hostile.yaml:" in line and ": error: " in line]
    assert len(located) == 3, result.output
    assert all("is not a usable http(s) URL" in line for line in located)


def test_every_hostile_redirect_is_reported_by_the_command(server: ScriptedServer, tmp_path: Path) -> None:
    entries = {
        f"papers/{name}": {"title": f"Redirect {name}", "links": {"paper": f"{server.url}/{name}",
                                                                   "code": f"{server.url}/ok"}}
        for name in REDIRECTS
    }
    root = write_catalog(tmp_path / "catalog", entries)
    out = tmp_path / "links.json"
    result = CliRunner().invoke(cli, ["--catalog", str(root), "links", "--no-cache", "--timeout", "2",
                                      "--json", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output  # nothing is broken: these are warnings for a person to look at
    report = {item["url"]: item for item in json.loads(out.read_text())}
    assert report[f"{server.url}/ok"]["status"] == "ok"
    for name, (_, _, expected) in REDIRECTS.items():
        item = report[f"{server.url}/{name}"]
        assert item["status"] == "error", (name, item)
        assert expected in item["message"], (name, item["message"])
        line = next(row for row in result.output.splitlines() if f"/{name} is error" in row)
        assert f"papers/{name}.yaml:" in line and line.endswith("[link-error]"), line


def test_a_redirect_to_a_good_address_is_still_followed(server: ScriptedServer) -> None:
    server.route("/moved", Reply(308, headers={"Location": f"{server.url}/ok"}))
    (result,) = asyncio.run(check_urls([f"{server.url}/moved"], FAST))
    assert (result.status, result.final_url, result.suggestion) == ("redirect", f"{server.url}/ok", f"{server.url}/ok")


@pytest.mark.parametrize("value", ["nan", "inf", "1e309"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(server: ScriptedServer, tmp_path: Path,
                                                                     value: str) -> None:
    root = write_catalog(tmp_path / "catalog", {"papers/a": {"title": "A", "links": {"paper": f"{server.url}/ok"}}})
    result = CliRunner().invoke(cli, ["--catalog", str(root), "links", "--no-cache", "--timeout", value])
    assert result.exit_code == 2, result.output
    assert "the HTTP timeout must be a finite number of seconds above 0" in result.output
    assert "Traceback" not in result.output and server.requests == []

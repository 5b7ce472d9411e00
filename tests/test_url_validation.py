"""What cannot be a URL at all is refused by the model, quickly, with the reason; real URLs still pass."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter, ValidationError

from catalogs import baseline_catalog
from emocat.catalog.values import URL_PATTERN, Url
from emocat.cli import cli

URL = TypeAdapter(Url)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2406.11161",
        "http://127.0.0.1:8000/x",
        "http://[::1]:8080/x",
        "http://[2001:db8::1]/",
        "https://xn--mnchen-3ya.de/",
        "https://münchen.de/",
        "https://example.org./trailing-dot",
        "https://a_b.example.org/underscore",
        "https://example.org:65535/?q=a@b#frag",
        "https://github.com/owner/repo/blob/main/a@b.md",
        "https://r3--sn-abc.googlevideo.com/videoplayback",  # hyphens in 3rd and 4th place, not an A-label
    ],
)
def test_real_urls_are_accepted(url: str) -> None:
    assert URL.validate_python(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://xn--/", "'xn--' is not a valid internationalised (IDNA) name"),
        ("https://xn--a.org/", "'xn--a' is not a valid internationalised (IDNA) name"),
        ("https://☃.com/", "is not a valid internationalised (IDNA) name"),
        ("http://127.0.0.1:99999/", "the port 99999 is outside 1-65535"),
        ("http://example.org:0/", "the port 0 is outside 1-65535"),
        ("http://example.org:/", "the port after ':' is empty"),
        ("http://[::1/", "the '[' of an IPv6 address is never closed"),
        ("http://::1]/", "brackets may only enclose an IPv6 address"),
        ("http://[::1]x/", "'x' follows the IPv6 address"),
        ("http://[::g]/", "[::g] is not an IPv6 address"),
        ("http://a:b:c/", "at most one ':port'"),
        ("http://:80/", "it has no host name"),
        ("http://a..b/", "has an empty part between dots"),
        ("http://exa<mple.org/", "'<' is not allowed in a host name"),
        ("http://%41.org/", "'%' is not allowed in a host name"),
        ("http://256.1.1.1/", "'256.1.1.1' is not an IPv4 address"),
        (f"http://{'a' * 64}.org/", "longer than 63 characters"),
        (f"http://{'a.' * 130}org/", "longer than 253 characters"),
    ],
)
def test_what_cannot_be_requested_is_refused_with_its_reason(url: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        URL.validate_python(url)
    message = caught.value.errors()[0]["msg"]
    shown = repr(url) if len(url) < 120 else "the value"
    assert message.startswith(f"{shown} is not a usable http(s) URL: "), message
    assert reason in message


@pytest.mark.parametrize("url", ["https://user:secret@example.org/", "https://token@example.org/", "ftp://x.org/"])
def test_credentials_and_other_schemes_keep_the_pattern_hint(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        URL.validate_python(url)
    assert caught.value.errors()[0]["type"] == "string_pattern_mismatch"


def _hostile(size: int) -> list[str]:
    """Inputs shaped to make a backtracking matcher try every split of a long run."""
    half = size // 2
    return [
        "http://" + "a" * size + " ",
        "http://" + "a." * half + "%",
        "http://[" + ":" * size,
        "http://" + "[:" * half,
        "http://" + "1." * half + "x",
        "http://x:" + "1" * size,
        "http://a" + ":1" * half,
        "http://" + "xn--a." * (size // 6),
        "http://" + "é." * half + "☃",
        "http://a/" + "b" * size + " ",
    ]


def test_pattern_and_validation_are_linear_on_100_kb_hostile_input() -> None:
    pattern = re.compile(URL_PATTERN)
    for text in _hostile(100_000) + _hostile(1990):  # 1990: under the length limit, so every check runs
        started = time.perf_counter()
        pattern.match(text)
        with pytest.raises(ValidationError):
            URL.validate_python(text)
        assert time.perf_counter() - started < 0.5, text[:40]


def test_check_reports_a_100_kb_hostile_url_with_its_place(tmp_path: Path) -> None:
    link = "http://" + "[:" * 50_000
    root = baseline_catalog(
        tmp_path / "catalog",
        {"papers/huge-url.yaml": f"title: A paper with a huge link\nyear: 2024\nlinks:\n  paper: '{link}'\n"
                                 "added: 2025-01-31\n"},
    )
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["--catalog", str(root), "check"])
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{root}/papers/huge-url.yaml:4:10: error: links.paper: ")

"""The HTTP layer and the arXiv and Crossref clients, against a real server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emocat.errors import NetworkError, UsageError
from emocat.sources import arxiv, crossref
from emocat.sources.client import HttpClient
from emocat.sources.http import NotFoundError, ServiceError, retry_after, timeout_from_env
from scripted_server import Reply, ScriptedServer, serving

DATA = Path(__file__).parent / "data" / "sources"
API = "/api/query"


def feed(name: str) -> Reply:
    return Reply(200, (DATA / name).read_bytes(), {"Content-Type": "application/atom+xml; charset=utf-8"})


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with serving() as stub:
        yield stub


def quick(**kwargs: float) -> HttpClient:
    """A client with short waits, so retry tests take a fraction of a second."""
    options = {"timeout": 5.0, "retries": 3, "backoff": 0.01, "max_wait": 2.0, **kwargs}
    return HttpClient(
        timeout=options["timeout"],
        retries=int(options["retries"]),
        backoff=options["backoff"],
        max_wait=options["max_wait"],
    )


# --- identifiers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2406.11161", ("2406.11161", None)),
        ("2406.11161v2", ("2406.11161", 2)),
        ("arXiv:2406.11161v12", ("2406.11161", 12)),
        ("0704.0001", ("0704.0001", None)),
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("hep-th/9901001v3", ("hep-th/9901001", 3)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("https://arxiv.org/abs/2406.11161v1", ("2406.11161", 1)),
        ("https://arxiv.org/pdf/2406.11161.pdf", ("2406.11161", None)),
    ],
)
def test_parse_id_accepts_new_and_old_style_with_or_without_version(
    text: str, expected: tuple[str, int | None]
) -> None:
    parsed = arxiv.parse_id(text)
    assert (parsed.id, parsed.version) == expected


@pytest.mark.parametrize(
    "text", ["", "1234", "2406.111", "2406.11161v", "hep-th/99010", "https://example.org/abs/2406.11161"]
)
def test_parse_id_refuses_what_is_not_an_id(text: str) -> None:
    with pytest.raises(UsageError, match="is not an arXiv id"):
        arxiv.parse_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "10.1145/3581783.3612000",
        "doi:10.1145/3581783.3612000",
        "https://doi.org/10.1145/3581783.3612000",
        "http://dx.doi.org/10.1145%2F3581783.3612000",
    ],
)
def test_parse_doi(text: str) -> None:
    assert crossref.parse_doi(text) == "10.1145/3581783.3612000"


def test_parse_doi_refuses_garbage() -> None:
    with pytest.raises(UsageError, match="is not a DOI"):
        crossref.parse_doi("11.1/x")


def test_retry_after_reads_seconds_and_dates() -> None:
    now = time.time()
    assert retry_after("7") == 7.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_timeout_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMOCAT_HTTP_TIMEOUT", "2.5")
    assert timeout_from_env() == 2.5
    assert HttpClient().timeout == 2.5
    monkeypatch.setenv("EMOCAT_HTTP_TIMEOUT", "fast")
    with pytest.raises(NetworkError, match="EMOCAT_HTTP_TIMEOUT='fast' is not a number"):
        timeout_from_env()


# --- arXiv ---------------------------------------------------------------------------------------------


def test_arxiv_success_parses_every_field(server: ScriptedServer) -> None:
    server.route(API, feed("arxiv-new.xml"))
    with quick() as client:
        record = arxiv.fetch_one("2501.01234", client=client, url=server.url + API)
    assert record == arxiv.ArxivRecord(
        id="2501.01234",
        version=2,
        title="EmoVerse: Reasoning about Feelings with Multimodal Large Language Models",
        authors=("Ada Lovelace", "José Núñez-Ortega", "Wei Zhang"),
        abstract="A test abstract that spans several lines, with irregular spacing and a <tag> in it.",
        published=dt.date(2025, 1, 3),
        updated=dt.date(2025, 2, 3),
        journal_ref="Proceedings of the Test Conference on Affect 2025",
        doi="10.5555/emoverse.2025.17",
        comment="12 pages, 4 figures",
        primary_category="cs.CV",
        categories=("cs.CV", "cs.CL"),
    )
    assert record.abs_url == "https://arxiv.org/abs/2501.01234"
    assert record.pdf_url == "https://arxiv.org/pdf/2501.01234"
    (seen,) = server.hits(API)
    assert seen.query == {"id_list": ["2501.01234"], "max_results": ["1"]}
    assert seen.headers["User-Agent"].startswith("emocat/")


def test_arxiv_old_style_id_with_subject_class_matches_the_answer(server: ScriptedServer) -> None:
    server.route(API, feed("arxiv-old.xml"))
    with quick() as client:
        record = arxiv.fetch_one("cs.CL/9901001v1", client=client, url=server.url + API)
    assert (record.id, record.version, record.doi, record.journal_ref) == ("cs/9901001", 1, None, None)
    assert server.hits(API)[0].query["id_list"] == ["cs.CL/9901001v1"]


def test_arxiv_base_url_comes_from_the_environment(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route(API, feed("arxiv-new.xml"))
    monkeypatch.setenv("EMOCAT_ARXIV_URL", server.url + API)
    with quick() as client:
        assert arxiv.fetch(["2501.01234v2"], client=client)[0].title.startswith("EmoVerse")
    assert server.hits(API)[0].query["id_list"] == ["2501.01234v2"]


def test_arxiv_batches_and_keeps_the_order_asked(server: ScriptedServer) -> None:
    server.route(API, feed("arxiv-old.xml"), feed("arxiv-new.xml"))
    with quick() as client:
        records = arxiv.fetch(
            ["cs/9901001", "2501.01234", "2501.99999"],
            client=client,
            url=server.url + API,
            batch_size=1,
            pause=0,
        )
    assert [r.id for r in records] == ["cs/9901001", "2501.01234"]
    assert [h.query["id_list"] for h in server.hits(API)] == [["cs/9901001"], ["2501.01234"], ["2501.99999"]]


def test_arxiv_unknown_id_is_not_found(server: ScriptedServer) -> None:
    server.route(API, feed("arxiv-empty.xml"))
    with quick() as client, pytest.raises(NotFoundError, match=r"arXiv has no paper with the id 2501\.99999"):
        arxiv.fetch_one("2501.99999", client=client, url=server.url + API)


def test_arxiv_error_entry_is_reported(server: ScriptedServer) -> None:
    server.route(API, feed("arxiv-error.xml"))
    with (
        quick() as client,
        pytest.raises(ServiceError, match="arXiv refused the request: incorrect id format for 1234"),
    ):
        arxiv.fetch_one("2501.01234", client=client, url=server.url + API)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "not XML"),
        (b"<html><body>Service unavailable</body></html>", "expected an Atom feed, got <html>"),
        (b"", "not XML"),
        (
            b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</x>',
            "expected an Atom feed, got <x>",
        ),
    ],
)
def test_arxiv_malformed_answer(server: ScriptedServer, body: bytes, detail: str) -> None:
    server.route(API, Reply(200, body))
    with quick() as client, pytest.raises(ServiceError, match=f"arXiv sent a malformed answer \\({detail}"):
        arxiv.fetch_one("2501.01234", client=client, url=server.url + API)


# --- the HTTP layer ----------------------------------------------------------------------------------------


def test_404_is_not_found_and_not_retried(server: ScriptedServer) -> None:
    server.route(API, Reply(404, b"not here"))
    with quick() as client, pytest.raises(NotFoundError) as caught:
        client.get(server.url + API, service="arXiv")
    assert str(caught.value) == f"arXiv has no such record (HTTP 404) at {server.url}{API}"
    assert caught.value.status == 404 and not caught.value.blocked
    assert len(server.hits(API)) == 1


def test_429_then_200_waits_as_retry_after_asks(server: ScriptedServer) -> None:
    server.route(API, Reply(429, headers={"Retry-After": "1"}), feed("arxiv-new.xml"))
    with quick() as client:
        records = arxiv.fetch(["2501.01234"], client=client, url=server.url + API)
    first, second = server.hits(API)
    assert [r.id for r in records] == ["2501.01234"]
    assert second.at - first.at >= 0.95  # Retry-After: 1, although the back-off base is 0.01 s


def test_503_is_retried_with_backoff(server: ScriptedServer) -> None:
    server.route(API, Reply(503), Reply(503), feed("arxiv-new.xml"))
    with quick(backoff=0.05) as client:
        records = arxiv.fetch(["2501.01234"], client=client, url=server.url + API)
    hits = server.hits(API)
    assert len(records) == 1 and len(hits) == 3
    assert hits[1].at - hits[0].at >= 0.045 and hits[2].at - hits[1].at >= 0.095  # 0.05, then 0.1


def test_503_that_persists_gives_one_message_after_the_last_attempt(server: ScriptedServer) -> None:
    server.route(API, Reply(503))
    with quick(retries=2) as client, pytest.raises(ServiceError) as caught:
        client.get(server.url + API, service="arXiv")
    assert (
        str(caught.value)
        == f"arXiv failed (HTTP 503 Service Unavailable after 3 attempts) at {server.url}{API}"
    )
    assert len(server.hits(API)) == 3


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_are_blocked_without_retry(server: ScriptedServer, status: int) -> None:
    server.route(API, Reply(status))
    with (
        quick() as client,
        pytest.raises(ServiceError, match=r"arXiv blocked the request \(HTTP 40[13]") as caught,
    ):
        client.get(server.url + API, service="arXiv")
    assert caught.value.blocked and caught.value.status == status
    assert len(server.hits(API)) == 1


def test_429_that_persists_is_blocked(server: ScriptedServer) -> None:
    server.route(API, Reply(429))
    with quick(retries=1) as client, pytest.raises(ServiceError) as caught:
        client.get(server.url + API, service="Crossref")
    assert caught.value.blocked
    assert str(caught.value) == (
        f"Crossref blocked the request (HTTP 429 Too Many Requests after 2 attempts) at {server.url}{API}"
    )


def test_retry_after_longer_than_the_cap_is_not_waited_for(server: ScriptedServer) -> None:
    server.route(API, Reply(429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    with (
        quick(max_wait=2.0) as client,
        pytest.raises(ServiceError, match="retry after 3600 s, longer than emocat waits"),
    ):
        client.get(server.url + API, service="arXiv")
    assert time.monotonic() - started < 1.5
    assert len(server.hits(API)) == 1


def test_a_slow_answer_times_out(server: ScriptedServer) -> None:
    server.route(API, Reply(200, b"<feed/>", body_delay=1.5))
    with quick(timeout=0.3, retries=0) as client, pytest.raises(ServiceError) as caught:
        arxiv.fetch(["2501.01234"], client=client, url=server.url + API)
    assert str(caught.value).startswith("arXiv did not answer within 0.3 s at http://127.0.0.1:")
    assert caught.value.status is None


def test_timeout_from_the_environment_applies(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.route(API, Reply(200, b"{}", body_delay=1.5))
    monkeypatch.setenv("EMOCAT_HTTP_TIMEOUT", "0.25")
    with HttpClient(retries=0) as client, pytest.raises(ServiceError, match=r"did not answer within 0\.25 s"):
        client.get(server.url + API)


def test_nobody_listening_is_one_clear_message() -> None:
    with serving() as stub:
        address = stub.url
    with quick(retries=1) as client, pytest.raises(ServiceError, match=f"could not reach arXiv at {address}"):
        client.get(address + API, service="arXiv")


def test_an_oversized_answer_is_refused(server: ScriptedServer) -> None:
    server.route(API, Reply(200, b"x" * 5000))
    with (
        HttpClient(timeout=5, retries=0, max_body=1000) as client,
        pytest.raises(ServiceError, match="sent more than 1000 bytes"),
    ):
        client.get(server.url + API, service="arXiv")


# --- Crossref --------------------------------------------------------------------------------------------


WORK = "/works/10.5555/affect.2024.042"


def test_crossref_success(server: ScriptedServer) -> None:
    server.route(
        WORK, Reply(200, (DATA / "crossref-work.json").read_bytes(), {"Content-Type": "application/json"})
    )
    with quick() as client:
        record = crossref.fetch("doi:10.5555/affect.2024.042", client=client, url=server.url)
    assert record == crossref.CrossrefRecord(
        doi="10.5555/affect.2024.042",
        title="Affective Reasoning in Conversation: A Benchmark Study",
        authors=("Marie Curie", "Søren Kierkegaard", "The Test Consortium"),
        year=2024,
        month=10,
        venue="Proceedings of the Test Conference on Affective Computing",
        url="https://doi.org/10.5555/affect.2024.042",
        abstract="A test abstract in JATS markup, with an & entity and emphasis .",
        type="proceedings-article",
        publisher="Test Publisher",
    )


def test_crossref_base_url_from_environment(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.route(WORK, Reply(200, (DATA / "crossref-work.json").read_bytes()))
    monkeypatch.setenv("EMOCAT_CROSSREF_URL", server.url + "/")
    with quick() as client:
        assert crossref.fetch("10.5555/affect.2024.042", client=client).year == 2024


def test_crossref_404(server: ScriptedServer) -> None:
    server.route("/works/10.5555/none", Reply(404, b"Resource not found."))
    with quick() as client, pytest.raises(NotFoundError, match="Crossref has no such record"):
        crossref.fetch("10.5555/none", client=client, url=server.url)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "not JSON"),
        (b'{"status": "ok", "message": []}', "no 'message' object"),
        (b'{"status": "ok", "message": {"DOI": "10.5555/x"}}', "the work has no DOI or no title"),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_crossref_malformed(server: ScriptedServer, body: bytes, detail: str) -> None:
    server.route(WORK, Reply(200, body))
    with (
        quick() as client,
        pytest.raises(ServiceError, match=f"Crossref sent a malformed answer \\({detail}"),
    ):
        crossref.fetch("10.5555/affect.2024.042", client=client, url=server.url)

"""``emocat add`` (arXiv, Crossref, BibTeX) and ``emocat export`` through the CLI, with a local server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from emocat.adding import add_arxiv, readable_id, unique_id
from emocat.catalog.checks import check, load_valid
from emocat.cli import cli
from emocat.errors import NetworkError
from emocat.outputs.export import export_csv, export_json
from emocat.sources.client import HttpClient
from scripted_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
API = "/api/query"
TODAY = dt.date.today().isoformat()
FILL = "fill in by hand: modalities, tasks, topics, links.code; then run emocat check\n"


def files(repo_copy: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo_copy)): p.read_bytes()
        for p in sorted((repo_copy / "catalog").rglob("*"))
        if p.is_file()
    }


def feed(name: str) -> Reply:
    return Reply(200, (DATA / "sources" / name).read_bytes(), {"Content-Type": "application/atom+xml"})


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- ids ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning",
            "emotion-llama",
        ),
        ("AffectGPT: A New Dataset, Model, and Benchmark", "affectgpt"),
        ("Qwen2.5-Omni Technical Report", "qwen2-5-omni-technical-report"),
        ("Towards a Theory of the Mind of Machines in the Wild", "theory-mind-machines-wild"),
        ("Reasoning About Emotions in Long Videos: A Study", "reasoning-emotions-long-videos-study"),
        ("Ça va? Émotions: Un Test", "ca-va-emotions"),
        ("The: Of", "the"),
    ],
)
def test_readable_id(title: str, expected: str) -> None:
    assert readable_id(title) == expected


def test_unique_id_adds_year_then_number() -> None:
    assert unique_id("emoverse", 2025, set()) == "emoverse"
    assert unique_id("emoverse", 2025, {"emoverse"}) == "emoverse-2025"
    assert unique_id("emoverse", 2025, {"emoverse", "emoverse-2025"}) == "emoverse-2"
    assert unique_id("emoverse", None, {"emoverse", "emoverse-2"}) == "emoverse-3"


# --- add arxiv:ID ---------------------------------------------------------------------------------


def test_add_arxiv_writes_a_canonical_valid_entry(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    code, out, err = run("add", "arxiv:2501.01234v2")
    path = Path("catalog/papers/emoverse.yaml")
    assert (code, err) == (0, "")
    assert (
        out
        == f"created {path}: EmoVerse: Reasoning about Feelings with Multimodal Large Language Models\n{FILL}"
    )
    assert (repo_copy / path).read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schema/paper.schema.json\n"
        "title: 'EmoVerse: Reasoning about Feelings with Multimodal Large Language Models'\n"
        "authors: [Ada Lovelace, José Núñez-Ortega, Wei Zhang]\n"
        "year: 2025\n"
        "month: 1\n"
        "venue: Proceedings of the Test Conference on Affect 2025\n"
        "arxiv: '2501.01234'\n"
        "doi: 10.5555/emoverse.2025.17\n"
        "keyword: EmoVerse\n"
        "abstract: A test abstract that spans several lines, with irregular spacing and a <tag> in it.\n"
        "links:\n"
        "  paper: https://arxiv.org/abs/2501.01234\n"
        "  pdf: https://arxiv.org/pdf/2501.01234\n"
        f"added: {TODAY}\n"
    )
    assert stub_sources.hits(API)[0].query["id_list"] == ["2501.01234v2"]
    _, problems = check(repo_copy / "catalog")
    assert [p for p in problems if p.severity.value == "error"] == []
    assert run("fmt", "--check")[0] == 0


def test_add_arxiv_old_style_id(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-old.xml"))
    code, _, _ = run("add", "arxiv:cs.CL/9901001v1")
    assert code == 0
    text = (repo_copy / "catalog/papers/recognising-affect-typed-dialogue.yaml").read_text(encoding="utf-8")
    assert "arxiv: cs/9901001\n" in text and "  paper: https://arxiv.org/abs/cs/9901001\n" in text


def test_dry_run_writes_nothing(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    before = files(repo_copy)
    code, out, _ = run("add", "arxiv:2501.01234", "--dry-run")
    assert code == 0
    assert out.startswith("would create catalog/papers/emoverse.yaml: EmoVerse")
    assert "title: 'EmoVerse: Reasoning about Feelings with Multimodal Large Language Models'\n" in out
    assert out.endswith(FILL)
    assert files(repo_copy) == before


def test_a_paper_already_in_the_catalog_is_refused(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-duplicate.xml"))
    before = files(repo_copy)
    code, out, err = run("add", "arxiv:2406.11161")
    assert (code, out) == (1, "")
    assert err == (
        "error: the arXiv id '2406.11161' is already in the catalog: emotion-llama "
        "(catalog/papers/emotion-llama.yaml); nothing was written\n"
    )
    assert files(repo_copy) == before


def test_the_id_is_collision_safe_across_kinds(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    (repo_copy / "catalog/datasets/emoverse.yaml").write_text("name: broken on purpose: [\n", encoding="utf-8")
    code, out, _ = run("add", "arxiv:2501.01234")
    assert code == 0 and out.startswith("created catalog/papers/emoverse-2025.yaml: ")
    assert (repo_copy / "catalog/datasets/emoverse.yaml").read_text(
        encoding="utf-8"
    ) == "name: broken on purpose: [\n"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(404, b"gone"),
            "error: arXiv has no such record (HTTP 404) at {url}/api/query?id_list=2501.01234&max_results=1"
            "\n",
        ),
        (Reply(200, b"<feed><entry>"), "error: arXiv sent a malformed answer (not XML: "),
        (Reply(200, b'{"json": "instead"}'), "error: arXiv sent a malformed answer (not XML: "),
        (feed("arxiv-empty.xml"), "error: arXiv has no paper with the id 2501.01234 ({url}/api/query)\n"),
        (Reply(403, b"no"), "error: arXiv blocked the request (HTTP 403 Forbidden) at {url}/api/query?"),
    ],
    ids=["404", "broken-xml", "json", "unknown-id", "forbidden"],
)
def test_failures_give_one_message_and_write_nothing(
    repo_copy: Path, stub_sources: ScriptedServer, reply: Reply, message: str
) -> None:
    stub_sources.route(API, reply)
    before = files(repo_copy)
    code, out, err = run("add", "arxiv:2501.01234")
    assert (code, out) == (1, "")
    assert err.startswith(message.format(url=stub_sources.url)) and err.count("\n") == 1
    assert files(repo_copy) == before


def test_429_then_200_succeeds_after_retry_after(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, Reply(429, headers={"Retry-After": "1"}), feed("arxiv-new.xml"))
    code, out, _ = run("add", "arxiv:2501.01234")
    assert code == 0 and out.startswith("created catalog/papers/emoverse.yaml")
    first, second = stub_sources.hits(API)
    assert second.at - first.at >= 0.95


def test_a_timeout_writes_nothing(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, Reply(200, b"<feed/>", body_delay=1.5))
    before = files(repo_copy)
    with HttpClient(timeout=0.3, retries=1, backoff=0.01) as client, pytest.raises(NetworkError) as caught:
        add_arxiv(repo_copy / "catalog", "2501.01234", client=client)
    assert str(caught.value).startswith("arXiv did not answer within 0.3 s at http://127.0.0.1:")
    assert files(repo_copy) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "error: give either arxiv:ID, doi:DOI or --bibtex FILE\n"),
        (("isbn:123",), "error: 'isbn:123': expected arxiv:ID (e.g. arxiv:2406.11161) or doi:DOI"),
        (("arxiv:12345",), "error: '12345' is not an arXiv id; expected e.g. 2406.11161"),
        (("doi:nope",), "error: 'nope' is not a DOI;"),
        (
            ("arxiv:2406.11161", "--bibtex", "x.bib"),
            "error: give either arxiv:ID, doi:DOI or --bibtex FILE\n",
        ),
    ],
)
def test_usage_errors(repo_copy: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("add", *args)
    assert (code, out) == (2, "")
    assert err.startswith(message)


# --- add doi:DOI ----------------------------------------------------------------------------------


def test_add_doi(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(
        "/works/10.5555/affect.2024.042", Reply(200, (DATA / "sources/crossref-work.json").read_bytes())
    )
    code, out, _ = run("add", "doi:10.5555/affect.2024.042")
    path = "catalog/papers/affective-reasoning-conversation-benchmark-study.yaml"
    assert code == 0
    assert out == f"created {path}: Affective Reasoning in Conversation: A Benchmark Study\n{FILL}"
    text = (repo_copy / path).read_text(encoding="utf-8")
    assert "authors: [Marie Curie, Søren Kierkegaard, The Test Consortium]\n" in text
    assert "venue: Proceedings of the Test Conference on Affective Computing\n" in text
    assert "year: 2024\nmonth: 10\n" in text and "doi: 10.5555/affect.2024.042\n" in text
    assert "  paper: https://doi.org/10.5555/affect.2024.042\n" in text
    # The same DOI again is a duplicate, refused before asking Crossref.
    code, _, err = run("add", "doi:https://doi.org/10.5555/AFFECT.2024.042")
    assert code == 1 and len(stub_sources.requests) == 1
    assert err.startswith(
        f"error: the DOI '10.5555/AFFECT.2024.042' is already in the catalog: "
        f"affective-reasoning-conversation-benchmark-study ({path})"
    )


def test_crossref_malformed_json(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route("/works/10.5555/x", Reply(200, b"{oops"))
    code, _, err = run("add", "doi:10.5555/x")
    assert code == 1 and err.startswith("error: Crossref sent a malformed answer (not JSON: ")


# --- add --bibtex FILE -----------------------------------------------------------------------------


def test_bibtex_import_reports_bad_blocks_and_imports_the_rest(repo_copy: Path) -> None:
    bib = DATA / "bibtex" / "gnarly.bib"
    code, out, err = run("add", "--bibtex", str(bib))
    assert code == 1
    assert err.splitlines() == [
        f"{bib}:27:1: error: this block could not be parsed (Unexpected block start: `@misc`. "
        "Was still looking for field-value closing `}`); it was skipped [bibtex-syntax]",
        f"{bib}:41:1: error: the key 'second' is used again (first defined on line 32); "
        "this entry was skipped [bibtex-duplicate-key]",
    ]
    assert out.splitlines() == [
        "created catalog/papers/schone-gefuhle.yaml: Schöne Gefühle: Emotion Recognition with LLMs",
        "created catalog/papers/reasoning-emotions-video-behind-smile.yaml: "
        "Reasoning about Emotions in Video: The “Why” Behind a Smile",
        "created catalog/papers/preprint-old-style-identifier.yaml: A Preprint With an Old-Style Identifier",
        FILL.rstrip("\n"),
    ]
    catalog = load_valid(repo_copy / "catalog")
    curie = catalog.papers["schone-gefuhle"]
    assert curie.authors == ["Marie Skłodowska-Curie", "José Núñez", "Hans Müller"]
    assert (curie.venue, curie.year, curie.month, curie.doi) == (
        "IEEE Transactions on Affective Computing",
        2024,
        6,
        "10.5555/tac.2024.001",
    )
    lee = catalog.papers["reasoning-emotions-video-behind-smile"]
    assert lee.authors == ["Ann Lee", "Jin-Ho Park"]
    assert (lee.venue, lee.year, lee.month, lee.arxiv) == (
        "Proceedings of the 32nd ACM International Conference on Multimedia",
        2024,
        10,
        "2405.01234",
    )
    assert lee.links.paper == "https://arxiv.org/abs/2405.01234"
    hopper = catalog.papers["preprint-old-style-identifier"]
    assert (hopper.arxiv, hopper.month, hopper.venue) == ("cs/9901001", 1, None)
    assert "mm24" not in {p.title for p in catalog.papers.values()}


def test_bibtex_duplicates_of_the_catalog_and_of_each_other(repo_copy: Path, tmp_path: Path) -> None:
    bib = tmp_path / "dup.bib"
    bib.write_text(
        "@article{a, title = {Emotion-{LLaMA}: Multimodal Emotion Recognition and Reasoning with Instruction"
        " Tuning}, year = 2024}\n"
        "@article{b, title = {A Fresh Paper}, year = 2025, eprint = {2502.00001}}\n"
        "@misc{c, title = {A fresh paper!}, year = 2025}\n"
        "@misc{d, author = {Nobody}}\n",
        encoding="utf-8",
    )
    code, out, err = run("add", "--bibtex", str(bib))
    assert code == 1
    assert out.splitlines()[0] == "created catalog/papers/fresh-paper.yaml: A Fresh Paper"
    assert err.splitlines() == [
        f"{bib}:1:1: error: @article{{a}}: the title 'Emotion-LLaMA: Multimodal Emotion Recognition and "
        "Reasoning with Instruction Tuning' is already in the catalog: emotion-llama "
        "(catalog/papers/emotion-llama.yaml);"
        " nothing was written [bibtex-entry]",
        f"{bib}:3:1: error: @misc{{c}}: the title 'A fresh paper!' is already in the catalog: fresh-paper "
        "(catalog/papers/fresh-paper.yaml); nothing was written [bibtex-entry]",
        f"{bib}:4:1: error: @misc{{d}}: the record has no title; nothing was written [bibtex-entry]",
    ]


def test_bibtex_dry_run_and_unreadable_files(repo_copy: Path, tmp_path: Path) -> None:
    before = files(repo_copy)
    code, out, _ = run("add", "--bibtex", str(DATA / "bibtex" / "gnarly.bib"), "--dry-run")
    assert code == 1 and out.count("would create ") == 3
    assert files(repo_copy) == before
    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@misc{a,\n title = {Caf\xe9}}\n")
    assert run("add", "--bibtex", str(latin)) == (
        2,
        "",
        f"error: {latin}:2: not valid UTF-8; save the file as UTF-8\n",
    )
    assert run("add", "--bibtex", str(tmp_path / "none.bib"))[2].startswith(
        f"error: cannot read {tmp_path}/none.bib"
    )


# --- export ---------------------------------------------------------------------------------------


def test_export_to_stdout_and_to_a_file(repo_copy: Path) -> None:
    catalog = load_valid(repo_copy / "catalog")
    code, out, _ = run("export", "json")
    assert (code, out) == (0, export_json(catalog))
    code, out, err = run("export", "csv", "-o", "out/catalog.csv")
    assert (code, out, err) == (0, "", "wrote out/catalog.csv\n")
    assert (repo_copy / "out/catalog.csv").read_bytes() == export_csv(catalog).encode("utf-8")
    assert (repo_copy / "out/catalog.csv").read_bytes().startswith(b"\xef\xbb\xbfid,kind,")


def test_export_refuses_a_catalog_with_errors(repo_copy: Path) -> None:
    (repo_copy / "catalog/papers/bad.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code, out, err = run("export", "bibtex")
    assert code == 1
    assert out.startswith("catalog/papers/bad.yaml:")
    assert err.startswith("error: the catalog has problems (")


def test_export_unknown_format(repo_copy: Path) -> None:
    code, _, err = run("export", "xml")
    assert code == 2 and "'xml' is not one of 'bibtex', 'ris', 'csl-json', 'json', 'csv'" in err

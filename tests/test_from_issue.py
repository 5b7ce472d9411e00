"""``emocat add --from-issue``: issue-form bodies exactly as GitHub renders them, against local arXiv/Crossref stubs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from emocat.catalog.checks import check
from emocat.cli import cli
from emocat.commands.from_issue import LABELS, parse_form
from scripted_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "sources"
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml"
API = "/api/query"
TODAY = dt.date.today().isoformat()


def body(identifier: str, code: str = "_No response_", modalities: str = "", topics: str = "",
         why: str = "_No response_") -> str:
    """An issue body as GitHub renders the Suggest a paper form (blank line after each heading and value)."""
    boxes = {
        "Modalities": [f"- [{'X' if m in modalities.split() else ' '}] {m}" for m in ("text", "image", "audio", "video")],
        "Topics": [f"- [{'X' if t in topics.split(',') else ' '}] {t}" for t in (
            "Milestone papers (milestone)", "Emotion MLLMs (emotion-mllm)", "Surveys (survey)",
            "Open LLMs (open-llm)", "Emotion benchmarks and challenges (emotion-benchmark)")],
    }
    return (f"### arXiv id or DOI\n\n{identifier}\n\n### Code link\n\n{code}\n\n"
            f"### Modalities\n\n" + "\n".join(boxes["Modalities"]) + "\n\n"
            "### Topics\n\n" + "\n".join(boxes["Topics"]) + "\n\n"
            f"### Why it belongs here\n\n{why}")


def run(repo_copy: Path, text: str, *args: str) -> tuple[int, str, str]:
    issue = repo_copy / "issue.md"
    issue.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", "--from-issue", str(issue), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def feed(name: str) -> Reply:
    return Reply(200, (DATA / name).read_bytes(), {"Content-Type": "application/atom+xml"})


def papers(repo_copy: Path) -> set[str]:
    return {p.name for p in (repo_copy / "catalog" / "papers").iterdir()}


def test_every_field_filled(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    text = body("https://arxiv.org/abs/2501.01234v2", "https://github.com/owner/emoverse", "audio video text",
                "Emotion MLLMs (emotion-mllm),Surveys (survey)", "It reasons about feelings.")
    code, out, err = run(repo_copy, text)
    assert (code, err) == (0, "")
    path = repo_copy / "catalog/papers/emoverse.yaml"
    assert out == ("created catalog/papers/emoverse.yaml: EmoVerse: Reasoning about Feelings with Multimodal "
                   "Large Language Models\nfill in by hand: tasks; then run emocat check\n")
    assert stub_sources.hits(API)[0].query["id_list"] == ["2501.01234v2"]
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entry["arxiv"] == "2501.01234" and entry["topics"] == ["emotion-mllm", "survey"]
    assert sorted(entry["modalities"]) == ["audio", "text", "video"]
    assert entry["links"] == {"paper": "https://arxiv.org/abs/2501.01234", "pdf": "https://arxiv.org/pdf/2501.01234",
                              "code": "https://github.com/owner/emoverse"}
    assert entry["added"] == dt.date.fromisoformat(TODAY)
    _, problems = check(repo_copy / "catalog")
    assert [p.format() for p in problems if p.path == "catalog/papers/emoverse.yaml"] == []
    assert CliRunner().invoke(cli, ["fmt", "--check"]).exit_code == 0


def test_optional_fields_empty(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    code, out, _ = run(repo_copy, body("2501.01234"))
    assert code == 0
    assert out.endswith("fill in by hand: modalities, tasks, topics, links.code; then run emocat check\n")
    entry = yaml.safe_load((repo_copy / "catalog/papers/emoverse.yaml").read_text(encoding="utf-8"))
    assert "topics" not in entry and "modalities" not in entry and "code" not in entry["links"]


def test_dry_run_writes_nothing(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route(API, feed("arxiv-new.xml"))
    before = papers(repo_copy)
    code, out, _ = run(repo_copy, body("2501.01234", topics="Surveys (survey)"), "--dry-run")
    assert code == 0 and out.startswith("would create catalog/papers/emoverse.yaml: EmoVerse")
    assert "topics: [survey]\n" in out
    assert papers(repo_copy) == before


def test_a_doi(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    stub_sources.route("/works/10.5555/affect.2024.042", Reply(200, (DATA / "crossref-work.json").read_bytes()))
    code, out, err = run(repo_copy, body("https://doi.org/10.5555/affect.2024.042", modalities="text"))
    assert (code, err) == (0, "")
    created = out.split(":", 1)[0].removeprefix("created ")
    text = (repo_copy / created).read_text(encoding="utf-8")
    assert "doi: 10.5555/affect.2024.042\n" in text and "modalities: [text]\n" in text
    assert stub_sources.hits("/works/10.5555/affect.2024.042")


@pytest.mark.parametrize("identifier", ["2406.116", "arxiv 2406.11161", "10.1145", "see the paper"])
def test_a_malformed_id_is_located_and_nothing_is_asked(repo_copy: Path, stub_sources: ScriptedServer,
                                                         identifier: str) -> None:
    before = papers(repo_copy)
    code, out, err = run(repo_copy, body(identifier))
    assert (code, out) == (1, "")
    assert err.startswith(f"{repo_copy / 'issue.md'}:3:1: error: arXiv id or DOI: {identifier!r} is neither an arXiv id")
    assert err.endswith("[issue-form]\n")
    assert stub_sources.requests == [] and papers(repo_copy) == before


def test_a_duplicate_names_the_existing_entry(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    before = papers(repo_copy)
    code, out, err = run(repo_copy, body("https://arxiv.org/pdf/2406.11161v1.pdf"))
    assert (code, out) == (1, "")
    assert err == (f"{repo_copy / 'issue.md'}:3:1: error: arXiv id or DOI: the arXiv id '2406.11161' is already in "
                   "the catalog: emotion-llama (catalog/papers/emotion-llama.yaml); nothing was written [issue-form]\n")
    assert stub_sources.requests == [] and papers(repo_copy) == before


def test_unknown_topic_and_bad_code_link_are_located_with_a_suggestion(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    text = body("2501.01234", code="github.com/owner/x").replace("- [ ] Surveys (survey)", "- [X] Survey")
    text = text.replace("- [ ] Open LLMs (open-llm)", "- [x] Emotion mllm")
    code, _, err = run(repo_copy, text)
    issue = repo_copy / "issue.md"
    lines = err.splitlines()
    assert code == 1 and len(lines) == 3, err
    assert lines[0].startswith(f"{issue}:7:1: error: Code link: 'github.com/owner/x' is not")
    assert lines[1].startswith(f"{issue}:20:1: error: Topics: 'Survey' is not in the topics of vocabulary.yaml; "
                               "did you mean 'survey'? (allowed: emotion-benchmark,")
    assert lines[2].startswith(f"{issue}:21:1: error: Topics: 'Emotion mllm' is not in the topics of vocabulary.yaml; "
                               "did you mean 'emotion-mllm'?")
    assert stub_sources.requests == []


def test_a_body_that_is_not_the_form(repo_copy: Path, stub_sources: ScriptedServer) -> None:
    code, _, err = run(repo_copy, "Please add the Emotion-LLaMA paper, thanks!\n")
    assert code == 1 and err == (f"{repo_copy / 'issue.md'}:1:1: error: no '### arXiv id or DOI' section: the body is "
                                 "not one of the Suggest a paper form [issue-form]\n")


def test_from_issue_takes_no_other_source(repo_copy: Path) -> None:
    code, _, err = run(repo_copy, body("2501.01234"), "arxiv:2501.01234")
    assert code == 2 and "--from-issue reads the id from the issue" in err


def test_a_missing_issue_file_is_a_usage_error(repo_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["add", "--from-issue", "nope.md"])
    assert result.exit_code == 2 and result.stderr.startswith("error: cannot read nope.md")


def test_the_form_and_the_parser_agree() -> None:
    """The labels the parser reads are the form's, and its topics are exactly the vocabulary's."""
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    fields = {item["attributes"]["label"]: item for item in form["body"] if item["type"] != "markdown"}
    assert set(LABELS) <= set(fields)
    vocabulary = yaml.safe_load((ROOT / "catalog" / "vocabulary.yaml").read_text(encoding="utf-8"))
    topics = [option["label"] for option in fields["Topics"]["attributes"]["options"]]
    assert topics == [f"{term['name']} ({topic})" for topic, term in vocabulary["topics"].items()]
    assert form["labels"] == ["suggest-paper"]


def test_parse_form_reads_values_and_ignores_headings_inside_code() -> None:
    answers = parse_form("### Code link\n\n```\n### not a heading\n```\n\n### Topics\n\n_No response_\n")
    assert [line for _, line in answers["Code link"].lines] == ["```", "### not a heading", "```"]
    assert answers["Topics"].lines == [] and answers["Topics"].line == 7

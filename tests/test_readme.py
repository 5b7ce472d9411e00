"""The generated README: golden file, hostile text, well-formed tables, order, ``emocat readme [--check]``."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from markdown_it.token import Token

from catalogs import HOSTILE, readme_catalog, write_catalog
from emocat.catalog.checks import check, load_valid
from emocat.catalog.linkset import link_key
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Benchmark
from emocat.cli import cli
from emocat.errors import Severity
from emocat.outputs.leaderboard import board, podium
from emocat.outputs.readme.render import readme_context, readme_diff, render_readme, write_readme
from emocat.outputs.readme.tables import align_tables
from emocat.outputs.templating import cell

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def fixture_readme(tmp_path: Path) -> tuple[Catalog, str]:
    catalog = load_valid(readme_catalog(tmp_path / "catalog"))
    return catalog, render_readme(catalog, tmp_path)


# --- golden -------------------------------------------------------------------------------------


def test_readme_matches_golden_file(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    golden = GOLDEN / "readme.md"
    if os.environ.get("EMOCAT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), "no golden file yet; create it with EMOCAT_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_rendering_is_byte_identical_on_rerun(tmp_path: Path) -> None:
    root = readme_catalog(tmp_path / "catalog")
    first = write_readme(load_valid(root), tmp_path).read_bytes()
    second = render_readme(load_valid(root), tmp_path).encode()
    assert first == second
    assert readme_diff(load_valid(root), tmp_path) == ""


# --- Markdown structure (markdown-it-py with GFM tables) -------------------------------------------


def parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell contents (header row first)."""
    found: list[list[list[str]]] = []
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open") and row is not None:
            row.append(tokens[index + 1].content if tokens[index + 1].type == "inline" else "")
        elif token.type == "tr_close" and row is not None:
            found[-1].append(row)
            row = None
    return found


def link_texts(tokens: list[Token]) -> list[str]:
    """The plain text of every link, as a reader sees it."""
    texts = []
    for token in tokens:
        children = token.children or []
        depth, current = 0, ""
        for child in children:
            if child.type == "link_open":
                depth, current = depth + 1, ""
            elif child.type == "link_close":
                depth -= 1
                texts.append(current)
            elif depth and child.type in ("text", "code_inline"):
                current += child.content if child.type == "text" else f"`{child.content}`"
    return texts


def assert_tables_well_formed(text: str) -> int:
    tokens = parse(text)
    found = tables(tokens)
    rows = 0
    for table in found:
        header = table[0]
        for row in table[1:]:
            assert len(row) == len(header), f"row {row} has {len(row)} cells, header has {len(header)}"
            rows += 1
    return rows


def test_fixture_tables_are_well_formed_and_hostile_titles_stay_literal(
    fixture_readme: tuple[Catalog, str],
) -> None:
    _, text = fixture_readme
    assert assert_tables_well_formed(text) >= 15
    tokens = parse(text)
    texts = link_texts(tokens)
    for title in HOSTILE:
        assert title in texts, f"{title!r} is not shown literally as a link text"
    for name in ("a | b [c] *model*", "Closed <b>Model</b>", "<b>Ego</b> | data"):
        assert name in texts
    # No HTML from entries reaches the page: the only raw HTML is the template's own.
    html = [t.content for t in tokens if t.type == "html_block"]
    html += [c.content for t in tokens for c in (t.children or []) if c.type == "html_inline"]
    assert set(html) <= {"<br>", "</details>\n"} | {h for h in html if h.startswith("<details>\n<summary>")}
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    # Emphasis and strike-through markers from titles stay text.
    inline_types = {c.type for t in tokens for c in (t.children or [])}
    assert not inline_types & {"em_open", "strong_open", "s_open"}


def test_every_entry_of_the_fixture_is_link_text(fixture_readme: tuple[Catalog, str]) -> None:
    catalog, text = fixture_readme
    texts = set(link_texts(parse(text)))
    missing = [e.id for e in catalog.entries() if e.label not in texts]
    assert missing == []


def test_repository_readme_tables_and_entries() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert_tables_well_formed(text)
    catalog = load_valid(REPO / "catalog")
    texts = set(link_texts(parse(text)))
    missing = [e.id for e in catalog.entries() if e.label not in texts]
    assert missing == []


def test_table_rows_have_the_header_cell_count_in_source(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("|") and index + 1 < len(lines) and re.match(r"^\| -", lines[index + 1]):
            width = len(re.split(r"(?<!\\)\|", line)) - 2
            body = index + 2
            while body < len(lines) and lines[body].startswith("|"):
                assert len(re.split(r"(?<!\\)\|", lines[body])) - 2 == width, lines[body]
                assert len(lines[body]) == len(line) or not lines[body].isascii(), "pipes are not aligned"
                body += 1


# --- content and order ----------------------------------------------------------------------------


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_sections_follow_the_upstream_order_and_toc_matches(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Contents",
        "Trending projects",
        "Milestone papers",
        "Open LLMs",
        "LLMs for emotion recognition",
        "Emotion papers",
        "Datasets",
        "Benchmarks",
        "Other surveys",
        "Citation",
        "Contributing",
        "Quick start",
    ]
    toc = re.findall(r"^- \[(.+)\]\(#([^)]+)\)$", section(text, "Contents"), re.M)
    assert [title for title, _ in toc] == [h for h in headings[1:] if h != "Contributing"]
    assert ("Quick start", "quick-start") in toc
    assert re.findall(r"^  - \[(.+)\]\(#", section(text, "Contents"), re.M) == [
        "Emotion category datasets",
        "Emotion description datasets",
        "Sentiment, dialogue and egocentric datasets",
    ]


def test_milestones_are_chronological_with_keyword_and_institutions(
    fixture_readme: tuple[Catalog, str],
) -> None:
    _, text = fixture_readme
    rows = tables(parse(section(text, "Milestone papers")))[0]
    assert rows[0] == ["Date", "Keyword", "Institution", "Paper", "Links"]
    assert [r[0] for r in rows[1:]] == ["2017-06", "2020-01"]
    assert rows[2][1] == "\\`rm\\` | \\*x\\*"  # the table keeps its cell; the inline escapes keep it literal
    assert rows[2][2] == "Meta, Google"


def test_models_are_grouped_by_organisation_with_other_last(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    body = section(text, "Open LLMs")
    assert re.findall(r"<summary>(.+)</summary>", body) == ["Alibaba (1)", "Google (1)", "Meta (2)", "Other (1)"]
    # Natural order inside a group; shared project URLs stay on both items (description links).
    assert body.index("[Llama 3.1]") < body.index("[Llama 3.2]")
    assert body.count("(https://llama.meta.com/)") == 2
    assert "- Text, image, audio, video; 3B, 7B; open weights; released 2025-03." in body
    assert "[Orphan Model]" in body and "- Closed weights." in body  # Gemini Test: closed, not trending
    # A closed model that the trending list shows is not listed under open LLMs.
    assert "Closed &lt;b&gt;Model&lt;/b&gt;" not in body


def test_trending_links_the_project_and_its_catalog_page(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    items = section(text, "Trending projects").strip().splitlines()
    assert items[0].startswith("- [Closed &lt;b&gt;Model&lt;/b&gt;](https://example.com/closed) - ")
    assert items[1] == (
        "- [Qwen2.5-Omni](https://github.com/QwenLM/Qwen2.5-Omni) - One model that listens, watches and "
        "talks back. (★ 3,456) ([catalog entry](https://example.org/awesome-test/models/qwen-omni/))"
    )


def test_a_url_is_linked_once_in_tables(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    body = section(text, "LLMs for emotion recognition")
    rows = tables(parse(body))[0][1:]
    by_model = {re.sub(r"\]\(.*", "", r[0]).lstrip("["): r for r in rows}
    # "Emotion Model 2" comes first (natural order: 2 < 10) and keeps the link; "Emotion Model 10" has the
    # same URL written differently (http, www., trailing slash), so it shows no second link.
    assert list(by_model) == ["a | b \\[c\\] \\*model\\*", "Emotion Model 2", "Emotion Model 10"]
    assert by_model["Emotion Model 2"][3] == "[Code](https://github.com/example/emotion-2) (★ 12, archived)"
    assert by_model["Emotion Model 10"][3] == "—"
    # The model's paper is linked to its catalog page by title, its arXiv link joins the model's links;
    # the paper's own row further down then shows neither again.
    hostile = by_model["a | b \\[c\\] \\*model\\*"]
    assert hostile[2] == "[&lt;img src=x onerror=alert(1)&gt;](https://example.org/awesome-test/papers/img-title/)"
    assert hostile[3] == "[Code](https://github.com/example/shared) (archived) · [arXiv](https://arxiv.org/abs/2305.00003)"
    papers = {r[1].split("](")[0]: r for r in tables(parse(section(text, "Emotion papers")))[0][1:]}
    assert papers["&lt;img src=x onerror=alert(1)&gt;"][1] == "&lt;img src=x onerror=alert(1)&gt;"  # plain text
    assert papers["&lt;img src=x onerror=alert(1)&gt;"][-1] == "—"
    assert link_key("http://www.GitHub.com/example/emotion-2/") == link_key(
        "https://github.com/example/emotion-2"
    )
    assert link_key("https://x.org/a#leaderboard") != link_key("https://x.org/a")


def test_datasets_are_grouped_with_their_facts(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    body = section(text, "Datasets")
    groups = re.findall(r"^### (.+)$", body, re.M)
    assert groups == [
        "Emotion category datasets",
        "Emotion description datasets",
        "Sentiment, dialogue and egocentric datasets",
    ]
    found = tables(parse(body))
    assert found[0][1][1:7] == ["Text, Audio, Video", "13,708", "7", "Categorical", "Human", "English"]
    assert found[1][1][1:5] == ["Text, Audio, Video", "4,487", "484", "Human-led, model-assisted"]
    assert found[2][1][1:8] == [
        "kitchen",
        "100.5",
        "90,000",
        "Text, Audio, Video",
        "English, Chinese",
        "✗",
        "✓",
    ]


def test_benchmarks_show_three_best_results_and_the_leaderboard_link(
    fixture_readme: tuple[Catalog, str],
) -> None:
    _, text = fixture_readme
    rows = tables(parse(section(text, "Benchmarks")))[0]
    by_name = {r[0].split("]")[0].lstrip("["): r for r in rows[1:]}
    assert list(by_name) == ["Bench F1", "Bench Without Results", "Bench MAE"]  # by task, then name
    f1 = by_name["Bench F1"]
    assert f1[5] == "WAF ↑"
    assert f1[6] == "\\`x\\` | y: 60.00<br>Model A: 58.5<br>Model C: 0.40"
    assert f1[7] == "[All 6 results](https://example.org/awesome-test/benchmarks/bench-f1/#leaderboard)"
    assert by_name["Bench MAE"][6] == "Low: 0.45<br>High: 0.9"
    assert by_name["Bench Without Results"][5:] == ["—", "—", "—"]


def test_code_links_carry_recorded_repository_health_only_when_known(tmp_path: Path) -> None:
    code = "https://github.com/example/"
    models = {
        "starred": {"name": "Starred", "links": {"code": code + "starred"},
                    "repository": {"stars": 1234, "pushed": "2025-01-02", "archived": False}},
        "frozen": {"name": "Frozen", "links": {"code": code + "frozen"},
                   "repository": {"stars": 7, "archived": True}},
        "archived-only": {"name": "Archived Only", "links": {"code": code + "archived-only"},
                          "repository": {"archived": True}},
        "checked-only": {"name": "Checked Only", "links": {"code": code + "checked-only"},
                         "repository": {"checked": "2025-01-02"}},
        "no-code": {"name": "No Code", "links": {"blog": "https://example.org/blog"},
                    "repository": {"stars": 99}},
        "plain": {"name": "Plain", "links": {"code": code + "plain"}},
    }
    for fields in models.values():
        fields["topics"] = ["emotion-mllm"]
    catalog = load_valid(write_catalog(tmp_path / "catalog", {f"models/{name}": fields for name, fields in models.items()}))
    text = render_readme(catalog, tmp_path)
    links = {row[0].split("]")[0].lstrip("["): row[3] for row in tables(parse(section(text, "LLMs for emotion recognition")))[0][1:]}
    assert links == {
        "Archived Only": f"[Code]({code}archived-only) (archived)",
        "Checked Only": f"[Code]({code}checked-only)",
        "Frozen": f"[Code]({code}frozen) (★ 7, archived)",
        "No Code": "[Blog](https://example.org/blog)",
        "Plain": f"[Code]({code}plain)",
        "Starred": f"[Code]({code}starred) (★ 1,234)",
    }
    assert "2025-01-02" not in text  # dates are for the site; the README mark stays compact


def test_citation_and_quick_start_close_the_readme(fixture_readme: tuple[Catalog, str]) -> None:
    _, text = fixture_readme
    body = section(text, "Citation")
    assert "[Our Survey of Emotion Models](https://example.org/awesome-test/papers/our-survey/)" in body
    assert "```bibtex\n@article{test2025,\n  title={A Test Survey},\n  year={2025}\n}\n```" in body
    assert "our-survey" not in section(text, "Other surveys")  # listed once, in the citation
    assert text.endswith(QUICK_START_TAIL)


# --- the repository's own README ----------------------------------------------------------------

QUICK_START_TAIL = """```sh
python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q
```
"""
MAIN_JOB = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/emocat build"
TEST_JOB = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"


def test_quick_start_keeps_the_two_commands_and_ci_runs_the_test_one() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = section(text, "Quick start")
    assert re.findall(r"```sh\n(.*?)\n```", quick, re.S) == [MAIN_JOB, TEST_JOB]
    assert text.endswith(QUICK_START_TAIL)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == TEST_JOB


def test_readme_check_passes_on_the_repository() -> None:
    result = CliRunner().invoke(cli, ["--catalog", str(REPO / "catalog"), "readme", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output == "README is up to date\n"


def _repository_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    return tmp_path


def test_readme_check_fails_with_a_diff_when_a_title_changes(tmp_path: Path) -> None:
    project = _repository_copy(tmp_path)
    paper = project / "catalog" / "papers" / "emotion-llama.yaml"
    old = "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning"
    new = "Emotion-LLaMA Reloaded: A Changed Title"
    paper.write_text(paper.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = (project / "README.md").read_bytes()
    result = CliRunner().invoke(cli, ["--catalog", str(project / "catalog"), "readme", "--check"])
    assert result.exit_code == 1
    assert result.output.startswith("--- ")
    added = [
        line for line in result.output.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    removed = [
        line for line in result.output.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    assert any(new in line for line in added) and any(old in line for line in removed)
    assert (project / "README.md").read_bytes() == before  # --check writes nothing
    # Writing brings it up to date.
    assert CliRunner().invoke(cli, ["--catalog", str(project / "catalog"), "readme"]).exit_code == 0
    assert (
        CliRunner().invoke(cli, ["--catalog", str(project / "catalog"), "readme", "--check"]).exit_code == 0
    )


def test_readme_output_option_and_missing_file(tmp_path: Path) -> None:
    readme_catalog(tmp_path / "catalog")
    target = tmp_path / "out" / "LIST.md"
    run = CliRunner().invoke(
        cli, ["--catalog", str(tmp_path / "catalog"), "readme", "--check", "--output", str(target)]
    )
    assert run.exit_code == 1 and "+# Awesome Test Catalog" in run.output
    run = CliRunner().invoke(cli, ["--catalog", str(tmp_path / "catalog"), "readme", "-o", str(target)])
    assert run.exit_code == 0 and run.output == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Awesome Test Catalog [![Awesome]")
    assert not (tmp_path / "README.md").exists()


def test_readme_refuses_an_invalid_catalog_with_located_errors(tmp_path: Path) -> None:
    root = readme_catalog(tmp_path / "catalog")
    (root / "papers" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["--catalog", str(root), "readme"])
    assert run.exit_code == 1
    assert re.search(r"papers/broken\.yaml:\d+:\d+: error: ", run.output)
    assert not (tmp_path / "README.md").exists()


@pytest.mark.parametrize(
    ("sections", "message", "rule"),
    [
        ([{"id": "datasets", "title": "Data"}, {"id": "benchmark", "title": "Results"}],
         "unknown section 'benchmark'; did you mean 'benchmarks'?", "unknown-section"),
        ([{"id": "datasets", "title": "Data"}, {"id": "datasets", "title": "Again"}],
         "the section 'datasets' is listed twice", "duplicate-section"),
    ],
)
def test_bad_section_ids_fail_check_located_in_catalog_yaml(
    tmp_path: Path, sections: list[dict[str, str]], message: str, rule: str
) -> None:
    """``check`` is the gate: a section id that ``readme`` could not render is a located problem of ``check``."""
    root = write_catalog(tmp_path / "catalog", meta={"sections": sections})
    _, problems = check(root)
    (problem,) = [p for p in problems if p.severity is Severity.ERROR]
    assert problem.path.endswith("catalog.yaml") and problem.field == "sections[1].id" and problem.rule == rule
    assert problem.line == 8 and problem.column == 7 and message in problem.message
    for command in ("check", "readme"):
        run = CliRunner().invoke(cli, ["--catalog", str(root), command])
        assert run.exit_code == 1 and re.search(rf"catalog\.yaml:8:7: error: .*{re.escape(message)}", run.output)
        assert "Traceback" not in run.output
    assert not (tmp_path / "README.md").exists()


def test_configured_sections_choose_titles_intros_and_fall_through(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "catalog",
        meta={
            "sections": [
                {"id": "other-surveys", "title": "Surveys First", "intro": "Reviews *worth* reading."},
                {"id": "papers", "title": "Everything Else"},
            ]
        },
        entries={
            "papers/s": {"title": "A Survey", "year": 2024, "topics": ["survey"]},
            "papers/m": {"title": "A Milestone", "year": 2017, "topics": ["milestone"]},
        },
        vocabulary={"topics": {"milestone": {"name": "Milestone papers"}}},
    )
    text = render_readme(load_valid(root), tmp_path)
    assert re.findall(r"^## (.+)$", text, re.M) == [
        "Contents",
        "Surveys First",
        "Everything Else",
        "Contributing",
        "Quick start",
    ]
    assert "Reviews \\*worth\\* reading." in text
    # With no milestone section, the milestone paper falls through to the catch-all papers section.
    assert "[A Milestone]" in section(text, "Everything Else")


def test_empty_catalog_renders_without_empty_sections(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog")
    text = render_readme(load_valid(root), tmp_path)
    assert re.findall(r"^## (.+)$", text, re.M) == ["Contents", "Contributing", "Quick start"]
    assert "papers-0-blue" in text
    assert_tables_well_formed(text)


# --- context builders -----------------------------------------------------------------------------


def test_leaderboard_respects_the_direction_of_the_metric_and_the_scale(fixture_readme: tuple[Catalog, str]) -> None:
    catalog, _ = fixture_readme
    f1: Benchmark = catalog.benchmarks["bench-f1"]
    ranked = board(catalog, f1).ranked
    # 0.40 on a 0-1 scale ranks between 55.10 and 39.99 on 0-100, and is still shown as printed
    assert [str(line.values["waf"].value) for line in ranked] == ["60.00", "58.5", "55.10", "0.40", "39.99"]
    assert [place.name for place in podium(catalog, f1)] == ["`x` | y", "Model A", "Model C"]
    assert [place.name for place in podium(catalog, f1, 10)] == ["`x` | y", "Model A", "Model C", "Model D"]
    assert [line.name for line in board(catalog, catalog.benchmarks["bench-mae"]).ranked] == ["Low", "High"]
    assert board(catalog, catalog.benchmarks["bench-empty"]).lines == []


def test_context_counts_and_entry_urls(fixture_readme: tuple[Catalog, str]) -> None:
    catalog, text = fixture_readme
    context = readme_context(catalog)
    assert context["counts"] == {"papers": 8, "datasets": 3, "benchmarks": 3, "models": 9, "results": 8}
    assert "https://img.shields.io/badge/models-9-blueviolet" in text
    assert "(https://example.org/awesome-test/papers/attention/)" in text


def test_citation_with_backticks_gets_a_longer_fence(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", meta={"citation": "@misc{x,\n  note={```}\n}"})
    text = render_readme(load_valid(root), tmp_path)
    assert "````bibtex\n@misc{x,\n  note={```}\n}\n````" in text


def test_align_tables_pads_cells_and_keeps_escaped_pipes() -> None:
    source_text = (
        "intro | not a table\n\n| a | bb |\n| --- | --: |\n| x \\| y | 1 |\n| long cell | 22 |\n\nafter\n"
    )
    assert align_tables(source_text) == (
        "intro | not a table\n\n"
        "| a         |  bb |\n"
        "| --------- | --: |\n"
        "| x \\| y    |   1 |\n"
        "| long cell |  22 |\n\nafter\n"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), ("", "—"), ([], "—"), ((), "—"), (0, "0"), (12345, "12,345"), (True, "✓"), (False, "✗"),
     (("Text", "Video"), "Text, Video"), (["a|b"], "a\\|b"), ("<x>", "&lt;x&gt;")],
)
def test_cell_filter_shows_missing_values_as_a_dash(value: object, shown: str) -> None:
    assert cell(value) == shown

"""Checks a contributor can trust: ``new`` writes canonical files, scaffold leftovers are warnings, mis-indented
keys are called indentation problems, vocabulary values written as words suggest the id, stale README says
what to run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from emocat.catalog.checks import check
from emocat.cli import cli
from emocat.store import yamlio

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("paper", "dataset", "benchmark", "model")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_a_file_that_passes_fmt_check(repo_copy: Path, kind: str) -> None:
    assert run("new", kind, "x")[0] == 0
    assert run("fmt", "--check") == (0, "0 files would reformat, 0 unreadable\n")
    assert run("check")[0] == 0  # warnings only


@pytest.mark.parametrize("kind", KINDS)
def test_scaffold_leftovers_are_warnings_naming_their_lines(repo_copy: Path, kind: str) -> None:
    assert run("new", kind, "some-id")[0] == 0
    folder = f"{kind}s"
    path = f"catalog/{folder}/some-id.yaml"
    lines = (repo_copy / path).read_text(encoding="utf-8").split("\n")
    field = "title" if kind == "paper" else "name"
    field_line = next(n for n, line in enumerate(lines, 1) if line.startswith(f"{field}:"))
    _, problems = check(repo_copy / "catalog")
    own = [p for p in problems if p.path.endswith(path) and p.rule.startswith("scaffold")]
    assert all(p.severity.value == "warning" for p in own)
    placeholder = [p for p in own if p.rule == "scaffold-placeholder"]
    assert [(p.line, p.field) for p in placeholder] == [(field_line, field)]
    assert "'Some Id' is the placeholder emocat new writes" in placeholder[0].message
    comments = [p for p in own if p.rule == "scaffold-comment"]
    commented = [n for n, line in enumerate(lines, 1) if line.startswith("#") and "yaml-language-server" not in line]
    assert [p.line for p in comments] == [commented[0], field_line + 1]
    assert comments[1].message.startswith(f"lines {field_line + 1}-{commented[-1]}: ")


def test_a_filled_in_scaffold_keeps_only_the_warnings_for_what_is_left(repo_copy: Path) -> None:
    run("new", "paper", "emotion-thing")
    path = repo_copy / "catalog/papers/emotion-thing.yaml"
    text = path.read_text(encoding="utf-8")
    kept = [line for line in text.split("\n") if not line.startswith("#") or "yaml-language" in line]
    kept = [line.replace("Emotion Thing", "Emotion Things in Real Life") for line in kept]
    kept.insert(2, "month: 6                      # 1-12")  # uncommented, with the scaffold's hint still on it
    kept.insert(2, "year: 2024")
    path.write_text("\n".join(kept), encoding="utf-8")
    _, problems = check(repo_copy / "catalog")
    own = [(p.line, p.rule, p.message) for p in problems if p.path.endswith("emotion-thing.yaml")]
    assert own == [(2, "no-link", "a paper without any link; add links.paper"),
                   (4, "scaffold-comment", "a comment left from emocat new; delete it once the entry is filled in")]


def test_a_real_name_like_the_id_is_not_a_placeholder(repo_copy: Path) -> None:
    _, problems = check(repo_copy / "catalog", strict=True)
    assert not [p for p in problems if p.rule.startswith("scaffold")]  # e.g. Qwen (qwen), Mistral 7B (mistral-7b)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("title: X\n  year: 2024\n", (2, 7),
         "indentation: 'year' (column 3) is indented under 'title' on line 1, which has a value"),
        ("title: X\nlinks:\n    paper: https://a.org/\n  pdf: https://a.org/p\n", (4, 3),
         "indentation: 'pdf' (column 3) lines up with no key above it ('paper' at line 3, column 5, "
         "'links' at line 2, column 1)"),
        ("title: X\nauthors:\n  - A\n - B\n", (4, 2),
         "indentation: the list item '- B' (column 2) is at the wrong depth; line it up with the item on line 3 "
         "(column 3)"),
        ("title: X\nresults:\n- model: a\n  metric: b\n  - model: c\n", (5, 3),
         "indentation: the list item '- model: c' (column 3) is at the wrong depth; line it up with the item on "
         "line 3 (column 1)"),
        ("title: X\nmetrics:\n  - name: F1\n  scale: 0-1\n", (4, 3),
         "indentation: 'scale' (column 3) lines up with no key above it ('name' at line 3, column 5"),
        (" title: X\nyear: 2024\n", (2, 1), "indentation: the first line is indented; top-level keys start in column 1"),
        # valid YAML that would silently read as the one author 'A - B'
        ("title: X\nauthors:\n  - A\n    - B\n", (4, 5),
         "indentation: the list item at column 5 is indented under the item on line 3, so YAML reads it as more "
         "words of that item; line it up with the item above (column 3)"),
    ],
)
def test_mis_indented_keys_are_called_indentation_problems(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.parse(text)
    assert (caught.value.line, caught.value.column) == where
    assert caught.value.message.startswith(message), caught.value.message
    assert caught.value.rule == "yaml-indentation"


def test_lists_nested_on_purpose_are_not_indentation_problems() -> None:
    assert yamlio.parse("a:\n- - x\n  - y\nb:\n  - name: n\n    value: v\n  - z\n") == {
        "a": [["x", "y"]], "b": [{"name": "n", "value": "v"}, "z"]}


@pytest.mark.parametrize("text", ["title: 'A: B'\nyear: 2024: x\n", "title: [a, b\nyear: 2024\n"])
def test_other_syntax_errors_are_not_called_indentation(text: str) -> None:
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.parse(text)
    assert caught.value.rule == "yaml-syntax"


@pytest.mark.parametrize(("written", "suggested"), [
    ("emotion recognition", "emotion-recognition"),
    ("Emotion Recognition", "emotion-recognition"),
    ("emotion_reasoning", "emotion-reasoning"),
])
def test_a_vocabulary_value_written_as_words_suggests_the_id(repo_copy: Path, written: str, suggested: str) -> None:
    path = repo_copy / "catalog/papers/emotion-llama.yaml"
    text = path.read_text(encoding="utf-8")
    assert "tasks: [" in text
    path.write_text(text.replace("tasks: [", f"tasks: ['{written}', ", 1), encoding="utf-8")
    _, problems = check(repo_copy / "catalog")
    own = [p for p in problems if p.path.endswith("emotion-llama.yaml")]
    assert len(own) == 1 and own[0].field == "tasks[0]"
    assert own[0].message.endswith(f"; did you mean {suggested!r}?")


def test_a_valid_id_not_in_the_vocabulary_suggests_by_spelling_and_by_display_name(repo_copy: Path) -> None:
    path = repo_copy / "catalog/papers/emotion-llama.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tasks: [", "tasks: [emotion-recognitions, facial-action-unit-recognition, ", 1),
                    encoding="utf-8")
    _, problems = check(repo_copy / "catalog")
    messages = [p.message for p in problems if p.rule == "vocabulary"]
    assert len(messages) == 2
    assert "'emotion-recognitions' is not in the tasks of vocabulary.yaml; did you mean 'emotion-recognition'?" in messages[0]
    # 'Facial action unit recognition' is the display name of the task action-unit-recognition
    assert "'facial-action-unit-recognition' is not in the tasks of vocabulary.yaml; did you mean " \
        "'action-unit-recognition'?" in messages[1]


def test_readme_check_says_what_to_run(repo_copy: Path) -> None:
    assert run("readme", "--check")[0] == 0
    (repo_copy / "README.md").write_text("stale\n", encoding="utf-8")
    code, out = run("readme", "--check")
    assert code == 1
    assert out.endswith("README.md is stale: run `emocat readme` to regenerate it\n")
    code, out = run("--catalog", "catalog", "readme", "--check", "--output", "OTHER.md")
    assert code == 1 and out.endswith("OTHER.md is stale: run `emocat readme --output OTHER.md` to regenerate it\n")


def test_the_web_editor_example_of_contributing_is_a_canonical_valid_entry(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    (tmp_path / "catalog/papers/emotion-llama.yaml").unlink()  # the example is that paper
    (tmp_path / "catalog/papers/emotion-llama.yaml").write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("fmt", "--check")[0] == 0
    _, problems = check(tmp_path / "catalog")
    assert [p.format() for p in problems if p.path.endswith("emotion-llama.yaml")] == []

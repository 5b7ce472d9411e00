"""benchmarks/: the synthetic catalog is valid, realistic in shape and deterministic; the one command runs;
the head to head with hecat fails cleanly without hecat and times its emocat side."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import sys
from pathlib import Path

import pytest

from emocat.catalog.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import hecat
import run
from realshaped import generate as realshaped
from synthetic import generate

pytestmark = pytest.mark.slow  # runs the benchmarks


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_synthetic_catalog_is_valid_and_spread_over_the_kinds(tmp_path: Path) -> None:
    catalog, problems = check(generate(tmp_path / "catalog", 60))
    assert [p.format() for p in problems] == []
    assert (len(catalog.papers), len(catalog.models), len(catalog.datasets), len(catalog.benchmarks)) == (30, 15, 9, 6)
    assert all(5 <= len(bench.results) <= 40 for bench in catalog.benchmarks.values())
    assert catalog.referrers, "entries refer to each other"


def test_synthetic_catalog_is_deterministic(tmp_path: Path) -> None:
    assert _digest(generate(tmp_path / "a", 30)) == _digest(generate(tmp_path / "b", 30))
    assert _digest(generate(tmp_path / "c", 30, seed=1)) != _digest(tmp_path / "a")


def test_one_command_takes_every_measure_of_design_8(capsys: pytest.CaptureFixture[str]) -> None:
    """``benchmarks/run.py --quick`` (tiny catalogs, one run each) prints one row per §8 target."""
    status = run.main(["--quick"])
    lines = capsys.readouterr().out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("measure ")))
    rows = [line for line in lines[header + 2:] if line.strip() and not line.startswith("(--quick")]
    names = ["check / floor", "README render", "emocat --help start-up", "site plugin / floor",
             f"site plugin {run.QUICK_N} / {run.QUICK_N // 2}", "site bytes per entry", "papers page interactive",
             "papers page filter keystroke", "papers page sort", "first search result"]
    assert [row.startswith(name) for row, name in zip(rows, names, strict=False)] == [True] * len(names), rows
    results = [row.split()[-1] for row in rows]
    assert set(results) <= {"pass", "FAIL", "report"}
    assert results[names.index("site bytes per entry")] == "report"
    for row in rows:
        assert re.search(r"\s[\d,]+\.?\d*( s| ms| KB)?\s", row), f"no value in {row!r}"
    assert status == (1 if "FAIL" in results else 0)


def test_table_lines_up_and_marks_failures() -> None:
    measures = [run.Measure("a ratio", 1.234, "", "<= 1.3", True), run.Measure("a longer time", 0.61, "s", "< 0.5 s", False)]
    assert run.table(measures).splitlines() == [
        "measure          value   target  result",
        "-------------  -------  -------  ------",
        "a ratio           1.23   <= 1.3  pass",
        "a longer time  0.610 s  < 0.5 s  FAIL",
    ]


#: a stand-in for the hecat executable: it records how it was called, and the export step writes its file
STAND_IN = """#!{python}
import json, os, sys
from pathlib import Path
import yaml
config = yaml.safe_load(Path(sys.argv[2]).read_text(encoding="utf-8"))
for step in config["steps"]:
    options = step["module_options"]
    with open({calls!r}, "a", encoding="utf-8") as calls:
        calls.write(json.dumps([step["module"], options["source_directory"], options.get("output_directory"),
                                os.getcwd()]) + "\\n")
    if options.get("exit"):
        print("There were errors during processing" if options["exit"] == 1 else "Traceback: boom")
        sys.exit(options["exit"])
    if step["module"] == "exporters/markdown_singlepage":
        names = sorted(os.listdir(Path(options["source_directory"]) / "software"))
        Path(options["output_directory"], options["output_file"]).write_text("".join(f"- {{n}}\\n" for n in names))
"""


def _stand_in(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "hecat"
    path.parent.mkdir()
    path.write_text(STAND_IN.format(python=sys.executable, calls=str(tmp_path / "calls.jsonl")), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _data(tmp_path: Path, software: int = 6, lint_exit: int = 0, export_exit: int = 0) -> Path:
    """A tiny awesome-selfhosted-data tree: ``software`` entries and the two configurations of its build."""
    data = tmp_path / "awesome-selfhosted-data"
    (data / "software").mkdir(parents=True)
    (data / ".hecat").mkdir()
    for number in range(software):
        (data / "software" / f"app-{number}.yml").write_text(f"name: App {number}\n", encoding="utf-8")
    lint = {"module": "processors/awesome_lint", "module_options": {"source_directory": "./", "exit": lint_exit}}
    export = {"module": "exporters/markdown_singlepage", "module_options": {
        "source_directory": "./", "output_directory": "awesome-selfhosted", "output_file": "README.md",
        "exclude_licenses": ["⊘ Proprietary"], "exit": export_exit}}
    (data / ".hecat" / "awesome-lint.yml").write_text(json.dumps({"steps": [lint]}), encoding="utf-8")
    (data / ".hecat" / "export-markdown.yml").write_text(json.dumps({"steps": [export]}), encoding="utf-8")
    return data


@pytest.mark.parametrize("missing", ["hecat", "data", "software", "config", "module"])
def test_head_to_head_without_hecat_or_data_says_so_in_one_line(
        tmp_path: Path, missing: str, capsys: pytest.CaptureFixture[str]) -> None:
    hecat_bin, data = _stand_in(tmp_path), _data(tmp_path)
    if missing == "hecat":
        hecat_bin = tmp_path / "nowhere" / "hecat"
    elif missing == "data":
        data = tmp_path / "nowhere"
    elif missing == "software":
        shutil.rmtree(data / "software")
    elif missing == "config":
        (data / ".hecat" / "export-markdown.yml").unlink()
    else:
        (data / ".hecat" / "awesome-lint.yml").write_text('{"steps": [{"module": "processors/url_check"}]}')
    assert hecat.main(["--hecat", str(hecat_bin), "--data", str(data), "--rounds", "1"]) == 2
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and err.startswith("hecat.py: "), err
    assert "Traceback" not in out + err
    assert not (tmp_path / "calls.jsonl").exists(), "nothing ran"


def test_head_to_head_emocat_side_checks_and_writes_a_readme(tmp_path: Path) -> None:
    root = realshaped(tmp_path / "catalog", 12)
    runs = hecat.emocat_round(root, tmp_path)
    assert set(runs) == {"check", "readme"}
    assert all(run.cpu > 0 and run.wall > 0 for run in runs.values()), runs
    assert "0 errors, 0 warnings" in (tmp_path / "emocat-check.log").read_text(encoding="utf-8")
    assert (tmp_path / "emocat-README.md").read_text(encoding="utf-8").count("](") > 12


def test_head_to_head_runs_the_data_repositorys_two_steps_interleaved(tmp_path: Path) -> None:
    """With a stand-in for hecat: its configurations read the data and write into a temporary folder, a lint
    that found problems in the data still counts, and the figures cover both sides."""
    data = _data(tmp_path, software=5, lint_exit=1)
    lines: list[str] = []
    figures = hecat.measure(_stand_in(tmp_path), data, 1, progress=lines.append)
    calls = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [call[0] for call in calls] == ["processors/awesome_lint", "exporters/markdown_singlepage"]
    assert {call[1] for call in calls} == {str(data)}
    output, cwd = Path(calls[1][2]), Path(calls[1][3])
    assert output.parent == cwd and data not in output.parents and data not in cwd.parents
    assert not output.exists(), "the temporary folder is removed"
    assert figures["entries"] == 5 and figures["rounds"] == 1 and figures["lint_problem_rounds"] == 1
    assert lines[0].startswith("5 software entries") and "5 real-shaped emocat entries" in lines[0]
    assert figures["emocat_check_cpu_best"] > 0 and figures["hecat_cpu_best"] > 0
    assert figures["ratio_cpu"] == figures["hecat_cpu_best"] / figures["emocat_cpu_best"]
    report = hecat.report(figures).splitlines()
    assert report[0] == "5 entries each, 1 round interleaved"
    assert report[-1].endswith("target >= 20x: " + ("pass" if figures["ratio_cpu"] >= 20 else "FAIL"))


def test_head_to_head_stops_on_a_failed_hecat_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path, software=3, export_exit=3)
    assert hecat.main(["--hecat", str(_stand_in(tmp_path)), "--data", str(data), "--rounds", "1"]) == 2
    assert capsys.readouterr().err == "hecat.py: hecat export failed (exit status 3): Traceback: boom\n"


def test_the_one_command_adds_the_head_to_head_when_given_hecat(tmp_path: Path) -> None:
    lines: list[str] = []
    measure = run.hecat_measure(_stand_in(tmp_path), _data(tmp_path, software=4), 1, lines.append)
    assert measure.name == "hecat / emocat, 4 entries (CPU, best)" and measure.target == ">= 20"
    assert measure.value > 0 and measure.passed == (measure.value >= 20)
    assert lines[-1].splitlines()[-1].startswith("hecat / emocat: ")


@pytest.mark.parametrize("given", [["--hecat", "x"], ["--hecat-data", "x"]])
def test_the_one_command_wants_hecat_and_its_data_together(given: list[str],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run.main(["--quick", *given])
    assert stopped.value.code == 2
    assert "--hecat and --hecat-data go together" in capsys.readouterr().err

"""The parse cache never changes a check's result, and files parsed on several cores give the same problems."""

from __future__ import annotations

import base64
import hashlib
import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogs import BASELINE, write_catalog
from emocat.catalog import parallel
from emocat.catalog.cache import ParseCache, default_path
from emocat.catalog.checks import check
from emocat.catalog.loader import EntryFile, Parsed, parse_files
from emocat.cli import cli
from emocat.errors import Problem

ENTRIES = {
    **BASELINE,
    "papers/broken": {"title": "Broken Later", "year": 2024},
    **{f"papers/paper-{i}": {"title": f"Paper number {i}", "year": 2020 + i % 5, "topics": ["survey"],
                            "links": {"paper": f"https://example.org/{i}"}} for i in range(12)},
}


def catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog", ENTRIES, files={"papers/bad-yaml.yaml": "title: [open\n"})


class Counting:
    """A parser that records which files it was asked to parse."""

    def __init__(self) -> None:
        self.parsed: list[str] = []

    def __call__(self, jobs: list[EntryFile], contents: list[bytes | None]) -> list[Parsed]:
        self.parsed += [job.entry_id for job in jobs]
        return parse_files(jobs)


def cached_check(root: Path) -> tuple[list[Problem], list[str]]:
    cache = ParseCache(default_path(root))
    cache.read()
    counting = Counting()
    return check(root, parser=cache.parser(counting))[1], counting.parsed


def test_a_second_check_parses_only_the_edited_file_and_sees_the_edit(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    fresh = check(root)[1]
    first, parsed = cached_check(root)
    assert first == fresh and len(parsed) == len(ENTRIES) + 1
    assert default_path(root).parent == tmp_path / ".emocat-cache"
    second, parsed = cached_check(root)
    assert second == fresh and parsed == []
    # an edit of the same length: only the content hash can tell
    path = root / "papers" / "broken.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("year: 2024", "year: 1024"), encoding="utf-8")
    third, parsed = cached_check(root)
    assert parsed == ["broken"]
    assert third == check(root)[1] != fresh
    assert any(p.path == str(path) and p.field == "year" for p in third)


def test_a_deleted_file_is_forgotten_and_a_yaml_error_is_remembered_with_its_place(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    cached_check(root)
    (root / "papers" / "paper-3.yaml").unlink()
    problems, parsed = cached_check(root)
    assert parsed == [] and problems == check(root)[1]
    assert any(p.rule == "yaml-syntax" and p.path.endswith("bad-yaml.yaml") for p in problems)
    cache = ParseCache(default_path(root))
    cache.read()
    assert "papers/paper-3" not in cache.records and "papers/bad-yaml" in cache.records


def _forge(path: Path, records: object, **header: object) -> None:
    payload = base64.b64encode(pickle.dumps(records))
    meta = json.loads(path.read_bytes().partition(b"\n")[0])
    meta.update(digest=hashlib.sha256(payload).hexdigest(), **header)
    path.write_bytes(json.dumps(meta).encode() + b"\n" + payload)


class Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("a cache ran code",))


@pytest.mark.parametrize("damage", [
    "truncated", "garbage", "empty", "other version", "other code", "wrong digest", "code in the pickle",
    "not a mapping", "records of the wrong shape", "a folder",
])
def test_a_corrupt_or_foreign_cache_is_ignored(tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = catalog(tmp_path)
    fresh = check(root)[1]
    cached_check(root)
    path = default_path(root)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(bytes(range(256)) * 10)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "other version":
        path.write_bytes(data.replace(b'"version": 1', b'"version": 99', 1))
    elif damage == "other code":
        path.write_bytes(data.replace(b'"fingerprint": "', b'"fingerprint": "0', 1))
    elif damage == "wrong digest":
        header, _, payload = data.partition(b"\n")
        path.write_bytes(header + b"\n" + payload[:-8] + b"AAAAAAA=")
    elif damage == "code in the pickle":
        _forge(path, {"papers/paper-1": (b"x", Boom())})
    elif damage == "not a mapping":
        _forge(path, ["a", "list"])
    elif damage == "records of the wrong shape":
        _forge(path, {"papers/paper-1": ("not bytes", {}), "papers/paper-2": (b"h", ("a", "b"))})
    else:
        path.unlink()
        path.mkdir()
    problems, parsed = cached_check(root)
    assert problems == fresh
    assert "a cache ran code" not in capsys.readouterr().out
    if damage != "a folder":
        assert len(parsed) == len(ENTRIES) + 1  # nothing was taken from it
        assert cached_check(root) == (fresh, [])  # and it was replaced by a good one


def test_a_forged_record_cannot_let_an_invalid_entry_through(tmp_path: Path) -> None:
    """Remembered fields are validated like fresh ones: a record that lies still meets the models."""
    root = catalog(tmp_path)
    cached_check(root)
    cache = ParseCache(default_path(root))
    cache.read()
    digest, fields = cache.records["papers/paper-1"]
    cache.records["papers/paper-1"] = (digest, {**fields, "year": "not a year"})
    cache.write()
    problems, _ = cached_check(root)
    assert any(p.path.endswith("paper-1.yaml") and p.field == "year" for p in problems)


def test_an_unwritable_cache_folder_leaves_the_check_as_it_is(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    (tmp_path / ".emocat-cache").write_text("a file where the folder should be", encoding="utf-8")
    assert cached_check(root)[0] == check(root)[1]


def test_the_command_line_check_uses_the_cache_and_no_cache_skips_it(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    runner = CliRunner()
    skipped = runner.invoke(cli, ["--catalog", str(root), "check", "--no-cache"])
    assert not (tmp_path / ".emocat-cache").exists()
    first = runner.invoke(cli, ["--catalog", str(root), "check"])
    assert default_path(root).is_file()
    second = runner.invoke(cli, ["--catalog", str(root), "check"])
    assert skipped.output == first.output == second.output and first.exit_code == 1


@pytest.mark.parametrize("processes", [2, 3])
def test_parsing_on_several_cores_gives_the_same_problems_in_the_same_order(tmp_path: Path, processes: int) -> None:
    root = catalog(tmp_path)
    serial_catalog, serial = check(root)
    parallel_catalog, found = check(root, parser=parallel.parser(processes=processes, threshold=0))
    assert found == serial
    assert list(parallel_catalog.paths) == list(serial_catalog.paths)
    assert list(parallel_catalog.entries()) == list(serial_catalog.entries())


def test_parsed_fields_and_yaml_errors_come_back_from_the_workers_as_they_are(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    jobs = [EntryFile(path, path.parent.name, path.stem) for path in sorted(root.glob("*/*.yaml"))]
    contents = [job.path.read_bytes() if index % 2 else None for index, job in enumerate(jobs)]
    assert parallel.parse_many(jobs, contents, processes=2, threshold=0) == parse_files(jobs)

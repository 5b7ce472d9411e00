"""The preview renders only the pages a change can alter: on random edits of a generated catalog, every page
whose content a full build changes is among them, and rendering just those gives the full build's pages."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from emocat.catalog.checks import load_valid
from emocat.catalog.live import LiveCatalog
from emocat.catalog.loader import load
from emocat.errors import CatalogError
from emocat.outputs.site import pages as site
from emocat.outputs.site.affected import affected
from emocat.outputs.site.data import SiteData
from emocat.outputs.site.preview import Preview
from emocat.store.writer import dump_yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import generate

Fields = dict[str, Any]


def _read(path: Path) -> Fields:
    return dict(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def _write(path: Path, fields: Fields) -> None:
    path.write_text(dump_yaml(fields), encoding="utf-8")


def _pick(root: Path, folder: str, rng: random.Random) -> Path:
    return rng.choice(sorted((root / folder).glob("*.yaml")))


def _change(root: Path, folder: str, rng: random.Random, change: Callable[[Fields], None]) -> None:
    """Rewrite one entry of ``folder``, picked at random, with ``change`` applied to its fields."""
    path = _pick(root, folder, rng)
    fields = _read(path)
    change(fields)
    _write(path, fields)


def _retitle(root: Path, rng: random.Random) -> None:
    _change(root, "papers", rng, lambda fields: fields.update(
        title=f"Renamed {rng.randint(0, 10**6)}: {fields['title']}"))


def _reauthor(root: Path, rng: random.Random) -> None:
    def change(fields: Fields) -> None:
        other = _read(_pick(root, "papers", rng))
        names = list(dict.fromkeys([*other.get("authors", [])[:2], rng.choice(["Ada Byron", "A. Byron", "Li, Wei"])]))
        fields["authors"] = names + fields.get("authors", [])[2:]
    _change(root, "papers", rng, change)


def _redate(root: Path, rng: random.Random) -> None:
    _change(root, "papers", rng, lambda fields: fields.update(year=rng.randint(2018, 2026), month=rng.randint(1, 12)))


def _retag(root: Path, rng: random.Random) -> None:
    folder = rng.choice(["papers", "models"])
    _change(root, folder, rng, lambda fields: fields.update(
        topics=rng.sample(["survey", "reasoning", "emotion-mllm", "milestone"], rng.randint(0, 2))))


def _add_paper(root: Path, rng: random.Random) -> None:
    fields = _read(_pick(root, "papers", rng))
    fields["title"] = f"A New Paper {rng.randint(0, 10**6)}: {fields['title']}"
    for key in ("arxiv", "doi", "links", "introduces"):
        fields.pop(key, None)
    _write(root / "papers" / f"new-paper-{rng.randint(0, 10**6)}.yaml", fields)


def _remove_unreferenced(root: Path, rng: random.Random) -> None:
    catalog, _ = load(root)
    folder = rng.choice(["papers", "models", "datasets"])
    free = sorted(set(catalog.by_kind(folder)) - set(catalog.referrers))
    if free:
        (root / folder / f"{rng.choice(free)}.yaml").unlink()


def _rename_model(root: Path, rng: random.Random) -> None:
    def change(fields: Fields) -> None:
        fields["name"] = f"Renamed-{rng.randint(0, 10**6)}"
        if rng.random() < 0.5:
            fields.pop("release", None)
    _change(root, "models", rng, change)


def _rename_dataset(root: Path, rng: random.Random) -> None:
    _change(root, "datasets", rng, lambda fields: fields.update(name=f"Renamed-Set-{rng.randint(0, 10**6)}"))


def _rescore(root: Path, rng: random.Random) -> None:
    def change(fields: Fields) -> None:
        if fields.get("results"):
            result = rng.choice(fields["results"])
            result["value"] = Decimal(str(round(rng.uniform(0, 99), 2)))
            if rng.random() < 0.3:
                fields["results"].remove(result)
    _change(root, "benchmarks", rng, change)


EDITS: list[Callable[[Path, random.Random], None]] = [
    _retitle, _reauthor, _redate, _retag, _add_paper, _remove_unreferenced, _rename_model, _rename_dataset, _rescore,
]


def _full(root: Path, project: Path) -> dict[str, tuple[str, bool, Any]]:
    pages = site.build_pages(load_valid(root), project=project)
    return {page.path: (page.content, page.in_nav, page.meta) for page in pages}


def _undo(root: Path, files: dict[Path, bytes]) -> None:
    for path in root.glob("*/*.yaml"):
        if path not in files:
            path.unlink()
    for path, content in files.items():
        path.write_bytes(content)


@pytest.mark.parametrize("seed", range(3))
def test_the_preview_renders_what_a_change_alters_and_gives_the_full_builds_pages(tmp_path: Path, seed: int) -> None:
    root = generate(tmp_path / "catalog", 60, seed=seed)
    project = Path(__file__).resolve().parents[2]
    preview = Preview(root, project=project)
    assert preview.update().everything
    shown = set(preview.pages)
    rng = random.Random(seed)
    checked: list[str] = []
    refused: list[str] = []
    for _ in range(14):
        edit = rng.choice(EDITS)
        files = {path: path.read_bytes() for path in root.glob("*/*.yaml")}
        edit(root, rng)
        try:
            update = preview.update()
        except CatalogError as error:  # an edit that breaks a rule (a duplicate title, say): undone
            refused.append(f"{edit.__name__}: {error.problems[0].format()}")
            _undo(root, files)
            continue
        full = _full(root, project)
        kept = {path: (page.content, page.in_nav, page.meta) for path, page in preview.pages.items()}
        assert list(kept) == list(full), edit.__name__
        wrong = sorted(path for path in full if kept[path] != full[path])
        assert not wrong, f"{edit.__name__}: pages the preview kept that a full build changes: {wrong}"
        assert not update.everything and len(update.rendered) < len(full) / 4, edit.__name__
        assert update.removed == shown - full.keys()
        shown = set(full)
        checked.append(edit.__name__)
    assert len(checked) >= 10, refused


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_the_authors_kept_from_the_last_build_are_those_a_new_build_finds(tmp_path: Path, edit) -> None:
    root = generate(tmp_path / "catalog", 60, seed=3)
    project = Path(__file__).resolve().parents[2]
    live = LiveCatalog(root)
    before = SiteData(live.reload().catalog, project=project)
    _ = before.authors, before.coauthors, before.author_urls, before.citation_keys
    rng = random.Random(7)
    for _ in range(20):  # some draws change nothing (no entry is free to remove, say)
        edit(root, rng)
        reload = live.reload()
        if reload.changed:
            break
    assert reload.changed
    kept = SiteData(reload.catalog, project=project)
    kept.keep_authors(before, reload.changed)
    fresh = SiteData(reload.catalog, project=project)
    assert kept.authors == fresh.authors
    assert kept.coauthors == fresh.coauthors
    assert kept.author_urls == fresh.author_urls
    assert kept.citation_keys == fresh.citation_keys
    assert kept.author_pages_shown == fresh.author_pages_shown
    papers = {paper.id: paper for author in kept.authors for paper in author.papers}
    assert all(papers[paper_id] is paper for paper_id, paper in reload.catalog.papers.items() if paper_id in papers)


def test_affected_pages_are_a_small_part_of_the_site_and_hold_what_changed(tmp_path: Path) -> None:
    root = generate(tmp_path / "catalog", 60)
    project = Path(__file__).resolve().parents[2]
    live = LiveCatalog(root)
    before = SiteData(live.reload().catalog, project=project)
    path = sorted((root / "papers").glob("*.yaml"))[3]
    _write(path, {**_read(path), "title": "A Title Changed For The Preview"})
    reload = live.reload()
    after = SiteData(reload.catalog, project=project)
    found = affected(before, after, reload.changed or ())
    assert f"papers/{path.stem}/index.md" in found.pages and "papers/index.md" in found.pages
    assert "datasets/index.md" not in found.pages and "results/index.md" not in found.pages
    for target in _read(path).get("uses", []) + _read(path).get("introduces", []):
        assert any(page.endswith(f"/{target}/index.md") for page in found.pages)


def test_a_reload_reads_only_the_files_that_changed(tmp_path: Path) -> None:
    root = generate(tmp_path / "catalog", 40)
    live = LiveCatalog(root)
    first = live.reload().catalog
    path = sorted((root / "papers").glob("*.yaml"))[0]
    _write(path, {**_read(path), "title": "A Title Changed For The Preview"})
    second = live.reload()
    assert second.changed == frozenset({path.stem})
    unchanged = [entry_id for entry_id in first.paths if entry_id != path.stem]
    assert all(second.catalog.get(entry_id) is first.get(entry_id) for entry_id in unchanged)
    assert second.catalog.get(path.stem).title == "A Title Changed For The Preview"  # type: ignore[union-attr]
    assert list(second.catalog.papers) == list(first.papers)
    assert live.reload().changed == frozenset()


def test_a_reload_that_finds_errors_keeps_nothing_of_the_bad_files(tmp_path: Path) -> None:
    root = generate(tmp_path / "catalog", 40)
    live = LiveCatalog(root)
    live.reload()
    path = sorted((root / "papers").glob("*.yaml"))[0]
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title:", "title: [unclosed"), encoding="utf-8")
    with pytest.raises(CatalogError) as failed:
        live.reload()
    assert str(path) in failed.value.problems[0].format()
    path.write_text(good, encoding="utf-8")
    assert live.reload().changed == frozenset()


def test_a_change_of_the_vocabulary_changes_everything(tmp_path: Path) -> None:
    root = generate(tmp_path / "catalog", 40)
    live = LiveCatalog(root)
    live.reload()
    vocabulary = root / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace("name: Survey", "name: Surveys", 1),
                          encoding="utf-8")
    assert live.reload().changed is None


def test_a_reload_locates_a_problem_in_the_file_as_it_is_now(tmp_path: Path) -> None:
    """The rules' texts are kept between reloads for the files that did not change, never for one that did."""
    root = generate(tmp_path / "catalog", 40)
    live = LiveCatalog(root)
    live.reload()  # the rules have read every file's text
    path = sorted((root / "papers").glob("*.yaml"))[0]
    fields = {name: value for name, value in _read(path).items() if name != "uses"}

    def error_line(fields: Fields) -> int:
        _write(path, fields)
        with pytest.raises(CatalogError) as failed:
            live.reload()
        [problem] = [p for p in failed.value.problems if p.rule == "unknown-reference"]
        assert problem.path == str(path)
        return problem.line

    near = error_line({"title": fields["title"], "uses": ["no-such-dataset"], **fields})
    far = error_line({**fields, "uses": ["no-such-dataset"]})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "no-such-dataset" in lines[far - 1] and far > near, (near, far)

"""``emocat build --pages-dir``: the site as plain files, built by MkDocs and ProperDocs without the plugin, into
the same pages the plugin builds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, fixture_catalog
from emocat.catalog.checks import load_valid
from emocat.commands.build import build_site
from emocat.commands.pages import MARKER, dump_config, front_matter, read_config, write_pages
from emocat.errors import UsageError
from emocat.outputs.site import pages as site


def _project(root: Path) -> Path:
    """The fixture catalog with the repository's mkdocs.yml and hand-written docs/."""
    fixture_catalog(root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("pages-project"))
    write_pages(load_valid(root / "catalog"), root, root / "pages", config_file=root / "mkdocs.yml")
    return root


def test_the_pages_are_the_plugins_pages_with_their_metadata_as_front_matter(project: Path) -> None:
    built = site.build(load_valid(project / "catalog"), project=project)
    docs = project / "pages" / "docs"
    for page in built.pages:
        text = (docs / page.path).read_bytes().decode("utf-8")
        assert text == front_matter(page.meta) + page.content, page.path
        if page.meta:
            head = yaml.safe_load(text.split("---\n")[1])
            assert head == json.loads(json.dumps(page.meta)), page.path  # what the plugin sets, tuples as lists
    for path, content in built.files.items():
        assert (docs / path).read_bytes() == content.encode("utf-8"), path
    for path, source in built.assets.items():
        assert (docs / path).read_bytes() == source.read_bytes(), path
    for hand_written in (REPO / "docs").glob("*.md"):
        assert (docs / hand_written.name).read_bytes() == hand_written.read_bytes()
    assert (project / "pages" / "overrides" / "main.html").is_file()


def test_the_plain_config_has_no_emocat_plugin(project: Path) -> None:
    text = (project / "pages" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "emocat:" not in text and "!ENV" not in text
    config = yaml.safe_load(text)
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert config["theme"]["font"] is False
    assert config["plugins"] == []  # not even MkDocs' default search: the site's search is Pagefind's
    assert {"assets/emocat.css"} <= set(config["extra_css"])
    scripts = config["extra_javascript"]
    assert scripts.index("assets/emocat-tables.js") < scripts.index("assets/emocat.js")  # the table model first
    assert "assets/search.js" in scripts
    assert "/papers/*/index.md" in config["not_in_nav"].splitlines()


def test_a_second_run_replaces_the_folder(project: Path, tmp_path: Path) -> None:
    root = _project(tmp_path)
    pages = root / "pages"
    write_pages(load_valid(root / "catalog"), root, pages, config_file=root / "mkdocs.yml")
    (pages / "docs" / "stale.md").write_text("old\n", encoding="utf-8")
    write_pages(load_valid(root / "catalog"), root, pages, config_file=root / "mkdocs.yml")
    assert not (pages / "docs" / "stale.md").exists() and (pages / MARKER).is_file()
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def _with_option(root: Path, value: str) -> Path:
    """``root``'s mkdocs.yml with the emocat plugin's large_tables option set to ``value`` (read as YAML)."""
    config = read_config(root / "mkdocs.yml")
    (plugin,) = [p for p in config["plugins"] if isinstance(p, dict) and "emocat" in p]
    plugin["emocat"]["large_tables"] = yaml.safe_load(value)
    (root / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    return root / "mkdocs.yml"


def test_the_pages_carry_large_tables_as_the_plugin_option_says(project: Path, tmp_path: Path) -> None:
    assert "data-emocat-rows" not in (project / "pages" / "docs" / "papers" / "index.md").read_text(encoding="utf-8")
    root = _project(tmp_path)
    catalog = load_valid(root / "catalog")
    write_pages(catalog, root, root / "pages", config_file=_with_option(root, str(len(catalog.papers) - 1)))
    page = (root / "pages" / "docs" / "papers" / "index.md").read_text(encoding="utf-8")
    assert 'data-emocat-rows="emocat-papers-rows"' in page
    assert "large_tables" not in (root / "pages" / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("value", "message"), [("many", "must be a whole number, not 'many'"),
                                                ("true", "must be a whole number, not True"),
                                                ("-1", "large_tables is -1")])
def test_a_large_tables_option_that_is_not_a_count_is_refused(tmp_path: Path, value: str, message: str) -> None:
    root = _project(tmp_path)
    with pytest.raises(UsageError, match=re.escape(message)):
        write_pages(load_valid(root / "catalog"), root, root / "pages", config_file=_with_option(root, value))
    assert not (root / "pages").exists()


@pytest.mark.parametrize("target", [".", "catalog", "docs", "catalog/papers", "mine"])
def test_it_never_replaces_a_folder_it_did_not_write(tmp_path: Path, target: str) -> None:
    root = _project(tmp_path)
    (root / "mine").mkdir()
    (root / "mine" / "notes.md").write_text("keep me\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(UsageError, match="--pages-dir"):
        write_pages(load_valid(root / "catalog"), root, root / target, config_file=root / "mkdocs.yml")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _build(command: list[str], cwd: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EMOCAT_CATALOG", None)
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"


@pytest.mark.slow
def test_mkdocs_builds_the_same_site_from_the_folder(project: Path, tmp_path: Path) -> None:
    _build([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "plain")],
           project / "pages")
    # the search step of docs/pages-folder.md, which reads pages/pagefind.yml (here into another output folder)
    assert "\npython -m pagefind\n" in (REPO / "docs" / "pages-folder.md").read_text(encoding="utf-8")
    _build([sys.executable, "-m", "pagefind", "--site", str(tmp_path / "plain")], project / "pages")
    build_site(project / "mkdocs.yml", tmp_path / "plugin", project / "catalog")
    plain = {p.relative_to(tmp_path / "plain").as_posix() for p in (tmp_path / "plain").rglob("*") if p.is_file()}
    plugin = {p.relative_to(tmp_path / "plugin").as_posix() for p in (tmp_path / "plugin").rglob("*") if p.is_file()}
    # Pagefind writes each filter's values in a random order, and names the filter and meta files by a hash of them
    shuffled = re.compile(r"pagefind/(filter/.*|pagefind\..*\.pf_meta)")
    assert len({n for n in plain if shuffled.fullmatch(n)}) == len({n for n in plugin if shuffled.fullmatch(n)}) > 0
    plain, plugin = {n for n in plain if not shuffled.fullmatch(n)}, {n for n in plugin if not shuffled.fullmatch(n)}
    assert plain == plugin  # the search index too: the same pages give the same fragment and index files
    unordered = {"sitemap.xml", "sitemap.xml.gz", "pagefind/pagefind-entry.json"}  # the last names the meta file
    for name in sorted(plain - unordered):
        ours, theirs = (tmp_path / "plain" / name).read_bytes(), (tmp_path / "plugin" / name).read_bytes()
        if name.endswith(".html"):
            assert _normalised(ours.decode()) == _normalised(theirs.decode()), name
        else:
            assert ours == theirs, name


@pytest.mark.slow
def test_properdocs_builds_the_site_from_the_folder(project: Path, tmp_path: Path) -> None:
    if importlib.util.find_spec("properdocs") is None:
        pytest.skip("properdocs is not installed (pip install properdocs; it is in the test extra)")
    _build([sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "out")],
           project / "pages")
    catalog = load_valid(project / "catalog")
    for entry in catalog.entries():
        page = tmp_path / "out" / entry.folder / entry.id / "index.html"
        assert page.is_file(), entry.id
    paper = (tmp_path / "out" / "papers" / "alpha-net" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_title" content="AlphaNet: Listening to Emotions">' in paper
    assert '"@type": "ScholarlyArticle"' in paper
    for name in ("catalog.json", "catalog.bib", "catalog.csv", "feed.xml", "assets/emocat.js"):
        assert (tmp_path / "out" / name).is_file(), name


@pytest.mark.slow
def test_zensical_builds_the_site_from_the_folder(project: Path, tmp_path: Path) -> None:
    """Zensical is not in the test extra (it replaces MkDocs and Material); run when it is installed."""
    if importlib.util.find_spec("zensical") is None:
        pytest.skip("zensical is not installed (pip install zensical to run this test)")
    pages = tmp_path / "pages"
    shutil.copytree(project / "pages", pages)
    _build([sys.executable, "-m", "zensical", "build"], pages)
    for entry in load_valid(project / "catalog").entries():
        assert (pages / "site" / entry.folder / entry.id / "index.html").is_file(), entry.id
    paper = (pages / "site" / "papers" / "alpha-net" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_title" content="AlphaNet: Listening to Emotions">' in paper

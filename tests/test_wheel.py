"""The wheel carries everything a new project needs: built, installed outside the repository, and run from an
empty folder through the whole workflow (init, import, check, readme, build)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AWESOME_LIST = REPO / "tests" / "fixtures" / "init" / "awesome-tiny-graphs.md"

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # A copy of the sources, so the build leaves nothing in the working tree.
    source = out / "source"
    top_level = {".venv", ".git", "node_modules", ".cache", "site", "build", "dist", "test-output", ".emocat-cache"}
    anywhere = shutil.ignore_patterns("*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                      ".hypothesis")

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(anywhere(folder, names)) | (top_level & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, source, ignore=ignore)
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", *isolation, "-q", "-w", str(out)], cwd=source)
    [found] = out.glob("emocat-*.whl")
    return found


def test_the_wheel_carries_templates_theme_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in sorted((REPO / "templates").rglob("*")):
        if template.is_file():
            assert f"emocat/templates/{template.relative_to(REPO / 'templates').as_posix()}" in names, template
    assert "emocat/templates/site/theme/main.html" in names
    assert {f"emocat/outputs/site/assets/{name}" for name in ("emocat-tables.js", "emocat.js", "emocat.css", "search.js",
                                                               "search.css")} <= names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment outside the repository with the wheel installed; its dependencies are this
    environment's (a path line, so none of this environment's own emocat install is picked up)."""
    root = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(root)], cwd=root.parent)
    python = root / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=root).stdout.strip())
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], cwd=root)
    return root


def test_the_whole_workflow_from_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    emocat = venv / "bin" / "emocat"
    project = tmp_path / "awesome-tiny-graphs"
    project.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "EMOCAT_CATALOG")}
    env.update(NO_MKDOCS_2_WARNING="1", PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    where = _run([str(venv / "bin" / "python"), "-c", "import emocat; print(emocat.__file__)"], project, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    shutil.copy(AWESOME_LIST, tmp_path / "list.md")
    _run([str(emocat), "init", "--title", "Awesome Tiny Graphs"], project, env)
    imported = _run([str(emocat), "import", "awesome", str(tmp_path / "list.md")], project, env)
    assert "0 not imported" in imported.stdout
    checked = _run([str(emocat), "check"], project, env)
    assert checked.stdout.splitlines()[-1].startswith("0 errors, ")
    _run([str(emocat), "readme"], project, env)
    _run([str(emocat), "readme", "--check"], project, env)
    built = _run([str(emocat), "build"], project, env)
    assert "built the site for" in built.stdout
    assert (project / "site" / "papers" / "message-passing-for-small-graphs" / "index.html").is_file()
    assert (project / "site" / "pagefind" / "pagefind.js").is_file()  # the search index of the init template's site
    new = _run([str(emocat), "new", "paper", "another-paper"], project, env)
    assert "created" in new.stdout and (project / "catalog" / "papers" / "another-paper.yaml").is_file()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "Message Passing for Small Graphs" in readme

"""``emocat build``: check the catalog, write the README, then build the site with ``mkdocs build --strict``.

The site is built into a fresh hidden folder beside ``--site-dir`` and swapped in only when the build
succeeded, so a failed or killed build leaves the previous site whole. ``--site-dir`` can never be (or
contain, or lie inside) the catalog, the templates, the docs or the project folder.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from emocat.catalog.checks import load_valid
from emocat.commands.pages import write_pages
from emocat.errors import EmocatError, UsageError
from emocat.outputs.readme.render import write_readme
from emocat.store.files import pid_alive

_BUILDING = ".emocat-building"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    entries: int
    readme: Path
    site_dir: Path


def _related(a: Path, b: Path) -> bool:
    """True if ``a`` and ``b`` are the same folder or one contains the other."""
    return a == b or a in b.parents or b in a.parents


def check_site_dir(site_dir: Path, *, project: Path, catalog: Path) -> Path:
    """The resolved ``site_dir``, or ``UsageError`` if building there could delete or overwrite sources."""
    target = site_dir.resolve()
    project = project.resolve()
    if target == project or target in project.parents:
        raise UsageError(f"--site-dir {site_dir} is the project folder or contains it; choose a folder such as site/")
    protected = {"catalog": catalog.resolve(), "templates": project / "templates", "docs": project / "docs",
                 "git": project / ".git", "src": project / "src", "tests": project / "tests"}
    for name, folder in protected.items():
        if _related(target, folder):
            raise UsageError(f"--site-dir {site_dir} overlaps the {name} folder {folder}; choose a folder such as site/")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--site-dir {site_dir} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        raise UsageError(f"--site-dir {site_dir} holds files but no built site (no index.html); it was left untouched")
    return target


@functools.cache
def _renameat2() -> object:
    function = ctypes.CDLL(None, use_errno=True).renameat2
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (``renameat2(RENAME_EXCHANGE)``); False where the system cannot."""
    try:
        function = _renameat2()
    except (AttributeError, OSError):
        return False
    done: int = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    return done == 0


def _sweep(parent: Path, name: str) -> None:
    """Remove folders left by builds that were killed (their process is gone)."""
    for leftover in parent.glob(f".{name}.*{_BUILDING}"):
        pid = leftover.name.removesuffix(_BUILDING).rsplit(".", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)



def swap_in(fresh: Path, target: Path) -> None:
    """Make ``fresh`` the folder at ``target``; the old site, if any, is removed after the swap."""
    if not target.exists():
        os.rename(fresh, target)
        return
    if not _exchange(fresh, target):  # two renames: for an instant there is no site, never half a site
        old = fresh.with_name(fresh.name + ".old")
        os.rename(target, old)
        os.rename(fresh, target)
        fresh = old
    shutil.rmtree(fresh, ignore_errors=True)


def build_site(config_file: Path, site_dir: Path, catalog: Path) -> None:
    """Run ``mkdocs build --strict`` on ``config_file`` for ``catalog`` into a fresh folder, then swap it in."""
    if not config_file.is_file():
        raise UsageError(f"no MkDocs configuration at {config_file}; run emocat build next to mkdocs.yml")
    target = check_site_dir(site_dir, project=config_file.resolve().parent, catalog=catalog)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target.parent, target.name)
    fresh = target.parent / f".{target.name}.{os.getpid()}{_BUILDING}"
    shutil.rmtree(fresh, ignore_errors=True)
    env = {**os.environ, "EMOCAT_CATALOG": str(catalog.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(fresh)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            output = "\n".join(part.strip() for part in (done.stdout, done.stderr) if part.strip())
            raise EmocatError(f"mkdocs build --strict failed (the previous site is unchanged):\n{output}")
        swap_in(fresh, target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def build(catalog: Path, site_dir: Path, *, config_file: Path = Path("mkdocs.yml"),
          pages_dir: Path | None = None) -> BuildReport:
    """Check the catalog (errors stop the build), write the README, and build the site; with ``pages_dir``,
    write the site as plain files there instead of running MkDocs."""
    if pages_dir is None:
        check_site_dir(site_dir, project=config_file.resolve().parent, catalog=catalog)  # before anything is written
    loaded = load_valid(catalog)
    readme = write_readme(loaded, catalog.resolve().parent)
    if pages_dir is not None:
        write_pages(loaded, catalog.resolve().parent, pages_dir, config_file=config_file)
        return BuildReport(len(loaded), readme, pages_dir)
    build_site(config_file, site_dir, catalog)
    return BuildReport(len(loaded), readme, site_dir)

"""``emocat build``: check the catalog, write the README, then build the site with ``mkdocs build --strict``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from emocat.catalog.checks import load_valid
from emocat.errors import EmocatError, UsageError
from emocat.outputs.readme.render import write_readme


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    entries: int
    readme: Path
    site_dir: Path


def build_site(config_file: Path, site_dir: Path, catalog: Path) -> None:
    """Run ``mkdocs build --strict`` on ``config_file`` for ``catalog``, into ``site_dir``."""
    if not config_file.is_file():
        raise UsageError(f"no MkDocs configuration at {config_file}; run emocat build next to mkdocs.yml")
    env = {**os.environ, "EMOCAT_CATALOG": str(catalog.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "-f", str(config_file), "-d", str(site_dir.resolve())]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = "\n".join(part.strip() for part in (done.stdout, done.stderr) if part.strip())
        raise EmocatError(f"mkdocs build --strict failed:\n{output}")


def build(catalog: Path, site_dir: Path, *, config_file: Path = Path("mkdocs.yml")) -> BuildReport:
    """Check the catalog (errors stop the build), write the README, and build the site."""
    loaded = load_valid(catalog)
    readme = write_readme(loaded, catalog.resolve().parent)
    build_site(config_file, site_dir, catalog)
    return BuildReport(len(loaded), readme, site_dir)

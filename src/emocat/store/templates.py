"""Where templates live: a project's own ``templates/`` folder first, then the packaged defaults.

Plain paths, no template engine: ``check`` finds the scaffolds' comments here without loading Jinja.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
PACKAGED = _PACKAGE / "templates"
SOURCE_TREE = _PACKAGE.parents[1] / "templates"


def template_dirs(project: Path | None) -> list[Path]:
    """The template folders of ``project``, the one that overrides first."""
    dirs = []
    if project is not None and (project / "templates").is_dir():
        dirs.append(project / "templates")
    dirs += [d for d in (PACKAGED, SOURCE_TREE) if d.is_dir() and d not in dirs]
    return dirs

"""The import direction of DESIGN §9, read from the source with ``ast``.

errors <- models <- loader <- checks <- render <- {cli, plugin}; the other library modules sit beside these
at the rank given below. A module may import modules of its own rank or lower, never higher; cli and plugin
never import each other; only cli imports click and only plugin imports mkdocs. A module missing from
``RANKS`` counts as a library module (rank ``LIBRARY``): it may not import cli or plugin, and the spine
below it may not import it until it is given a rank here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "emocat"

RANKS: dict[str, int] = {
    # foundations: no emocat imports below them
    "emocat": 0,
    "errors": 0,
    "yamlio": 0,
    "clock": 0,
    # the data model
    "models": 1,
    # reading, writing and clients beside the loader
    "loader": 2,
    "writer": 2,
    "files": 0,
    "comments": 2,
    "templating": 2,
    "modalities": 2,
    "bibtex": 2,
    "charts": 2,
    "sources": 2,
    # checks and the library features built on a loaded catalog
    "checks": 3,
    "schema": 3,
    "formatting": 3,
    "scaffold": 3,
    "importer": 3,
    "adding": 3,
    "enrich": 3,
    "links": 3,
    "export": 3,
    "feed": 3,
    "boards": 3,
    # rendering and whole-project builds (the site's pages reuse render's leaderboards and counts)
    "render": 4,
    "site": 4,
    "build": 4,
    # the adapters
    "cli": 5,
    "plugin": 5,
    "__main__": 6,
}
LIBRARY = 4
ADAPTERS = {"cli", "plugin", "__main__"}
#: third-party packages that only one module may import
OWNED = {"click": "cli", "mkdocs": "plugin"}


def _group(module: str) -> str:
    """``emocat.sources.arxiv`` -> ``sources``; ``emocat`` -> ``emocat``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def rank(module: str) -> int:
    return RANKS.get(_group(module), LIBRARY)


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every module ``module`` imports (at any depth, also under TYPE_CHECKING), absolute names."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(base)
            # ``from emocat import yamlio`` imports the module emocat.yamlio
            found += [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
    return found


def violations(module: str, imported: list[str]) -> list[str]:
    """What is wrong with ``module`` importing ``imported``."""
    wrong = []
    group = _group(module)
    for target in imported:
        top = target.split(".")[0]
        if top in OWNED and OWNED[top] != group:
            wrong.append(f"{module} imports {target}; only emocat.{OWNED[top]} may")
        if top != "emocat":
            continue
        target_group = _group(target)
        if target_group == group:
            continue
        if {group, target_group} == {"cli", "plugin"}:
            wrong.append(f"{module} imports {target}; cli and plugin never import each other")
        elif target_group in ADAPTERS and group not in ADAPTERS:
            wrong.append(f"{module} imports {target}; library modules never import the adapters")
        elif rank(target) > rank(module):
            wrong.append(f"{module} (rank {rank(module)}) imports {target} (rank {rank(target)}): upward")
    return wrong


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_imports_follow_the_dependency_direction(path: Path) -> None:
    module = _module_name(path)
    found = imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    assert violations(module, found) == []


def test_the_spine_is_strictly_ordered() -> None:
    spine = ["errors", "models", "loader", "checks", "render", "cli"]
    assert [RANKS[name] for name in spine] == sorted({RANKS[name] for name in spine})
    assert RANKS["plugin"] == RANKS["cli"]


@pytest.mark.parametrize(
    ("module", "source", "problem"),
    [
        ("emocat.models", "from emocat.loader import load", "upward"),
        ("emocat.errors", "from emocat import models", "upward"),
        ("emocat.loader", "import emocat.checks", "upward"),
        ("emocat.checks", "def f():\n    from emocat.render import x", "upward"),
        ("emocat.checks", "from .render import x", "upward"),
        ("emocat.cli", "from emocat.plugin import EmocatPlugin", "never import each other"),
        ("emocat.plugin", "from emocat import cli", "never import each other"),
        ("emocat.render", "import click", "only emocat.cli may"),
        ("emocat.checks", "from mkdocs.plugins import BasePlugin", "only emocat.plugin may"),
        ("emocat.somethingnew", "from emocat.cli import main", "never import the adapters"),
        ("emocat.models", "from emocat.somethingnew import x", "upward"),
        ("emocat.sources.arxiv", "from emocat.checks import check", "upward"),
    ],
)
def test_the_rule_catches_wrong_imports(module: str, source: str, problem: str) -> None:
    found = violations(module, imports(source, module))
    assert found and problem in found[0], found


def test_the_rule_allows_what_the_design_allows() -> None:
    allowed = [
        ("emocat.cli", "import click\nfrom emocat.checks import check\nfrom emocat.errors import Problem"),
        ("emocat.plugin", "from mkdocs.plugins import BasePlugin\nfrom emocat import site, templating"),
        ("emocat.checks", "from emocat.loader import load\nfrom emocat.models import Paper"),
        ("emocat.sources.arxiv", "from emocat.sources.http import HttpClient\nfrom emocat.errors import UsageError"),
        ("emocat.__main__", "from emocat.cli import main"),
    ]
    for module, source in allowed:
        assert violations(module, imports(source, module)) == [], module

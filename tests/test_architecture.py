"""The import direction of DESIGN §9, read from the source with ``ast``.

errors <- catalog.models <- catalog.loader <- catalog.checks <- outputs <- commands <- {cli, plugin}, with
``store/`` (YAML and files) at the bottom and ``sources/`` beside the loader. A module may import modules of
its own rank or lower, never higher, also inside one layer folder; cli and plugin never import each other;
only cli imports click and only plugin imports mkdocs. A module's rank is that of the longest dotted prefix
of its name in ``RANKS``; a module matching nothing counts as a library module (rank ``LIBRARY``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "emocat"

RANKS: dict[str, int] = {
    # foundations: no emocat imports above them
    "emocat": 0,
    "errors": 0,
    "clock": 0,
    "store": 0,
    # the data model
    "catalog.models": 1,
    "catalog.values": 1,
    # reading the catalog, the canonical YAML of entries, clients of remote sources
    "catalog.loader": 2,
    "catalog.modalities": 2,
    "catalog.messages": 2,
    "store.writer": 2,
    "store.save": 2,
    "sources": 2,
    "outputs.templating": 2,
    "outputs.site.charts": 2,
    "catalog.view": 3,
    # checks and what is derived from a checked catalog
    "catalog": 3,
    # every output of a catalog: README, site pages, feed, exports
    "outputs": 4,
    # the verbs, one module each, built on the outputs
    "commands": 5,
    # the adapters
    "cli": 6,
    "plugin": 6,
    "__main__": 7,
}
LIBRARY = 4
ADAPTERS = {"cli", "plugin", "__main__"}
#: third-party packages that only one module may import
OWNED = {"click": "cli", "mkdocs": "plugin"}
#: no module of the package is longer than this (DESIGN §9: "no module over about 400 lines")
MAX_LINES = 420


def _group(module: str) -> str:
    """``emocat.sources.arxiv`` -> ``sources``; ``emocat`` -> ``emocat``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def rank(module: str) -> int:
    """The rank of the longest prefix of ``module`` (without ``emocat.``) that ``RANKS`` names."""
    parts = module.split(".")[1:] or ["emocat"]
    for length in range(len(parts), 0, -1):
        found = RANKS.get(".".join(parts[:length]))
        if found is not None:
            return found
    return LIBRARY


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
            # ``from emocat.store import yamlio`` imports the module emocat.store.yamlio (the package's
            # docstring-only ``__init__`` aside)
            modules = [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
            found += modules if len(modules) == len(node.names) else [base, *modules]
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
        if target == module or target.startswith(module + "."):
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
    spine = ["errors", "catalog.models", "catalog.loader", "catalog.checks", "outputs.readme", "commands.build", "cli"]
    ranks = [rank(f"emocat.{name}") for name in spine]
    assert ranks == sorted(set(ranks))
    assert RANKS["plugin"] == RANKS["cli"]


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_no_module_is_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by concern"


@pytest.mark.parametrize(
    ("module", "source", "problem"),
    [
        ("emocat.catalog.models", "from emocat.catalog.loader import load", "upward"),
        ("emocat.errors", "from emocat.catalog import models", "upward"),
        ("emocat.catalog.loader", "import emocat.catalog.checks", "upward"),
        ("emocat.catalog.checks", "def f():\n    from emocat.outputs.readme.render import x", "upward"),
        ("emocat.catalog.checks", "from ..outputs.readme import render", "upward"),
        ("emocat.cli", "from emocat.plugin import EmocatPlugin", "never import each other"),
        ("emocat.plugin", "from emocat import cli", "never import each other"),
        ("emocat.outputs.readme.render", "import click", "only emocat.cli may"),
        ("emocat.catalog.checks", "from mkdocs.plugins import BasePlugin", "only emocat.plugin may"),
        ("emocat.somethingnew", "from emocat.cli import main", "never import the adapters"),
        ("emocat.catalog.models", "from emocat.somethingnew import x", "upward"),
        ("emocat.sources.arxiv", "from emocat.catalog.checks import check", "upward"),
    ],
)
def test_the_rule_catches_wrong_imports(module: str, source: str, problem: str) -> None:
    found = violations(module, imports(source, module))
    assert found and problem in found[0], found


def test_the_rule_allows_what_the_design_allows() -> None:
    allowed = [
        ("emocat.cli", "import click\nfrom emocat.catalog.checks import check\nfrom emocat.errors import Problem"),
        ("emocat.plugin", "from mkdocs.plugins import BasePlugin\nfrom emocat.outputs.site import pages"),
        ("emocat.catalog.checks", "from emocat.catalog.loader import load\nfrom emocat.catalog.models import Paper"),
        ("emocat.sources.arxiv", "from emocat.sources.http import HttpClient\nfrom emocat.errors import UsageError"),
        ("emocat.__main__", "from emocat.cli import main"),
    ]
    for module, source in allowed:
        assert violations(module, imports(source, module)) == [], module

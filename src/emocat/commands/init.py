"""``emocat init``: start a new catalog project from the packaged scaffold, never overwriting a file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from emocat import __version__
from emocat.catalog import schema as schemas
from emocat.catalog.checks import load_valid
from emocat.catalog.models import KINDS, CatalogMeta, Vocabulary
from emocat.catalog.values import TEXT_PATTERN, URL_PATTERN
from emocat.errors import UsageError
from emocat.outputs.readme.render import README_FILE, render_readme
from emocat.outputs.templating import environment
from emocat.store.comments import carry
from emocat.store.files import write_new
from emocat.store.writer import canonical_data, dump_yaml

#: Where emocat itself is published: the pre-commit hooks and requirements.txt of a new project point here.
TOOL_REPOSITORY = "https://github.com/yuntaoshou/Awesome-Emotion-Reasoning"

#: (file in the new project, template under templates/init/); ``{catalog}`` is the catalog folder.
SCAFFOLD: tuple[tuple[str, str], ...] = (
    ("{catalog}/catalog.yaml", "catalog.yaml.j2"),
    ("{catalog}/vocabulary.yaml", "vocabulary.yaml.j2"),
    ("mkdocs.yml", "mkdocs.yml.j2"),
    ("docs/about.md", "about.md.j2"),
    ("docs/contributing.md", "contributing.md.j2"),
    ("CONTRIBUTING.md", "CONTRIBUTING.md.j2"),
    ("requirements.txt", "requirements.txt.j2"),
    (".gitignore", "gitignore.j2"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml.j2"),
    (".github/workflows/ci.yml", "ci.yml.j2"),
    (".github/workflows/pages.yml", "pages.yml.j2"),
    (".github/ISSUE_TEMPLATE/config.yml", "issue-config.yml.j2"),
    (".github/ISSUE_TEMPLATE/suggest-entry.yml", "suggest-entry.yml.j2"),
    (".github/PULL_REQUEST_TEMPLATE.md", "PULL_REQUEST_TEMPLATE.md.j2"),
)


@dataclass
class InitReport:
    """The files ``init`` wrote and the ones that existed already (kept as they were)."""

    root: Path
    catalog: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def default_title(root: Path) -> str:
    """``awesome-graph-papers`` -> ``Awesome Graph Papers``."""
    words = re.split(r"[-_\s]+", root.resolve().name)
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or "Awesome List"


def default_site_url(repository: str) -> str:
    """GitHub Pages' address of a GitHub repository; the repository itself otherwise."""
    found = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)/?", repository)
    return f"https://{found[1].lower()}.github.io/{found[2]}/" if found else repository.rstrip("/") + "/"


def _catalog_name(catalog: str) -> str:
    path = PurePosixPath(catalog.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts or not re.fullmatch(r"[A-Za-z0-9_./-]+", catalog):
        raise UsageError(f"--catalog {catalog!r}: for init, give a folder inside the project, such as data")
    return path.as_posix()


def _checked(option: str, value: str, pattern: str) -> str:
    if not re.fullmatch(pattern, value):
        raise UsageError(f"{option} {value!r} is not valid; give "
                         + ("an http(s) URL" if pattern == URL_PATTERN else "one line of plain text"))
    return value


def init_project(root: Path, *, catalog: str = "catalog", title: str | None = None, site_url: str | None = None,
                 repository: str | None = None) -> InitReport:
    """Write a new project into ``root`` (created if needed): a valid empty catalog and everything around it."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file; give a folder for the new project")
    name = _catalog_name(catalog)
    slug = re.sub(r"[^a-z0-9]+", "-", root.resolve().name.lower()).strip("-") or "awesome-list"
    repository = _checked("--repository", repository or f"https://github.com/your-account/{slug}", URL_PATTERN)
    context = {
        "title": _checked("--title", title or default_title(root), TEXT_PATTERN),
        "description": "A curated list of papers, datasets, benchmarks and models, one checked YAML file per entry.",
        "repository": repository.rstrip("/"),
        "site_url": _checked("--site-url", site_url or default_site_url(repository), URL_PATTERN),
        "catalog": name,
        "tool_repository": TOOL_REPOSITORY,
        "version": __version__,
    }
    report = InitReport(root, root / name)
    env = environment(None)
    files = [(target.format(catalog=name), env.get_template(f"init/{template}").render(context))
             for target, template in SCAFFOLD]
    files[0] = (files[0][0], _canonical(files[0][1], CatalogMeta))
    files[1] = (files[1][0], _canonical(files[1][1], Vocabulary))
    files += [(f"{name}/{folder}/.gitkeep", "") for folder in KINDS]
    files += [(f"schema/{stem}.schema.json", schemas.render(data)) for stem, data in schemas.all_schemas().items()]
    for relative, text in files:
        _write(report, root / relative, text)
    readme = root / README_FILE
    if readme.exists():
        report.kept.append(readme)
    else:
        _write(report, readme, render_readme(load_valid(report.catalog), root))
    return report


def _canonical(text: str, model: type[CatalogMeta] | type[Vocabulary]) -> str:
    """The file as ``emocat fmt`` would write it (so the fmt hook has nothing to change), comments kept."""
    return carry(text, dump_yaml(canonical_data(model.model_validate(yaml.safe_load(text)))))


def _write(report: InitReport, path: Path, text: str) -> None:
    if path.exists() or path.is_symlink():
        report.kept.append(path)
        return
    write_new(path, text)
    report.created.append(path)

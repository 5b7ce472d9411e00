"""The README: its context from the sections, rendered through README.md.j2, written or compared."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from emocat.catalog.addresses import index_url, site_base
from emocat.catalog.linkset import LinkLedger
from emocat.catalog.loader import Catalog, without_cyclic_gc
from emocat.catalog.view import counts
from emocat.errors import UsageError
from emocat.outputs.readme.rows import BADGE_COLOURS, Badge, Heading, RenderedSection, badge_image, catalog_meta
from emocat.outputs.readme.sections import SECTION_BUILDERS, Slugger, configured_sections, plan_sections
from emocat.outputs.readme.tables import align_tables
from emocat.outputs.templating import environment
from emocat.store.files import atomic_write

README_TEMPLATE = "README.md.j2"


README_FILE = "README.md"


#: Headings the template adds after the catalog's sections (awesome-lint keeps "Contributing" out of the ToC).


CONTRIBUTING_TITLE = "Contributing"


QUICK_START_TITLE = "Quick start"


def readme_context(catalog: Catalog) -> dict[str, Any]:
    """Everything ``README.md.j2`` needs; sections are built in page order so each URL is linked once."""
    meta = catalog_meta(catalog)
    numbers = counts(catalog)
    badges = [
        Badge(kind, numbers[kind], badge_image(kind, str(numbers[kind]), colour), index_url(meta, kind))
        for kind, colour in BADGE_COLOURS.items()
    ]
    ledger = LinkLedger(
        ["https://awesome.re", site_base(meta), "CONTRIBUTING.md", *(b.target for b in badges)]
    )
    slugger = Slugger()
    slugger.slug(meta.title)
    slugger.slug("Contents")
    configured = configured_sections(catalog)
    plan = plan_sections(catalog, {s.id for s in configured})
    sections: list[RenderedSection] = []
    for config in configured:
        section = RenderedSection(config.id, config.title, "", config.intro, f"readme/{config.id}.md.j2")
        SECTION_BUILDERS[config.id](catalog, section, plan, ledger)
        if section.empty:
            continue
        section.anchor = slugger.slug(section.title)
        for group in section.groups:
            if config.id != "open-llm":  # organisations are <details> blocks, not headings
                group.anchor = slugger.slug(group.title)
        sections.append(section)
    contributing = Heading(CONTRIBUTING_TITLE, slugger.slug(CONTRIBUTING_TITLE))
    quick_start = Heading(QUICK_START_TITLE, slugger.slug(QUICK_START_TITLE))
    toc = [
        Heading(s.title, s.anchor, [Heading(g.title, g.anchor) for g in s.groups if g.anchor])
        for s in sections
    ]
    return {
        "meta": meta,
        "site": site_base(meta),
        "counts": numbers,
        "badges": badges,
        "sections": sections,
        "toc": [*toc, quick_start],
        "contributing": contributing,
        "quick_start": quick_start,
    }


# --- tables -------------------------------------------------------------------------------------


# --- README ---------------------------------------------------------------------------------------


def render_readme(catalog: Catalog, project_dir: Path | None = None) -> str:
    """The README text for ``catalog``, using the templates of ``project_dir`` (or the packaged ones).

    The cycle collector is paused meanwhile: the rows and strings built here are acyclic, and at 10,000
    entries the collector spent more time walking the loaded catalog than rendering took.
    """
    template = environment(project_dir).get_template(README_TEMPLATE)
    with without_cyclic_gc():
        text = template.render(readme_context(catalog))
        while "\n\n\n" in text:  # templates may leave blank runs where optional parts are absent
            text = text.replace("\n\n\n", "\n\n")  # (plain replace: a regex scan of megabytes is slower)
        return align_tables(text).rstrip("\n") + "\n"


def readme_path(project_dir: Path, output: Path | None = None) -> Path:
    return output if output is not None else project_dir / README_FILE


def write_readme(catalog: Catalog, project_dir: Path, output: Path | None = None) -> Path:
    """Render and write the README atomically; return where it was written."""
    path = readme_path(project_dir, output)
    atomic_write(path, render_readme(catalog, project_dir))
    return path


def readme_diff(catalog: Catalog, project_dir: Path, output: Path | None = None) -> str:
    """A unified diff from the README on disk to the one the catalog renders; empty when current."""
    path = readme_path(project_dir, output)
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    expected = render_readme(catalog, project_dir)
    if current == expected:
        return ""
    name = str(path)
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        fromfile=f"{name} (on disk)",
        tofile=f"{name} (from the catalog)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff
    )

"""The ``emocat`` MkDocs plugin: adds the catalog's generated pages and downloads to a build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from emocat.catalog.checks import load_valid
from emocat.errors import CatalogError, EmocatError
from emocat.outputs.site import pages as site
from emocat.outputs.site import search, tables
from emocat.outputs.site.compact import compact
from emocat.store.templates import template_dirs


class EmocatConfig(base.Config):  # type: ignore[no-untyped-call]
    catalog = c.Type(str, default="catalog")
    """The catalog folder, relative to mkdocs.yml."""
    large_tables = c.Type(int, default=tables.DEFAULT_THRESHOLD)
    """Sortable tables of more rows than this carry their rows as data, shown a page at a time."""


class EmocatPlugin(BasePlugin[EmocatConfig]):  # type: ignore[no-untyped-call]
    """Generates every page of the catalog in memory; entry pages stay out of the navigation."""

    def __init__(self) -> None:
        self.project = Path.cwd()
        self.catalog_dir = Path("catalog")
        self.meta: dict[str, dict[str, Any]] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the catalog folder and add the theme override, script and stylesheet."""
        self.project = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.catalog_dir = (self.project / self.config.catalog).resolve()
        theme_dir = site.theme_dir(template_dirs(self.project))
        if theme_dir is not None:
            position = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(position, str(theme_dir))
        for path in site.ASSET_FILES:
            target = config.extra_javascript if path.endswith(".js") else config.extra_css
            if path not in [str(item) for item in target]:
                target.append(path)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Load the catalog and add its pages, downloads and assets; a bad catalog fails the build."""
        try:
            catalog = load_valid(self.catalog_dir)
            built = site.build(catalog, project=self.project, directory_urls=config.use_directory_urls,
                               large_tables=self.config.large_tables)
        except CatalogError as exc:
            lines = "\n".join(problem.format() for problem in exc.problems)
            raise PluginError(f"emocat: the catalog has problems ({exc}):\n{lines}") from exc
        except EmocatError as exc:
            raise PluginError(f"emocat: {exc}") from exc
        self.meta = {}
        for page in built.pages:
            if files.get_file_from_path(page.path) is None:
                inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, page.path, content=page.content, inclusion=inclusion))
                self.meta[page.path] = page.meta
        for path, text in built.files.items():
            files.append(File.generated(config, path, content=text))
        for path, source in built.assets.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give a generated page its title and head metadata."""
        if page.file.generated_by is not None:
            page.meta.update(self.meta.get(page.file.src_uri, {}))
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Cut the indentation the theme's templates leave in every page (about a sixth of its bytes)."""
        return compact(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site for search (Pagefind); a failure fails the build."""
        try:
            search.index_site(Path(config.site_dir))
        except EmocatError as exc:
            raise PluginError(f"emocat: {exc}") from exc

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when the catalog or the templates change."""
        server.watch(str(self.catalog_dir))
        for folder in template_dirs(self.project):
            server.watch(str(folder))
        return server

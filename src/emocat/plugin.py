"""The ``emocat`` MkDocs plugin: adds the catalog's generated pages and downloads to a build."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from emocat.catalog.checks import load_valid
from emocat.catalog.loader import without_cyclic_gc
from emocat.errors import CatalogError, EmocatError
from emocat.outputs.site import pages as site
from emocat.outputs.site import search, tables, watching
from emocat.outputs.site.compact import compact
from emocat.outputs.site.preview import Preview, Update
from emocat.store.templates import template_dirs

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class EmocatConfig(base.Config):  # type: ignore[no-untyped-call]
    catalog = c.Type(str, default="catalog")
    """The catalog folder, relative to mkdocs.yml."""
    large_tables = c.Type(int, default=tables.DEFAULT_THRESHOLD)
    """Sortable tables of more rows than this carry their rows as data, shown a page at a time."""


def _without_dirty_warning(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave pages out of date (which fails a strict build): the
    plugin renders every page of the catalog that an edit can alter, and builds anew when mkdocs.yml changes."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by name and source checksum (Jinja checks the checksum)."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


class _Unchanged(File):
    """A generated file that the preview knows to be in the site folder as it is: MkDocs skips it."""

    def is_modified(self) -> bool:
        return False


class EmocatPlugin(BasePlugin[EmocatConfig]):  # type: ignore[no-untyped-call]
    """Generates every page of the catalog in memory; entry pages stay out of the navigation.

    Under ``mkdocs serve --dirty`` (what ``emocat serve`` runs) the plugin is kept from build to build and keeps
    the site (``outputs.site.preview``): a build renders only the pages an edit can alter.
    """

    def __init__(self) -> None:
        self.project = Path.cwd()
        self.catalog_dir = Path("catalog")
        self.meta: dict[str, dict[str, Any]] = {}
        self.blocks: dict[str, dict[str, str]] = {}
        self.incremental = False
        self.preview: Preview | None = None
        self.update: Update | None = None
        self.preview_settings: tuple[object, ...] = ()
        self.bytecode = _MemoryBytecodeCache()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep the site between builds when serving with ``--dirty``."""
        self.incremental = command == "serve" and dirty
        if self.incremental:
            logging.getLogger("mkdocs.commands.build").addFilter(_without_dirty_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the catalog folder and add the theme override, script and stylesheet; in the preview's
        builds after the first, leave out the sitemap (it lists every page, and nothing reads it there)."""
        if self.incremental and self.preview is not None:
            config.theme.static_templates.discard("sitemap.xml")
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
            if self.incremental:
                pages, downloads, unchanged = self._preview(config)
            else:
                catalog = load_valid(self.catalog_dir)
                built = site.build(catalog, project=self.project, directory_urls=config.use_directory_urls,
                                   large_tables=self.config.large_tables)
                pages, downloads, unchanged = built.pages, built.files, set()
        except CatalogError as exc:
            lines = "\n".join(problem.format() for problem in exc.problems)
            raise PluginError(f"emocat: the catalog has problems ({exc}):\n{lines}") from exc
        except EmocatError as exc:
            raise PluginError(f"emocat: {exc}") from exc
        self.meta = {}
        self.blocks = {}
        for page in pages:
            if files.get_file_from_path(page.path) is None:
                inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
                kind = _Unchanged if page.path in unchanged else File
                files.append(kind.generated(config, page.path, content=page.source, inclusion=inclusion))
                self.meta[page.path] = page.meta
                if page.blocks:
                    self.blocks[page.path] = page.blocks
        for path, text in downloads.items():
            kind = _Unchanged if path in unchanged else File
            files.append(kind.generated(config, path, content=text))
        for path, source in site.ASSET_FILES.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        return files

    def _preview(self, config: MkDocsConfig) -> tuple[list[site.SitePage], dict[str, str], set[str]]:
        """The preview's pages and downloads, and the paths among them that are as the last build left them.

        After the first build, a build hands MkDocs only the pages in the navigation (unchanged ones marked so)
        and the pages it rendered: a dirty build leaves the others in the site folder as they are, and MkDocs'
        own cost per page (about 0.3 ms) would otherwise be most of the build at 10,000 entries.
        """
        # an edit of mkdocs.yml (the navigation, the theme) can alter every page: the site is built anew
        config_file = Path(config.config_file_path or "mkdocs.yml")
        version = config_file.stat().st_mtime_ns if config_file.is_file() else 0
        settings = (self.catalog_dir, self.project, config.use_directory_urls, self.config.large_tables, version)
        if self.preview is None or settings != self.preview_settings:
            self.preview_settings = settings
            self.preview = Preview(self.catalog_dir, project=self.project, directory_urls=config.use_directory_urls,
                                   large_tables=self.config.large_tables)
        with without_cyclic_gc():
            self.update = update = self.preview.update()
        # The kept site is a heap of millions of long-lived objects that the cycle collector would walk again at
        # each of its full collections during a build (seconds at 10,000 entries): they are set aside from it.
        gc.freeze()
        if update.everything:
            return list(self.preview.pages.values()), self.preview.files, set()
        log.info("emocat: %d page(s) rendered again; the downloads and the search index are those of the last "
                 "full build (restart the preview to refresh them)", len(update.rendered))
        pages = [page for page in self.preview.pages.values() if page.in_nav or page.path in update.rendered]
        return pages, {}, {page.path for page in pages if page.path not in update.rendered}

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """In the preview, compile the theme's templates once, not at every build (MkDocs makes a new
        environment each time; a template whose source changed is compiled again)."""
        if self.incremental:
            env.bytecode_cache = self.bytecode
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give a generated page its title and head metadata."""
        if page.file.generated_by is not None:
            page.meta.update(self.meta.get(page.file.src_uri, {}))
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put the large tables of a generated page in, after the Markdown pass (``tables.large_tables``)."""
        blocks = self.blocks.get(page.file.src_uri) if page.file.generated_by is not None else None
        if not blocks:
            return html
        try:
            return tables.insert_blocks(html, blocks, page.file.src_uri)
        except EmocatError as exc:
            raise PluginError(f"emocat: {exc}") from exc

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Cut the indentation the theme's templates leave in every page (about a sixth of its bytes)."""
        return compact(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site for search (Pagefind), except in the preview's partial builds; a failure fails
        the build. The preview's partial builds also remove the pages of entries that are gone."""
        update, self.update = self.update, None
        if update is not None and not update.everything:
            for path in update.removed:
                removed = Path(File.generated(config, path, content="").abs_dest_path)
                removed.unlink(missing_ok=True)
            return
        try:
            search.index_site(Path(config.site_dir))
        except EmocatError as exc:
            raise PluginError(f"emocat: {exc}") from exc

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when the catalog or the templates change; in the preview, learn of changes from the system."""
        if self.incremental:
            watching.use_native_observer(server, [config.docs_dir, config.config_file_path or "", *config.theme.dirs])
        server.watch(str(self.catalog_dir))
        for folder in template_dirs(self.project):
            server.watch(str(folder))
        return server

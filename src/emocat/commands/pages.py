"""``emocat build --pages-dir``: the site as plain files (pages, assets, downloads, theme, a plain mkdocs.yml).

The pages are the ones the MkDocs plugin serves from memory (``outputs.site.pages.build``, one rendering);
what the plugin hands MkDocs directly (title, hidden parts, head tags) becomes each page's front matter, so
MkDocs, ProperDocs or Zensical build the same site from the folder, without emocat installed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from emocat.catalog.loader import Catalog
from emocat.errors import UsageError
from emocat.outputs.site import pages as site
from emocat.outputs.site import search, tables
from emocat.store.templates import template_dirs

#: Written into every pages folder; a folder without it is never replaced.
MARKER = ".emocat-pages"
CONFIG = "mkdocs.yml"
#: Pagefind's configuration, read by ``python -m pagefind`` in the folder: the site's search index is its own step.
SEARCH_CONFIG = "pagefind.yml"
DOCS = "docs"
OVERRIDES = "overrides"
#: Plugins a plain configuration leaves out: emocat itself, and the search the theme override replaces.
_NOT_PLAIN = ("emocat", "search", "material/search")


@dataclass(frozen=True)
class PagesReport:
    """What ``write_pages`` wrote into the pages folder."""

    pages_dir: Path
    pages: int
    files: int


class _Tagged:
    """A YAML value with a tag MkDocs resolves itself (``!ENV``, ``!!python/name:...``), kept as written."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_ConfigDumper.add_representer(_Tagged, _represent_tagged)
_ConfigDumper.add_representer(str, _represent_text)


def read_config(config_file: Path) -> dict[str, Any]:
    """The project's mkdocs.yml, with the tags MkDocs resolves kept as they are."""
    if not config_file.is_file():
        raise UsageError(f"no MkDocs configuration at {config_file}; run emocat build next to mkdocs.yml")
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{config_file}: not a readable MkDocs configuration ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(f"{config_file}: not a readable MkDocs configuration (no mapping at the top)")
    return data


def dump_config(config: dict[str, Any]) -> str:
    """A configuration read by ``read_config`` as YAML again, its MkDocs tags as they were written."""
    return yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False, width=2**16)


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options of the emocat plugin in a MkDocs configuration (empty when it has none)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for plugin in plugins:
        if isinstance(plugin, dict) and isinstance(plugin.get("emocat"), dict):
            return dict(plugin["emocat"])
    return {}


def large_tables(config: dict[str, Any], config_file: Path) -> int:
    """The plugin's ``large_tables`` option, so the pages folder pages the same tables as the plugin."""
    value = plugin_options(config).get("large_tables", tables.DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{config_file}: the emocat plugin's large_tables must be a whole number, not {value!r}")
    return value


def plain_config(config: dict[str, Any], built: site.Site) -> dict[str, Any]:
    """The project's configuration without the emocat plugin (and without Material's search, which the site's
    Pagefind search replaces): the docs, theme override and assets it added."""
    plain = {key: value for key, value in config.items() if key not in ("docs_dir", "site_dir")}
    plain["docs_dir"] = DOCS
    plugins = config.get("plugins", [])
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    # Written even when empty, since MkDocs adds its search plugin to a configuration without any; the
    # search index is Pagefind's, built on the output as its own step (docs/pages-folder.md).
    plain["plugins"] = [p for p in plugins if (p if isinstance(p, str) else next(iter(p), None)) not in _NOT_PLAIN]
    theme = config.get("theme", {"name": "material"})
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["custom_dir"] = OVERRIDES
    plain["theme"] = theme
    for key, suffix in (("extra_css", ".css"), ("extra_javascript", ".js")):
        present = list(config.get(key, []))
        plain[key] = present + [path for path in built.assets if path.endswith(suffix) and path not in present]
    hidden = sorted({_not_in_nav_pattern(page.path) for page in built.pages if not page.in_nav})
    if hidden:
        plain["not_in_nav"] = "\n".join(hidden) + "\n"
    return plain


def _not_in_nav_pattern(path: str) -> str:
    """``papers/x/index.md`` -> ``/papers/*/index.md``: one pattern per kind of page, not one per entry."""
    parts = path.split("/")
    return f"/{parts[0]}/*/{parts[-1]}" if len(parts) == 3 else f"/{path}"


def front_matter(meta: dict[str, Any]) -> str:
    """What the plugin sets on ``page.meta``, as a YAML front matter block."""
    if not meta:
        return ""
    text = yaml.safe_dump(_lists(meta), allow_unicode=True, sort_keys=False, width=2**16)
    return f"---\n{text}---\n\n"


def _lists(value: Any) -> Any:
    """Tuples become lists, as in any front matter that MkDocs parses."""
    if isinstance(value, (list, tuple)):
        return [_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


def _refuse_unsafe(pages_dir: Path, project: Path, protected: list[Path]) -> None:
    target = pages_dir.resolve()
    for folder in [project, *protected]:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or (folder != project.resolve() and target.is_relative_to(folder)):
            raise UsageError(f"--pages-dir {pages_dir}: choose a folder apart from the project's {folder.name or folder}/")
    if target.exists() and not (target / MARKER).is_file():
        raise UsageError(f"--pages-dir {pages_dir} exists and was not written by emocat build --pages-dir; "
                         "remove it or choose another folder")


def write_pages(catalog: Catalog, project: Path, pages_dir: Path, *, config_file: Path) -> PagesReport:
    """Write the whole site as plain files into ``pages_dir``, swapped in only once it is complete."""
    config = read_config(config_file)
    docs = (config_file.parent / str(config.get("docs_dir", "docs"))).resolve()
    templates = template_dirs(project)
    _refuse_unsafe(pages_dir, project, [catalog.root, docs, *[d for d in templates if d.is_relative_to(project.resolve())]])
    built = site.build(catalog, project=project, directory_urls=bool(config.get("use_directory_urls", True)),
                       large_tables=large_tables(config, config_file))
    pages_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pages-", dir=pages_dir.resolve().parent))
    try:
        count = _fill(staging, config, built, docs, templates, config_file.parent)
        _swap(staging, pages_dir.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PagesReport(pages_dir, len(built.pages), count)


def _fill(root: Path, config: dict[str, Any], built: site.Site, docs: Path, template_dirs: list[Path],
          config_dir: Path) -> int:
    out = root / DOCS
    if docs.is_dir():
        shutil.copytree(docs, out, symlinks=False)
    written = 0
    for page in built.pages:
        target = out / page.path
        if target.exists():  # a hand-written page of the same path wins, as in the plugin
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front_matter(page.meta) + page.content, encoding="utf-8", newline="")
        written += 1
    for path, text in built.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8", newline="")
        written += 1
    for path, source in built.assets.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out / path)
        written += 1
    theme = site.theme_dir(template_dirs)
    (root / OVERRIDES).mkdir()
    if theme is not None:
        shutil.copytree(theme, root / OVERRIDES, dirs_exist_ok=True)
    own = config.get("theme", {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    if own and (config_dir / own).is_dir():  # the project's own override wins over emocat's, as in the plugin
        shutil.copytree(config_dir / own, root / OVERRIDES, dirs_exist_ok=True)
    (root / CONFIG).write_text("# The site as plain files, written by emocat build --pages-dir: build it with\n"
                               "# mkdocs build, properdocs build or zensical build in this folder.\n"
                               + dump_config(plain_config(config, built)), encoding="utf-8")
    search_config = {"site": "site", "output_subdir": search.BUNDLE, "exclude_selectors": [search.PERMALINKS]}
    (root / SEARCH_CONFIG).write_text("# The site's search index: run python -m pagefind here after the build.\n"
                                      + yaml.safe_dump(search_config, sort_keys=False), encoding="utf-8")
    (root / MARKER).write_text("written by emocat build --pages-dir; replaced on the next run\n", encoding="utf-8")
    return written


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target``; the old folder is removed only after the new one is there."""
    os.chmod(staging, 0o755)
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)

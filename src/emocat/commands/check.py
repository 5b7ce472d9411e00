"""``emocat check``: the whole catalog (parses remembered, large catalogs on every core) or what changed."""

from __future__ import annotations

from pathlib import Path

from emocat.catalog import parallel
from emocat.catalog.cache import ParseCache, default_path
from emocat.catalog.checks import check
from emocat.catalog.incremental import check_changed
from emocat.errors import Problem


def run_check(root: Path, *, strict: bool = False, changed_since: str | None = None,
              cache: bool = True) -> list[Problem]:
    """The sorted problems of the catalog at ``root``, or of what changed since the git revision ``changed_since``.

    A full check remembers parsed files in ``<project>/.emocat-cache/`` (unless ``cache`` is false), so the
    next one parses only the files whose bytes changed.
    """
    if changed_since is not None:
        return check_changed(root, changed_since, strict=strict, parser=parallel.parser())
    if not cache:
        return check(root, strict=strict, parser=parallel.parser())[1]
    remembered = ParseCache(default_path(root))
    remembered.read()
    return check(root, strict=strict, parser=remembered.parser(parallel.parse_many))[1]

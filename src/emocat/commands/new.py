"""``emocat new``: a new entry file with every field present, optional ones commented out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from emocat import clock
from emocat.catalog.models import KIND_BY_NAME
from emocat.catalog.scaffold_rules import placeholder_name
from emocat.catalog.values import ID_MAX, ID_PATTERN
from emocat.errors import IdInUseError, UsageError
from emocat.outputs.templating import environment
from emocat.store import yamlio
from emocat.store.files import write_new
from emocat.store.save import saved_text
from emocat.store.writer import schema_comment


def scaffold_text(kind: str, entry_id: str, today: dt.date, project: Path | None = None) -> str:
    """The scaffold as ``emocat fmt`` would write it, so that a new file passes ``emocat fmt --check``."""
    template = environment(project).get_template(f"new/{kind}.yaml.j2")
    text = schema_comment(kind) + template.render(id=entry_id, name=placeholder_name(entry_id), added=today.isoformat())
    return saved_text(KIND_BY_NAME[kind].model_validate({**yamlio.parse(text), "id": entry_id}), text)


def new_entry(catalog_dir: Path, kind: str, entry_id: str, *, today: dt.date | None = None) -> Path:
    """Create ``catalog/<kind>s/<id>.yaml``; refuse an invalid id or an id already in use."""
    if not catalog_dir.is_dir():
        raise UsageError(f"no catalog folder at {catalog_dir}")
    if kind not in KIND_BY_NAME:
        raise UsageError(f"unknown kind {kind!r}; choose one of {', '.join(KIND_BY_NAME)}")
    if not re.fullmatch(ID_PATTERN, entry_id) or len(entry_id) > ID_MAX:
        raise UsageError(f"{entry_id!r} is not a valid id: lowercase letters and digits joined by single hyphens, at most {ID_MAX} characters")
    for folder in (cls.folder for cls in KIND_BY_NAME.values()):
        existing = catalog_dir / folder / f"{entry_id}.yaml"
        if existing.exists():
            raise IdInUseError(f"{existing} already exists; choose another id")
    path = catalog_dir / KIND_BY_NAME[kind].folder / f"{entry_id}.yaml"
    write_new(path, scaffold_text(kind, entry_id, today or clock.today(), catalog_dir.resolve().parent), inside=catalog_dir)
    return path

"""The one way an entry (or catalog file) is saved: canonical text, hand-written comments kept, atomic write."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from emocat.catalog.models import Entry
from emocat.store import yamlio
from emocat.store.comments import carry
from emocat.store.files import atomic_write, read_regular, write_new
from emocat.store.writer import canonical_data, dump_entry, dump_yaml


def read_text(path: Path) -> str:
    """The text of a catalog file as the loader reads it (regular file, size limit, UTF-8, BOM dropped)."""
    return yamlio.decode(read_regular(path, yamlio.MAX_BYTES))


def canonical_text(model: BaseModel) -> str:
    """The canonical YAML of an entry (with its schema line) or of catalog.yaml / vocabulary.yaml."""
    return dump_entry(model) if isinstance(model, Entry) else dump_yaml(canonical_data(model))


def saved_text(model: BaseModel, previous: str | None) -> str:
    """What saving ``model`` over a file holding ``previous`` writes: canonical text with its comments."""
    text = canonical_text(model)
    return carry(previous, text) if previous is not None else text


def save_entry(path: Path, model: BaseModel, *, new: bool = False, inside: Path | None = None) -> bool:
    """Save ``model`` as ``path``; True if the file changed.

    ``new``: the file must not exist yet (``ExistsError`` otherwise), and its folder must lead inside
    ``inside`` when given. Otherwise the file's comments are carried over and it is rewritten only if its
    text changes.
    """
    if new:
        write_new(path, canonical_text(model), inside=inside)
        return True
    previous = read_text(path)
    text = saved_text(model, previous)
    if text == previous:
        return False
    atomic_write(path, text)
    return True

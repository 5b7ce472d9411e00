"""``emocat schema``: the JSON Schema of catalog entries, printed or written to a file or a folder."""

from __future__ import annotations

from pathlib import Path

from emocat.catalog import schema as schemas
from emocat.store.files import atomic_write


def schema_output(output: Path | None) -> tuple[str, list[Path]]:
    """The combined schema as text when ``output`` is None; else write a ``.json`` file (combined) or one
    file per kind into a folder, and return the paths written."""
    if output is None:
        return schemas.render(schemas.combined_schema()), []
    if output.name.endswith(".json"):
        atomic_write(output, schemas.render(schemas.combined_schema()))
        return "", [output]
    return "", schemas.write_schemas(output)

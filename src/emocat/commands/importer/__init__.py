"""``emocat import awesome``: turn an Awesome-style Markdown list into catalog entries.

The stages, one module each: :mod:`.markdown` (the text -> items), :mod:`.classify` (which kind an item is),
:mod:`.values` (numbers, dates, sizes, terms in cell text), :mod:`.candidates` (an item -> entry fields),
:mod:`.merge` (duplicates, ids, the plan) and :mod:`.apply` (reading the list, writing the entries).
"""

from __future__ import annotations

from emocat.commands.importer.apply import MAX_BYTES, import_awesome, read_list
from emocat.commands.importer.inline import Link, find_links, plain
from emocat.commands.importer.markdown import Item, scan
from emocat.commands.importer.merge import ImportReport, Planned, plan_import
from emocat.commands.importer.values import hours_value, parse_date, slugify, split_sizes

__all__ = [
    "MAX_BYTES",
    "ImportReport",
    "Item",
    "Link",
    "Planned",
    "find_links",
    "hours_value",
    "import_awesome",
    "parse_date",
    "plain",
    "plan_import",
    "read_list",
    "scan",
    "slugify",
    "split_sizes",
]

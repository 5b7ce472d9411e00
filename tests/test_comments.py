"""Hand-written comments survive a canonical rewrite: ``emocat fmt`` and ``emocat enrich`` never drop one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from emocat.catalog.models import KIND_BY_NAME
from emocat.store import yamlio
from emocat.store.comments import Comment, carry, extract
from emocat.store.writer import dump_entry
from strategies import ENTRIES

WRITTEN_BY_HAND = """\
# yaml-language-server: $schema=../../schema/paper.schema.json
# Why this paper is listed
year: 2024   # the year of arXiv v1, not of the venue
title: "Hash # inside a string is text"
authors:
# first author
- Ann Lee
- Bo Chen  # corresponding author
links: {code: 'https://github.com/o/r'}  # the official code
added: 2025-01-31
# the end
"""

CANONICAL = """\
# yaml-language-server: $schema=../../schema/paper.schema.json
title: 'Hash # inside a string is text'
authors:
- Ann Lee
- Bo Chen
year: 2024
links:
  code: https://github.com/o/r
added: 2025-01-31
"""


def test_each_comment_is_tied_to_the_key_it_stands_above_or_ends() -> None:
    assert extract(WRITTEN_BY_HAND) == [
        Comment(("year",), "# Why this paper is listed"),
        Comment(("year",), "# the year of arXiv v1, not of the venue"),
        Comment(("authors", 0), "# first author"),
        Comment(("authors", 1), "# corresponding author"),
        Comment(("links", "code"), "# the official code"),
        Comment((), "# the end"),
    ]


def test_comments_go_back_above_their_keys_at_the_keys_indentation() -> None:
    assert carry(WRITTEN_BY_HAND, CANONICAL) == """\
# yaml-language-server: $schema=../../schema/paper.schema.json
title: 'Hash # inside a string is text'
authors:
# first author
- Ann Lee
# corresponding author
- Bo Chen
# Why this paper is listed
# the year of arXiv v1, not of the venue
year: 2024
links:
  # the official code
  code: https://github.com/o/r
added: 2025-01-31
# the end
"""


def test_hash_signs_inside_scalars_are_not_comments() -> None:
    text = 'a: "x # y"\nb: |  # a header comment\n  # inside a block\n  text\nc: \'p # q\'\nd: https://x.org/#frag\n'
    assert [c.text for c in extract(text)] == ["# a header comment"]


def test_a_comment_whose_key_is_gone_moves_to_the_parent_or_the_end() -> None:
    old = "links:\n  # the code\n  code: https://a.org\nextra: 1  # dropped field\n"
    new = "links:\n  paper: https://b.org\n"
    assert carry(old, new) == "# the code\nlinks:\n  paper: https://b.org\n# dropped field\n"


def test_files_without_comments_are_left_exactly_as_the_writer_made_them() -> None:
    assert extract(CANONICAL) == []
    assert carry(CANONICAL, CANONICAL) == CANONICAL


def _with_comments(text: str, where: list[tuple[int, bool]]) -> str:
    """``text`` with ``# note N`` at the end of, or on its own line above, the chosen lines."""
    lines = text.split("\n")
    above: dict[int, list[str]] = {}
    for number, (index, inline) in enumerate(where):
        index = 1 + index % max(1, len(lines) - 2)  # never before the schema line, never after the last newline
        if inline and "  # note " not in lines[index]:  # one end-of-line comment a line
            lines[index] += f"  # note {number}"
        else:
            above.setdefault(index, []).append(f"# note {number}")
    return "\n".join(out for index, line in enumerate(lines) for out in [*above.get(index, []), line])


@given(
    st.sampled_from(sorted(ENTRIES)).flatmap(lambda kind: st.tuples(st.just(kind), ENTRIES[kind])),
    st.lists(st.tuples(st.integers(min_value=0, max_value=200), st.booleans()), max_size=6),
)
def test_any_commented_entry_keeps_its_value_and_every_comment_and_is_stable(
    pair: tuple[str, dict[str, Any]], where: list[tuple[int, bool]]
) -> None:
    kind, data = pair
    entry = KIND_BY_NAME[kind].model_validate({**data, "id": "x"})
    canonical = dump_entry(entry)
    commented = _with_comments(canonical, where)
    assert yamlio.parse(commented) == yamlio.parse(canonical)
    rewritten = carry(commented, canonical)
    assert sorted(c.text for c in extract(rewritten)) == sorted(f"# note {n}" for n in range(len(where)))
    assert yamlio.parse(rewritten) == yamlio.parse(canonical)
    assert carry(rewritten, canonical) == rewritten  # a second fmt changes nothing


def test_emocat_fmt_keeps_comments_and_then_reports_nothing_to_do(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    (root / "papers").mkdir(parents=True)
    (root / "catalog.yaml").write_text(
        "title: T\ndescription: D\nrepository: https://github.com/o/r\nsite_url: https://o.github.io/r/\n")
    (root / "vocabulary.yaml").write_text("topics: {}\n")
    paper = root / "papers" / "hash.yaml"
    paper.write_text(WRITTEN_BY_HAND)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def fmt(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "emocat", "fmt", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True)

    first = fmt()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "reformatted catalog/papers/hash.yaml" in first.stdout
    assert sorted(c.text for c in extract(paper.read_text())) == sorted(c.text for c in extract(WRITTEN_BY_HAND))
    again = fmt("--check")
    assert (again.returncode, again.stdout.splitlines()[-1]) == (0, "0 files would reformat, 0 unreadable")

"""The people behind the papers: author names matched across papers, never merged without evidence.

Two written forms are the same person when they normalise to the same key: accents, case, punctuation and
spacing aside, and "Family, Given" read as "Given Family" ("José García", "jose garcia", "García, José").
A form with initials ("J. García") joins a full form ("José García") only with evidence: exactly one full
form fits its initials and family name, and the two share a co-author. Otherwise they stay apart: two
people may share initials and a family name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from emocat.catalog.models import Paper
from emocat.catalog.view import natural_key

_NOT_WORD = re.compile(r"[^\w]+")
_SLUG_RUNS = re.compile(r"[^a-z0-9]+")


def _plain(text: str) -> str:
    """Without accents (decomposed, combining marks dropped) and case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_parts(name: str) -> list[str]:
    """The words of a name in "Given Family" order, plain (see ``_plain``); "Family, Given" is turned round."""
    if name.count(",") == 1:
        family, given = name.split(",")
        name = f"{given} {family}"
    return [word for word in _NOT_WORD.split(_plain(name).replace("_", " ")) if word]


@lru_cache(maxsize=1 << 17)
def name_key(name: str) -> str:
    """The key under which written forms of one name match (remembered: a build asks for each name many times)."""
    return " ".join(name_parts(name))


def _is_initials(parts: list[str]) -> bool:
    """True if every given name is written as an initial ("J. P. Smith", "JP Smith" is not)."""
    return len(parts) >= 2 and all(len(word) == 1 for word in parts[:-1])


def _fits(initials: list[str], full: list[str]) -> bool:
    """Whether "J P Smith" can be an abbreviation of "Jean Paul Smith" (same family name, same initials)."""
    return (len(initials) == len(full) and initials[-1] == full[-1]
            and all(full[i].startswith(initials[i]) for i in range(len(full) - 1)) and not _is_initials(full))


@dataclass(frozen=True)
class Author:
    """One person: a display name, the written forms seen, their papers (newest first) and co-authors."""

    slug: str
    name: str
    forms: tuple[str, ...]
    papers: tuple[Paper, ...]
    coauthors: tuple[str, ...]  # slugs, in the order of the index

    @property
    def family(self) -> str:
        """The family name as written (the last word of "Given Family"), for sorting by it."""
        words = self.name.split(",")[0].split() if self.name.count(",") == 1 else self.name.split()
        return words[-1] if words else self.name

    @property
    def sort_key(self) -> tuple[str, str]:
        return natural_key(name_key(self.family)), natural_key(self.name)


def _slug(key: str, taken: set[str]) -> str:
    base = _SLUG_RUNS.sub("-", _plain(key).encode("ascii", "ignore").decode()).strip("-")[:70].strip("-") or "author"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def authors_of(papers: Iterable[Paper]) -> list[Author]:
    """Every author of ``papers`` (given newest first), sorted by family name then name."""
    papers = list(papers)
    by_key: dict[str, list[tuple[str, Paper]]] = defaultdict(list)
    for paper in papers:
        for written in dict.fromkeys(paper.authors):
            key = name_key(written)
            if key:
                by_key[key].append((written, paper))
    people = {key: key for key in by_key}  # key -> the key of the person it belongs to
    coauthor_keys = {key: {name_key(other) for _, paper in uses for other in paper.authors} - {key}
                     for key, uses in by_key.items()}
    for key in sorted(by_key):
        parts = key.split(" ")
        if not _is_initials(parts):
            continue
        candidates = [full for full in by_key if _fits(parts, full.split(" "))]
        if len(candidates) == 1 and coauthor_keys[key] & coauthor_keys[candidates[0]]:
            people[key] = candidates[0]
    members: dict[str, list[str]] = defaultdict(list)
    for key, person in people.items():
        members[person].append(key)

    order = {paper.id: index for index, paper in enumerate(papers)}
    taken: set[str] = set()
    slugs = {person: _slug(person, taken) for person in sorted(members)}
    slug_of = {key: slugs[person] for key, person in people.items()}
    found = []
    for person, keys in members.items():
        uses = [use for key in keys for use in by_key[key]]
        forms = Counter(written for written, _ in uses)
        # a form of the full name (not of initials), the most used, "Given Family" in mixed case, with accents
        name = min(forms, key=lambda f: (name_key(f) != person, -forms[f], "," in f, f.isupper(), f.isascii(), f))
        own = {paper.id: paper for _, paper in uses}
        ordered = tuple(sorted(own.values(), key=lambda p: order[p.id]))
        co = {slug_of[name_key(other)] for paper in ordered for other in paper.authors if name_key(other)}
        co.discard(slugs[person])
        found.append(Author(slugs[person], name, tuple(sorted(forms)), ordered, tuple(sorted(co))))
    found.sort(key=lambda author: (author.sort_key, author.slug))
    index = {author.slug: position for position, author in enumerate(found)}
    return [Author(a.slug, a.name, a.forms, a.papers, tuple(sorted(a.coauthors, key=index.__getitem__))) for a in found]

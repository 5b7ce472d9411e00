"""Candidates: one item (bullet or table row) -> the fields of one entry, before duplicates are resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from emocat.catalog.identity import title_key as normalise_title
from emocat.catalog.modalities import normalise_modalities
from emocat.catalog.models import Vocabulary
from emocat.catalog.values import URL_PATTERN
from emocat.commands.importer.classify import ARXIV, DOI, PDF, column_roles, context_kind, host_kind
from emocat.commands.importer.inline import Link
from emocat.commands.importer.markdown import Item
from emocat.commands.importer.values import (
    ANNOTATION,
    arxiv_date,
    hours_value,
    institutions,
    parse_date,
    slugify,
    split_sizes,
    venue_year,
    whole_number,
    yes_no,
)

_URL_RE = re.compile(URL_PATTERN)


@dataclass
class Candidate:
    """An entry built from one item, before duplicates are resolved."""

    item: Item
    kind: str
    data: dict[str, Any]
    id_hint: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (message, rule) warnings



def _put_link(links: dict[str, str], url: str, host: str, kind: str) -> None:
    if host == "paper":
        arxiv = ARXIV.search(url)
        if arxiv and "/pdf/" in url:
            links.setdefault("pdf", url)
            links.setdefault("paper", f"https://arxiv.org/abs/{arxiv.group(1)}")
        elif PDF.search(url.lower()) and "paper" in links:
            links.setdefault("pdf", url)
        else:
            links.setdefault("paper", url)
    elif host == "model" or (host == "dataset" and "huggingface" in url):
        links.setdefault("huggingface", url)
    elif host == "dataset":
        links.setdefault("data", url)
    elif host == "code":
        links.setdefault("code", url)
    elif kind == "dataset":
        links.setdefault("data", url)
    else:
        links.setdefault("project", url)


def build_candidate(item: Item, vocabulary: Vocabulary) -> Candidate | str:
    """Turn one item into a candidate entry, or return why it cannot be mapped."""
    notes: list[tuple[str, str]] = []
    roles = column_roles(item.cells)
    by_role: dict[str, str] = {}
    for header, role in roles.items():
        by_role.setdefault(role, item.cells[header])
    good_links: list[tuple[Link, str]] = []
    for link in item.links:
        if link.badge:
            continue
        if not _URL_RE.match(link.url):
            if not link.url.startswith("#"):
                notes.append(
                    (
                        f"link target {link.url!r} of {link.text!r} is not an http(s) URL; dropped",
                        "import-link",
                    )
                )
            continue
        good_links.append((link, host_kind(link.url)))

    title_cell = by_role.get("title", "")
    name_cell = by_role.get("name", "")
    keyword = by_role.get("keyword", "")
    main = item.main or title_cell or name_cell
    if not main and item.cells:
        main = next((v for v in item.cells.values() if v and not _URL_RE.match(v)), "")
    if not main and good_links:
        main = good_links[0][0].text
    if main in {"-", "–", "—"}:
        main = ""
    if not main:
        return "no name or title; nothing to import"
    if not good_links and not item.cells:
        bad = [link.url for link in item.links if not link.badge and not _URL_RE.match(link.url)]
        reason = f"its link target {bad[0]!r} is not an http(s) URL" if bad else "it has no http(s) link"
        return f"{main[:60]!r}: {reason}; cannot tell what it is"

    headers = " ".join(item.cells)
    context = context_kind([item.group or "", *reversed(item.section)])
    column_kind = (
        "dataset"
        if "dataset" in roles.values()
        and any(h.startswith("dataset") for h, r in roles.items() if r == "name")
        else None
    )
    hosts = {host for _, host in good_links}
    if column_kind or context == "dataset":
        kind = "dataset"
    elif context == "paper" or "title" in roles.values():
        kind = "paper"
    elif context == "model":
        kind = "model"
    elif "paper" in hosts:
        kind = "paper"
    elif "model" in hosts:
        kind = "model"
    elif "dataset" in hosts:
        kind = "dataset"
    elif "code" in hosts:
        kind = "model"
    else:
        known = headers or "none"
        return f"{main[:60]!r}: cannot tell whether it is a paper, dataset or model (headers: {known})"

    links: dict[str, str] = {}
    for link, host in good_links:
        _put_link(links, link.url, host, kind)
    data: dict[str, Any] = {}
    modalities_text = by_role.get("modality", "")
    if modalities_text and modalities_text not in {"-", ""}:
        modalities, unknown = normalise_modalities(modalities_text)
        data["modalities"] = modalities
        if unknown:
            notes.append(
                (
                    f"unknown modality notation {', '.join(unknown)!r} in {modalities_text!r}; "
                    "left out",
                    "import-modality",
                )
            )
    description = item.note or by_role.get("description_text", "")
    if description:
        data["description"] = description

    if kind == "paper":
        data["title"] = title_cell or main
        said = None
        if item.note and not item.cells:  # "- [Title](url), ACL 2019": the venue and year follow the link
            venue, year, rest = venue_year(item.note)
            if year is not None:
                by_role = {**by_role, "date": str(year), **({"venue": venue} if venue else {})}
                said = f"the list says {venue + ' ' if venue else ''}{year}"
                data.pop("description", None)
                if rest:
                    data["description"] = rest
        _paper_fields(by_role, [link.url for link, _ in good_links], data, notes, vocabulary, said)
        topic = _topic_for(item, vocabulary)
        if topic:
            data["topics"] = [topic]
        hint = keyword or _short_title(str(data["title"]))
    elif kind == "model":
        raw_name = name_cell or main
        name, sizes = split_sizes(raw_name)
        if sizes and any(re.fullmatch(r"[\d.]+", s) for s in sizes):
            notes.append((f"sizes of {raw_name!r} have no unit; kept as printed", "import-number"))
        data["name"] = name
        if sizes:
            data["sizes"] = sizes
        hint = _short_title(name)
        org_text = by_role.get("institution") or item.group or ""
        if org_text:
            orgs = institutions(org_text, vocabulary, notes)
            if orgs:
                data["organisation"] = orgs[0]
    else:
        name = name_cell or main
        data["name"] = name
        _dataset_fields(by_role, data, notes)
        hint = _short_title(name)
    if links:
        data["links"] = links
    return Candidate(item, kind, data, slugify(hint), notes)


def _paper_fields(
    by_role: dict[str, str],
    urls: list[str],
    data: dict[str, Any],
    notes: list[tuple[str, str]],
    vocabulary: Vocabulary,
    said: str | None = None,
) -> None:
    """arXiv id, DOI, year and month (the arXiv id wins over a date column), keyword, venue, institutions."""
    arxiv = next((m.group(1) for m in (ARXIV.search(u) for u in urls) if m), None)
    doi = next((m.group(1) for m in (DOI.search(u) for u in urls) if m), None)
    if arxiv:
        data["arxiv"] = arxiv
    if doi:
        data["doi"] = doi.rstrip(".")
    year, month = parse_date(by_role.get("date", ""))
    from_id = arxiv_date(arxiv) if arxiv else None
    if from_id:
        if year is not None and (year, month or from_id[1]) != from_id:
            printed = f"{year}-{month:02d}" if month else str(year)
            notes.append(
                (
                    f"{said or 'the date column says ' + printed} but the arXiv id {arxiv} says "
                    f"{from_id[0]}-{from_id[1]:02d}; kept the arXiv date",
                    "import-date",
                )
            )
        year, month = from_id
    if year is not None:
        data["year"] = year
    if month is not None:
        data["month"] = month
    keyword = by_role.get("keyword", "")
    if keyword:
        data["keyword"] = keyword
    venue = by_role.get("venue", "")
    if venue and venue not in {"-", "–"}:
        data["venue"] = venue
    if by_role.get("institution"):
        data["institutions"] = institutions(by_role["institution"], vocabulary, notes)


def _short_title(title: str) -> str:
    head = title.split(":", 1)[0]
    return head if len(head.split()) <= 5 else " ".join(title.split()[:8])


def _topic_for(item: Item, vocabulary: Vocabulary) -> str | None:
    texts = [item.group or "", *item.section[-1:]]
    for text in texts:
        words = {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())}
        for slug, term in vocabulary.topics.items():
            if slug.rstrip("s") in words or normalise_title(term.name) == normalise_title(text):
                return slug
    return None


def _dataset_fields(by_role: dict[str, str], data: dict[str, Any], notes: list[tuple[str, str]]) -> None:
    def value(role: str) -> str:
        text = by_role.get(role, "")
        return "" if text in {"-", "–", "—", "?", "n/a", "N/A"} else text

    for role, target in (
        ("samples", "samples"),
        ("labelled", "labelled_samples"),
        ("classes", "emotion_classes"),
    ):
        text = value(role)
        if text:
            number = whole_number(text)
            if number is None:
                notes.append((f"{target}: {text!r} is not a whole number; left out", "import-number"))
            else:
                data[target] = number
    for role, target in (
        ("descriptions", "descriptions"),
        ("emotion", "emotion_labels"),
        ("egocentric", "egocentric"),
    ):
        text = value(role)
        if text:
            flag = yes_no(text)
            if flag is None and role == "descriptions":
                data.setdefault("description", text)
            elif flag is None:
                notes.append((f"{target}: {text!r} is neither yes nor no; left out", "import-number"))
            else:
                data[target] = flag
    text = value("annotation")
    if text:
        key = " ".join(re.findall(r"[a-z]+", text.lower()))
        if key in ANNOTATION:
            data["annotation"] = ANNOTATION[key]
        else:
            notes.append(
                (
                    f"annotation manner {text!r} is not one of human, model, human-led-model-assisted, "
                    "model-led-human-assisted; left out",
                    "import-vocabulary",
                )
            )
    text = value("hours")
    if text:
        hours = hours_value(text)
        if hours is None:
            notes.append((f"hours: {text!r} is not a duration; left out", "import-number"))
        else:
            data["hours"] = hours
            hh, _, mm = text.partition(":")
            if mm and hours != Decimal(hh) + Decimal(mm) / 60:
                notes.append((f"hours: {text} (hours:minutes) rounded to {hours}", "import-number"))
    if value("domain"):
        data["domain"] = value("domain")
    text = value("language")
    if text:
        data["_languages"] = text


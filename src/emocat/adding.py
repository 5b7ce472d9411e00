"""``emocat add``: new paper entries from arXiv, Crossref or a BibTeX file, refusing duplicates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from emocat import clock
from emocat.catalog.identity import identity_keys
from emocat.catalog.loader import Catalog, load
from emocat.catalog.messages import describe
from emocat.catalog.models import KINDS, Links, Paper
from emocat.catalog.values import ID_MAX
from emocat.errors import EmocatError, ExistsError, Problem, Severity, UsageError
from emocat.outputs.bibtex import STOPWORDS
from emocat.sources import arxiv, crossref
from emocat.sources.bibtex_file import BibEntry, read_bibtex
from emocat.sources.client import HttpClient
from emocat.store import yamlio
from emocat.store.files import write_new
from emocat.store.writer import dump_entry, free_id

#: What a contributor still has to fill in by hand after ``emocat add``.
TO_FILL = ("modalities", "tasks", "topics", "links.code")
ABSTRACT_MAX = 5000
ID_WORDS = 5


@dataclass
class Added:
    """One new entry: where it goes, what it says, and whether it was written."""

    path: Path
    entry: Paper
    text: str
    written: bool


@dataclass
class AddReport:
    """The entries added (or, with ``dry_run``, that would be) and the problems met on the way."""

    added: list[Added] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: what the contributor still has to fill in by hand
    to_fill: tuple[str, ...] = TO_FILL

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


# --- turning records into entries ------------------------------------------------------------------------


def _clean(text: Any) -> str | None:
    """One line of plain text: control characters dropped, whitespace collapsed."""
    if text is None:
        return None
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in str(text))
    return " ".join(value.split()) or None


def _abstract(text: Any) -> str | None:
    value = _clean(text)
    if value and len(value) > ABSTRACT_MAX:
        value = value[: ABSTRACT_MAX - 1].rsplit(" ", 1)[0] + "…"
    return value


def _paper_fields(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def from_arxiv(record: arxiv.ArxivRecord, today: dt.date) -> dict[str, Any]:
    """Paper fields from an arXiv record (date of the first version; venue from the journal reference)."""
    return _paper_fields(
        title=_clean(record.title),
        authors=[name for a in record.authors if (name := _clean(a))],
        year=record.published.year,
        month=record.published.month,
        venue=_clean(record.journal_ref),
        arxiv=record.id,
        doi=_clean(record.doi),
        links={"paper": record.abs_url, "pdf": record.pdf_url},
        abstract=_abstract(record.abstract),
        added=today,
    )


def from_crossref(record: crossref.CrossrefRecord, today: dt.date) -> dict[str, Any]:
    """Paper fields from a Crossref work (the venue is its container title)."""
    return _paper_fields(
        title=_clean(record.title),
        authors=[name for a in record.authors if (name := _clean(a))],
        year=record.year,
        month=record.month,
        venue=_clean(record.venue),
        doi=record.doi,
        links={"paper": f"https://doi.org/{record.doi}"},
        abstract=_abstract(record.abstract),
        added=today,
    )


def _bib_author(name: str) -> str | None:
    """``Last, First`` -> ``First Last``; ``others`` (from ``and others``) is dropped."""
    text = _clean(name.replace("{", "").replace("}", ""))
    if not text or text.lower() == "others":
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[0] and parts[2]:  # Last, Jr, First
        return f"{parts[2]} {parts[0]} {parts[1]}".strip()
    return text


def _bib_arxiv(fields: dict[str, Any]) -> str | None:
    candidates = [fields.get("eprint"), fields.get("arxiv"), fields.get("url")]
    journal = str(fields.get("journal", ""))
    found = re.search(r"arxiv[:\s]*([\w.\-/]+\d)", journal, re.IGNORECASE)
    if found:
        candidates.append(found.group(1))
    prefix = str(fields.get("archiveprefix", fields.get("eprinttype", ""))).lower()
    for candidate in candidates:
        if not candidate:
            continue
        text = str(candidate).strip()
        if candidate is fields.get("eprint") and prefix not in ("", "arxiv"):
            continue
        if text.startswith("http") and "arxiv.org/" not in text:
            continue
        try:
            return arxiv.parse_id(text).id
        except UsageError:
            continue
    return None


def _bib_doi(fields: dict[str, Any]) -> str | None:
    for candidate in (fields.get("doi"), fields.get("url")):
        if candidate:
            try:
                return crossref.parse_doi(str(candidate))
            except UsageError:
                continue
    return None


def from_bibtex(entry: BibEntry, today: dt.date) -> dict[str, Any]:
    """Paper fields from a decoded BibTeX entry."""
    fields = entry.fields
    authors = fields.get("author", [])
    if isinstance(authors, str):
        authors = [authors]
    year_text = str(fields.get("year", "")).strip()
    year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
    month = fields.get("month")
    journal = _clean(fields.get("journal"))
    if journal and re.match(r"^arxiv\b", journal, re.IGNORECASE):
        journal = None
    venue = journal or _clean(fields.get("booktitle") or fields.get("school") or fields.get("institution"))
    arxiv_id = _bib_arxiv(fields)
    url = _clean(fields.get("url"))
    links = {"paper": url if url and re.match(r"^https?://\S+$", url) else None}
    if arxiv_id:
        links["paper"] = links["paper"] or f"https://arxiv.org/abs/{arxiv_id}"
        links["pdf"] = f"https://arxiv.org/pdf/{arxiv_id}"
    return _paper_fields(
        title=_clean(fields.get("title")),
        authors=[name for a in authors if (name := _bib_author(str(a)))],
        year=year,
        month=month if isinstance(month, int) and 1 <= month <= 12 else None,
        venue=venue,
        arxiv=arxiv_id,
        doi=_bib_doi(fields),
        links={k: v for k, v in links.items() if v},
        abstract=_abstract(fields.get("abstract")),
        added=today,
    )


# --- ids and duplicates ------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))


def short_name(title: str) -> str | None:
    """The name before the colon of a title (``Emotion-LLaMA: …`` -> ``Emotion-LLaMA``), if it is short."""
    head, colon, _ = title.partition(":")
    head = head.strip()
    if colon and 0 < len(head.split()) <= 3 and len(head) <= 40 and _slug(head):
        return head
    return None


def readable_id(title: str) -> str:
    """The name before a colon (``Emotion-LLaMA: …`` -> ``emotion-llama``), else significant title words."""
    head = short_name(title)
    if head:
        return _slug(head)[:ID_MAX].strip("-")
    words = [w for w in _slug(title).split("-") if w and w not in STOPWORDS]
    slug = "-".join(words[:ID_WORDS]) or "paper"
    return slug[:ID_MAX].rstrip("-")


def taken_ids(catalog_dir: Path, catalog: Catalog) -> set[str]:
    """Every id in use: loaded entries, and files of any kind even if they do not load."""
    taken = set(catalog.paths)
    for folder in KINDS:
        directory = catalog_dir / folder
        if directory.is_dir():
            taken.update(path.stem for path in directory.iterdir() if path.suffix in (".yaml", ".yml"))
    return taken


def unique_id(base: str, year: int | None, taken: set[str]) -> str:
    """``base``, else ``base-YEAR``, else ``base-2``, ``base-3``…, never one in ``taken``."""
    return free_id([base] + ([f"{base}-{year}"] if year else []), taken, numbered=base)


class _Identities:
    """Who already holds an arXiv id, DOI or normalised title (catalog entries and this run's)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.owners: dict[tuple[str, str], tuple[str, str]] = {}
        for entry in catalog.entries():
            for _, what, value in identity_keys(entry):
                if value:
                    self.owners.setdefault((what, value), (entry.id, str(catalog.path_of(entry.id))))

    def duplicate_of(self, paper: Paper) -> str | None:
        for _, what, value in identity_keys(paper):
            owner = self.owners.get((what, value))
            if value and owner:
                shown = paper.arxiv if what == "arXiv id" else paper.doi if what == "DOI" else paper.title
                return f"the {what} {shown!r} is already in the catalog: {owner[0]} ({owner[1]})"
        return None

    def refuse_known(self, what: str, value: str) -> None:
        """Raise before any lookup when the catalog already holds this arXiv id or DOI."""
        owner = self.owners.get((what, value.lower() if what == "DOI" else value))
        if owner:
            raise ExistsError(f"the {what} {value!r} is already in the catalog: {owner[0]} ({owner[1]}); "
                              "nothing was written")

    def claim(self, paper: Paper, path: Path) -> None:
        for _, what, value in identity_keys(paper):
            if value:
                self.owners.setdefault((what, value), (paper.id, str(path)))


def _validated(fields: dict[str, Any], entry_id: str) -> tuple[Paper, str]:
    """Validate the fields, then validate the exact canonical text that will be written."""
    try:
        paper = Paper.model_validate({**fields, "id": entry_id})
        text = dump_entry(paper)
        Paper.model_validate({**yamlio.parse(text), "id": entry_id})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = describe(Paper, first["loc"], first)
        raise EmocatError(f"the metadata cannot be stored: {where}: {message}") from None
    return paper, text


class _Session:
    """One ``emocat add`` run over a catalog folder: ids and identities stay unique across its entries."""

    def __init__(self, catalog_dir: Path, today: dt.date | None, dry_run: bool) -> None:
        if not catalog_dir.is_dir():
            raise UsageError(f"no catalog folder at {catalog_dir}")
        self.catalog_dir = catalog_dir
        self.today = today or clock.today()
        self.dry_run = dry_run
        catalog, _ = load(catalog_dir)
        self.identities = _Identities(catalog)
        self.taken = taken_ids(catalog_dir, catalog)

    def add(self, fields: dict[str, Any]) -> Added:
        """Check, name, validate and (unless a dry run) write one paper; raise on a duplicate."""
        title = fields.get("title")
        if not title:
            raise EmocatError("the record has no title; nothing was written")
        probe = Paper.model_construct(**{**fields, "id": "", "links": _links(fields)})
        duplicate = self.identities.duplicate_of(probe)
        if duplicate:
            raise ExistsError(f"{duplicate}; nothing was written")
        entry_id = unique_id(readable_id(str(title)), fields.get("year"), self.taken)
        if "keyword" not in fields and short_name(str(title)):
            fields = {**fields, "keyword": short_name(str(title))}
        paper, text = _validated(fields, entry_id)
        path = self.catalog_dir / Paper.folder / f"{entry_id}.yaml"
        if not self.dry_run:
            write_new(path, text, inside=self.catalog_dir)
        self.taken.add(entry_id)
        self.identities.claim(paper, path)
        return Added(path, paper, text, written=not self.dry_run)


def _links(fields: dict[str, Any]) -> Links:
    return Links.model_construct(**fields.get("links", {}))


# --- the three ways in ------------------------------------------------------------------------------


def with_extra(fields: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    """``fields`` with what the contributor gave besides the metadata (topics, a code link…); links merge."""
    if not extra:
        return fields
    links = {**fields.get("links", {}), **extra.get("links", {})}
    return _paper_fields(**{**fields, **extra, "links": links})


def add_arxiv(catalog_dir: Path, identifier: str, *, dry_run: bool = False, today: dt.date | None = None,
              client: HttpClient | None = None, extra: dict[str, Any] | None = None) -> AddReport:
    """Add the paper with this arXiv id (``2406.11161``, ``2406.11161v2``, ``hep-th/9901001``…)."""
    session = _Session(catalog_dir, today, dry_run)
    wanted = arxiv.parse_id(identifier)
    session.identities.refuse_known("arXiv id", wanted.id)
    record = arxiv.fetch_one(wanted, client=client)
    return AddReport(added=[session.add(with_extra(from_arxiv(record, session.today), extra))])


def add_doi(catalog_dir: Path, doi: str, *, dry_run: bool = False, today: dt.date | None = None,
            client: HttpClient | None = None, extra: dict[str, Any] | None = None) -> AddReport:
    """Add the work with this DOI, as Crossref describes it."""
    session = _Session(catalog_dir, today, dry_run)
    session.identities.refuse_known("DOI", crossref.parse_doi(doi))
    record = crossref.fetch(doi, client=client)
    return AddReport(added=[session.add(with_extra(from_crossref(record, session.today), extra))])


def add_bibtex(catalog_dir: Path, bib_path: Path, *, dry_run: bool = False,
               today: dt.date | None = None) -> AddReport:
    """Add every entry of a BibTeX file; what cannot be added is reported with its line, the rest is."""
    session = _Session(catalog_dir, today, dry_run)
    try:
        data = bib_path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {bib_path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError(f"{bib_path}:{line}: not valid UTF-8; save the file as UTF-8") from None
    parsed = read_bibtex(text, str(bib_path))
    report = AddReport(problems=list(parsed.problems))
    for entry in parsed.entries:
        try:
            report.added.append(session.add(from_bibtex(entry, session.today)))
        except EmocatError as exc:
            report.problems.append(Problem(str(bib_path), entry.line, 1, Severity.ERROR, "",
                                           f"@{entry.type}{{{entry.key}}}: {exc}", "bibtex-entry"))
    report.problems.sort()
    return report


def add(catalog_dir: Path, source: str | None, bibtex: Path | None, *, dry_run: bool = False,
        today: dt.date | None = None) -> AddReport:
    """Dispatch ``arxiv:ID``, ``doi:DOI`` or a BibTeX file to the function that adds it."""
    if (source is None) == (bibtex is None):
        raise UsageError("give either arxiv:ID, doi:DOI or --bibtex FILE")
    if bibtex is not None:
        return add_bibtex(catalog_dir, bibtex, dry_run=dry_run, today=today)
    scheme, _, value = str(source).partition(":")
    handlers: dict[str, Callable[..., AddReport]] = {"arxiv": add_arxiv, "doi": add_doi}
    handler = handlers.get(scheme.lower())
    if handler is None or not value:
        raise UsageError(f"{source!r}: expected arxiv:ID (e.g. arxiv:2406.11161) "
                         "or doi:DOI (e.g. doi:10.1145/3581783.3612000)")
    return handler(catalog_dir, value, dry_run=dry_run, today=today)


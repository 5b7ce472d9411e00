"""``emocat add --from-issue FILE``: a paper from the body GitHub renders for the "Suggest a paper" issue form.

GitHub renders an issue form as one ``### Label`` heading per field followed by its value; an empty
optional field reads ``_No response_``, and checkboxes are a list of ``- [X] label`` / ``- [ ] label``.
The entry is added by the same code as ``emocat add`` (lookup, duplicate check, canonical write), with the
code link, modalities and topics the contributor gave. Every problem names the line of the body it is on.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from emocat import adding
from emocat.catalog.loader import VOCABULARY_FILE, load
from emocat.catalog.messages import describe
from emocat.catalog.models import Links, Modality
from emocat.catalog.spelling import suggestion
from emocat.errors import EmocatError, Problem, Severity, UsageError
from emocat.sources import arxiv, crossref
from emocat.store.files import read_regular

#: The labels of the form's fields (.github/ISSUE_TEMPLATE/suggest-paper.yml), as GitHub prints them.
IDENTIFIER = "arXiv id or DOI"
CODE = "Code link"
MODALITIES = "Modalities"
TOPICS = "Topics"
LABELS = (IDENTIFIER, CODE, MODALITIES, TOPICS)
NO_RESPONSE = "_No response_"
MAX_BYTES = 1 << 16
RULE = "issue-form"

_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*#*[ \t]*$")
_CHECKBOX = re.compile(r"^[-*][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<label>.+?)[ \t]*$")
#: A checkbox label that ends with the vocabulary id in parentheses: ``Emotion MLLMs (emotion-mllm)``.
_LABEL_ID = re.compile(r"\((?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\)$")
_DOI_LIKE = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/|10\.)", re.IGNORECASE)


@dataclass
class Answer:
    """One field of the form: its value lines (blank lines and ``_No response_`` dropped) and where it starts."""

    label: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.lines)

    def at(self) -> int:
        return self.lines[0][0] if self.lines else self.line


def parse_form(text: str) -> dict[str, Answer]:
    """The fields of a rendered issue form, by label (the first of each label counts)."""
    answers: dict[str, Answer] = {}
    current: Answer | None = None
    fence = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("```"):
            fence = not fence
        heading = None if fence else _HEADING.match(line)
        if heading:
            current = Answer(heading.group("label"), number)
            answers.setdefault(current.label, current)
        elif current is not None and line and line != NO_RESPONSE:
            current.lines.append((number, line))
    return answers


def checked(answer: Answer | None) -> list[tuple[int, str]]:
    """The labels of the ticked boxes, with their lines."""
    if answer is None:
        return []
    found = []
    for number, line in answer.lines:
        match = _CHECKBOX.match(line)
        if match and match.group("mark") in "xX":
            found.append((number, match.group("label")))
    return found


class _Reader:
    """Turns the answers into entry fields, collecting a located problem for each bad one."""

    def __init__(self, path: Path, answers: dict[str, Answer]) -> None:
        self.path, self.answers = path, answers
        self.problems: list[Problem] = []

    def problem(self, line: int, label: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, 1, Severity.ERROR, label, message, RULE))

    def identifier(self) -> tuple[str, str] | None:
        """("arxiv" or "doi", the bare id)."""
        answer = self.answers.get(IDENTIFIER)
        if answer is None or not answer.lines:
            line = answer.line if answer else 1
            self.problem(line, IDENTIFIER, "no arXiv id or DOI was given; write one such as 2406.11161 or "
                         "10.1145/3581783.3612000")
            return None
        value = answer.text.strip("`")
        try:
            if _DOI_LIKE.match(value):
                return "doi", crossref.parse_doi(value)
            return "arxiv", str(arxiv.parse_id(value))
        except UsageError:
            self.problem(answer.at(), IDENTIFIER, f"{value!r} is neither an arXiv id (e.g. 2406.11161 or "
                         "https://arxiv.org/abs/2406.11161) nor a DOI (e.g. 10.1145/3581783.3612000)")
            return None

    def code(self) -> dict[str, str]:
        answer = self.answers.get(CODE)
        if answer is None or not answer.lines:
            return {}
        url = answer.text.strip("<>`")
        try:
            Links.model_validate({"code": url})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            self.problem(answer.at(), CODE, describe(Links, error["loc"], error))
            return {}
        return {"code": url}

    def modalities(self) -> list[str]:
        allowed = typing.get_args(Modality)
        found = []
        for line, label in checked(self.answers.get(MODALITIES)):
            value = label.strip("`").lower()
            if value in allowed:
                found.append(value)
            else:
                self.problem(line, MODALITIES, f"{label!r} is not a modality{suggestion(label, allowed)} "
                             f"(allowed: {', '.join(allowed)})")
        return found

    def topics(self, vocabulary: dict[str, Any]) -> list[str]:
        names = {term.name: topic for topic, term in vocabulary.items()}
        found = []
        for line, label in checked(self.answers.get(TOPICS)):
            match = _LABEL_ID.search(label)
            value = match.group("id") if match else label.strip("`")
            topic = value if value in vocabulary else names.get(value)
            if topic is not None:
                found.append(topic)
            else:
                listing = ", ".join(sorted(vocabulary)) or "(none defined)"
                self.problem(line, TOPICS, f"{value!r} is not in the topics of {VOCABULARY_FILE}"
                             f"{suggestion(value, vocabulary, names)} (allowed: {listing})")
        return found


def read_issue(path: Path) -> str:
    """The issue body: a regular UTF-8 file of at most 64 KiB."""
    data = read_regular(path, MAX_BYTES)
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path}: larger than {MAX_BYTES} bytes; an issue form body is much smaller")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError(f"{path}:{line}: not valid UTF-8") from None


def add_from_issue(catalog_dir: Path, issue: Path, *, dry_run: bool = False,
                   today: dt.date | None = None) -> adding.AddReport:
    """Add the paper an issue-form body suggests; its problems are located on the lines of the body."""
    if not catalog_dir.is_dir():
        raise UsageError(f"no catalog folder at {catalog_dir}")
    answers = parse_form(read_issue(issue))
    reader = _Reader(issue, answers)
    if not any(label in answers for label in LABELS):
        reader.problem(1, "", f"no '### {IDENTIFIER}' section: the body is not one of the Suggest a paper form")
        return adding.AddReport(problems=reader.problems, to_fill=())
    catalog, _ = load(catalog_dir)
    wanted = reader.identifier()
    extra: dict[str, Any] = {"links": reader.code(), "modalities": reader.modalities(),
                             "topics": reader.topics(catalog.vocabulary.topics)}
    if wanted is None or reader.problems:
        return adding.AddReport(problems=sorted(reader.problems), to_fill=())
    scheme, value = wanted
    add = adding.add_arxiv if scheme == "arxiv" else adding.add_doi
    try:
        report = add(catalog_dir, value, dry_run=dry_run, today=today, extra=extra)
    except EmocatError as exc:
        reader.problem(answers[IDENTIFIER].at(), IDENTIFIER, str(exc))
        return adding.AddReport(problems=reader.problems, to_fill=())
    report.to_fill = tuple(name for name, given in (("modalities", extra["modalities"]), ("tasks", []),
                                                    ("topics", extra["topics"]), ("links.code", extra["links"]))
                           if not given)
    return report


def add(catalog_dir: Path, source: str | None, bibtex: Path | None, issue: Path | None, *,
        dry_run: bool = False) -> adding.AddReport:
    """``emocat add``: from an issue-form body, or from ``arxiv:ID`` / ``doi:DOI`` / a BibTeX file."""
    if issue is None:
        return adding.add(catalog_dir, source, bibtex, dry_run=dry_run)
    if source is not None or bibtex is not None:
        raise UsageError("--from-issue reads the id from the issue; give no arxiv:ID, doi:DOI or --bibtex with it")
    return add_from_issue(catalog_dir, issue, dry_run=dry_run)

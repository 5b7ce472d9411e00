"""Pydantic models of catalog entries, the vocabulary file and the catalog metadata."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from emocat.catalog.values import (
    BLOCK_PATTERN,
    COMMIT_PATTERN,
    REPOSITORY_PATTERN,
    TEXT_PATTERN,
    ArxivId,
    Count,
    Day,
    Doi,
    Hours,
    Id,
    LongText,
    Month,
    Name,
    Number,
    Slug,
    Text,
    Url,
    Year,
    YearMonth,
)

Modality = Literal["text", "image", "audio", "video"]
LabelType = Literal["categorical", "dimensional", "descriptive", "sentiment-intensity"]
Annotation = Literal["human", "model", "human-led-model-assisted", "model-led-human-assisted"]
#: How the model met the benchmark's data: not trained on it, trained on its training split, tested inside
#: or outside the distribution it was trained on, or a challenge's ranking of submitted systems.
Regime = Literal["zero-shot", "fine-tuned", "in-distribution", "out-of-distribution", "challenge-ranking"]
#: The range a value is printed on; values on different scales are compared after dividing by the top.
Scale = Literal["0-1", "0-5", "0-10", "0-100"]
REGIMES: tuple[str, ...] = ("zero-shot", "fine-tuned", "in-distribution", "out-of-distribution", "challenge-ranking")
SCALE_TOP: dict[str, Decimal] = {"0-1": Decimal(1), "0-5": Decimal(5), "0-10": Decimal(10), "0-100": Decimal(100)}

MODALITIES: tuple[str, ...] = ("text", "image", "audio", "video")


class Strict_(BaseModel):
    """Base: unknown fields are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, validate_default=False)


class Links(Strict_):
    """Where to read, run or download the work."""

    paper: Url | None = None
    pdf: Url | None = None
    code: Url | None = None
    project: Url | None = None
    demo: Url | None = None
    huggingface: Url | None = None
    data: Url | None = None
    blog: Url | None = None

    def items_present(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self if value]


class Repository(Strict_):
    """Health of the code repository, as last recorded by ``emocat enrich``."""

    stars: Count | None = None
    pushed: Day | None = None
    archived: bool | None = None
    checked: Day | None = None


class Entry(Strict_):
    """Fields every entry kind shares. ``id`` comes from the file name, never from the YAML."""

    kind: ClassVar[str]
    folder: ClassVar[str]

    id: Id = Field(default="", exclude=True, json_schema_extra={"readOnly": True})
    links: Links = Field(default_factory=Links)
    description: LongText | None = None
    #: Fields known to be missing, each with the reason (``links: no homepage or paper page found``): the
    #: completeness warnings of ``check --strict`` accept a gap that is written down, never a silent one.
    missing: dict[Slug, Text] = Field(default_factory=dict)
    added: Day

    @property
    def label(self) -> str:
        raise NotImplementedError

    def urls(self) -> list[tuple[str, str]]:
        """All URLs of the entry as (field path, url)."""
        return [(f"links.{name}", url) for name, url in self.links.items_present()]


class Paper(Entry):
    kind: ClassVar[str] = "paper"
    folder: ClassVar[str] = "papers"

    title: Text
    authors: list[Name] = Field(default_factory=list)
    #: The author list stops where the source's does ("et al."): the remaining authors are not listed.
    et_al: bool | None = None
    year: Year | None = None
    month: Month | None = None
    venue: Text | None = None
    arxiv: ArxivId | None = None
    doi: Doi | None = None
    keyword: Name | None = None
    modalities: list[Modality] = Field(default_factory=list)
    tasks: list[Slug] = Field(default_factory=list)
    topics: list[Slug] = Field(default_factory=list)
    institutions: list[Slug] = Field(default_factory=list)
    introduces: list[Id] = Field(default_factory=list)
    uses: list[Id] = Field(default_factory=list)
    abstract: LongText | None = None
    repository: Repository | None = None

    @property
    def label(self) -> str:
        return self.title


class Dataset(Entry):
    kind: ClassVar[str] = "dataset"
    folder: ClassVar[str] = "datasets"

    name: Name
    modalities: list[Modality] = Field(default_factory=list)
    samples: Count | None = None
    labelled_samples: Count | None = None
    emotion_classes: Count | None = None
    label_type: LabelType | None = None
    annotation: Annotation | None = None
    descriptions: bool | None = None
    emotion_labels: bool | None = None
    egocentric: bool | None = None
    domain: Name | None = None
    hours: Hours | None = None
    languages: list[Slug] = Field(default_factory=list)
    tasks: list[Slug] = Field(default_factory=list)
    paper: Id | None = None
    license: Name | None = None

    @property
    def label(self) -> str:
        return self.name


class Source(Strict_):
    """Where a number was read: a file in a repository at a commit, or a URL."""

    repository: Annotated[str, Strict(), StringConstraints(pattern=REPOSITORY_PATTERN, max_length=200)] | None = None
    path: Annotated[str, Strict(), StringConstraints(pattern=TEXT_PATTERN, min_length=1, max_length=500)] | None = None
    commit: Annotated[str, Strict(), StringConstraints(pattern=COMMIT_PATTERN)] | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _complete(self) -> Source:
        parts = (self.repository, self.path, self.commit)
        if any(parts) and not all(parts):
            raise ValueError("repository, path and commit go together; give all three")
        if self.url is None and not all(parts):
            raise ValueError("a source needs either url, or repository + path + commit")
        return self

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    @property
    def text(self) -> str:
        if self.repository:
            return f"{self.repository} · {self.path} @ {str(self.commit)[:7]}"
        return str(self.url)


class Result(Strict_):
    """One published number: a model's (or a baseline's) score on one metric, under one protocol.

    ``model_id`` names the model entry; a row that is no model of the catalog (a human or random
    reference, a challenge team, a classical discriminative model) says so with ``baseline``.
    ``as_printed`` keeps the name exactly as the source printed it.
    """

    model_id: Id | None = None
    baseline: Name | None = None
    as_printed: Name
    variant: Text | None = None
    modalities: list[Modality] = Field(default_factory=list)
    regime: Regime | None = None
    split: Name | None = None
    table: Name | None = None
    metric: Slug
    value: Number
    scale: Scale | None = None
    note: Text | None = None
    source: Source

    @model_validator(mode="after")
    def _subject(self) -> Result:
        if (self.model_id is None) == (self.baseline is None):
            raise ValueError("a result names either model_id (a model entry) or baseline (a reference row), exactly one")
        return self

    @property
    def subject(self) -> str:
        """The model id, or the baseline's name: who the number is about."""
        return self.model_id or f"baseline:{self.baseline}"

    @property
    def normalised(self) -> Decimal:
        """The value divided by the top of its scale (0-1), so that scales compare."""
        return self.value / SCALE_TOP[self.scale] if self.scale else self.value


class Benchmark(Entry):
    kind: ClassVar[str] = "benchmark"
    folder: ClassVar[str] = "benchmarks"

    name: Name
    datasets: list[Id] = Field(default_factory=list)
    split: Name | None = None
    samples: Count | None = None
    task: Slug | None = None
    label_description: Text | None = None
    paper: Id | None = None
    suite: Id | None = None
    metrics: list[Slug] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name

    @property
    def main_metric(self) -> str | None:
        """The id of the metric the board is ranked by: the first declared."""
        return self.metrics[0] if self.metrics else None

    def urls(self) -> list[tuple[str, str]]:
        found = super().urls()
        for i, result in enumerate(self.results):
            if result.source.url:
                found.append((f"results[{i}].source.url", result.source.url))
            elif result.source.repository:
                found.append((f"results[{i}].source", result.source.href))
        return found


class Model(Entry):
    kind: ClassVar[str] = "model"
    folder: ClassVar[str] = "models"

    name: Name
    aliases: list[Name] = Field(default_factory=list)
    organisation: Slug | None = None
    family: Name | None = None
    sizes: list[Name] = Field(default_factory=list)
    modalities: list[Modality] = Field(default_factory=list)
    open_weights: bool | None = None
    release: YearMonth | None = None
    paper: Id | None = None
    topics: list[Slug] = Field(default_factory=list)
    repository: Repository | None = None

    @property
    def label(self) -> str:
        return self.name


KINDS: dict[str, type[Entry]] = {cls.folder: cls for cls in (Paper, Dataset, Benchmark, Model)}
KIND_BY_NAME: dict[str, type[Entry]] = {cls.kind: cls for cls in (Paper, Dataset, Benchmark, Model)}


class Term(Strict_):
    """One allowed value of a controlled vocabulary."""

    name: Name
    description: LongText | None = None
    url: Url | None = None
    aliases: list[Name] = Field(default_factory=list)


class MetricTerm(Term):
    """A canonical metric: its short name, what it measures, and which direction is better."""

    higher_is_better: bool = True


class Vocabulary(Strict_):
    """Allow-lists that entries must draw from (``catalog/vocabulary.yaml``)."""

    topics: dict[Slug, Term] = Field(default_factory=dict)
    tasks: dict[Slug, Term] = Field(default_factory=dict)
    organisations: dict[Slug, Term] = Field(default_factory=dict)
    languages: dict[Slug, Term] = Field(default_factory=dict)
    metrics: dict[Slug, MetricTerm] = Field(default_factory=dict)


class Section(Strict_):
    """A README/site section and what it lists."""

    id: Slug
    title: Name
    intro: LongText | None = None


class CatalogMeta(Strict_):
    """Title, addresses and citation of the catalog (``catalog/catalog.yaml``)."""

    title: Name
    description: LongText
    repository: Url
    site_url: Url
    branch: Slug = "main"
    survey: Id | None = None
    citation: Annotated[str, Strict(), StringConstraints(pattern=BLOCK_PATTERN, min_length=1, max_length=5000)] | None = None
    trending: list[Id] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    license: Name | None = None

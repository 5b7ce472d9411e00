"""Classification: which kind of entry an item is (paper, dataset, model), from hosts, headers and headings."""

from __future__ import annotations

import functools
import re

PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org/anthology",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "jmlr.org",
    "openaccess.thecvf.com",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "semanticscholar.org",
    "ojs.aaai.org",
    "ijcai.org/proceedings",
    "biorxiv.org",
    "medrxiv.org",
)
MODEL_HOSTS = ("huggingface.co", "hf.co", "modelscope.cn", "ollama.com", "replicate.com", "civitai.com")
DATASET_HOSTS = ("huggingface.co/datasets", "kaggle.com/datasets", "zenodo.org", "paperswithcode.com/dataset")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")

ARXIV = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5})|(?:[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}))(v\d+)?", re.I
)
DOI = re.compile(r"(?:doi\.org/|dl\.acm\.org/doi/(?:abs/|pdf/)?)(10\.\d{4,9}/[^\s?#]+)", re.I)

_KIND_WORDS = (
    ("dataset", ("dataset", "datasets", "corpus", "corpora", "data", "benchmark", "benchmarks")),
    (
        "paper",
        (
            "paper",
            "papers",
            "survey",
            "surveys",
            "publication",
            "publications",
            "reading",
            "milestone",
            "review",
            "reviews",
            "article",
            "articles",
            "research",
        ),
    ),
    (
        "model",
        (
            "model",
            "models",
            "llm",
            "llms",
            "mllm",
            "mllms",
            "checkpoint",
            "checkpoints",
            "weights",
            "project",
            "projects",
            "tool",
            "tools",
        ),
    ),
)
SKIP_SECTIONS = (
    "contents",
    "table of contents",
    "contributing",
    "contribute",
    "license",
    "citation",
    "acknowledgement",
    "acknowledgements",
    "acknowledgment",
    "star history",
    "contributors",
    "related",
    "sponsors",
)

# column role -> words that name it (a header matches when it equals or starts with one of them)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("paper", "title", "paper title", "publication"),
    "name": ("name", "model", "dataset", "project", "method", "benchmark", "models", "datasets"),
    "date": ("date", "year", "published", "time", "release", "released"),
    "keyword": ("keyword", "keywords", "short name", "abbr", "abbreviation", "alias"),
    "institution": (
        "institute",
        "institution",
        "institutions",
        "affiliation",
        "organisation",
        "organization",
        "org",
        "lab",
        "company",
    ),
    "modality": ("modality", "modalities", "supported modality", "modal", "mod"),
    "venue": ("venue", "conference", "journal", "pub", "publisher"),
    "samples": ("samples", "# samples", "#samples", "size", "# clips", "clips", "utterances", "instances"),
    "labelled": ("#labels", "# labels", "labels", "labelled", "labeled"),
    "classes": ("emotions", "classes", "# classes", "#classes", "categories", "# emotions"),
    "descriptions": ("description", "descriptions", "desc"),
    "annotation": ("annotation manner", "annotation", "annotated by", "labelling"),
    "domain": ("domain", "source domain", "scenario"),
    "hours": ("dur hrs", "dur", "duration", "hours", "hrs", "duration h", "duration hours"),
    "language": ("language", "languages", "lang"),
    "emotion": ("emotion?", "emotion", "emotional"),
    "egocentric": ("ego?", "ego", "egocentric"),
    "description_text": ("summary", "notes", "note", "remarks", "comment", "comments", "highlights"),
    "link": (
        "link",
        "links",
        "url",
        "urls",
        "code",
        "source",
        "github",
        "repo",
        "repository",
        "project page",
        "homepage",
        "download",
        "resources",
        "resource",
    ),
}


PDF = re.compile(r"\.pdf(?:$|[?#])")
_MODEL_HOST = re.compile(r"//(?:www\.)?(?:" + "|".join(re.escape(host) for host in MODEL_HOSTS) + ")/")
_WORD = re.compile(r"[a-z0-9]+")


def column_roles(cells: dict[str, str]) -> dict[str, str]:
    """Map header -> role for the headers of a table row (first matching role wins per header)."""
    return dict(_roles(tuple(cells)))


@functools.lru_cache(maxsize=256)  # every row of a table has the same headers
def _roles(headers: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    roles: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        for role, words in _COLUMNS.items():
            if role in taken and role not in ("link",):
                continue
            if header in words or any(header.startswith(word + " ") for word in words if len(word) > 3):
                roles[header] = role
                taken.add(role)
                break
    return tuple(roles.items())


def host_kind(url: str) -> str:
    lowered = url.lower()
    if any(host in lowered for host in DATASET_HOSTS):
        return "dataset"
    if any(host in lowered for host in PAPER_HOSTS) or PDF.search(lowered):
        return "paper"
    if _MODEL_HOST.search(lowered):
        return "model"
    if any(host in lowered for host in CODE_HOSTS):
        return "code"
    return "other"


def context_kind(texts: list[str]) -> str | None:
    """The kind the nearest group label or heading names (datasets before papers before models)."""
    for text in texts:
        tokens = set(_WORD.findall(text.lower()))
        for kind, words in _KIND_WORDS:
            if tokens & set(words):
                return kind
    return None

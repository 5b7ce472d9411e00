"""Hypothesis strategies for valid catalog entries of every kind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from emocat.catalog.identity import identity_keys
from emocat.catalog.loader import Catalog
from emocat.catalog.models import KIND_BY_NAME, MODALITIES, REGIMES, CatalogMeta, MetricTerm, Term, Vocabulary
from emocat.catalog.values import TEXT_PATTERN

METRICS = ("waf", "accuracy", "f1-score")

#: Unicode noncharacters the catalog rejects (U+FFFE and U+FFFF cannot be written in XML 1.0).
BMP_NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + ["\ufffe", "\uffff"]
#: Pieces of text that break naive escaping in Markdown, HTML, XML, JSON in <script>, or Jinja.
HOSTILE = (
    "<script>alert(1)</script>", "</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<b>",
    "</textarea>", "</title>", "</p></td></tr></table>", "<!--", "-->", "]]>", "<![CDATA[", "<!DOCTYPE x>",
    '"', "'", '" onmouseover="alert(1)', "&", "&amp;", "&lt;", "&#x3C;b&#x3E;", "&nbsp", "|", "||", "`", "```",
    "\\", "*", "_", "~", "[", "](javascript:alert(1))", "#", "# ", " #", " ##", "{{ 1 }}", "{% raw %}", "{: .x }", "<div markdown=\"1\">",
    "\u200f", "\u200b", "\ufeff", "e\u0301", "\U0001f600", "\U0001fffe", "\u00a0",
)
#: Bidirectional embeddings, overrides and isolates, which the models reject.
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
#: One line of text without the characters the models reject.
plain = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=BMP_NONCHARACTERS + BIDI_CONTROLS),
    min_size=1,
    max_size=60,
)
long_word = st.text(alphabet=st.characters(categories=("L", "N")), min_size=80, max_size=150)
#: Text made of hostile pieces, ordinary text and very long words (at most 200 characters, the Name limit).
piece = st.sampled_from(HOSTILE)
hostile = st.lists(st.one_of(piece, piece, plain, long_word), min_size=1, max_size=5).map(lambda parts: "".join(parts)[:200])
# One line of text: no control characters (C0, DEL, C1), no line/paragraph separators, often hostile.
text = st.one_of(plain, hostile).filter(lambda value: re.fullmatch(TEXT_PATTERN, value) is not None)  # blank text is rejected
slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
url = st.builds(
    lambda host, path: f"https://{host}.org/{path}",
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.text(alphabet=st.sampled_from([*"Az09_.~%/-?#@!$*;:=+,\"'<>&|()[]{}`^\\", "é", "\U0001f600"]), max_size=20),
)
day = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
count = st.integers(min_value=0, max_value=10**9)
decimal = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), allow_nan=False, allow_infinity=False, places=4)
modalities = st.lists(st.sampled_from(MODALITIES), unique=True, max_size=4)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


links = st.fixed_dictionaries({}, optional={name: url for name in ("paper", "pdf", "code", "project", "huggingface")})
common = {"links": links, "description": text}


def _entry(required: dict[str, Any], optional_fields: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({**required, "added": day}, optional={**common, **optional_fields})


papers = _entry(
    {"title": text},
    {
        "authors": st.lists(text, max_size=3),
        "year": st.integers(1900, 2100),
        "month": st.integers(1, 12),
        "venue": text,
        "arxiv": st.from_regex(r"\d{4}\.\d{5}", fullmatch=True),
        "doi": st.from_regex(r"10\.\d{4,6}/[a-z0-9.]{1,12}", fullmatch=True),
        "keyword": text,
        "modalities": modalities,
        "topics": st.lists(slug, max_size=2),
        "abstract": text,
    },
)
datasets = _entry(
    {"name": text},
    {
        "modalities": modalities,
        "samples": count,
        "emotion_classes": count,
        "label_type": st.sampled_from(["categorical", "dimensional", "descriptive", "sentiment-intensity"]),
        "annotation": st.sampled_from(["human", "model", "human-led-model-assisted", "model-led-human-assisted"]),
        "descriptions": st.booleans(),
        "egocentric": st.booleans(),
        "domain": text,
        "hours": st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False),
    },
)
source = st.one_of(
    st.fixed_dictionaries({"url": url}),
    st.fixed_dictionaries({
        "repository": st.from_regex(r"[A-Za-z0-9_-]{1,10}/[A-Za-z0-9_.-]{1,10}", fullmatch=True),
        "path": text,
        "commit": st.from_regex(r"[0-9a-f]{40}", fullmatch=True),
    }),
)
benchmarks = st.lists(st.sampled_from(METRICS), min_size=1, max_size=3, unique=True).flatmap(
    lambda names: _entry(
        {"name": text, "metrics": st.just(names)},
        {
            "split": text,
            "samples": count,
            "label_description": text,
            "results": st.lists(
                st.fixed_dictionaries(
                    {"baseline": text, "as_printed": text, "metric": st.sampled_from(names), "value": decimal,
                     "source": source},
                    optional={"variant": text, "regime": st.sampled_from(REGIMES), "split": text, "table": text,
                              "note": text, "scale": st.sampled_from(["0-1", "0-5", "0-10", "0-100"]),
                              "modalities": modalities},
                ),
                max_size=4,
            ),
        },
    )
)
models = _entry(
    {"name": text},
    {
        "family": text,
        "sizes": st.lists(text, max_size=3),
        "modalities": modalities,
        "open_weights": st.booleans(),
        "release": st.from_regex(r"20[0-9]{2}-(0[1-9]|1[0-2])", fullmatch=True),
    },
)
ENTRIES = {"paper": papers, "dataset": datasets, "benchmark": benchmarks, "model": models}

# --- small valid catalogs ---------------------------------------------------------------------------------

TOPICS = ("milestone", "survey", "emotion-mllm", "open-llm")
TASKS = ("recognition", "reasoning")
ORGANISATIONS = ("alibaba", "google")
LANGUAGES = ("en", "zh")


def _term(draw: st.DrawFn, slug: str) -> Term:
    """A vocabulary term: often plain, sometimes with drawn (hostile) name, description and address."""
    if draw(st.integers(0, 2)):
        return Term(name=slug.replace("-", " ").title())
    return Term.model_validate(draw(st.fixed_dictionaries({"name": text}, optional={"description": text, "url": url})))


def _tags(draw: st.DrawFn, kind: str, data: dict[str, Any], ids: dict[str, list[str]]) -> dict[str, Any]:
    """Vocabulary values and cross-references that a valid catalog accepts."""
    data = dict(data)

    def some(values: Sequence[str], size: int = 2) -> list[str]:
        return draw(st.lists(st.sampled_from(values), unique=True, max_size=size)) if values else []

    if kind == "paper":
        data.update(topics=some(TOPICS), tasks=some(TASKS), institutions=some(ORGANISATIONS),
                    introduces=some(ids["model"] + ids["dataset"]), uses=some(ids["dataset"] + ids["benchmark"]))
    elif kind == "dataset":
        data.update(languages=some(LANGUAGES), tasks=some(TASKS), paper=(some(ids["paper"], 1) or [None])[0])
    elif kind == "benchmark":
        data.update(datasets=some(ids["dataset"]), task=draw(st.sampled_from([None, *TASKS])),
                    paper=(some(ids["paper"], 1) or [None])[0])
        results = []
        for result in data.get("results", []):
            model_id = (some(ids["model"], 1) or [None])[0]
            results.append({**result, "model_id": model_id, "baseline": None} if model_id else result)
        data["results"] = results
    elif kind == "model":
        data.update(organisation=draw(st.sampled_from([None, *ORGANISATIONS])), topics=some(TOPICS, 1),
                    paper=(some(ids["paper"], 1) or [None])[0])
    return {key: value for key, value in data.items() if value is not None}


@st.composite
def catalogs(draw: st.DrawFn, root: Path, max_per_kind: int = 3) -> Catalog:
    """A catalog of up to ``max_per_kind`` entries of each kind, with vocabulary, tags and cross-references.

    Every reference points at an entry of a fitting kind and every tag at a vocabulary term, so the rules of
    ``emocat check`` find no error in it (the tests assert that, so the strategy cannot drift into invalid data).
    """
    vocabulary = Vocabulary(
        topics={slug: _term(draw, slug) for slug in TOPICS},
        tasks={slug: _term(draw, slug) for slug in TASKS},
        organisations={slug: _term(draw, slug) for slug in ORGANISATIONS},
        languages={slug: _term(draw, slug) for slug in LANGUAGES},
        metrics={slug: MetricTerm(name=draw(text), higher_is_better=draw(st.booleans())) for slug in METRICS},
    )
    meta = CatalogMeta(title=draw(text), description=draw(text), repository="https://github.com/o/r",
                       site_url="https://o.org/r/", license=draw(optional(text)))
    catalog = Catalog(root=root, meta=meta, vocabulary=vocabulary)
    sizes = {kind: draw(st.integers(0, max_per_kind)) for kind in ENTRIES}
    ids = {kind: [f"{kind}-{index}" for index in range(size)] for kind, size in sizes.items()}
    seen: set[tuple[str, str]] = set()
    # No field refers to an entry of its own kind, so there are no self-references.
    for kind, cls in KIND_BY_NAME.items():
        for entry_id in ids[kind]:
            data = _tags(draw, kind, draw(ENTRIES[kind]), ids)
            entry = cls.model_validate({**data, "id": entry_id})
            # No two entries may share an identity (emocat check: duplicate); drop a shared link, arXiv id or DOI.
            for key, what, value in identity_keys(entry):
                if value and (what, value) in seen:
                    assume(key != "title")
                    if key.startswith("links."):
                        data["links"] = {k: v for k, v in data["links"].items() if k != key.split(".")[1]}
                    else:
                        data.pop(key)
            entry = cls.model_validate({**data, "id": entry_id})
            seen.update((what, value) for _, what, value in identity_keys(entry))
            catalog.by_kind(cls.folder)[entry_id] = entry
            catalog.paths[entry_id] = root / cls.folder / f"{entry_id}.yaml"
    return catalog

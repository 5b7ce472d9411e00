"""Hypothesis strategies for valid catalog entries of every kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from emocat.models import MODALITIES

# One line of text: no control characters (C0, DEL, C1) and no line/paragraph separators.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=60,
)
slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
url = st.builds(
    lambda host, path: f"https://{host}.org/{path}",
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_.~%/-]{0,20}", fullmatch=True),
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
benchmarks = st.lists(st.text(alphabet="ABCDEFG F1-", min_size=1, max_size=8).filter(str.strip), min_size=1, max_size=3, unique=True).flatmap(
    lambda names: _entry(
        {"name": text, "metrics": st.just([{"name": n} for n in names])},
        {
            "split": text,
            "samples": count,
            "label_description": text,
            "results": st.lists(
                st.fixed_dictionaries(
                    {"model": text, "metric": st.sampled_from(names), "value": decimal, "source": source},
                    optional={"setting": text},
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

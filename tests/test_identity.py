"""The identity of entries: one paper is found as a duplicate whatever form its identifiers take."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogs import write_catalog
from emocat.catalog.checks import check
from emocat.catalog.identity import arxiv_key, doi_key, title_key, url_key

ORIGINAL = {"title": "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning",
            "arxiv": "2406.11161", "doi": "10.5555/Emotion.Llama", "links": {"paper": "https://arxiv.org/abs/2406.11161"}}


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2406.11161", "https://arxiv.org/abs/2406.11161v1", "http://arxiv.org/abs/2406.11161v3",
    "https://arxiv.org/pdf/2406.11161", "https://arxiv.org/pdf/2406.11161v2.pdf", "https://arxiv.org/abs/2406.11161/",
    "https://www.arxiv.org/abs/2406.11161", "https://arxiv.org/html/2406.11161v1", "HTTPS://ARXIV.ORG/ABS/2406.11161",
    "https://arxiv.org/pdf/2406.11161v1.pdf/", "https://ar5iv.labs.arxiv.org/html/2406.11161",
    "https://ar5iv.org/abs/2406.11161v2",
])
def test_every_arxiv_url_form_is_the_arxiv_id(url: str) -> None:
    assert url_key(url) == ("arXiv id", "2406.11161") == ("arXiv id", arxiv_key("2406.11161v9"))


@pytest.mark.parametrize("doi", ["10.5555/emotion.llama", "10.5555/EMOTION.LLAMA", "https://doi.org/10.5555/Emotion.Llama",
                                 "http://dx.doi.org/10.5555/emotion.llama", "doi:10.5555/Emotion.Llama",
                                 "https://www.doi.org/10.5555/Emotion.Llama", "https://doi.org/10.5555%2FEmotion.Llama",
                                 "DOI:10.5555/emotion.llama", "doi: 10.5555/emotion.llama"])
def test_every_doi_form_is_the_same_doi(doi: str) -> None:
    assert doi_key(doi) == "10.5555/emotion.llama"
    if "://" in doi:
        assert url_key(doi) == ("DOI", "10.5555/emotion.llama")


def test_titles_are_compared_after_unicode_normalisation() -> None:
    title = "Emotion Recognition with GPT-4"
    assert title_key("Emotion Recognition with GPT‑4") == title_key(title)  # a non-breaking hyphen
    assert title_key("Ｅｍｏｔｉｏｎ Ｒｅｃｏｇｎｉｔｉｏｎ with GPT-4") == title_key(title)  # full-width letters (NFKC)
    assert title_key("Emotiоn Recognitiоn with GPT-4") == title_key(title)  # Cyrillic о
    assert title_key("Émotion Récognition with GPT-4") == title_key(title)  # accents
    assert title_key("基于GPT-4的情感识别") != title_key("基于GPT-4的情感推理")  # other scripts keep their words
    assert title_key("基于GPT-4的情感识别") != title_key("GPT-4")


@pytest.mark.parametrize(("field", "copy"), [
    ("links.paper", {"title": "A reworded copy", "links": {"paper": "https://arxiv.org/abs/2406.11161v1"}}),
    ("links.pdf", {"title": "Another copy", "links": {"pdf": "http://arxiv.org/pdf/2406.11161v2.pdf"}}),
    ("arxiv", {"title": "A third copy", "arxiv": "2406.11161"}),
    ("doi", {"title": "A fourth copy", "doi": "10.5555/EMOTION.LLAMA"}),
    ("title", {"title": "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning".replace("o", "о", 1)}),
])
def test_a_copy_is_reported_on_both_files_each_naming_the_other(tmp_path: Path, field: str, copy: dict[str, object]) -> None:
    root = write_catalog(tmp_path / "catalog", {"papers/emotion-llama": ORIGINAL, "papers/zz-copy": {**copy, "year": 2024}})
    problems = [p for p in check(root)[1] if p.rule == "duplicate"]
    on_copy = [p for p in problems if p.path.endswith("zz-copy.yaml")]
    on_original = [p for p in problems if p.path.endswith("emotion-llama.yaml")]
    assert on_copy and on_original, problems
    assert on_copy[0].field == field and "emotion-llama" in on_copy[0].message
    assert "zz-copy" in on_original[0].message and on_copy[0].line > 0


def test_different_chinese_titles_sharing_a_model_name_are_not_duplicates(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {
        "papers/one": {"title": "基于GPT-4的多模态情感识别", "year": 2024, "links": {"paper": "https://example.org/1"}},
        "papers/two": {"title": "基于GPT-4的情感推理基准", "year": 2024, "links": {"paper": "https://example.org/2"}},
    })
    assert [p for p in check(root)[1] if p.rule == "duplicate"] == []


def test_a_model_may_link_the_paper_that_introduced_it(tmp_path: Path) -> None:
    """Links of models and datasets identify them only among their own kind."""
    model = {"name": "Emotion-LLaMA", "links": {"paper": "https://arxiv.org/abs/2406.11161v2"}}
    root = write_catalog(tmp_path / "catalog", {"papers/emotion-llama": ORIGINAL, "models/emotion-llama-model": model})
    assert [p for p in check(root)[1] if p.rule == "duplicate"] == []
    root = write_catalog(tmp_path / "twice", {"models/one": model, "models/two": {**model, "name": "Again"}})
    assert len([p for p in check(root)[1] if p.rule == "duplicate"]) == 2

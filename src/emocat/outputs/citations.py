"""Papers as RIS and CSL-JSON citations (BibTeX comes from ``emocat.outputs.bibtex``), with the same keys as catalog.bib."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from emocat.catalog.models import Paper
from emocat.outputs.bibtex import bibtex_keys, entry_type, paper_bibtex

#: RIS reference types for BibTeX types (conference paper, journal article, generic).
_RIS_TYPES = {"inproceedings": "CPAPER", "article": "JOUR", "misc": "GEN"}
#: CSL item types for BibTeX types.
_CSL_TYPES = {"inproceedings": "paper-conference", "article": "article-journal", "misc": "article"}


def _url(paper: Paper) -> str | None:
    return paper.links.paper or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None)


def _preprint(paper: Paper) -> bool:
    """An arXiv paper with no venue: a preprint, described as such rather than as a journal article."""
    return not paper.venue and bool(paper.arxiv)


def paper_ris(paper: Paper, key: str) -> str:
    """One RIS record: ``TY`` first, ``ER`` last, one ``TAG  - value`` line per value."""
    kind, _ = entry_type(paper)
    lines = [("TY", "GEN" if _preprint(paper) else _RIS_TYPES[kind]), ("ID", key), ("TI", paper.title)]
    lines += [("AU", name) for name in paper.authors]
    if paper.year:
        lines.append(("PY", str(paper.year)))
        lines.append(("DA", f"{paper.year}/{paper.month:02d}//" if paper.month else f"{paper.year}///"))
    if paper.venue:
        lines.append(("T2" if kind == "inproceedings" else "JO", paper.venue))
    elif paper.arxiv:
        lines += [("PB", "arXiv"), ("M1", f"arXiv:{paper.arxiv}")]
    if paper.doi:
        lines.append(("DO", paper.doi))
    url = _url(paper)
    if url:
        lines.append(("UR", url))
    if paper.abstract:
        lines.append(("AB", paper.abstract))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def _csl_name(name: str) -> dict[str, str]:
    """A name as CSL wants it: family and given when the name is "Given Family", else the name as written."""
    given, _, family = name.rpartition(" ")
    return {"family": family, "given": given} if given and family else {"literal": name}


def paper_csl(paper: Paper, key: str) -> dict[str, Any]:
    """One CSL-JSON item."""
    kind, _ = entry_type(paper)
    item: dict[str, Any] = {"id": key, "type": "article" if _preprint(paper) else _CSL_TYPES[kind], "title": paper.title}
    if paper.authors:
        item["author"] = [_csl_name(name) for name in paper.authors]
    if paper.year:
        item["issued"] = {"date-parts": [[paper.year, paper.month] if paper.month else [paper.year]]}
    if paper.venue:
        item["container-title"] = paper.venue
    elif paper.arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
    if paper.doi:
        item["DOI"] = paper.doi
    url = _url(paper)
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract
    return item


def csl_text(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def papers_ris(papers: Iterable[Paper]) -> str:
    """Every paper as RIS, sorted by id, records separated by blank lines."""
    items = sorted(papers, key=lambda p: p.id)
    keys = bibtex_keys(items)
    return "\n".join(paper_ris(paper, keys[paper.id]) for paper in items)


def papers_csl(papers: Iterable[Paper]) -> str:
    """Every paper as one CSL-JSON array, sorted by id."""
    items = sorted(papers, key=lambda p: p.id)
    keys = bibtex_keys(items)
    return csl_text([paper_csl(paper, keys[paper.id]) for paper in items])


def citations_by_id(papers: Iterable[Paper], keys: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Each paper's key and its citation in every format: ``{id: {"key", "bibtex", "ris", "csl"}}``.

    ``keys``: the keys of the whole catalog (``bibtex_keys``), when ``papers`` is only a part of it.
    """
    items = list(papers)
    keys = keys if keys is not None else bibtex_keys(items)
    return {
        paper.id: {
            "key": keys[paper.id],
            "bibtex": paper_bibtex(paper, keys[paper.id]),
            "ris": paper_ris(paper, keys[paper.id]),
            "csl": csl_text([paper_csl(paper, keys[paper.id])]),
        }
        for paper in items
    }

"""Head metadata of paper pages: Google Scholar citation_* tags and schema.org JSON-LD."""

from __future__ import annotations

from typing import Any

from emocat.catalog import view
from emocat.catalog.models import Paper
from emocat.outputs.site.data import SiteData


def citation_tags(paper: Paper, data: SiteData) -> list[tuple[str, str]]:
    """``citation_*`` meta tags of a paper, in the order Google Scholar documents them."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", author) for author in paper.authors]
    if paper.year:
        date = f"{paper.year}/{paper.month:02d}" if paper.month else str(paper.year)
        tags.append(("citation_publication_date", date))
    if paper.venue:
        tags.append(("citation_journal_title", paper.venue))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
    pdf = paper.links.pdf or (f"https://arxiv.org/pdf/{paper.arxiv}" if paper.arxiv else None)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if paper.links.paper:
        tags.append(("citation_abstract_html_url", paper.links.paper))
    if paper.abstract:
        tags.append(("citation_abstract", paper.abstract))
    return tags

def json_ld(paper: Paper, data: SiteData) -> dict[str, Any]:
    """A schema.org ScholarlyArticle describing a paper."""
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": paper.title[:110],
        "url": data.absolute(paper),
    }
    if paper.authors:
        item["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if paper.year:
        item["datePublished"] = view.paper_date(paper)
    if paper.venue:
        item["isPartOf"] = {"@type": "Periodical", "name": paper.venue}
    identifiers = []
    if paper.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi})
    if paper.arxiv:
        identifiers.append({"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv})
    if identifiers:
        item["identifier"] = identifiers
    same = [url for _, url in paper.links.items_present()]
    if same:
        item["sameAs"] = same
    if paper.abstract:
        item["abstract"] = paper.abstract
    keywords = [data.term("topics", t) for t in paper.topics] + [data.term("tasks", t) for t in paper.tasks]
    if keywords:
        item["keywords"] = keywords
    return item

"""Site bytes: what a built site weighs per catalog entry, and where an entry page's bytes go.

    .venv/bin/python benchmarks/site_bytes.py SITE_DIR ENTRIES

Not a test. ``measure`` sums every file of a built site and divides by the number of catalog entries (the
site's pages, downloads, search index and assets all grow with the catalog), then splits the average entry page
(papers/, datasets/, benchmarks/, models/) into its content (the ``<article>``), the whitespace between tags
outside it, and the theme's chrome (head, header, navigation, footer, scripts).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ENTRY_FOLDERS = ("papers", "datasets", "benchmarks", "models")
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")


def measure(site_dir: Path, entries: int) -> dict[str, float]:
    """Bytes per entry of the whole site, and the average entry page split into content, whitespace and chrome."""
    files = [path for path in site_dir.rglob("*") if path.is_file()]
    total = sum(path.stat().st_size for path in files)
    pages = [site_dir / folder / path.name / "index.html"
             for folder in ENTRY_FOLDERS if (site_dir / folder).is_dir()
             for path in (site_dir / folder).iterdir() if (path / "index.html").is_file()]
    sizes = {"page": 0, "content": 0, "whitespace": 0}
    for page in pages:
        text = page.read_bytes().decode("utf-8")
        sizes["page"] += len(text.encode())
        article = "".join(_ARTICLE.findall(text))
        sizes["content"] += len(article.encode())
        outside = _ARTICLE.sub("", text)
        sizes["whitespace"] += sum(len(m.group()) - 2 for m in _BETWEEN_TAGS.finditer(outside))
    count = max(len(pages), 1)
    return {
        "site bytes per entry": total / max(entries, 1),
        "entry page bytes": sizes["page"] / count,
        "entry page content": sizes["content"] / count,
        "entry page whitespace outside content": sizes["whitespace"] / count,
        "entry page chrome": (sizes["page"] - sizes["content"] - sizes["whitespace"]) / count,
        "files": float(len(files)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("entries", type=int)
    args = parser.parse_args()
    for name, value in measure(args.site, args.entries).items():
        print(f"{name:40} {value:12,.0f}")


if __name__ == "__main__":
    main()

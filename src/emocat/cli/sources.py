"""Commands that bring entries in from elsewhere and keep them current: import, add, links, enrich."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from emocat.cli.app import EXIT_OK, EXIT_PROBLEMS, Group, catalog_path, cli


class _LinkProgress:
    """A progress bar on a terminal, one plain line per URL otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tty = sys.stderr.isatty()

    def __call__(self, result: Any, done: int, total: int) -> None:
        if not self.tty:
            click.echo(f"[{done}/{total}] {result.status}{' (cached)' if result.cached else ''} {result.url}")
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="checking links", file=sys.stderr, show_pos=True)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@cli.group("import", cls=Group)
def import_() -> None:
    """Turn lists kept in other formats into catalog entries.

    \b
    Example:
        emocat import awesome README.md --dry-run
    """

@import_.command("awesome")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would be created; write nothing.")
@click.pass_context
def import_awesome(ctx: click.Context, file: str, dry_run: bool) -> None:
    """Create entries from an Awesome-style Markdown list (bullets, tables, <details> groups).

    Rows that cannot be mapped are reported with their line number (exit 1); duplicates are merged.

    \b
    Example:
        emocat import awesome README.md --dry-run
    """
    from emocat import clock
    from emocat.commands.importer import import_awesome as run_import

    report = run_import(Path(file), catalog_path(ctx), dry_run=dry_run, added=clock.today())
    for problem in report.problems:
        click.echo(problem.format())
    for planned in report.created:
        click.echo(f"{'would create' if dry_run else 'created'} {planned.path}")
    outcome = "would be created" if dry_run else "created"
    click.echo(f"{report.items} items read, {len(report.created)} entries {outcome}, {len(report.errors)} not imported")
    sys.exit(EXIT_PROBLEMS if report.errors else EXIT_OK)

@cli.command()
@click.argument("source", required=False, metavar="arxiv:ID|doi:DOI")
@click.option("--bibtex", "bibtex", type=click.Path(dir_okay=False, path_type=Path),
              help="Add every entry of a .bib file.")
@click.option("--from-issue", "issue", type=click.Path(dir_okay=False, path_type=Path),
              help="The body of a 'Suggest a paper' issue (id, code link, modalities, topics).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.pass_context
def add(ctx: click.Context, source: str | None, bibtex: Path | None, issue: Path | None, dry_run: bool) -> None:
    """Add papers from arXiv, Crossref or a BibTeX file (never overwrites; refuses duplicates).

    \b
    Example:
        emocat add arxiv:2406.11161
        emocat add doi:10.1145/3581783.3612000 --dry-run
        emocat add --bibtex references.bib
        emocat add --from-issue issue.md
    """
    from emocat.commands.from_issue import add as add_entries

    report = add_entries(catalog_path(ctx), source, bibtex, issue, dry_run=dry_run)
    for problem in report.problems:
        click.echo(problem.format(), err=True)
    for item in report.added:
        click.echo(f"{'would create' if dry_run else 'created'} {item.path}: {item.entry.title}")
        if dry_run:
            click.echo(item.text, nl=False)
    if report.added and report.to_fill:
        click.echo(f"fill in by hand: {', '.join(report.to_fill)}; then run emocat check")
    sys.exit(EXIT_PROBLEMS if report.failed else EXIT_OK)

@cli.command()
@click.option("--changed-since", metavar="REV", help="Only entries changed since a git revision.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Also write a JSON report.")
@click.option("--concurrency", type=click.IntRange(min=1), default=16, show_default=True,
              help="URLs checked at once (at most 4 per host).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to wait for an answer.")
@click.option("--cache", "cache_file", type=click.Path(dir_okay=False), default=".emocat-cache/links.json",
              show_default=True, help="Verdicts kept between runs (7 days when ok, 1 day otherwise).")
@click.option("--no-cache", is_flag=True, help="Check every URL again and keep nothing.")
@click.pass_context
def links(ctx: click.Context, changed_since: str | None, json_file: str | None, concurrency: int,
          timeout: float, cache_file: str, no_cache: bool) -> None:
    """Check every URL of the catalog; exit 1 only when one is broken (404/410, no such host, refused).

    \b
    Example:
        emocat links --changed-since origin/main --json links.json
    """
    from emocat.links import Settings, check_links

    progress = _LinkProgress()
    try:
        report = check_links(catalog_path(ctx), changed_since=changed_since, json_file=json_file,
                             cache_file=None if no_cache else cache_file, progress=progress,
                             settings=Settings(concurrency=concurrency, timeout=timeout))
    finally:
        progress.close()
    for line in report.warnings + [problem.format() for problem in report.problems]:
        click.echo(line)
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items() if n)
    click.echo(f"{len(report.results)} URLs checked ({report.from_cache} from the cache): {counts or 'none'}")
    sys.exit(EXIT_PROBLEMS if report.broken else EXIT_OK)

@cli.command()
@click.option("--only", type=click.Choice(["arxiv", "github"]), help="Ask one service only.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--force", is_flag=True, help="Also replace values that differ from the source.")
@click.pass_context
def enrich(ctx: click.Context, only: str | None, dry_run: bool, force: bool) -> None:
    """Fill missing paper metadata from arXiv; record GitHub stars, last push and archived state.

    Curated values are kept unless --force; an entry whose lookup failed is left untouched.
    GITHUB_TOKEN, when set, raises GitHub's rate limit.

    \b
    Example:
        emocat enrich --only arxiv --dry-run
    """
    from emocat.enrich import enrich as run_enrich

    report = run_enrich(catalog_path(ctx), only=only, dry_run=dry_run, force=force)
    verb = "would change" if dry_run else "changed"
    for change in report.changes:
        click.echo(f"{verb} {change.describe()}")
    for kept in report.kept:
        click.echo(f"kept {kept.describe_kept()}; --force replaces it")
    for entry_id, message in report.failures:
        click.echo(f"failed {entry_id}: {message}")
    for message in report.notes:
        click.echo(f"note {message}")
    for message in report.stopped:
        click.echo(f"stopped: {message}")
    files = len({c.entry for c in report.changes})
    click.echo(f"{len(report.changes)} change{'s' if len(report.changes) != 1 else ''} in {files} entr"
               f"{'y' if files == 1 else 'ies'}, {len(report.kept)} kept, {len(report.failures)} failed")
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)

"""The ``emocat`` command line: thin adapters that parse options, call the library and print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from emocat.errors import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_PROBLEMS) -> NoReturn:
    from emocat.errors import shown

    click.echo(f"error: {shown(message)}", err=True)
    sys.exit(code)


def _remember_catalog(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # given after the subcommand: it wins over the one before it and $EMOCAT_CATALOG
        ctx.find_root().ensure_object(dict)["catalog"] = value


class _Group(click.Group):
    """Library exceptions as one-line messages and exit codes; ``--catalog`` also after every subcommand."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group) and "catalog" not in {p.name for p in cmd.params}:
            cmd.params.append(click.Option(["--catalog"], type=click.Path(file_okay=False), expose_value=False,
                                           callback=_remember_catalog, help="The catalog folder (as before the command)."))
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        from emocat.errors import CatalogError, EmocatError, UsageError

        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            for problem in exc.problems:
                click.echo(problem.format())
            _fail(f"the catalog has problems ({exc}); run emocat check")
        except UsageError as exc:
            _fail(str(exc), EXIT_USAGE)
        except EmocatError as exc:
            _fail(str(exc))
        except OSError as exc:  # a file that cannot be read or written: say which, without a traceback
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            _fail("interrupted", 130)


def _catalog(ctx: click.Context) -> Path:
    return Path(ctx.obj["catalog"])


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--catalog", "catalog", default="catalog", show_default=True, type=click.Path(file_okay=False),
              envvar="EMOCAT_CATALOG", help="The catalog folder (also $EMOCAT_CATALOG; may follow the command).")
@click.version_option(package_name="emocat")
@click.pass_context
def cli(ctx: click.Context, catalog: str) -> None:
    """Keep a research catalog as checked YAML; render it as an Awesome README and a MkDocs site.

    \b
    Example:
        emocat check --strict
        emocat build
    """
    ctx.ensure_object(dict)
    ctx.obj["catalog"] = catalog


def _print_problems(problems: list[Problem], fmt: str) -> None:
    from emocat.errors import summary, to_json

    if fmt == "json":
        click.echo(to_json(problems))
        return
    for problem in problems:
        click.echo(problem.github() if fmt == "github" else problem.format())
    click.echo(summary(problems), err=fmt == "github")


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: PATH:LINE:COL lines; json: an array; github: workflow annotations.")
@click.pass_context
def check(ctx: click.Context, strict: bool, fmt: str) -> None:
    """Validate every file of the catalog (schema and cross-entry rules).

    \b
    Example:
        emocat check --strict --format github
    """
    from emocat.catalog.checks import check as run_check
    from emocat.errors import Severity

    _, problems = run_check(_catalog(ctx), strict=strict)
    _print_problems(problems, fmt)
    sys.exit(EXIT_PROBLEMS if any(p.severity is Severity.ERROR for p in problems) else EXIT_OK)


@cli.command()
@click.option("-o", "--output", type=click.Path(), help="A .json file for the combined schema, or a folder for one file per kind.")
def schema(output: str | None) -> None:
    """Print or write the JSON Schema (2020-12) of catalog entries.

    \b
    Example:
        emocat schema -o schema/
    """
    from emocat.commands.schema import schema_output

    text, written = schema_output(Path(output) if output else None)
    click.echo(text, nl=False)
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("kind", type=click.Choice(["paper", "dataset", "benchmark", "model"]))
@click.argument("entry_id", metavar="ID")
@click.pass_context
def new(ctx: click.Context, kind: str, entry_id: str) -> None:
    """Create a new entry file with every field listed (optional ones commented out).

    \b
    Example:
        emocat new paper emotion-llama
    """
    from emocat.commands.new import new_entry

    path = new_entry(_catalog(ctx), kind, entry_id)
    click.echo(f"created {path}; fill it in, then run emocat check")


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Only report files that are not canonical (exit 1).")
@click.pass_context
def fmt(ctx: click.Context, check_only: bool) -> None:
    """Rewrite YAML files in canonical key order and quoting.

    \b
    Example:
        emocat fmt --check
    """
    from emocat.commands.fmt import format_catalog

    report = format_catalog(_catalog(ctx), check=check_only)
    for problem in report.problems:
        click.echo(problem.format())
    verb = "would reformat" if check_only else "reformatted"
    for path in report.changed:
        click.echo(f"{verb} {path}")
    click.echo(f"{len(report.changed)} file{'s' if len(report.changed) != 1 else ''} {verb}, {len(report.problems)} unreadable")
    failed = report.problems or (check_only and report.changed)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The catalog's title (default: from the folder name).")
@click.option("--site-url", help="Where the site will be published (default: GitHub Pages of --repository).")
@click.option("--repository", help="The project's repository, e.g. https://github.com/you/awesome-x.")
@click.pass_context
def init(ctx: click.Context, directory: Path, title: str | None, site_url: str | None, repository: str | None) -> None:
    """Start a new catalog project in DIRECTORY: catalog, site, workflows, hooks; never overwrites a file.

    \b
    Example:
        emocat init awesome-graphs --title "Awesome Graphs" --repository https://github.com/you/awesome-graphs
    """
    from emocat.commands.init import init_project

    report = init_project(directory, catalog=ctx.obj["catalog"], title=title, site_url=site_url, repository=repository)
    click.echo("".join(f"kept {path} (it exists)\n" for path in report.kept) + f"created {len(report.created)} files "
               f"in {directory}; next: edit {report.catalog}/catalog.yaml, then emocat import awesome LIST.md")


@cli.command()
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; if the README is stale, print a diff and exit 1.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The README file (default: README.md beside the catalog folder).")
@click.pass_context
def readme(ctx: click.Context, check_only: bool, output: str | None) -> None:
    """Generate README.md from the catalog (never edit it by hand).

    \b
    Example:
        emocat readme --check
    """
    from emocat.catalog.checks import load_valid
    from emocat.outputs.readme.render import readme_diff, write_readme

    catalog_dir = _catalog(ctx)
    catalog, project = load_valid(catalog_dir), catalog_dir.resolve().parent
    target = Path(output) if output else None
    if not check_only:
        click.echo(f"wrote {write_readme(catalog, project, target)}")
        return
    diff = readme_diff(catalog, project, target)
    run = f"emocat{'' if ctx.obj['catalog'] == 'catalog' else ' --catalog ' + ctx.obj['catalog']} readme{' --output ' + output if output else ''}"
    click.echo(f"{diff}{output or 'README.md'} is stale: run `{run}` to regenerate it" if diff else "README is up to date")
    sys.exit(EXIT_PROBLEMS if diff else EXIT_OK)


@cli.group("import", cls=_Group)
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

    report = run_import(Path(file), _catalog(ctx), dry_run=dry_run, added=clock.today())
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

    report = add_entries(_catalog(ctx), source, bibtex, issue, dry_run=dry_run)
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
@click.argument("fmt", metavar="bibtex|json|csv", type=click.Choice(["bibtex", "json", "csv"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the whole catalog as BibTeX, JSON or CSV.

    \b
    Example:
        emocat export bibtex -o catalog.bib
        emocat export json | jq '.entries | length'
    """
    from emocat.catalog.checks import load_valid
    from emocat.outputs.export import export as render
    from emocat.store.files import atomic_write

    text = render(load_valid(_catalog(ctx)), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)


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
        report = check_links(_catalog(ctx), changed_since=changed_since, json_file=json_file,
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

    report = run_enrich(_catalog(ctx), only=only, dry_run=dry_run, force=force)
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


@cli.command()
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the built site.")
@click.option("--pages-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Instead of building, write the site's pages, assets, downloads and a plain mkdocs.yml here.")
@click.pass_context
def build(ctx: click.Context, site_dir: str, pages_dir: Path | None) -> None:
    """Check the catalog, write README.md, and build the site with mkdocs build --strict.

    Run it next to mkdocs.yml. --pages-dir writes plain files for MkDocs, ProperDocs or Zensical instead.

    \b
    Example:
        emocat build --site-dir public
        emocat build --pages-dir pages && cd pages && mkdocs build --strict
    """
    from emocat.commands.build import build as run_build

    report = run_build(_catalog(ctx), Path(site_dir), pages_dir=pages_dir)
    click.echo(f"wrote {report.readme}")
    if pages_dir is not None:
        return click.echo(f"wrote the pages of {report.entries} entries to {pages_dir}/ (build them with mkdocs build in it)")
    click.echo(f"built the site for {report.entries} entries in {report.site_dir}/ (open {report.site_dir}/index.html)")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="emocat")

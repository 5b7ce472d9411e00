"""Commands that check, create and format the catalog's files: check, new, fmt, schema, init."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from emocat.cli.app import EXIT_OK, EXIT_PROBLEMS, catalog_path, cli, print_problems


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: PATH:LINE:COL lines; json: an array; github: workflow annotations.")
@click.option("--changed-since", metavar="REV",
              help="Only the files changed since a git revision, and the problems the change causes elsewhere.")
@click.option("--no-cache", is_flag=True, help="Parse every file again (parses are remembered in .emocat-cache/).")
@click.pass_context
def check(ctx: click.Context, strict: bool, fmt: str, changed_since: str | None, no_cache: bool) -> None:
    """Validate every file of the catalog (schema and cross-entry rules).

    \b
    Example:
        emocat check --strict --format github
        emocat check --changed-since origin/main
    """
    from emocat.commands.check import run_check
    from emocat.errors import Severity

    problems = run_check(catalog_path(ctx), strict=strict, changed_since=changed_since, cache=not no_cache)
    print_problems(problems, fmt)
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

    path = new_entry(catalog_path(ctx), kind, entry_id)
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

    report = format_catalog(catalog_path(ctx), check=check_only)
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

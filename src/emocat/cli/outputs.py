"""Commands that write what the catalog renders to: readme, export, build, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from emocat.cli.app import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, catalog_path, cli, fail


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

    catalog_dir = catalog_path(ctx)
    catalog, project = load_valid(catalog_dir), catalog_dir.resolve().parent
    target = Path(output) if output else None
    if not check_only:
        click.echo(f"wrote {write_readme(catalog, project, target)}")
        return
    diff = readme_diff(catalog, project, target)
    run = f"emocat{'' if ctx.obj['catalog'] == 'catalog' else ' --catalog ' + ctx.obj['catalog']} readme{' --output ' + output if output else ''}"
    click.echo(f"{diff}{output or 'README.md'} is stale: run `{run}` to regenerate it" if diff else "README is up to date")
    sys.exit(EXIT_PROBLEMS if diff else EXIT_OK)

@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["bibtex", "ris", "csl-json", "json", "csv", "results-csv"]))
@click.option("--kind", type=click.Choice(["paper", "dataset", "benchmark", "model"]),
              help="csv only: one kind, with that kind's own fields as columns.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str, kind: str | None, output: Path | None) -> None:
    """Export the whole catalog as BibTeX, RIS, CSL-JSON, JSON or CSV, or every published result as CSV.

    \b
    Example:
        emocat export bibtex -o catalog.bib
        emocat export csv --kind benchmark -o benchmarks.csv
        emocat export json | jq '.entries | length'
        emocat export results-csv -o results.csv
    """
    from emocat.catalog.checks import load_valid
    from emocat.outputs.export import export as render
    from emocat.outputs.kind_csv import KIND_NAMES, export_kind_csv
    from emocat.store.files import atomic_write

    if kind and fmt != "csv":
        fail("--kind goes with csv only", EXIT_USAGE)
    loaded = load_valid(catalog_path(ctx))
    text = export_kind_csv(loaded, KIND_NAMES[kind]) if kind else render(loaded, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)

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

    report = run_build(catalog_path(ctx), Path(site_dir), pages_dir=pages_dir)
    click.echo(f"wrote {report.readme}")
    if pages_dir is not None:
        return click.echo(f"wrote the pages of {report.entries} entries to {pages_dir}/ (build them with mkdocs build in it)")
    click.echo(f"built the site for {report.entries} entries in {report.site_dir}/; preview it with: emocat serve")

@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Where the preview server listens.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str) -> None:
    """Preview the site next to mkdocs.yml: the MkDocs server, rebuilding when catalog/ or templates/ change.

    \b
    Example:
        emocat serve --dev-addr 127.0.0.1:8001
    """
    from emocat.commands.serve import serve as run_serve

    run_serve(catalog_path(ctx), address=dev_addr)

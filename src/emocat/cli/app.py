"""The ``emocat`` command line: thin adapters that parse options, call the library and print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from emocat.errors import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_PROBLEMS) -> NoReturn:
    from emocat.errors import shown

    click.echo(f"error: {shown(message)}", err=True)
    sys.exit(code)


def _remember_catalog(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # given after the subcommand: it wins over the one before it and $EMOCAT_CATALOG
        ctx.find_root().ensure_object(dict)["catalog"] = value


class Group(click.Group):
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
            fail(f"the catalog has problems ({exc}); run emocat check")
        except UsageError as exc:
            fail(str(exc), EXIT_USAGE)
        except EmocatError as exc:
            fail(str(exc))
        except OSError as exc:  # a file that cannot be read or written: say which, without a traceback
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            fail("interrupted", 130)


def catalog_path(ctx: click.Context) -> Path:
    return Path(ctx.obj["catalog"])


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def print_problems(problems: list[Problem], fmt: str) -> None:
    from emocat.errors import summary, to_json

    if fmt == "json":
        click.echo(to_json(problems))
        return
    for problem in problems:
        click.echo(problem.github() if fmt == "github" else problem.format())
    click.echo(summary(problems), err=fmt == "github")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="emocat")

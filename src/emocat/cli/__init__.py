"""The command line: thin click commands over the library; only this package imports click."""

from emocat.cli import entries, outputs, sources  # noqa: F401  (each module registers its commands)
from emocat.cli.app import cli, main

__all__ = ["cli", "main"]

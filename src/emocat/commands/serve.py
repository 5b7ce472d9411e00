"""``emocat serve``: the MkDocs development server with the emocat plugin, rebuilding on catalog and template changes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from emocat.errors import UsageError

DEFAULT_ADDRESS = "127.0.0.1:8000"


def serve_command(config_file: Path, catalog: Path, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The ``mkdocs serve`` command line; the plugin watches the catalog and the template folders, and with
    ``--dirty`` it keeps the site between builds, rendering only the pages an edit can alter."""
    if not config_file.is_file():
        raise UsageError(f"no MkDocs configuration at {config_file}; run emocat serve next to mkdocs.yml")
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--dev-addr must be HOST:PORT (for example {DEFAULT_ADDRESS}), not {address!r}")
    return [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--strict", "-f", str(config_file), "-a", address]


def serve(catalog: Path, *, config_file: Path = Path("mkdocs.yml"), address: str = DEFAULT_ADDRESS) -> NoReturn:
    """Become the development server (the process is replaced, so stopping it stops the server)."""
    command = serve_command(config_file, catalog, address)
    env = {**os.environ, "EMOCAT_CATALOG": str(catalog.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    os.execve(sys.executable, command, env)

"""The options several commands share, and the settings they name.

As sqlite-utils bundles its shared options: a command that reads the project's table takes
:func:`project_options`; one that can read another table takes :func:`source_option`, whose
value travels beside the settings, never inside them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.config import Settings, read_settings
from geo.errors import UsageError
from geo.io.decode import check_encoding

F = TypeVar("F", bound=Callable[..., Any])


def project_options(command: F) -> F:
    """--config and --encoding: the options of every command that reads the project's table."""
    command = click.option(
        "--encoding",
        default=None,
        metavar="NAME",
        help="Encoding of a CSV table that is not UTF-8, such as windows-1252 (default: [source] "
        "encoding in the settings; UTF-8, or Windows-1252 where the file is not UTF-8).",
    )(command)
    return click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path),
        default=None,
        envvar="GEO_CONFIG",
        help="Settings file (default: $GEO_CONFIG, or geo.toml in the current folder).",
    )(command)


def source_option(what: str) -> Callable[[F], F]:
    """--source: the table a command reads instead of the settings' one."""
    return click.option(
        "--source",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Table to {what} (default: the one named in the settings).",
    )


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="If another geo run is writing the same outputs, wait this long for it (then exit 2).",
)


def json_option(what: str) -> Callable[[F], F]:
    """--json: print what the command finds as JSON instead of lines of text."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print the {what} as JSON.")


def settings_from(config: Path | None, encoding: str | None = None) -> Settings:
    """The settings named by --config (or found), with --encoding applied."""
    settings = read_settings(config)
    if encoding is None:
        return settings
    try:
        return dataclasses.replace(settings, encoding=check_encoding(encoding))
    except ValueError:
        raise UsageError(
            f"--encoding: {encoding!r} is not an encoding Python knows; expected a name such "
            "as windows-1252 or utf-8."
        ) from None

"""``geo edit``: edit the table in the browser (docs/editor.md)."""

from __future__ import annotations

from pathlib import Path

import click

from geo.commands.options import project_options, settings_from
from geo.console import say
from geo.errors import UsageError


@click.command()
@project_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 to listen on (default: any free port).",
)
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="Language of the page, one of the settings' languages (default: the first of them).",
)
@click.option("--no-browser", is_flag=True, help="Only print the address; open no browser.")
def edit(
    config: Path | None, encoding: str | None, port: int, lang: str | None, no_browser: bool
) -> None:
    """Edit the table in the browser: a form per place, a gazetteer search to add one, every
    problem as you type and a preview of the map; saved to the same file in the same format.
    Serves 127.0.0.1 only, at an address with a secret token; Ctrl+C stops it."""
    settings = settings_from(config, encoding)
    lang = lang or settings.languages[0]
    if lang not in settings.languages:
        raise UsageError(
            f"--lang: {lang!r}; expected one of the settings' languages, "
            f"{', '.join(settings.languages)}."
        )
    from geo.editor.app import Editor
    from geo.editor.server import run

    run(Editor(settings, lang), port, browser=not no_browser, notify=say)

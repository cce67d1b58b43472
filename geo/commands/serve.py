"""``geo serve``: preview a published folder and its OGC API on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from geo import console


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
def serve(folder: Path, port: int) -> None:
    """Preview FOLDER, a folder made by `geo publish`, on this machine: its files at
    http://127.0.0.1:PORT/ and its OGC API - Features (pygeoapi) at /ogcapi, until Ctrl+C.
    Needs the optional extra: pip install 'city-partnerships[ogcapi]'."""
    from geo.serve import serve as run

    run(folder, port, lambda url: console.serving(folder, url))

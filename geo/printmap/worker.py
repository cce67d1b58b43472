"""The print map drawn in a second process where that pays off (part of the print stage).

:class:`StaticRender` starts :func:`geo.printmap.figure.render_static` early: a large table's
print map takes seconds of drawing that nothing else waits for, so on a machine with two or more
cores it is drawn in a forked process while the layers are encoded and the web maps rendered.
Everything else (small tables, machines without ``fork`` or a second core) draws in this
process, when the files are asked for. Only process management lives here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from geo.config import Settings
from geo.layers import FeatureCollection
from geo.printmap.figure import is_large, render_static

Basemap = Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None


class StaticRender:
    """:func:`render_static` started early, in a second process where that pays off.

    :meth:`result` waits for the files. If the second process fails, :meth:`result` draws here,
    so an error is raised as usual. Use as a context manager: leaving it stops a process whose
    result was not asked for (the render stamps may say the old files can be reused).
    """

    def __init__(
        self,
        layers: Mapping[str, FeatureCollection],
        settings: Settings,
        basemap: Basemap = None,
    ) -> None:
        # `basemap` may be a function that reads it: called by whichever process draws.
        self._args = (layers, settings, basemap)
        self._process: Any = None
        if not is_large(layers) or (os.cpu_count() or 1) < 2:
            return
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._pipe, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_render_into, args=(child, *self._args))
        self._process.daemon = True
        self._process.start()
        child.close()

    @property
    def forked(self) -> bool:
        """Whether the map is being drawn in a second process."""
        return self._process is not None

    def result(self) -> dict[str, bytes]:
        """The files of :func:`render_static`."""
        files = None
        if self._process is not None:
            try:
                files = self._pipe.recv()
            except EOFError:  # the process died
                files = None
            self.close()
        return files if isinstance(files, dict) else _render(*self._args)

    def close(self) -> None:
        """Stop the second process, if it is still drawing."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._pipe.close()
            self._process = None

    def __enter__(self) -> StaticRender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _render(
    layers: Mapping[str, FeatureCollection], settings: Settings, basemap: Basemap
) -> dict[str, bytes]:
    return render_static(layers, settings, basemap() if callable(basemap) else basemap)


def _render_into(conn: Any, *args: Any) -> None:
    try:
        conn.send(_render(*args))
    except BaseException:  # the parent draws again and raises the error there
        conn.send(None)
    finally:
        conn.close()

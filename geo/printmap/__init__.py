"""Stage 4b, render for print: layers in, the static map as PNG and SVG bytes out.

See :func:`geo.printmap.figure.render_static` and :class:`geo.printmap.figure.StaticRender`.
"""

from geo.printmap.figure import STATUS_STYLES, StaticRender, render_static

__all__ = ["STATUS_STYLES", "StaticRender", "render_static"]

"""Stage 4b, render for print: layers in, the static map as PNG and SVG bytes, in sv and en.

The package, in the order a page is made:

- :mod:`~geo.printmap.scene`: the layers and the basemap projected once (Equal Earth about the
  office's meridian), with :mod:`~geo.printmap.clip` cutting them at the map's edge;
- :mod:`~geo.printmap.figure`: the page (layout, title, counts, source) and :func:`render_static`;
- :mod:`~geo.printmap.panel`: one map panel (land, lines, symbols); :mod:`~geo.printmap.names`
  and :mod:`~geo.printmap.labels` name its places; :mod:`~geo.printmap.legend` says it in words;
- :mod:`~geo.printmap.look`: :mod:`geo.style` in matplotlib's terms;
- :mod:`~geo.printmap.png`: the page's pixels written as a PNG file.

:mod:`geo.rendering` draws it in a process of its own, beside the web maps.
"""

from geo.printmap.figure import png_name, render_static, svg_name
from geo.printmap.look import line_look, place_look

__all__ = ["line_look", "place_look", "png_name", "render_static", "svg_name"]

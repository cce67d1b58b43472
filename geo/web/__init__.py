"""Stage 4, render the web maps: layers in, the files of the maps folder out (as bytes).

:func:`render_maps` gives the full pages and the embed pages in Swedish and English, the iframe
snippet and the assets (Leaflet, the basemap script). See :mod:`geo.web.render`.
"""

from geo.web.render import render_maps

__all__ = ["render_maps"]

"""Stage 4, render maps: ``embed-snippet.html``, the iframe code web teams paste into a page.

One iframe per language, from the template ``web/snippet.html``: a title, lazy loading, a 4:3
box, ``referrerpolicy`` (the host page's path never reaches the map's server) and a ``sandbox``
that gives the map only what it needs (see :data:`SANDBOX`), with a plain link to the data for
browsers that show no iframe.
"""

from __future__ import annotations

from geo.config import Settings
from geo.templating import render
from geo.text import texts

REFERRER_POLICY = "strict-origin-when-cross-origin"
# The map runs its own scripts; its links (the data, the landing page) open in the host page's
# window on a click. Nothing else: no forms, no pop-ups, no storage, no access to the host page.
SANDBOX = "allow-scripts allow-top-navigation-by-user-activation"
# A large table's map fetches the layer files beside it, which needs its own origin.
SANDBOX_LARGE = SANDBOX + " allow-same-origin"


def render_snippet(settings: Settings, large: bool = False) -> str:
    """The snippet's text: the iframe and a link line for each language."""
    options = settings.map
    snippets = []
    for lang in settings.languages:
        t = texts(lang)
        snippets.append(
            {
                "lang": lang,
                "src": f"{options.url}{lang}-embed.html",
                "page": f"{options.url}{lang}.html",
                "title": t("map.embed_title", home=settings.home.name(lang)),
                "data_url": options.data_url,
                "data": t("map.data"),
            }
        )
    return render(
        "web/snippet.html",
        snippets=snippets,
        referrer=REFERRER_POLICY,
        sandbox=SANDBOX_LARGE if large else SANDBOX,
    )

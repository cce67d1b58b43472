"""Stage 4, render maps: ``embed-snippet.html``, the iframe code web teams paste into a page.

One iframe per language, from the template ``web/snippet.html``: a title, lazy loading, a 4:3
box styled by ``embed.css`` beside the maps (no inline style: it works under a host page's strict
Content-Security-Policy), absolute links when ``[map] url`` is set, ``referrerpolicy`` (the host
page's path never reaches the map's server) and a ``sandbox`` that gives the map only what it
needs (see :data:`SANDBOX`), with a plain link to the map for browsers that show no iframe.
"""

from __future__ import annotations

from urllib.parse import urljoin

from geo.config import Settings
from geo.templating import render
from geo.text import texts

REFERRER_POLICY = "strict-origin-when-cross-origin"
# The map runs its own scripts; its links (the data, the landing page) open in the host page's
# window on a click. Nothing else: no forms, no pop-ups, no storage, no access to the host page.
SANDBOX = "allow-scripts allow-top-navigation-by-user-activation"
# A large table's map fetches the layer files beside it, which needs its own origin.
SANDBOX_LARGE = SANDBOX + " allow-same-origin"


STYLESHEET = "embed.css"


def absolute(base: str, link: str) -> str:
    """`link` resolved against the maps' address `base` (`link` itself when `base` is empty)."""
    return urljoin(base, link) if base else link


def render_snippet(settings: Settings, large: bool = False, example: str = "") -> str:
    """The snippet's text: the style sheet, and the iframe and a link line for each language.

    With ``[map] url`` set every link is absolute (the data link too, resolved against it), so
    the snippet works pasted into a page in any folder; without it they are relative to the
    maps folder and the snippet says so (``geo build`` says it too).
    """
    options = settings.map
    base = options.url
    snippets = []
    for lang in settings.languages:
        t = texts(lang)
        snippets.append(
            {
                "lang": lang,
                "src": absolute(base, f"{lang}-embed.html"),
                "page": absolute(base, f"{lang}.html"),
                "title": t("map.embed_title", home=settings.home.name(lang)),
                "data_url": absolute(base, options.data_url),
                "data": t("map.data"),
            }
        )
    return render(
        "web/snippet.html",
        snippets=snippets,
        stylesheet=absolute(base, STYLESHEET),
        absolute=bool(base),
        example=example or "kiel",
        referrer=REFERRER_POLICY,
        sandbox=SANDBOX_LARGE if large else SANDBOX,
    )

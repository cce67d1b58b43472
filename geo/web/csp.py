"""Stage 4, render maps: the Content-Security-Policy of each map page.

A strict policy, so that a missed escape still cannot run: scripts only from the page's own
origin (``'self'``) and the inline scripts the page was built with, each allowed by its sha256
hash (the pages are deterministic, so the hashes are computed at build time); no
``'unsafe-inline'`` or ``'unsafe-eval'``; no plugins; no ``<base>``. Styles likewise (Leaflet
positions things through the CSSOM, which a policy does not restrict; the page itself has no
``style`` attribute). Images from the page's origin and ``data:`` (Leaflet's layer icons), plus
the tile server when ``[map] tiles`` is set; fetches (the layers of a large table) from the
page's origin and the layers' host. :func:`header_policy` is the same policy for a web server's
header, with ``frame-ancestors`` (which a ``<meta>`` cannot carry). Pure functions.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def sha256_source(text: str) -> str:
    """The CSP hash source of an inline script or style: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def origin_of(url: str | None) -> str | None:
    """The ``scheme://host[:port]`` of an absolute http(s) URL; None for a relative one.

    A tile URL's ``{s}`` subdomain becomes a ``*`` wildcard.
    """
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if "{s}" in url.split("//", 1)[-1].split("/", 1)[0]:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


@dataclass
class Policy:
    """What one page may load; :meth:`meta` and :func:`header_policy` write it out."""

    scripts: list[str] = field(default_factory=list)  # inline script texts
    styles: list[str] = field(default_factory=list)  # inline style texts
    script_hosts: list[str] = field(default_factory=list)  # e.g. the CDN's Leaflet folder
    style_hosts: list[str] = field(default_factory=list)
    image_hosts: list[str] = field(default_factory=list)  # the tile server
    connect_hosts: list[str] = field(default_factory=list)

    def directives(self) -> list[tuple[str, list[str]]]:
        def unique(values: Iterable[str]) -> list[str]:
            return list(dict.fromkeys(values))

        return [
            ("default-src", ["'self'"]),
            (
                "script-src",
                unique(["'self'", *self.script_hosts, *map(sha256_source, self.scripts)]),
            ),
            ("style-src", unique(["'self'", *self.style_hosts, *map(sha256_source, self.styles)])),
            ("img-src", unique(["'self'", "data:", *self.image_hosts])),
            ("connect-src", unique(["'self'", *self.connect_hosts])),
            ("object-src", ["'none'"]),
            ("base-uri", ["'none'"]),
            ("form-action", ["'none'"]),
        ]

    def meta(self) -> str:
        """The value of ``<meta http-equiv="Content-Security-Policy" content="...">``."""
        return "; ".join(f"{name} {' '.join(values)}" for name, values in self.directives())


def header_policy(policy: Policy, frame_ancestors: str = "*") -> str:
    """The same policy as an HTTP header, with ``frame-ancestors`` (who may embed the page)."""
    return f"{policy.meta()}; frame-ancestors {frame_ancestors}"

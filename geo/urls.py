"""The rules for addresses, in one place: links (http, https, relative), e-mail, tel: and the
publication's base URL. Used by the settings when they are read and by every output that makes a
link, so an address is judged and built the same way everywhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from geo.errors import SettingsError
from geo.textrules import terminal_safe

_URL_BAD = set(" \"'<>\\^`{|}")


def url_problem(value: str, relative: bool) -> str | None:
    """Why `value` is not a usable link (http(s), or relative where allowed), or None.

    Refused: any scheme but http and https (``javascript:``, ``data:`` ...), a host without a
    scheme (``//host``), and spaces, quotes, angle brackets, braces and backslashes, which no
    address needs and which browsers read in surprising ways.
    """
    if any(c in _URL_BAD or c.isspace() or not c.isprintable() for c in value):
        return "holds a space, quote, bracket, backslash or invisible character"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a URL"
    if parts.scheme:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"has the scheme `{terminal_safe(parts.scheme)}:`"
        return None
    if value.startswith("//"):
        return "names another host without a scheme"
    return None if relative else "is not an absolute URL"


_EMAIL_LOCAL = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&*+/=?^_~-")


def email_problem(value: str) -> str | None:
    """Why `value` is not an e-mail address a mailto: link and a vCard can carry, or None."""
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or len(value) > 254:
        return "is not an address of the form name@example.se"
    if not set(local) <= _EMAIL_LOCAL or local.startswith(".") or ".." in local:
        return "has characters an address cannot have before the @"
    labels = domain.split(".")
    if len(labels) < 2 or not labels[-1].isalpha() or len(labels[-1]) < 2:
        return "has no domain such as example.se after the @"
    for label in labels:
        if not label or len(label) > 63 or label[0] == "-" or label[-1] == "-":
            return "has a malformed domain"
        if not all(c.isascii() and (c.isalnum() or c == "-") for c in label):
            return "has characters a domain cannot have (write the domain in punycode)"
    return None


def tel_url(phone: str) -> str:
    """A ``tel:`` URL (RFC 3966) from a number as people write it: ``+46 31-365 00 00`` gives
    ``tel:+46313650000``; only the digits, and a leading + where the number starts with one."""
    digits = "".join(c for c in phone if c.isascii() and c.isdigit())
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def check_base_url(url: str) -> str:
    """An absolute http(s) URL without query or fragment, ending with ``/``; else SettingsError."""
    problem = url_problem(url, relative=False)
    parts = urlsplit(url) if problem is None else None
    if parts is None:
        raise SettingsError(
            f"--base-url: {terminal_safe(repr(url))} {problem}; expected an absolute http(s) "
            "URL such as https://example.se/opendata/relations/. Every address in the metadata "
            "is made from it."
        )
    if parts.query or parts.fragment:
        raise SettingsError(
            f"--base-url: {terminal_safe(repr(url))} has a query or fragment; expected the "
            "folder's address only."
        )
    return url if url.endswith("/") else url + "/"

"""Stage 4, render maps: the words of one place in the page's language.

Country names and dates come from CLDR through Babel (``Sydafrika`` / ``South Africa``,
``27 november 2026`` / ``27 November 2026``); the kind and status of a relation from the text
catalogue; column labels from :mod:`geo.schema`. Which fields of the table are written in English
whatever the page (notes and sources) is said here too, so that a Swedish page marks them
``lang="en"`` (WCAG 3.1.2). Pure functions: values in, text out (never markup).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date

from geo.text import texts

# Babel locales of the page languages: British English writes "27 November 2026".
LOCALES: dict[str, str] = {"sv": "sv_SE", "en": "en_GB"}
# Free-text columns that the table holds in English only, whatever the page's language.
ENGLISH_ONLY: frozenset[str] = frozenset({"since_note", "source", "geonames_note"})


@cache
def locale(lang: str) -> Locale:
    """The Babel locale of a page language."""
    return Locale.parse(LOCALES[lang])


def country_name(code: str | None, lang: str) -> str:
    """The country's name in `lang` (CLDR); the code itself if CLDR does not know it."""
    if not code:
        return ""
    return str(locale(lang).territories.get(code.upper(), code))


def iso_date(text: str | None) -> str | None:
    """`text` if it is an ISO date (``YYYY-MM-DD``), else None."""
    try:
        return datetime.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def date_text(iso: str | None, lang: str) -> str:
    """An ISO date (``2026-11-27``) written for people; other text is given back unchanged."""
    if not iso:
        return ""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return str(format_date(day, "long", locale=locale(lang)))


def text_lang(column: str, lang: str) -> str | None:
    """The ``lang`` a field needs on a page in `lang`: ``"en"`` for English-only text, else None."""
    return "en" if column in ENGLISH_ONLY and lang != "en" else None


def place_name(props: Mapping[str, Any], lang: str) -> str:
    """The place's name in the page's language (the English one, then the id, if it has none)."""
    return str(props.get(f"name_{lang}") or props.get("name_en") or props.get("id"))


def relation_text(kind: str, status: str | None, lang: str) -> str:
    """``partnerstad, vilande`` / ``office``: the relation and its status in words."""
    t = texts(lang)
    words = t.kind(kind)
    return f"{words}, {t.status(status)}" if status else words


def place_label(props: Mapping[str, Any], lang: str) -> str:
    """The accessible name of a place's marker: ``Kiel: partnerstad, vilande``."""
    relation = relation_text(props["kind"], props.get("status"), lang)
    return f"{place_name(props, lang)}: {relation}"

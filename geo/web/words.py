"""Stage 4, render maps: the words of one place in the page's language.

Country names and dates come from CLDR through Babel, in the page language's locale
(:class:`geo.text.Texts`: ``Sydafrika`` / ``South Africa``, ``27 november 2026`` /
``27 November 2026``); the kind and status of a relation from the text catalogue; column labels
from the catalogue too. A place's name and description are in the page's language where the
table has them, else in English (:func:`geo.text.in_language`), and then marked as English, as
are the fields the table holds in English whatever the page (notes and sources): a page in
another language gives them ``lang="en"`` (WCAG 3.1.2). Pure functions: values in, text out (never
markup).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

__all__ = ["in_language"]  # (used by geo.web.entries from here)

from geo.text import FALLBACK, in_language, texts

# Free-text columns that the table holds in English only, whatever the page's language.
ENGLISH_ONLY: frozenset[str] = frozenset({"since_note", "source", "geonames_note"})


def country_name(code: str | None, lang: str) -> str:
    """The country's name in `lang` (CLDR); the code itself if CLDR does not know it."""
    return texts(lang).country(code)


def iso_date(text: str | None) -> str | None:
    """`text` if it is an ISO date (``YYYY-MM-DD``), else None."""
    try:
        return datetime.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def date_text(iso: str | None, lang: str) -> str:
    """An ISO date (``2026-11-27``) written for people; other text is given back unchanged."""
    return texts(lang).date(iso)


def text_lang(column: str, lang: str) -> str | None:
    """The ``lang`` a field needs on a page in `lang`: English for English-only text, else None."""
    return FALLBACK if column in ENGLISH_ONLY and lang != FALLBACK else None


def place_name(props: Mapping[str, Any], lang: str) -> str:
    """The place's name in the page's language (the English one, then the id, if it has none)."""
    return in_language(props, "name", lang)[0] or str(props.get("id"))


def relation_text(kind: str, status: str | None, lang: str) -> str:
    """``partnerstad, vilande`` / ``office``: the relation and its status in words."""
    t = texts(lang)
    words = t.kind(kind)
    return f"{words}, {t.status(status)}" if status else words


def place_label(props: Mapping[str, Any], lang: str) -> str:
    """The accessible name of a place's marker: ``Kiel: partnerstad, vilande``."""
    relation = relation_text(props["kind"], props.get("status"), lang)
    return f"{place_name(props, lang)}: {relation}"

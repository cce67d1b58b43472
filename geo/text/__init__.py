"""The text catalogues: every string people see, one TOML file per language.

``sv.toml``, ``en.toml``, ``de.toml`` ... beside this module hold the same keys (``section.key``;
a test compares every catalogue with the English one, and checks that every key is used). A
language is added by adding its catalogue: :func:`languages` lists them. :func:`texts` gives a
:class:`Texts` for a language::

    t = texts("sv")
    t("map.title", home="Göteborg")   # 'Internationella relationer \u2013 Göteborg'
    t.kind("partner_city")            # 'partnerstad'
    t.number(3000)                    # '3\u00a0000' (Babel, the catalogue's locale)

Numbers, dates, country and language names come from CLDR through Babel, in the locale the
catalogue names (``language.locale``). Values are plain text: whoever puts one into HTML, XML or
a script escapes it there. English is every language's fallback (:data:`FALLBACK`): a place's
name or description missing in a language is shown in English, marked as English.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

FALLBACK = "en"  # the language every other one falls back to (texts of the table, names)
# Sections whose keys are chosen at run time (a kind, a status, a layer name, a column): the test
# that finds every key in use counts these as used when they cover the named vocabulary.
DYNAMIC_SECTIONS: tuple[str, ...] = (
    "kind",
    "kind_plural",
    "status",
    "layer",
    "layer_title",
    "column",
)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@cache
def languages() -> tuple[str, ...]:
    """Every language with a catalogue, sorted: the languages a project may publish in."""
    names = (f.name for f in resources.files(__name__).iterdir())
    return tuple(sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml")))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of `lang`, by ``section.key``."""
    if lang not in languages():
        raise ValueError(
            f"lang: {lang!r} has no text catalogue; expected one of {', '.join(languages())}"
        )
    data = resources.files(__name__).joinpath(f"{lang}.toml").read_bytes()
    return _flatten(tomllib.loads(data.decode("utf-8")))


@dataclass(frozen=True)
class Texts:
    """The texts of one language, looked up by key and filled in; its numbers and dates."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        text = catalogue(self.lang)[key]
        return text.format(**values) if values else text

    def kind(self, kind: str) -> str:
        return self(f"kind.{kind}")

    def status(self, status: str) -> str:
        return self(f"status.{status}")

    def layer(self, name: str) -> str:
        return self(f"layer.{name}")

    @property
    def locale(self) -> Locale:
        """The Babel locale of the catalogue (``language.locale``: British English is en_GB)."""
        return _locale(self("language.locale"))

    def number(self, n: int) -> str:
        """A whole number with the language's grouping: 3,000 / 3 000 / 3.000."""
        from babel.numbers import format_decimal

        return str(format_decimal(n, "#,##0", locale=self.locale))

    def decimal(self, text: str) -> str:
        """A number already rounded (``"12.3"``), with the language's decimal sign."""
        from babel.numbers import format_decimal

        places = len(text.partition(".")[2])
        pattern = "0." + "0" * places if places else "0"
        return str(format_decimal(Decimal(text), pattern, locale=self.locale))

    def date(self, iso: str | None) -> str:
        """An ISO date (``2026-11-27``) written out: 27 november 2026 / 27 November 2026. Other
        text is given back unchanged."""
        if not iso:
            return ""
        try:
            day = datetime.date.fromisoformat(iso)
        except ValueError:
            return iso
        from babel.dates import format_date

        return str(format_date(day, "long", locale=self.locale))

    def country(self, code: str | None) -> str:
        """A country's name (CLDR); the code itself if CLDR does not know it."""
        if not code:
            return ""
        return str(self.locale.territories.get(code.upper(), code))

    def language(self, code: str) -> str:
        """A language's name in this language: ``tyska`` in Swedish, ``German`` in English."""
        return str(self.locale.languages.get(code, code))

    def column(self, name: str, language: str | None = None) -> str:
        """A column's label. A column of a language (`language`: ``name_de``) is labelled from
        the pattern of its kind: ``Name in German``; a description in the page's own language
        is just ``Description``."""
        if language is None:
            return self(f"column.{name}")
        base = name.removesuffix(f"_{language}")
        if base == "description" and language == self.lang:
            return self("column_language.description")
        key = {"name": "column_language.name", "description": "column_language.description_in"}
        return self(key[base], language=self.language(language))

    def link(self) -> str:
        """The words of a link to this language's page, in this language (``In English``)."""
        return self("language.link")


def in_language(props: Mapping[str, Any], field: str, lang: str) -> tuple[str, str | None]:
    """A place's `field` (``name``, ``description``: ``name_sv``, ``name_en`` ... among
    `props`) in `lang`, or in English where `props` have none in `lang`; with the ``lang`` the
    text then needs (None: it is in `lang`). Empty if neither is there."""
    own = props.get(f"{field}_{lang}")
    if own:
        return str(own), None
    english = props.get(f"{field}_{FALLBACK}")
    if english:
        return str(english), None if lang == FALLBACK else FALLBACK
    return "", None


@cache
def _locale(name: str) -> Locale:
    from babel import Locale

    return Locale.parse(name)


@cache
def texts(lang: str) -> Texts:
    """The :class:`Texts` of `lang` (one of :func:`languages`)."""
    catalogue(lang)  # fails early for an unknown language
    return Texts(lang)

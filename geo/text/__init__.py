"""The text catalogue: every Swedish and English string people see, one TOML file per language.

``sv.toml`` and ``en.toml`` beside this module hold the same keys (``section.key``); a test
checks that, and that every key is used. :func:`texts` gives a :class:`Texts` for a language::

    t = texts("sv")
    t("map.title", home="Göteborg")   # 'Internationella relationer \u2013 Göteborg'
    t.kind("partner_city")            # 'partnerstad'

Values are plain text: whoever puts one into HTML, XML or a script escapes it there. Column labels
are not here: each column's labels are part of its declaration in :mod:`geo.schema`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("sv", "en")
# Sections whose keys are chosen at run time (a kind, a status, a layer name): the test that
# finds every key in use counts these as used when they cover the named vocabulary.
DYNAMIC_SECTIONS: tuple[str, ...] = ("kind", "kind_plural", "status", "layer", "layer_title")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of `lang`, by ``section.key``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang: {lang!r} is not a language of the catalogue; expected sv or en")
    data = resources.files(__name__).joinpath(f"{lang}.toml").read_bytes()
    return _flatten(tomllib.loads(data.decode("utf-8")))


@dataclass(frozen=True)
class Texts:
    """The texts of one language, looked up by key and filled in."""

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
    def other(self) -> str:
        """The other language of the pair."""
        return "en" if self.lang == "sv" else "sv"


@cache
def texts(lang: str) -> Texts:
    """The :class:`Texts` of `lang` (``sv`` or ``en``)."""
    catalogue(lang)  # fails early for an unknown language
    return Texts(lang)

"""The text catalogues (geo.text): every language says what English says, and nothing is said
for nothing.

Every catalogue is compared with the English one: the same keys, the same values to fill in,
a locale Babel knows, a link to its pages in its own words; every key is used somewhere in the
package (Python, templates, page scripts) as a literal "section.key"; the sections whose keys are
chosen at run time (a kind, a status, a layer, a column) hold exactly the vocabulary's values.
"""

from __future__ import annotations

import re
import string

import pytest

from geo.model import LAYER_FILES, LAYERS
from geo.schema import EVERY, Kind, Status
from geo.text import DYNAMIC_SECTIONS, FALLBACK, catalogue, languages, texts
from tests.support import ROOT

SOURCES = "\n".join(
    path.read_text(encoding="utf-8")
    for pattern in ("**/*.py", "**/templates/*.html", "**/static/*.js")
    for path in sorted((ROOT / "geo").glob(pattern))
)
VOCABULARY = {
    "kind": {k.value for k in Kind},
    "kind_plural": {k.value for k in Kind},
    "status": {s.value for s in Status},
    "layer": set(LAYERS),
    "layer_title": set(LAYER_FILES),
    "column": {c.name for c in EVERY.columns if c.language is None},
}


def test_the_shipped_languages_are_the_catalogues():
    assert {"sv", "en", "de"} <= set(languages())
    assert FALLBACK in languages()


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_has_the_keys_of_the_english_one(lang):
    assert set(catalogue(lang)) == set(catalogue(FALLBACK))


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_fills_in_the_values_the_english_one_does(lang):
    for key, text in catalogue(lang).items():
        assert fields(text) == fields(catalogue(FALLBACK)[key]), (lang, key)


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_names_its_locale_and_its_pages_in_its_own_words(lang):
    t = texts(lang)
    assert t.locale.language == lang  # a locale Babel knows, of this language
    assert t.language(lang).lower() in t.link().lower() or lang == FALLBACK
    assert texts(FALLBACK).language(lang) == t("language.english")
    assert len(t("language.authority")) == 3 and t("language.authority").isupper()
    if lang != FALLBACK:  # translated: a page in two languages that says the same is a mistake
        same = [k for k, v in catalogue(lang).items() if v == catalogue(FALLBACK)[k]]
        assert len(same) < len(catalogue(lang)) / 4, same


def test_dynamic_sections_hold_exactly_their_vocabulary():
    assert set(DYNAMIC_SECTIONS) == set(VOCABULARY)
    for section, values in VOCABULARY.items():
        keys = {k.split(".", 1)[1] for k in catalogue("en") if k.startswith(section + ".")}
        assert keys == values, section


# Sections whose renderers are being rewritten to use the catalogue key by key (the lead's
# branch `house`): removed from here when they land.
PENDING: set[str] = set()


def test_every_key_is_used():
    literal = set(re.findall(r"""["']([a-z_]+\.[a-z_0-9]+)["']""", SOURCES))
    unused = [
        key
        for key in catalogue("en")
        if key.split(".", 1)[0] not in {*DYNAMIC_SECTIONS, *PENDING} and key not in literal
    ]
    assert unused == []


def test_no_text_holds_markup():
    for lang in languages():
        for key, text in catalogue(lang).items():
            assert not re.search(r"[<>]|&\w+;", text), (lang, key)

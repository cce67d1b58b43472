"""The text catalogue (geo.text): both languages say the same things, and nothing is said for
nothing.

Every key of sv.toml is in en.toml and the other way round; every key is used somewhere in the
package (Python, templates, page scripts) as a literal "section.key"; the sections whose keys are
chosen at run time (a kind, a status, a layer) hold exactly the vocabulary's values.
"""

from __future__ import annotations

import re
import string

import pytest

from geo.model import LAYER_FILES, LAYERS
from geo.schema import Kind, Status
from geo.text import DYNAMIC_SECTIONS, LANGUAGES, catalogue, texts
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
}


def test_both_languages_have_the_same_keys():
    assert set(catalogue("sv")) == set(catalogue("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_languages_fill_in_the_same_values(lang):
    other = texts(lang).other
    for key, text in catalogue(lang).items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        others = {f for _, f, _, _ in string.Formatter().parse(catalogue(other)[key]) if f}
        assert fields == others, key


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
    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            assert not re.search(r"[<>]|&\w+;", text), (lang, key)

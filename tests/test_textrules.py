"""Slugs and folded names (geo.textrules.slugify, strip_accents, fold)."""

from __future__ import annotations

import dataclasses

import pytest

from geo.textrules import fold, slugify, strip_accents
from tests.support import ROOT


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Malmö", "malmo"),
        ("Jönköping", "jonkoping"),
        ("Göteborg", "goteborg"),
        ("Gothenburg", "gothenburg"),
        ("Łódź", "lodz"),
        ("Kraków", "krakow"),
        ("Århus", "arhus"),
        ("Tromsø", "tromso"),
        ("Xi\u2019an", "xi-an"),
        ("Newcastle upon Tyne", "newcastle-upon-tyne"),
        ("  --Nelson  Mandela Bay--  ", "nelson-mandela-bay"),
        ("Ærø", "aero"),
        ("Straße", "strasse"),
        ("上海", ""),
    ],
)
def test_slugify_transliterates_and_never_drops_a_latin_letter(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("a", "b"),
    [("Göteborg", "GOTEBORG"), ("Göteborg", "Gote-borg"), ("Xi'an", "Xian"), ("Kraków", "krakow")],
)
def test_spellings_of_one_name_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Заречный", "Заречныи"), ("Göteborg", "Goteborgs")])
def test_other_letters_stay_apart(a, b):
    assert fold(a) != fold(b)


def test_other_scripts_are_left_whole():
    assert strip_accents("진안군") == "진안군"  # Hangul composed again, as names are written
    assert strip_accents("Заречный") == "Заречный"


@pytest.mark.parametrize(
    ("name_en", "slug"),
    [("Malmö", "malmo"), ("Jönköping", "jonkoping"), ("Göteborg", "goteborg")],
)
def test_the_data_package_name_is_transliterated(name_en, slug):
    from geo.config import read_settings
    from geo.publication.dataset import dataset

    settings = read_settings(ROOT / "geo.toml")
    home = dataclasses.replace(settings.home, name_en=name_en)
    made = dataset(
        dataclasses.replace(settings, home=home), "https://example.se/", "x", "y",
        start_year=None, bbox=None,
    )  # fmt: skip
    assert made.name == f"{slug}-international-relations"

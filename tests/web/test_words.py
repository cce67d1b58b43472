"""Words of a place: country names and dates from CLDR (Babel), languages of English-only text."""

from __future__ import annotations

import pytest

from geo.web import words


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [("ZA", "sv", "Sydafrika"), ("ZA", "en", "South Africa"), ("CN", "sv", "Kina"),
     ("DE", "sv", "Tyskland"), ("XX", "sv", "XX"), ("", "en", "")],
)  # fmt: skip
def test_country_names_come_from_cldr(code, lang, name):
    assert words.country_name(code, lang) == name


@pytest.mark.parametrize(
    ("iso", "lang", "text"),
    [("2026-11-27", "sv", "27 november 2026"), ("2026-11-27", "en", "27 November 2026"),
     ("2026-01-05", "sv", "5 januari 2026"), ("not a date", "en", "not a date")],
)  # fmt: skip
def test_dates_are_written_for_people(iso, lang, text):
    assert words.date_text(iso, lang) == text


def test_english_only_fields_are_marked_on_the_swedish_page():
    assert words.text_lang("since_note", "sv") == "en"
    assert words.text_lang("source", "sv") == "en"
    assert words.text_lang("source", "en") is None
    assert words.text_lang("description_sv", "sv") is None


def test_labels_say_name_relation_and_status():
    props = {"kind": "partner_city", "status": "dormant", "name_sv": "Kiel", "id": "kiel"}
    assert words.place_label(props, "sv") == "Kiel: partnerstad, vilande"
    assert words.place_label({"kind": "office", "name_en": "X", "id": "x"}, "sv") == "X: kontor"

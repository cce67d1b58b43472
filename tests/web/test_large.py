"""The settings and words of a large table's page (the script fetches the places)."""

from __future__ import annotations

from geo.web import large
from tests.web.conftest import with_map


def test_large_config_has_words_countries_and_line_styles(settings):
    config = large.config(with_map(settings, layers_url="/data/").map, "sv")
    assert config["base"] == "/data/" and config["pageSize"] == large.PAGE_SIZE
    assert config["countries"]["ZA"] == "Sydafrika"
    assert config["text"]["status_dormant"] == "vilande"
    assert "dashArray" in config["lines"]["partner_city|dormant"]


def test_only_tables_over_the_threshold_are_large(layers, large_layers):
    assert not large.is_large(layers) and large.is_large(large_layers)
    note = large.table_note(large_layers, "en")
    assert note["status"] == "Page 1 of 6" and "100 at a time" in note["note"]


def test_a_large_maps_chunks_carry_the_tel_link_made_in_python(large_layers):
    from geo.urls import tel_url

    office = next(iter(large_layers["office"]["features"]))["properties"]
    details = large.details(office)
    assert details["phone_href"] == tel_url(office["phone"])


def test_a_large_maps_popup_is_the_template_with_a_slot_per_field():
    from geo.templating import environment
    from geo.web import entries

    module = environment().get_template("web/popup.html").module
    html = str(module.popup(entries.popup_slots("sv"), "Stäng"))
    for column in entries.SLOTS:
        assert f'data-slot="{column}"' in html
    assert 'href="tel:"' in html and "<time" in html

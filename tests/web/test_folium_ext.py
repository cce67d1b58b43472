"""Folium's internals in one module: counted ids, scripts collected without a second compile."""

from __future__ import annotations

import branca.element
import jinja2
import pytest

from geo.web import folium_ext


def test_the_pinned_folium_and_branca_are_the_versions_checked():
    assert folium_ext.versions() == folium_ext.CHECKED


def describe():
    return folium_ext.describe_map(
        [("connections", True), ("office", False)], [[-34.0, -97.0], [60.0, 121.0]],
        [[-85.0, -190.0], [85.0, 210.0]],
    )  # fmt: skip


def test_ids_are_counted_per_instance_and_the_class_is_untouched():
    first, second = describe(), describe()
    assert first == second
    assert first.map == "map_001" and first.groups == {
        "connections": "feature_group_002",
        "office": "feature_group_003",
    }
    assert "_generate_id" not in vars(branca.element.Element) or callable(
        branca.element.Element._generate_id
    )
    assert len(branca.element.Element._generate_id()) == 32  # still branca's random id


def test_the_script_adds_shown_layers_and_fits_the_bounds():
    code = describe().code
    assert "feature_group_002.addTo(map_001);" in code
    assert "feature_group_003.addTo" not in code  # not shown at first
    assert "map_001.fitBounds(" in code and "maxBounds" in code
    assert "L.control" not in code and "user-scalable" not in code


def test_rendered_output_is_never_compiled_again(monkeypatch):
    compiled: list[str] = []
    original = jinja2.Environment.from_string

    def spy(self, source, *args, **kwargs):
        compiled.append(str(source))
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", spy)
    code = describe().code
    assert not any("map_001" in source for source in compiled), "rendered output was compiled"
    assert code


def test_unsupported_elements_raise_rather_than_vanish():
    import folium

    fmap = folium.Map(location=None, tiles=None)
    folium.Marker([0, 0]).add_to(fmap)
    folium.Popup("x").add_to(fmap)
    folium_ext.count_ids(fmap)
    with pytest.raises(ValueError, match=r"part the page lacks|not supported"):
        folium_ext.map_script(fmap)

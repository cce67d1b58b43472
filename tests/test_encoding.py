"""Encoding the layers (geo.encoding): byte for byte the documented format, whatever the input.

The reference here is written from the format's description (compact ``json.dumps`` with
``ensure_ascii=False``, the collection's members first, one feature per line), not from the code
under test; hypothesis searches for a collection where the fast array path disagrees with it.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.encoding import dumps_layers


def reference(fc: dict) -> bytes:
    def encode(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = encode({k: v for k, v in fc.items() if k != "features"})[:-1] + ',"features":['
    body = ",\n".join(encode(f) for f in fc["features"])
    return (head + ("\n" + body if body else "") + "\n]}\n").encode("utf-8")


# Coordinates as the layers hold them (6 decimals) and as they might not (any finite float).
raw = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
coordinate = st.one_of(raw.map(lambda x: round(x, 6)), raw, st.sampled_from([0.0, -0.0, 1e-7]))
position = st.lists(coordinate, min_size=2, max_size=2)
line = st.lists(position, min_size=2, max_size=6)
text = st.text(max_size=12)
properties = st.dictionaries(st.text(max_size=6), st.one_of(text, st.integers(), st.none()))


@st.composite
def features(draw: st.DrawFn, index: int) -> dict:
    kind = draw(st.sampled_from(["Point", "LineString", "MultiLineString"]))
    coords = {
        "Point": position,
        "LineString": line,
        "MultiLineString": st.lists(line, min_size=1, max_size=3),
    }[kind]
    feature = {
        "type": "Feature",
        "id": f"f{index}",
        "geometry": {"type": kind, "coordinates": draw(coords)},
        "properties": draw(properties),
    }
    if draw(st.booleans()):
        feature["bbox"] = draw(st.lists(coordinate, min_size=4, max_size=4))
    return feature


@st.composite
def collections(draw: st.DrawFn) -> dict:
    n = draw(st.integers(min_value=0, max_value=5))
    fc: dict = {"type": "FeatureCollection"}
    if draw(st.booleans()):
        fc["bbox"] = draw(st.lists(coordinate, min_size=4, max_size=4))
    fc["features"] = [draw(features(i)) for i in range(n)]
    return fc


@settings(max_examples=300, deadline=None)
@given(collections(), collections())
def test_dumps_layers_gives_exactly_what_json_dumps_gives(a, b):
    both = {"a": a, "b": b, "all": {**a, "features": a["features"] + b["features"]}}
    got = dumps_layers(both)
    pieces = dumps_layers(both, joined=True)  # as a writing build hands them to the writer
    for name, fc in both.items():
        assert got[name] == reference(fc)
        assert bytes(pieces[name]) == got[name]


def as_arrays(fc: dict) -> dict:
    """`fc` with its lines' coordinates as the pipeline holds them: (n, 2) float arrays."""
    import numpy as np

    def line(feature: dict) -> dict:
        geometry = feature["geometry"]
        coords = geometry["coordinates"]
        if geometry["type"] == "LineString":
            coords = np.array(coords, float).reshape(-1, 2)
        elif geometry["type"] == "MultiLineString":
            coords = [np.array(part, float).reshape(-1, 2) for part in coords]
        return {**feature, "geometry": {**geometry, "coordinates": coords}}

    return {**fc, "features": [line(f) for f in fc["features"]]}


@settings(max_examples=300, deadline=None)
@given(collections(), collections())
def test_lines_held_as_arrays_give_what_json_dumps_gives_for_lists(a, b):
    """The pipeline's form (arrays, written by array operations where the values allow) and
    the public form (lists) give the same bytes: those of json.dumps."""
    arrays_a, arrays_b = as_arrays(a), as_arrays(b)
    both = {"a": arrays_a, "b": arrays_b, "all": {**a, "features": []}}
    both["all"]["features"] = arrays_a["features"] + arrays_b["features"]
    got = dumps_layers(both)
    plain = {"a": a, "b": b, "all": {**a, "features": a["features"] + b["features"]}}
    for name, fc in plain.items():
        assert got[name] == reference(fc)


def test_arrays_of_values_the_fast_path_cannot_write_are_written_by_json():
    import numpy as np

    line = [[1e-7, -0.0], [12.5, 57.123456], [float(2**60), 0.1]]
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": line}},
    ]}  # fmt: skip
    held = {"l": as_arrays(fc)}
    assert isinstance(held["l"]["features"][0]["geometry"]["coordinates"], np.ndarray)
    assert dumps_layers(held)["l"] == reference(fc)
    assert b"[1e-07,-0.0],[12.5,57.123456]" in reference(fc)


def test_the_shipped_layers_are_encoded_as_documented():
    from tests.support import ROOT

    for path in sorted((ROOT / "data" / "layers").glob("*.geojson")):
        data = path.read_bytes()
        assert reference(json.loads(data)) == data, path.name

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
    for name, fc in both.items():
        assert got[name] == reference(fc)


def test_the_shipped_layers_are_encoded_as_documented():
    from tests.support import ROOT

    for path in sorted((ROOT / "data" / "layers").glob("*.geojson")):
        data = path.read_bytes()
        assert reference(json.loads(data)) == data, path.name

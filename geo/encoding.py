"""Stage 3b, encode layers: FeatureCollections in, their published bytes out.

Deterministic: UTF-8 without BOM, compact JSON (``json.dumps`` with ``ensure_ascii=False`` and no
spaces), one feature per line, a newline at the end; so the same table gives the same bytes and
an edit shows as a small diff. :func:`dumps_layers` encodes every layer, each feature once though
``all`` repeats them, and writes the lines' coordinates (most of the bytes at scale) with array
operations that give exactly what ``json.dumps`` gives (a property test holds it to that).
No I/O.
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any

import numpy as np

from geo.gc_pause import without_gc_pauses
from geo.geometry import parts

Feature = dict[str, Any]
FeatureCollection = dict[str, Any]


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# Text of the digits 0-9, for writing coordinates with array operations.
_DIGITS = np.frombuffer(b"0123456789", np.uint8)


def _coordinate_chars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value as Python's ``repr`` writes it, where that is ``[-]ddd.ffffff`` shortened.

    Returns ``(chars, keep, ok)``: an ``(n, 11)`` array of characters, which of them the text
    keeps, and whether the value could be written so. It can be for the values the layers hold
    (the double nearest to a number of 6 decimals, 0.0001 <= |value| < 1000, or 0.0); for any
    other (|value| < 0.0001 is written with an exponent, -0.0, NaN) `ok` is False.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.rint(values * 1e6)
        ok = np.isfinite(values) & (scaled / 1e6 == values) & (np.abs(scaled) < 1e9)
        k = np.where(ok, scaled, 0).astype(np.int64)
    ok &= ((k == 0) & ~np.signbit(values)) | (np.abs(k) >= 100)
    a = np.abs(k)
    whole, frac = a // 1_000_000, a % 1_000_000
    chars = np.empty((len(values), 11), np.uint8)
    keep = np.ones((len(values), 11), bool)
    chars[:, 0] = ord("-")
    keep[:, 0] = k < 0
    for j, power in enumerate((100, 10, 1)):
        chars[:, 1 + j] = _DIGITS[whole // power % 10]
        keep[:, 1 + j] = (whole >= power) | (power == 1)
    chars[:, 4] = ord(".")
    zeros = np.zeros(len(values), np.int64)  # trailing zeros of the six decimals (at most 5)
    for j in range(1, 6):
        zeros += frac % 10**j == 0
    for j in range(6):
        chars[:, 5 + j] = _DIGITS[frac // 10 ** (5 - j) % 10]
        keep[:, 5 + j] = j < 6 - zeros
    return chars, keep, ok


def _lines_text(features: list[Feature]) -> dict[int, str]:
    """The ``coordinates`` text of every line feature that array operations can write.

    Byte for byte what ``json.dumps`` gives (floats are written by ``repr``), but for a million
    vertices in a fraction of the time. Keyed by ``id(feature)``; features left out (a value
    :func:`_coordinate_chars` cannot write) are encoded by ``json`` as usual.
    """
    runs = [parts(f["geometry"]) for f in features]
    lengths = [len(part) for fparts in runs for part in fparts]
    if not lengths:
        return {}
    n = sum(lengths)
    flat = np.fromiter(
        chain.from_iterable(chain.from_iterable(chain.from_iterable(runs))), float, 2 * n
    )
    chars, keep, ok = _coordinate_chars(flat)
    row = np.empty((n, 26), np.uint8)  # [lon,lat],
    mask = np.ones((n, 26), bool)
    row[:, 0], row[:, 12], row[:, 24], row[:, 25] = ord("["), ord(","), ord("]"), ord(",")
    row[:, 1:12], mask[:, 1:12] = chars[0::2], keep[0::2]
    row[:, 13:24], mask[:, 13:24] = chars[1::2], keep[1::2]
    ends = np.cumsum(lengths)
    mask[ends - 1, 25] = False  # no comma after the last vertex of a part
    text = row[mask].tobytes().decode("ascii")
    offsets = np.concatenate(([0], np.cumsum(mask.sum(axis=1)))).tolist()
    vertex_ok = (ok[0::2] & ok[1::2]).tolist()
    bad = np.concatenate(([0], np.cumsum(~np.asarray(vertex_ok)))).tolist()
    out: dict[int, str] = {}
    at = 0
    for feature, fparts in zip(features, runs, strict=True):
        pieces, start_vertex = [], at
        for part in fparts:
            pieces.append("[" + text[offsets[at] : offsets[at + len(part)]] + "]")
            at += len(part)
        if bad[at] != bad[start_vertex]:
            continue
        joined = ",".join(pieces)
        out[id(feature)] = (
            joined
            if len(fparts) == 1 and feature["geometry"]["type"] == ("LineString")
            else "[" + joined + "]"
        )
    return out


def _encode_feature(feature: Feature, coordinates: str | None) -> str:
    if coordinates is None:
        return _encode(feature)
    geometry = {"type": feature["geometry"]["type"], "coordinates": 0}
    text = _encode({**feature, "geometry": geometry})
    return text.replace('"coordinates":0}', '"coordinates":' + coordinates + "}", 1)


@without_gc_pauses
def dumps_layers(layers: dict[str, FeatureCollection]) -> dict[str, bytes]:
    """The bytes of every layer, by name: each collection's members (``type``, ``bbox``) on the
    first line, then one feature per line.

    Each feature is encoded once though ``all`` repeats them; the coordinates of the lines are
    written with array operations (:func:`_lines_text`).
    """
    unique = {id(f): f for fc in layers.values() for f in fc["features"]}
    lines = [
        f
        for f in unique.values()
        if f.get("geometry", {}).get("type") in ("LineString", "MultiLineString")
    ]
    coordinates = _lines_text(lines)
    done = {
        key: _encode_feature(f, coordinates.get(key)).encode("utf-8") for key, f in unique.items()
    }
    out = {}
    for name, fc in layers.items():
        head = _encode({k: v for k, v in fc.items() if k != "features"})[:-1] + ',"features":['
        body = b",\n".join(done[id(f)] for f in fc["features"])
        out[name] = head.encode("utf-8") + (b"\n" + body if body else b"") + b"\n]}\n"
    return out

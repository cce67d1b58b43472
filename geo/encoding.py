"""Stage 3b, encode layers: FeatureCollections in, their published bytes out.

Deterministic: UTF-8 without BOM, compact JSON (``json.dumps`` with ``ensure_ascii=False`` and no
spaces), one feature per line, a newline at the end; so the same table gives the same bytes and
an edit shows as a small diff. :func:`dumps_layers` encodes every layer, each feature once though
``all`` repeats them, and writes the lines' coordinates (most of the bytes at scale) with array
operations from the arrays the pipeline holds them in (:mod:`geo.geometry`), giving exactly what
``json.dumps`` gives for the same values as lists (a property test holds it to that). Each
layer's bytes are joined once from the pieces of its features (the coordinates are views of one
buffer), so no second copy of the layers is held. No I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from geo.gc_pause import without_gc_pauses
from geo.geometry import as_lists, parts
from geo.io import Data, Joined

Feature = dict[str, Any]
FeatureCollection = dict[str, Any]
Pieces = list[bytes | memoryview]
_OPTIONS: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":"), "allow_nan": False}


def _encode(value: Any) -> str:
    return json.dumps(value, **_OPTIONS)


def _encoder() -> Callable[[Any], str]:
    """``_encode``, with the encoder made once instead of once per call (the same text)."""
    return json.JSONEncoder(**_OPTIONS).encode


# The text of 000-999, and how many trailing zeros each has (0 has three).
_D3 = np.frombuffer("".join(f"{i:03d}" for i in range(1000)).encode(), np.uint8).reshape(-1, 3)
_TZ3 = np.array([len(f"{i:03d}") - len(f"{i:03d}".rstrip("0")) for i in range(1000)])
_WHOLE_KEEP = np.array([[i >= 100, i >= 10, True] for i in range(1000)])


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
        k = np.where(ok, scaled, 0).astype(np.int32)
    ok &= ((k == 0) & ~np.signbit(values)) | (np.abs(k) >= 100)
    whole, frac = np.divmod(np.abs(k), 1_000_000)
    high, low = np.divmod(frac, 1000)
    chars = np.empty((len(values), 11), np.uint8)
    keep = np.empty((len(values), 11), bool)
    chars[:, 0] = ord("-")
    keep[:, 0] = k < 0
    chars[:, 1:4], keep[:, 1:4] = _D3[whole], _WHOLE_KEEP[whole]
    chars[:, 4], keep[:, 4] = ord("."), True
    chars[:, 5:8], chars[:, 8:11] = _D3[high], _D3[low]
    # Decimals written: six less the trailing zeros, at least one ("1.0").
    decimals = np.where(low > 0, 6 - _TZ3[low], np.maximum(3 - _TZ3[high], 1))
    keep[:, 5:11] = np.arange(6) < decimals[:, None]
    return chars, keep, ok


_BLOCK = 1 << 15  # vertices written at a time


def _vertices_text(flat: np.ndarray, last: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
    """``[lon,lat],`` for each vertex of `flat` (lon, lat, lon, ...), without the comma where
    `last`: the text, each vertex's width in it, and whether each value could be written."""
    chars, keep, ok = _coordinate_chars(flat)
    row = np.empty((len(last), 26), np.uint8)
    mask = np.ones((len(last), 26), bool)
    row[:, 0], row[:, 12], row[:, 24], row[:, 25] = ord("["), ord(","), ord("]"), ord(",")
    row[:, 1:12], mask[:, 1:12] = chars[0::2], keep[0::2]
    row[:, 13:24], mask[:, 13:24] = chars[1::2], keep[1::2]
    mask[:, 25] = ~last
    return row[mask].tobytes(), mask.sum(axis=1), ok


def _array_runs(feature: Feature) -> list[np.ndarray] | None:
    """A line's runs if each is an ``(n, 2)`` float array (as the pipeline holds its lines)."""
    runs = parts(feature["geometry"])
    for run in runs:
        if not (isinstance(run, np.ndarray) and run.dtype == np.float64 and run.ndim == 2):
            return None
        if run.shape[1] != 2:
            return None
    return runs


def _lines_text(features: list[Feature]) -> dict[int, Pieces]:
    """The ``coordinates`` text of every line feature that array operations can write.

    Byte for byte what ``json.dumps`` gives for the same values as lists (floats are written by
    ``repr``), but for a million vertices in a fraction of the time: one ASCII buffer, and per
    feature its pieces (views of the buffer and brackets). Keyed by ``id(feature)``. Only lines
    whose runs are float arrays are written so; the others (lists, as from GeoJSON, whose
    numbers may be ints) and those holding a value :func:`_coordinate_chars` cannot write are
    left to ``json``.
    """
    found = [(f, runs) for f in features if (runs := _array_runs(f)) is not None]
    arrays = [run for _, fruns in found for run in fruns]
    if not arrays:
        return {}
    lengths = np.fromiter(map(len, arrays), np.int64, len(arrays))
    n = int(lengths.sum())
    flat = np.concatenate(arrays).ravel()
    ends = np.cumsum(lengths)
    last_of_part = np.zeros(n, bool)
    last_of_part[ends[lengths > 0] - 1] = True  # no comma after the last vertex of a part
    # In blocks of vertices: the arrays stay small (in cache, their memory reused).
    texts, widths, ok = [], [np.zeros(0, np.int64)], np.empty(2 * n, bool)
    for at in range(0, n, _BLOCK):
        block = slice(at, min(at + _BLOCK, n))
        text, width, ok[2 * block.start : 2 * block.stop] = _vertices_text(
            flat[2 * block.start : 2 * block.stop], last_of_part[block]
        )
        texts.append(text)
        widths.append(width)
    text = memoryview(b"".join(texts))
    del texts, flat
    # Where each part starts and ends in the text; whether each feature's vertices are all ok.
    offsets = np.concatenate(([0], np.cumsum(np.concatenate(widths))))
    starts, stops = offsets[ends - lengths].tolist(), offsets[ends].tolist()
    bad = np.concatenate(([0], np.cumsum(~(ok[0::2] & ok[1::2]))))
    counts = [len(fruns) for _, fruns in found]
    vertex_ends = np.concatenate(([0], ends))
    last = np.cumsum(counts)  # each feature's parts end before this part
    feature_ends = vertex_ends[last]
    feature_starts = vertex_ends[last - np.asarray(counts)]
    clean = (bad[feature_ends] == bad[feature_starts]).tolist()
    out: dict[int, Pieces] = {}
    at = 0
    for (feature, _), count, good in zip(found, counts, clean, strict=True):
        pieces: Pieces = []
        for i in range(at, at + count):
            pieces += (b",[" if i > at else b"[", text[starts[i] : stops[i]], b"]")
        at += count
        if not good or not count:
            continue
        if count == 1 and feature["geometry"]["type"] == "LineString":
            pieces[0] = b"["
        else:
            pieces[0] = b"[["
            pieces.append(b"]")
        out[id(feature)] = pieces
    return out


def _feature_pieces(feature: Feature, coordinates: Pieces | None, encode: Callable) -> Pieces:
    if coordinates is None:  # json writes it all (arrays, if any, as lists)
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and "coordinates" in geometry:
            plain = as_lists(geometry["coordinates"])
            if plain is not geometry["coordinates"]:
                feature = {**feature, "geometry": {**geometry, "coordinates": plain}}
        return [encode(feature).encode("utf-8")]
    geometry = {"type": feature["geometry"]["type"], "coordinates": 0}
    text = encode({**feature, "geometry": geometry})
    at = text.find('"coordinates":0}') + len('"coordinates":')
    return [text[:at].encode("utf-8"), *coordinates, text[at + 1 :].encode("utf-8")]


def _is_line(feature: Feature) -> bool:
    return feature.get("geometry", {}).get("type") in ("LineString", "MultiLineString")


def _head(fc: FeatureCollection) -> bytes:
    text = _encode({k: v for k, v in fc.items() if k != "features"})[:-1] + ',"features":['
    return text.encode("utf-8")


def _pieces(head: bytes, features: Iterable[Pieces]) -> Pieces:
    """A collection's text in pieces: its head, its features one a line, its end."""
    chunks: Pieces = [head]
    for i, pieces in enumerate(features):
        chunks.append(b",\n" if i else b"\n")
        chunks += pieces
    chunks.append(b"\n]}\n")
    return chunks


def _join(head: bytes, features: Iterable[Pieces]) -> bytes:
    return b"".join(_pieces(head, features))


def _union_of(layers: dict[str, FeatureCollection], name: str) -> list[str] | None:
    """The other layers whose features, one after the other, are `name`'s (``all``), if so."""
    others = [n for n in layers if n != name]
    features = layers[name]["features"]
    if not others or len(features) != sum(len(layers[n]["features"]) for n in others):
        return None
    together = chain.from_iterable(layers[n]["features"] for n in others)
    return others if all(a is b for a, b in zip(features, together, strict=True)) else None


@without_gc_pauses
def dumps_layers(layers: dict[str, FeatureCollection], joined: bool = False) -> dict[str, Data]:
    """The bytes of every layer, by name: each collection's members (``type``, ``bbox``) on the
    first line, then one feature per line.

    Each feature is encoded once though ``all`` repeats them; the coordinates of the lines are
    written with array operations (:func:`_lines_text`). A layer whose features are the other
    layers' (``all``) is joined from their bytes, once the pieces are let go: the layers' text
    is held once, plus that layer. With `joined`, each layer is given as its pieces
    (:class:`geo.io.Joined`), to be joined only where it is written: every feature's text is
    held once, and no layer's bytes at all.
    """
    union = {n: others for n in layers if (others := _union_of(layers, n)) is not None}
    union = dict(list(union.items())[:1])  # (one such layer: the others are its parts)
    unique = {id(f): f for fc in layers.values() for f in fc["features"]}
    coordinates = _lines_text([f for f in unique.values() if _is_line(f)])
    encode = _encoder()
    done = {key: _feature_pieces(f, coordinates.get(key), encode) for key, f in unique.items()}
    del coordinates, unique
    if joined:  # every layer as pieces: each feature's text held once, joined on the disk
        return {n: Joined(_pieces(_head(fc), map(done.__getitem__, map(id, fc["features"]))))
                for n, fc in layers.items()}  # fmt: skip
    out = {}
    for name, fc in layers.items():
        if name not in union:
            out[name] = _join(_head(fc), (done[id(f)] for f in fc["features"]))
    del done
    for name, others in union.items():  # each part's features: between its head and its end
        bodies = [memoryview(out[n])[len(_head(layers[n])) + 1 : -4] for n in others]
        out[name] = _join(_head(layers[name]), ([body] for body in bodies if len(body)))
    return {name: out[name] for name in layers}

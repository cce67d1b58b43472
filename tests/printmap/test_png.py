"""geo.printmap.png: RGBA pixels as a PNG file, read back by Pillow and by the chunk layout of the
PNG specification (W3C PNG Second Edition), not by the writer's own code."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from geo.printmap.png import encode_png


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, every CRC-32 checked (over the type and the data)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        kind, data = png[i + 4 : i + 8], png[i + 8 : i + 8 + length]
        (crc,) = struct.unpack(">I", png[i + 8 + length : i + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        out.append((kind, data))
        i += 12 + length
    return out


@pytest.fixture
def pixels() -> np.ndarray:
    """A picture with every kind of pixel: flat colours, noise and transparency."""
    rng = np.random.default_rng(7)
    rgba = np.full((37, 53, 4), 255, np.uint8)
    rgba[5:20, 3:40] = (226, 226, 226, 255)
    rgba[20:, :] = rng.integers(0, 256, (17, 53, 4), dtype=np.uint8)
    return rgba


def test_pillow_reads_back_the_same_pixels_resolution_and_text(pixels):
    text = {"Title": "Göteborgs partnerstäder", "Description": "Xi'an 西安", "Software": None}
    png = encode_png(pixels, 150, text)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGBA" and image.size == (53, 37)
    assert np.array_equal(np.asarray(image), pixels)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.02)
    assert image.info["Title"] == text["Title"] and image.info["Description"] == text["Description"]
    assert "Software" not in image.info  # None: left out


def test_the_chunks_are_the_specifications(pixels):
    found = chunks(encode_png(pixels, 150, {"Title": "Kiel", "Description": "西安"}))
    kinds = [kind for kind, _ in found]
    assert kinds == [b"IHDR", b"pHYs", b"tEXt", b"iTXt", b"IDAT", b"IEND"]  # no tIME
    assert struct.unpack(">IIBBBBB", found[0][1]) == (53, 37, 8, 6, 0, 0, 0)  # 8-bit RGBA
    assert struct.unpack(">IIB", found[1][1]) == (5906, 5906, 1)  # 150 dpi in pixels per metre
    assert found[2][1] == b"Title\0Kiel"  # Latin-1 text as tEXt
    assert found[3][1] == b"Description\0\0\0\0\0" + "西安".encode()  # the rest as iTXt, UTF-8
    raw = zlib.decompress(found[4][1])  # each row: its filter type, then its bytes
    rows = np.frombuffer(raw, np.uint8).reshape(37, 53 * 4 + 1)
    assert set(rows[:, 0]) == {0}
    assert np.array_equal(rows[:, 1:].reshape(37, 53, 4), pixels)


def test_the_same_pixels_give_the_same_bytes(pixels):
    assert encode_png(pixels, 150, {"Title": "a"}) == encode_png(pixels.copy(), 150, {"Title": "a"})


@pytest.mark.parametrize("shape", [(4, 4, 3), (4, 4)])
def test_only_rgba_bytes_are_taken(shape):
    with pytest.raises(ValueError, match="RGBA"):
        encode_png(np.zeros(shape, np.uint8), 150, {})

"""The print map's pixels as a PNG file (part of the print stage): RGBA in, bytes out.

Written here rather than by Pillow (matplotlib's ``savefig`` uses it) for a map of flat colours:
Pillow tries five filters on every row, which costs more than it gains on such a picture; rows
left unfiltered and deflated at zlib's level 3 give a smaller file, sooner (the figures are in
benchmarks/README.md). Only the standard library's zlib and struct. The format is PNG's
(ISO/IEC 15948, W3C PNG Second Edition): the signature, then chunks ``IHDR`` (8-bit RGBA, not
interlaced), ``pHYs`` (the resolution), a text chunk per metadata key (``tEXt`` in Latin-1,
``iTXt`` in UTF-8 for text Latin-1 cannot hold), one ``IDAT`` and ``IEND``; each with its length
and CRC-32. No time stamp: the same pixels give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 3  # zlib's: higher levels take longer than the bytes they save (benchmarks/png_level.py)
METRES_PER_INCH = 0.0254


def chunk(kind: bytes, data: bytes) -> bytes:
    """One chunk: length, type, data, and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_chunk(key: str, value: str) -> bytes:
    """A text chunk: ``tEXt`` if Latin-1 holds the value, else ``iTXt`` (UTF-8, uncompressed)."""
    try:
        return chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:
        # keyword, then: not compressed, method 0, no language tag, no translated keyword
        head = key.encode("latin-1") + b"\0" + b"\0\0" + b"\0" + b"\0"
        return chunk(b"iTXt", head + value.encode("utf-8"))


def encode_png(rgba: np.ndarray, dpi: float, text: Mapping[str, str | None]) -> bytes:
    """`rgba` (height x width x 4, uint8, top row first) as a PNG of `dpi` with `text`
    (keys whose value is None are left out)."""
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"expected height x width x 4 bytes (RGBA), not {rgba.shape} {rgba.dtype}")
    height, width, _ = rgba.shape
    rows = np.empty((height, width * 4 + 1), np.uint8)
    rows[:, 0] = 0  # filter type 0, None, for every row
    rows[:, 1:] = rgba.reshape(height, width * 4)
    per_metre = round(dpi / METRES_PER_INCH)
    return b"".join(
        [
            SIGNATURE,
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            *(text_chunk(key, value) for key, value in text.items() if value is not None),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), LEVEL)),
            chunk(b"IEND", b""),
        ]
    )

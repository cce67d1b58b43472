"""geo.io: a file's bytes given as pieces (Joined), written and compared without joining them."""

from __future__ import annotations

import os

import pytest

from geo.io import BLOCK, Joined, file_holds
from geo.io.durable import write_durably


def pieces() -> list[bytes | memoryview]:
    """Many small pieces (more than one writev's 1024), a view, and pieces longer than a block."""
    small = [b"%d," % i for i in range(3000)]
    big = bytes(range(256)) * (BLOCK // 256 * 2 + 3)  # two blocks and a bit
    return [*small, memoryview(b"[view]"), big, b"", *small[:5], big[:100]]


def test_joined_is_its_pieces_one_after_the_other():
    given = pieces()
    joined = Joined(given)
    whole = b"".join(given)
    assert len(joined) == len(whole) and bytes(joined) == whole
    assert b"".join(joined.blocks()) == whole
    assert all(len(block) <= BLOCK + 64 for block in joined.blocks())  # (a block and a piece)
    assert [p for batch in joined.batches() for p in batch] == given
    assert max(len(batch) for batch in joined.batches()) == 1024


def test_written_joined_is_the_joined_bytes(tmp_path):
    path = tmp_path / "all.geojson"
    write_durably(path, Joined(pieces()))
    assert path.read_bytes() == b"".join(pieces())
    write_durably(tmp_path / "plain", b"plain")
    assert (tmp_path / "plain").read_bytes() == b"plain"
    with pytest.raises(FileExistsError):  # a new file only: never over one that is there
        write_durably(path, b"plain")
    assert path.read_bytes() == b"".join(pieces())


def test_a_short_write_is_finished(tmp_path, monkeypatch):
    """writev may write less than it is given; the rest is written after it."""
    real = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, batch: real(fd, batch[:1]) if batch else 0)
    path = tmp_path / "f"
    write_durably(path, Joined(pieces()))
    assert path.read_bytes() == b"".join(pieces())


@pytest.mark.parametrize("data", [Joined(pieces()), b"".join(pieces())])
def test_a_file_holds_exactly_its_bytes(tmp_path, data):
    path = tmp_path / "f"
    whole = b"".join(pieces())
    path.write_bytes(whole)
    assert file_holds(path, data)
    path.write_bytes(whole[:-1] + b"!")  # the last byte differs
    assert not file_holds(path, data)
    path.write_bytes(whole[:BLOCK] + b"?" + whole[BLOCK + 1 :])  # a byte in the second block
    assert not file_holds(path, data)
    path.write_bytes(whole + b"\n")
    assert not file_holds(path, data)

"""What stands at `geo publish --out` (geo.io.versions.inspect: each refusal's message whole,
with the path and what is expected) and links given as --out (followed, or kept when geo made
them). tests/io/test_versions_store.py holds the store itself."""

from __future__ import annotations

import errno
import os
import shutil

import pytest

from geo.errors import NotAFileError, PublishError, UsageError
from geo.io import versions
from geo.io.versions import MARKER, STORE_MARK
from tests.io.test_versions_store import TAG, put, store

# --- what stands at --out, and links given as --out -----------------------------------------


def test_each_thing_in_the_way_of_the_publication_is_named_with_what_is_expected(tmp_path):
    (tmp_path / ".a.geo").write_text("x")
    (tmp_path / ".b.geo").mkdir()
    (tmp_path / ".b.geo" / "thesis.txt").write_text("x")
    (tmp_path / "f").write_text("x")
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "x").mkdir()
    cases = {
        "a": f"--out: {tmp_path / '.a.geo'} is in the way (a file); expected nothing there.",
        "b": f"--out: {tmp_path / '.b.geo'} exists and was not made by geo publish (found: "
        "thesis.txt); expected nothing there or geo's store of versions. Move it away.",
        "f": f"--out: {tmp_path / 'f'} is a file; expected a folder to publish into.",
        "f/x": f"--out: {tmp_path / 'f' / 'x'} cannot be used ({os.strerror(errno.ENOTDIR)}).",
        "pub": f"--out: {tmp_path / 'pub'} is not empty and is not an earlier publication (it "
        f"has no {MARKER}); found: x/. Expected an empty or new folder, or one made by geo "
        "publish. Nothing was changed; choose another --out.",
    }
    for name, message in cases.items():
        with pytest.raises(UsageError) as raised:
            versions.inspect(tmp_path / name)
        assert str(raised.value) == message


def _unreadable(monkeypatch, folder):
    """os.scandir refuses `folder` as it does for a user without the right to read it."""
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(folder):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_read_is_named_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "public").mkdir()
    _unreadable(monkeypatch, tmp_path / "public")
    with pytest.raises(UsageError) as raised:
        versions.inspect(tmp_path / "public")
    assert str(raised.value) == (
        f"--out: {tmp_path / 'public'} cannot be read ({os.strerror(errno.EACCES)})."
    )


def test_a_store_that_cannot_be_read_is_not_taken_as_ours(tmp_path, monkeypatch):
    (tmp_path / ".public.geo" / "v000001").mkdir(parents=True)
    _unreadable(monkeypatch, tmp_path / ".public.geo")
    with pytest.raises(UsageError) as raised:
        versions.inspect(tmp_path / "public")
    assert str(raised.value).startswith(
        f"--out: {tmp_path / '.public.geo'} exists and was not made by geo publish (found: "
    )


def test_a_link_as_the_store_is_refused_naming_it(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / ".public.geo").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(NotAFileError) as raised:
        versions.inspect(tmp_path / "public")
    assert str(raised.value).startswith(
        f"{tmp_path / '.public.geo'}: is a symbolic link to {tmp_path / 'elsewhere'}; expected "
        "geo's store of versions (a folder), or nothing there."
    )


def test_a_store_of_only_our_names_without_its_mark_is_taken_as_ours(tmp_path):
    """A store whose mark was lost (a killed first publish): only names geo makes in it."""
    for name in ("v000001", f"new-{TAG}", f"link-{TAG}", f"old-{TAG}"):
        (tmp_path / ".public.geo" / name).mkdir(parents=True)
    (tmp_path / ".public.geo" / "lock").write_text("")
    assert versions.inspect(tmp_path / "public").kind == "new"
    (tmp_path / ".public.geo" / "v1").mkdir()
    with pytest.raises(UsageError, match=r"was not made by geo publish \(found: "):
        versions.inspect(tmp_path / "public")


def test_a_folder_inside_the_store_names_the_publication_it_belongs_to(tmp_path):
    put(tmp_path / "public", {"a.txt": b"1"})
    with pytest.raises(UsageError) as raised:
        versions.inspect(store(tmp_path / "public") / "v000001")
    assert str(raised.value) == (
        f"--out: {store(tmp_path / 'public') / 'v000001'} is inside the store of versions of "
        f"{tmp_path / 'public'}; expected that folder itself."
    )


def test_a_link_to_no_publication_is_a_publish_error_naming_where_it_points(tmp_path):
    (tmp_path / "www").symlink_to(".www.geo/v000001")
    (tmp_path / ".www.geo" / "v000001").mkdir(parents=True)
    (tmp_path / ".www.geo" / STORE_MARK).write_text("{}")
    with pytest.raises(PublishError) as raised:
        versions.inspect(tmp_path / "www")
    assert str(raised.value) == (
        f"--out: {tmp_path / 'www'} points to {tmp_path / '.www.geo' / 'v000001'}, which holds no "
        f"complete publication; expected a version with {MARKER}. Restore the store or remove "
        "the link."
    )


def test_our_link_is_kept_and_every_other_link_is_followed(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    assert versions.resolve(out) == out
    assert versions.inspect(out) == versions.Target(out, "link", store(out) / "v000001")
    (tmp_path / "site").mkdir()
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("sub/../site")
    assert versions.resolve(tmp_path / "a") == tmp_path / "site"  # a chain, made normal
    for target in (".public.geo/v000001/", ".other.geo/v000001", ".public.geo/v0000011"):
        (tmp_path / "x").unlink(missing_ok=True)
        (tmp_path / "x").symlink_to(target)
        assert versions.resolve(tmp_path / "x") != tmp_path / "x", target


def test_a_link_like_ours_is_followed_when_its_store_or_version_is_not_real(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    (tmp_path / "elsewhere").mkdir()
    shutil.move(store(out) / "v000001", tmp_path / "elsewhere" / "v")
    (store(out) / "v000001").symlink_to(tmp_path / "elsewhere" / "v")
    assert versions.resolve(out) == tmp_path / "elsewhere" / "v"  # a version that is a link
    (store(out) / "v000001").unlink()
    shutil.move(tmp_path / "elsewhere" / "v", store(out) / "v000001")
    (store(out) / STORE_MARK).unlink()
    assert versions.resolve(out) == store(out) / "v000001"  # a store without its mark


def test_a_loop_of_links_is_refused_by_name(tmp_path):
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    with pytest.raises(UsageError) as raised:
        versions.resolve(tmp_path / "l1")
    assert str(raised.value) == (
        f"--out: {tmp_path / 'l1'} is a loop of symbolic links (or a chain of more than 40); "
        "expected a folder or a link to one."
    )


def test_a_chain_of_links_is_followed_as_far_as_the_system_follows_one(tmp_path):
    """The kernel follows 40 links in one path and refuses the 41st (ELOOP): so does --out."""
    (tmp_path / "site").mkdir()
    (tmp_path / "l41").symlink_to("site")
    for n in range(40, 0, -1):
        (tmp_path / f"l{n}").symlink_to(f"l{n + 1}")
    assert os.path.isdir(tmp_path / "l2")  # 40 links: the system follows them
    with pytest.raises(OSError) as too_many:
        os.stat(tmp_path / "l1")
    assert too_many.value.errno == errno.ELOOP  # 41: it does not
    assert versions.resolve(tmp_path / "l2") == tmp_path / "site"
    with pytest.raises(UsageError, match="is a loop of symbolic links"):
        versions.resolve(tmp_path / "l1")


def test_a_link_that_cannot_be_read_is_named_with_the_reason(tmp_path, monkeypatch):
    """A link removed between the look at it and the read (another program tidying up)."""
    (tmp_path / "www").symlink_to("site")
    real = os.readlink

    def gone(path, *args, **kw):
        if os.fspath(path) == os.fspath(tmp_path / "www"):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), os.fspath(path))
        return real(path, *args, **kw)

    monkeypatch.setattr(os, "readlink", gone)
    with pytest.raises(UsageError) as raised:
        versions.resolve(tmp_path / "www")
    assert str(raised.value).startswith(
        f"--out: {tmp_path / 'www'} cannot be followed ([Errno {errno.ENOENT}] "
    )

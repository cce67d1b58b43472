"""The publication folder (geo.io.versions): versions behind one link, the marker, what is not
ours (refused, or kept: a CNAME), links given as --out, and the store's housekeeping."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import PublishError, UsageError
from geo.io.versions import MARKER, STORE_MARK, read_marker
from geo.io.write import publication
from tests.publishing import BASE_URL, publish, snapshot

DATASET = "test-dataset"


def put(out, files, dataset=DATASET, version="2026-01-01"):
    with publication(out, wait=0) as target:
        return target.write(files, dataset, version)


def store(out):
    return out.parent / f".{out.name}.geo"


def test_out_becomes_a_link_to_a_complete_version_with_its_marker(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1", "sub/b.txt": b"2"})
    assert out.is_symlink() and os.readlink(out) == ".public.geo/v000001"
    assert snapshot(out) == {
        "a.txt": b"1",
        "sub/b.txt": b"2",
        MARKER: (out / MARKER).read_bytes(),
    }
    marker = json.loads((out / MARKER).read_bytes())
    assert marker == {
        "generator": "geo publish",
        "dataset": DATASET,
        "version": "2026-01-01",
        "files": [MARKER, "a.txt", "sub/b.txt"],
    }
    assert sorted(p.name for p in store(out).iterdir()) == [STORE_MARK, "v000001"]


def test_each_publish_is_a_new_version_and_one_previous_is_kept(tmp_path):
    out = tmp_path / "public"
    for n in range(4):
        put(out, {"a.txt": str(n).encode()})
    assert snapshot(out)["a.txt"] == b"3"
    assert sorted(p.name for p in store(out).iterdir()) == [STORE_MARK, "v000003", "v000004"]


def test_the_same_files_again_make_no_new_version(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    written = put(out, {"a.txt": b"1"})
    assert not written.changed and os.readlink(out) == ".public.geo/v000001"


def test_a_new_or_empty_folder_is_taken(tmp_path):
    (tmp_path / "empty").mkdir()
    put(tmp_path / "empty", {"a.txt": b"1"})
    put(tmp_path / "deep" / "new", {"a.txt": b"1"})
    assert (tmp_path / "empty").is_symlink() and (tmp_path / "deep" / "new" / "a.txt").is_file()


@pytest.mark.parametrize(
    "files",
    [
        {"geo.toml": b"[home]", "data/places.csv": b"id", "SHA256SUMS": b""},  # issue 11
        {"SHA256SUMS": b"", "data/layers/all.geojson": b"{}"},  # the old test of ownership
        {".git/HEAD": b"ref"},
    ],
)
def test_a_folder_without_the_marker_is_refused_naming_what_is_there(tmp_path, files):
    out = tmp_path / "project"
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    before = snapshot(out)
    with pytest.raises(UsageError, match="is not an earlier publication") as raised:
        put(out, {"a.txt": b"1"})
    top = sorted({n.split("/")[0] for n in files})
    assert all(name in str(raised.value) for name in top)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # nothing made beside


def test_another_datasets_publication_is_refused(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"}, dataset="malmo-international-relations")
    with pytest.raises(UsageError, match=r"publication of another dataset \(malmo-inter"):
        put(out, {"a.txt": b"2"}, dataset="gothenburg-international-relations")
    assert (out / "a.txt").read_bytes() == b"1"


def test_files_we_did_not_write_are_kept_in_every_new_version(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    (out / "CNAME").write_text("data.example.se\n")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("Contact: x\n")
    os.symlink("index.html", out / "start.html")
    written = put(out, {"index.html": b"2"})
    assert written.kept == [".well-known/security.txt", "CNAME", "start.html"]
    assert (out / "CNAME").read_text() == "data.example.se\n"
    assert os.readlink(out / "start.html") == "index.html"
    assert MARKER not in written.kept
    assert "CNAME" not in read_marker(out)["files"]  # still not ours
    put(out, {"index.html": b"3"})
    assert (out / "CNAME").read_text() == "data.example.se\n"


def test_a_file_we_did_not_write_in_the_way_of_ours_is_refused(tmp_path):
    out = tmp_path / "public"
    put(out, {"index.html": b"1"})
    (out / "en.html").write_text("the web team's English page")
    before = snapshot(out)
    with pytest.raises(UsageError, match=r"in the way of files it writes now: en\.html"):
        put(out, {"index.html": b"2", "en.html": b"ours"})
    assert snapshot(out) == before


def test_a_link_geo_did_not_make_is_followed_and_left_as_it_is(tmp_path):
    """Issue 11: --out a symlink replaced the link by a folder; the server kept old data."""
    site = tmp_path / "srv" / "site"
    site.mkdir(parents=True)
    www = tmp_path / "www"
    www.symlink_to(site)
    put(www, {"a.txt": b"1"})
    assert www.is_symlink() and os.readlink(www) == str(site)  # the web team's link
    assert site.is_symlink() and (www / "a.txt").read_bytes() == b"1"
    put(www, {"a.txt": b"2"})
    assert (www / "a.txt").read_bytes() == b"2"
    assert sorted(p.name for p in store(site).iterdir()) == [STORE_MARK, "v000001", "v000002"]


def test_a_dangling_link_gets_the_publication_where_it_points(tmp_path):
    (tmp_path / "www").symlink_to("pub")
    put(tmp_path / "www", {"a.txt": b"1"})
    assert (tmp_path / "pub").is_symlink() and (tmp_path / "www" / "a.txt").read_bytes() == b"1"


def test_a_link_into_a_version_is_refused(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    (tmp_path / "www").symlink_to(".public.geo/v000001")
    with pytest.raises(UsageError, match="inside the store of versions"):
        put(tmp_path / "www", {"a.txt": b"2"})


@pytest.mark.parametrize("kind", ["loop", "below-a-file", "a-file", "store-not-ours"])
def test_paths_that_cannot_be_published_into_exit_2_with_the_problem_named(tmp_path, kind):
    out = tmp_path / "out"
    if kind == "loop":
        out.symlink_to("other")
        (tmp_path / "other").symlink_to("out")
    elif kind == "below-a-file":
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "out"
    elif kind == "a-file":
        out.write_text("x")
    else:
        (tmp_path / ".out.geo").mkdir()
        (tmp_path / ".out.geo" / "thesis.txt").write_text("x")
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: --out: ") and "Internal error" not in result.output
    assert "Traceback" not in result.output


def test_a_refused_folder_names_its_first_eight_entries_and_counts_the_rest(tmp_path):
    out = tmp_path / "out"
    (out / "a-folder").mkdir(parents=True)
    for n in range(10):
        (out / f"f{n}.txt").write_text("x")
    with pytest.raises(UsageError) as raised:
        put(out, {"a.txt": b"1"})
    listed = ", ".join(["a-folder/", *(f"f{n}.txt" for n in range(7))])
    assert f"found: {listed} and 3 more. Expected" in str(raised.value)
    (out / "f9.txt").unlink()
    (out / "f8.txt").unlink()
    (out / "f7.txt").unlink()
    with pytest.raises(UsageError) as raised:
        put(out, {"a.txt": b"1"})
    assert f"found: {listed}. Expected" in str(raised.value)  # exactly eight: no "more"


def test_a_real_folder_holding_the_marker_is_replaced_by_the_link(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)  # cp -r of a publication: a real folder with the marker
    put(copy, {"a.txt": b"2"})
    assert copy.is_symlink() and (copy / "a.txt").read_bytes() == b"2"
    assert sorted(p.name for p in store(copy).iterdir()) == [STORE_MARK, "v000001"]


def test_a_link_to_a_missing_version_is_a_publish_error(tmp_path):
    out = tmp_path / "public"
    put(out, {"a.txt": b"1"})
    (store(out) / "v000001" / MARKER).unlink()
    with pytest.raises(PublishError, match="holds no complete publication"):
        put(out, {"a.txt": b"2"})


def test_a_failed_first_publish_leaves_nothing(tmp_path):
    out = tmp_path / "public"
    with pytest.raises(PublishError), publication(out, wait=0):
        raise PublishError("injected")
    assert list(tmp_path.iterdir()) == []


def test_the_cli_says_which_files_it_kept(tmp_path):
    out = tmp_path / "public"
    publish(tmp_path, out)
    (out / "CNAME").write_text("data.example.se\n")
    result = CliRunner().invoke(cli, ["publish", "--base-url", BASE_URL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "kept 1 file(s) that geo publish did not write: CNAME" in result.output
    assert (out / "CNAME").read_text() == "data.example.se\n"

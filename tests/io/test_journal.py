"""The journal's recovery (geo.io.journal.recover) stays inside its own folders: a forged or
planted journal that names paths outside them (by `..`, an absolute path, a link in the folder,
a folder of its list that holds no journal of its own) moves and deletes nothing there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.errors import NotAFileError, PublishError
from geo.io import durable, journal
from geo.io.durable import TEMP_SUFFIX, temp_of
from geo.io.journal import JOURNAL, Transaction, recover
from tests.support import snapshot

TXID = "0123456789abcdef"


def _journal(folder, state, writes, deletes, folders=(".",), primary="."):
    doc = {
        "generator": "geo build",
        "txid": TXID,
        "state": state,
        "primary": primary,
        "folders": list(folders),
        "writes": list(writes),
        "deletes": list(deletes),
    }
    (folder / JOURNAL).write_text(json.dumps(doc))


@pytest.fixture
def places(tmp_path):
    """The output folder, with a file of its own to replace, and a folder outside it holding
    files the journal names: each with a file written aside under the journal's id beside it."""
    folder, outside = tmp_path / "project" / "maps", tmp_path / "outside"
    folder.mkdir(parents=True)
    outside.mkdir()
    (folder / "escape").symlink_to(outside)  # a link in the output folder, to outside it
    (folder / "ours.html").write_bytes(b"old")
    temp_of(folder / "ours.html", TXID).write_bytes(b"new")
    for name in ("victim.txt", "absolute.txt", "linked.txt", "listed.txt"):
        (outside / name).write_bytes(b"keep")
        temp_of(outside / name, TXID).write_bytes(b"forged")
    for name in ("doomed.txt", "doomed-absolute.txt", "doomed-linked.txt"):
        (outside / name).write_bytes(b"keep")
    return folder, outside


@pytest.mark.parametrize("state", ["committed", "prepared"])
def test_a_forged_journal_touches_nothing_outside_its_folders(places, state):
    folder, outside = places
    writes = [
        "ours.html",
        "../../outside/victim.txt",
        str(outside / "absolute.txt"),
        "escape/linked.txt",
        "../../outside/listed.txt",
    ]
    deletes = ["../../outside/doomed.txt", str(outside / "doomed-absolute.txt")]
    deletes.append("escape/doomed-linked.txt")
    # ../../outside is listed as one of its folders, but holds no journal of this transaction
    _journal(folder, state, writes, deletes, folders=[".", "../../outside"])
    before = snapshot(outside)
    done = recover(folder)
    assert snapshot(outside) == before  # nothing moved, deleted or written outside
    assert not (folder / JOURNAL).exists()
    if state == "committed":  # the journal's own file is put in place: it was not refused whole
        assert done == "completed" and (folder / "ours.html").read_bytes() == b"new"
    else:
        assert done == "rolled back" and (folder / "ours.html").read_bytes() == b"old"
    assert not temp_of(folder / "ours.html", TXID).exists()


def test_a_journal_whose_first_folder_is_outside_acts_only_in_its_own(places):
    folder, outside = places
    _journal(outside, "committed", ["victim.txt"], ["doomed.txt"])  # another transaction there
    doc = json.loads((outside / JOURNAL).read_text())
    doc["txid"] = "f" * 16
    (outside / JOURNAL).write_text(json.dumps(doc))
    _journal(folder, "copy", ["ours.html"], [], primary="../../outside")
    before = snapshot(outside)
    assert recover(folder) == "rolled back"  # a stale copy: its own folder only, rolled back
    assert snapshot(outside) == before
    assert (folder / "ours.html").read_bytes() == b"old"
    assert not (folder / JOURNAL).exists()


@pytest.mark.parametrize("state", ["committed", "prepared"])
def test_a_link_at_a_name_written_aside_is_refused_and_its_target_kept(tmp_path, state):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "ours.html").write_bytes(b"old")
    (tmp_path / "precious.txt").write_bytes(b"keep")
    temp_of(folder / "ours.html", TXID).symlink_to(tmp_path / "precious.txt")
    _journal(folder, state, ["ours.html"], [])
    with pytest.raises(NotAFileError) as raised:
        recover(folder)
    assert re.match(
        rf"{re.escape(str(temp_of(folder / 'ours.html', TXID)))}: is a symbolic link[^;]*; "
        "expected a file geo build wrote aside, or nothing there. Nothing was changed",
        str(raised.value),
    )
    assert (tmp_path / "precious.txt").read_bytes() == b"keep"
    assert (folder / "ours.html").read_bytes() == b"old"


def test_a_roll_back_whose_clean_up_is_refused_still_ends_the_transaction(tmp_path, monkeypatch):
    """A file written aside that cannot be removed is left (a stray temporary file, harmless);
    the journal is removed all the same, so the next build starts afresh."""
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "ours.html").write_bytes(b"old")
    temp = temp_of(folder / "ours.html", TXID)
    temp.write_bytes(b"new")
    _journal(folder, "prepared", ["ours.html"], [])
    real = Path.unlink

    def refuse(self, *args, **kwargs):
        if self == temp:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    assert recover(folder) == "rolled back"
    assert not (folder / JOURNAL).exists() and (folder / "ours.html").read_bytes() == b"old"


def test_a_listed_folder_whose_journal_cannot_be_read_is_not_touched(tmp_path):
    """A journal naming a second folder acts there only if that folder holds a journal of the
    same transaction: one that cannot be read is not taken for it."""
    folder, other = tmp_path / "maps", tmp_path / "other"
    folder.mkdir()
    other.mkdir()
    (other / "x.txt").write_bytes(b"keep")
    temp_of(other / "x.txt", TXID).write_bytes(b"forged")
    (other / JOURNAL).write_text("{")  # not a journal
    _journal(folder, "committed", ["../other/x.txt"], [], folders=[".", "../other"])
    assert recover(folder) == "completed"
    assert (other / "x.txt").read_bytes() == b"keep"
    assert (other / JOURNAL).read_text() == "{"  # not ours to remove either


def test_a_commit_of_deletions_only_deletes_them_and_leaves_no_journal(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "stale.html").write_bytes(b"old")
    (folder / "kept.html").write_bytes(b"kept")
    Transaction([folder]).commit([folder / "stale.html"])
    assert sorted(p.name for p in folder.iterdir()) == ["kept.html"]


def test_a_commit_of_nothing_writes_nothing(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    Transaction([folder]).commit([])
    assert list(folder.iterdir()) == []


def test_an_abort_keeps_a_folder_it_made_once_someone_else_put_a_file_there(tmp_path):
    folder = tmp_path / "maps"
    tx = Transaction([folder])
    tx.write_aside({folder / "new" / "a.html": b"a"})
    (folder / "new" / "theirs.txt").write_bytes(b"not ours")
    tx.abort()
    assert sorted(p.name for p in (folder / "new").iterdir()) == ["theirs.txt"]
    assert not (folder / JOURNAL).exists()


def test_the_journal_says_who_wrote_it_and_lists_the_files_before_any_is_written(tmp_path):
    """docs/reliability.md: before any file is written aside the journal lists them all."""
    folder = tmp_path / "maps"
    tx = Transaction([folder])
    seen = []
    real = journal.write_durably

    def spy(path, data, *mode):
        if path.name.startswith(".a.html."):  # the first output written aside: the journal is there
            seen.append(json.loads((folder / JOURNAL).read_bytes()))
        return real(path, data, *mode)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journal, "write_durably", spy)
        tx.write_aside({folder / "a.html": b"a", folder / "deep" / "b.html": b"b"})
    assert seen == [
        {
            "generator": "geo build",
            "txid": tx.txid,
            "state": "prepared",
            "primary": ".",
            "folders": ["."],
            "writes": ["a.html", "deep/b.html"],
            "deletes": [],
        }
    ]
    tx.commit([])
    assert (folder / "deep" / "b.html").read_bytes() == b"b" and not (folder / JOURNAL).exists()


def test_output_folders_and_their_subfolders_are_made_with_their_parents(tmp_path):
    folder = tmp_path / "new" / "out" / "maps"
    tx = Transaction([folder])
    tx.write_aside({folder / "x" / "y" / "a.html": b"a"})
    tx.commit([])
    assert (folder / "x" / "y" / "a.html").read_bytes() == b"a"


def test_a_link_at_the_journals_name_is_refused_and_its_target_kept(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (tmp_path / "precious.txt").write_bytes(b"keep")
    (folder / JOURNAL).symlink_to(tmp_path / "precious.txt")
    with pytest.raises(NotAFileError) as raised:
        Transaction([folder]).write_aside({folder / "a.html": b"a"})
    assert re.match(
        rf"{re.escape(str(folder / JOURNAL))}: is a symbolic link[^;]*; expected the journal of "
        "geo build, or nothing there. Nothing was changed",
        str(raised.value),
    )
    assert (tmp_path / "precious.txt").read_bytes() == b"keep"


def test_the_journal_is_written_aside_under_a_name_the_next_run_sweeps(tmp_path, monkeypatch):
    """docs/reliability.md names `.geo-journal.json.*.geo-tmp`: a journal cut short while written
    aside is removed by the next run."""
    folder = tmp_path / "maps"
    temps = []
    real = durable.write_durably
    monkeypatch.setattr(
        durable, "write_durably", lambda p, d, *m: (temps.append(p), real(p, d, *m))
    )
    Transaction([folder]).write_aside({folder / "a.html": b"a"})
    (temp,) = [p for p in temps if p.name.startswith(JOURNAL)]
    assert re.fullmatch(rf"{re.escape(JOURNAL)}\.[0-9a-f]{{16}}{re.escape(TEMP_SUFFIX)}", temp.name)
    temp.write_bytes(b'{"cut')  # as a killed run left it
    recover(folder)
    assert not temp.exists()


def test_a_commit_that_cannot_put_files_in_place_says_the_next_build_will(tmp_path, monkeypatch):
    folder = tmp_path / "maps"
    tx = Transaction([folder])
    tx.write_aside({folder / "a.html": b"a"})

    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "_roll_forward", full)
    with pytest.raises(PublishError) as raised:
        tx.commit([])
    assert str(raised.value) == (
        f"{folder}: cannot be put in place (the disk is full (no space left on device)); the new "
        "outputs are committed and the next geo build puts the rest in place (from "
        f"{folder / JOURNAL}). Check the disk has room and the folder is writable."
    )
    monkeypatch.undo()
    assert recover(folder) == "completed" and (folder / "a.html").read_bytes() == b"a"


def test_each_folder_holds_a_copy_that_names_the_first(tmp_path):
    first, second = tmp_path / "layers", tmp_path / "maps"
    tx = Transaction([first, second])
    tx.write_aside({second / "a.html": b"a"})
    copy = json.loads((second / JOURNAL).read_bytes())
    assert (copy["state"], copy["primary"], copy["folders"]) == (
        "copy",
        "../layers",
        ["../layers", "."],
    )
    assert json.loads((first / JOURNAL).read_bytes())["state"] == "prepared"
    tx.abort()


GOOD = {"txid": TXID, "state": "committed", "primary": ".", "folders": ["."], "writes": [],
        "deletes": []}  # fmt: skip
NOT_OURS = (r"not a journal geo build writes; expected txid, state, primary, writes and deletes\. "
            r"Check the outputs beside it, then delete it\.")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{", r"the journal of an interrupted geo build cannot be read \(.+\); expected the file "
              r"geo build writes\. Check the outputs beside it, then delete it\."),
        ('{"txid": "0123456789abcdef", "state": "committed", "primary": ".", "folders": ["."], '
         '"writes": "abc", "deletes": []}',  # a text where a list belongs
         r"not a journal geo build writes; expected txid, state, primary, writes and deletes\. "
         r"Check the outputs beside it, then delete it\."),
        *((json.dumps({**GOOD, key: value}), NOT_OURS) for key, value in [
            ("txid", 5), ("txid", "xyz"), ("primary", 1), ("state", "done"), ("folders", None)]),
    ],
    ids=["not-json", "a-text-for-a-list", "txid-5", "txid-xyz", "primary-1", "state-done",
         "folders-none"],
)  # fmt: skip
def test_a_journal_that_cannot_be_read_is_named_and_nothing_done(tmp_path, text, said):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "a.html").write_bytes(b"old")
    temp_of(folder / "a.html", TXID).write_bytes(b"new")
    (folder / JOURNAL).write_text(text)
    with pytest.raises(PublishError) as raised:
        recover(folder)
    assert re.fullmatch(rf"{re.escape(str(folder / JOURNAL))}: {said}", str(raised.value))
    assert (folder / "a.html").read_bytes() == b"old"


def test_a_link_at_the_journals_name_is_not_read(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (tmp_path / "elsewhere.json").write_text("{}")
    (folder / JOURNAL).symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(
        NotAFileError, match=r"; expected the journal of geo build, or nothing there\."
    ):
        recover(folder)
    assert (tmp_path / "elsewhere.json").read_text() == "{}"


def test_recovery_records_each_step_for_the_crash_tests(tmp_path, monkeypatch):
    """geo.io.crashpoint: with GEO_CRASH_LOG set, every step is logged by number and name."""
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "stale.html").write_bytes(b"old")
    temp_of(folder / "a.html", TXID).write_bytes(b"new")
    _journal(folder, "committed", ["a.html"], ["stale.html"])
    log = tmp_path / "steps.log"
    monkeypatch.setenv("GEO_CRASH_LOG", str(log))
    assert recover(folder) == "completed"
    names = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    assert names == [f"replaced {folder / 'a.html'}", f"deleted {folder / 'stale.html'}",
                     "journal removed"]  # fmt: skip


def test_only_the_journals_own_temporary_files_are_swept(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / f"{JOURNAL}.bak").write_text("a person's copy")
    (folder / f"{JOURNAL}.0123456789abcdef{TEMP_SUFFIX}").write_text("cut short")
    assert recover(folder) is None
    assert sorted(p.name for p in folder.iterdir()) == [f"{JOURNAL}.bak"]


def test_a_link_at_a_journals_temporary_name_is_refused_and_one_that_stays_is_no_trouble(
    tmp_path, monkeypatch
):
    folder = tmp_path / "maps"
    folder.mkdir()
    (tmp_path / "precious.txt").write_bytes(b"keep")
    planted = folder / f"{JOURNAL}.0123456789abcdef{TEMP_SUFFIX}"
    planted.symlink_to(tmp_path / "precious.txt")
    with pytest.raises(
        NotAFileError, match=r"; expected the journal of geo build, or nothing there\."
    ):
        recover(folder)
    assert (tmp_path / "precious.txt").read_bytes() == b"keep"
    planted.unlink()
    planted.write_text("cut short")
    real = Path.unlink
    monkeypatch.setattr(
        Path,
        "unlink",
        lambda p, *a, **k: (
            (_ for _ in ()).throw(PermissionError(13, "no")) if p == planted else real(p, *a, **k)
        ),
    )
    assert recover(folder) is None  # its removal refused: left, and the run goes on


def test_a_copy_recovered_first_follows_the_first_folders_committed_journal(tmp_path):
    """A build killed after its commit, recovered from the maps folder (a copy) before the
    layers (the first folder): the copy's folder is completed, as the first folder says."""
    layers, maps = tmp_path / "layers", tmp_path / "maps"
    for folder in (layers, maps):
        folder.mkdir()
        (folder / "a.txt").write_bytes(b"old")
        temp_of(folder / "a.txt", TXID).write_bytes(b"new")
    _journal(layers, "committed", ["a.txt", "../maps/a.txt"], [], folders=[".", "../maps"])
    _journal(maps, "copy", ["../layers/a.txt", "a.txt"], [], folders=["../layers", "."],
             primary="../layers")  # fmt: skip
    assert recover(maps) == "completed"
    assert (maps / "a.txt").read_bytes() == b"new" and (layers / "a.txt").read_bytes() == b"new"


def test_a_commit_logs_its_steps_by_name(tmp_path, monkeypatch):
    """The crash tests kill a build at each step and find the turning point by its name."""
    folder = tmp_path / "maps"
    log = tmp_path / "steps.log"
    monkeypatch.setenv("GEO_CRASH_LOG", str(log))
    tx = Transaction([folder])
    tx.write_aside({folder / "a.html": b"a"})
    tx.commit([])
    names = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    assert names == ["journal prepared", f"written aside {folder / 'a.html'}", "journal committed",
                     f"replaced {folder / 'a.html'}", "journal removed"]  # fmt: skip

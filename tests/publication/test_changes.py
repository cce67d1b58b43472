"""The change log: diff by id and field (status first), geo diff on tables and folders, and the
accumulating changes.json / CHANGELOG.md that geo publish keeps."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.publication import changes
from tests.publishing import ROOT, TABLE, edited_table, publish

CHICAGO_ACTIVE = {r"^chicago,partner_city,dormant": "chicago,partner_city,active"}
LUND = (
    "lund,friendship_town,active,Lund,Lund,Lund,SE,13.19321,55.70584,1990,,Vänort.,Friendship"
    " town.,2693678,,,test,2027-01-15,,,\n"
)


def record(place_id: str, **fields) -> changes.Record:
    base = {name: None for name in changes.FIELDS}
    base.update(id=place_id, name_en=place_id.title(), kind="partner_city", status="active")
    base.update(fields)
    return base


def test_added_removed_and_changed_places():
    old = {"a": record("a"), "b": record("b"), "c": record("c", since=1990)}
    new = {"b": record("b"), "c": record("c", since=1991, lon=1.5), "d": record("d")}
    found = changes.diff(old, new)
    assert [r["id"] for r in found.added] == ["d"]
    assert [r["id"] for r in found.removed] == ["a"]
    (change,) = found.changed
    assert change.id == "c"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("lon", None, 1.5),
        ("since", 1990, 1991),
    ]


def test_status_changes_come_first():
    old = {i: record(i, since=2000) for i in ("a", "b", "z")}
    new = {
        "a": record("a", since=2001),
        "b": record("b", since=2000),
        "z": record("z", since=2001, status="dormant"),
    }
    found = changes.diff(old, new)
    assert [c.id for c in found.changed] == ["z", "a"]
    assert [f.field for f in found.changed[0].fields] == ["status", "since"]


def test_nothing_changed_is_empty():
    same = {"a": record("a")}
    assert changes.diff(same, dict(same)).empty


def test_records_from_a_table_and_from_its_layer_agree():
    layer = json.loads((ROOT / "data/layers/all.geojson").read_text(encoding="utf-8"))
    from_layer = changes.records_from_features(layer["features"])
    assert len(from_layer) == 14
    assert from_layer["chicago"]["lon"] == -87.65005
    assert from_layer["chicago"]["status"] == "dormant"


def test_changelog_escapes_markdown_from_the_data():
    hostile = record("x", name_en="<script>alert(1)</script> [link](javascript:x) *bold*")
    text = changes.render_changelog(
        [changes.entry(changes.diff({}, {"x": hostile}), "2026-01-01")], "Log"
    )
    assert "<script>" not in text
    assert "[link]" not in text
    assert "\\*bold\\*" in text


def run_diff(*args):
    return CliRunner().invoke(cli, ["diff", *map(str, args)])


def test_geo_diff_on_two_tables(tmp_path):
    new = edited_table(tmp_path, "new.csv", CHICAGO_ACTIVE, drop=("kiel",))
    new.write_text(new.read_text(encoding="utf-8") + LUND, encoding="utf-8")
    result = run_diff(TABLE, new)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1 added, 1 removed, 1 changed"
    assert lines[1].startswith("+ Lund (lund; SE, friendship_town, active)")
    assert lines[2].startswith("- Kiel (kiel; DE, partner_city, dormant)")
    assert lines[3] == "~ chicago: status: dormant -> active"


def test_geo_diff_json(tmp_path):
    new = edited_table(tmp_path, "new.csv", CHICAGO_ACTIVE)
    result = CliRunner().invoke(cli, ["diff", "--json", str(TABLE), str(new)])
    payload = json.loads(result.output)
    assert payload["changed"] == [
        {
            "id": "chicago",
            "name_en": "Chicago",
            "fields": [{"field": "status", "old": "dormant", "new": "active"}],
        }
    ]


def test_geo_diff_on_two_published_folders(tmp_path):
    publish(tmp_path, tmp_path / "old")
    new = edited_table(tmp_path, "new.csv", {r",Kraków,PL,": ",Krakow,PL,"}, drop=("bergen",))
    publish(tmp_path, tmp_path / "new", new)
    result = run_diff(tmp_path / "old", tmp_path / "new")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "0 added, 1 removed, 1 changed",
        "- Bergen (bergen; NO, friendship_town, active)",
        "~ krakow: name_local: Kraków -> Krakow",
    ]


def test_geo_diff_on_an_invalid_table_exits_1(tmp_path):
    bad = edited_table(
        tmp_path, "bad.csv", {r"^kiel,partner_city,dormant": "kiel,partner_city,zombie"}
    )
    result = run_diff(TABLE, bad)
    assert result.exit_code == 1
    assert "field/invalid-status" in result.output


@pytest.mark.parametrize("args", [["only-one"], ["nope.csv", "nope2.csv"]])
def test_geo_diff_usage_errors_exit_2(args):
    assert CliRunner().invoke(cli, ["diff", *args]).exit_code == 2


def test_publish_accumulates_the_change_log(tmp_path):
    out = tmp_path / "public"
    publish(tmp_path, out)
    first = json.loads((out / "changes.json").read_text())
    assert [e["first_publication"] for e in first["entries"]] == [True]
    assert len(first["entries"][0]["added"]) == 14

    later = edited_table(tmp_path, "later.csv", {**CHICAGO_ACTIVE, "2026-11-27": "2027-01-15"})
    report = publish(tmp_path, out, later)
    assert report.changes.changed[0].id == "chicago"  # the status change comes first
    log = json.loads((out / "changes.json").read_text())
    assert [e["date"] for e in log["entries"]] == ["2027-01-15", "2026-11-27"]
    assert log["entries"][1] == first["entries"][0]  # earlier entries are kept as they were
    newest = log["entries"][0]["changed"]
    assert newest[0]["id"] == "chicago"
    assert newest[0]["fields"][0] == {
        "field": "status",
        "old": "dormant",
        "new": "active",
    }
    assert (log["issued"], log["modified"]) == ("2026-11-27", "2027-01-15")

    text = (out / "CHANGELOG.md").read_text()
    assert text.index("## 2027-01-15") < text.index("## 2026-11-27 (first publication)")
    assert "Changed chicago (Chicago): `status` dormant → active" in text


def test_files_keep_their_last_change_when_their_bytes_do_not_change(tmp_path):
    out = tmp_path / "public"
    publish(tmp_path, out)
    # Only Chicago's as_of changes: the friendship towns' layer keeps its bytes.
    later = edited_table(tmp_path, "later.csv", {r"^(chicago,.*?),2026-11-27,": r"\1,2027-01-15,"})
    publish(tmp_path, out, later)
    files = json.loads((out / "changes.json").read_text())["files"]
    assert files["data/layers/friendship_towns.geojson"]["last_change"] == "2026-11-27"
    assert files["data/layers/partner_cities.geojson"]["last_change"] == "2027-01-15"

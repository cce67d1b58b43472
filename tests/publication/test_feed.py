"""changes.atom: a feed reader (feedparser) reads one entry per publication that changed
something, newest first, with ids that stay the same from one publication to the next."""

from __future__ import annotations

import feedparser
import pytest

from tests.publishing import BASE_URL, edited_table, publish, snapshot

HOSTILE = "<b>Chi</b>&amp;cago ]]> \u200f"


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    """The feed after the first publication, after a change and after an unchanged repeat."""
    tmp = tmp_path_factory.mktemp("feed")
    out = tmp / "public"
    first = publish(tmp, out)
    one = (out / "changes.atom").read_bytes()
    cell = '"' + HOSTILE.replace('"', '""') + '"'
    changed = edited_table(
        tmp,
        "changed.csv",
        {
            r"^chicago,partner_city,dormant,Chicago,Chicago,": (
                rf"chicago,partner_city,active,Chicago,{cell},"
            ),
        },
        drop=("kiel",),
    )
    publish(tmp, out, changed)
    two = (out / "changes.atom").read_bytes()
    before = snapshot(out)
    publish(tmp, out, changed)
    assert snapshot(out) == before  # nothing changed: no entry, no byte
    return first, one, two


def test_first_feed_has_one_entry_the_first_publication(feeds):
    report, one, _ = feeds
    feed = feedparser.parse(one)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == f"urn:uuid:{report.identifier}"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        BASE_URL + "changes.atom"
    ]
    assert feed.feed.author_detail.email
    (entry,) = feed.entries
    assert entry.updated == "2026-11-27T00:00:00Z"  # the data's date, not the clock
    assert "First publication: 14 places." in entry.summary


def test_a_change_adds_one_entry_on_top_and_keeps_the_old_id(feeds):
    _, one, two = feeds
    old = feedparser.parse(one).entries
    new = feedparser.parse(two)
    assert new.bozo == 0, new.get("bozo_exception")
    assert len(new.entries) == 2
    assert new.entries[1].id == old[0].id  # the first publication's entry keeps its id
    assert new.entries[0].id != old[0].id
    assert len({e.id for e in new.entries}) == 2
    text = new.entries[0].summary
    assert "Removed: Kiel" in text
    assert f"Changed: {HOSTILE} (status, name_en)" in text  # the text exactly as in the data
    assert new.entries[0].title.startswith("2026-11-27: ")


def test_hostile_text_reaches_the_reader_as_text(feeds):
    _, _, two = feeds
    assert b"<b>" not in two  # escaped in the XML
    feed = feedparser.parse(two)
    assert feed.bozo == 0
    (content,) = feed.entries[0].content
    assert content.type == "text/plain"
    assert HOSTILE in content.value

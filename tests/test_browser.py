"""The browser harness itself: it must see what it claims, or the browser tests prove nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser as harness

pytestmark = pytest.mark.browser

LEAKY_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"></head>
<body>
<img src="https://tiles.example.org/0/0/0.png" alt="">
<script>console.error("boom"); document.cookie = "a=1"; localStorage.setItem("k", "v");</script>
<p id="ok">local</p>
</body></html>
"""

CLEAN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Clean</h1><p>Nothing to see.</p></main></body></html>
"""


@pytest.fixture
def site(tmp_path: Path, serve) -> str:
    (tmp_path / "leaky.html").write_text(LEAKY_PAGE, encoding="utf-8")
    (tmp_path / "clean.html").write_text(CLEAN_PAGE, encoding="utf-8")
    return serve(tmp_path)


def test_records_and_blocks_other_hosts_console_errors_and_storage(site, open_page):
    with open_page(site + "leaky.html") as visit:
        assert visit.page.text_content("#ok") == "local"
        assert visit.blocked == ["https://tiles.example.org/0/0/0.png"]
        assert "boom" in visit.console_errors
        assert visit.local_storage_size() == 1
        assert [c["name"] for c in visit.cookies()] == ["a"]


def test_clean_page_makes_no_foreign_request(site, open_page):
    with open_page(site + "clean.html") as visit:
        assert visit.blocked == []
        assert visit.console_errors == []
        assert visit.requests == [site + "clean.html"]
        assert visit.local_storage_size() == 0


def test_axe_reports_missing_lang_and_title(site, open_page):
    with open_page(site + "leaky.html") as visit:
        rules = {v["id"] for v in harness.run_axe(visit.page)}
    assert {"html-has-lang", "document-title"} <= rules


def test_axe_passes_a_clean_page(site, open_page):
    with open_page(site + "clean.html") as visit:
        violations = harness.run_axe(visit.page)
    assert violations == [], harness.describe_violations(violations)


def test_dialogs_are_recorded_and_dismissed(tmp_path, serve, open_page):
    (tmp_path / "alert.html").write_text("<script>alert('x')</script>", encoding="utf-8")
    with open_page(serve(tmp_path) + "alert.html") as visit:
        assert visit.dialogs == ["alert: x"]


def test_missing_chromium_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(harness, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(harness.BrowserMissing, match=r"install-system-deps\.sh"):
        harness.launch(None)  # type: ignore[arg-type]

"""The one Jinja environment (geo.templating): compiled templates kept between runs, safely."""

from __future__ import annotations

import os
import stat

import jinja2
import pytest

from geo import templating


def fresh_environment(monkeypatch, folder):
    """An environment like geo's whose compiled-template cache lives in `folder`."""
    monkeypatch.setattr(
        templating, "compiled_cache", lambda: jinja2.FileSystemBytecodeCache(str(folder))
    )
    templating.environment.cache_clear()
    return templating.environment()


def test_a_template_is_compiled_once_then_loaded(monkeypatch, tmp_path):
    compiled = []
    real = jinja2.Environment.compile

    def spy(self, source, *args, **kwargs):
        compiled.append(args[0] if args else kwargs.get("name"))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    fresh_environment(monkeypatch, tmp_path).get_template("web/key.html")
    assert len(compiled) == 1 and any(tmp_path.iterdir())
    compiled.clear()
    fresh_environment(monkeypatch, tmp_path).get_template("web/key.html")
    assert compiled == []  # loaded from the cache (the golden pages are rendered through it)
    templating.environment.cache_clear()


def test_an_edited_template_is_compiled_again(monkeypatch, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text("one {{ x }}")
    cache = jinja2.FileSystemBytecodeCache(str(tmp_path / "cache"), "%s.cache")
    (tmp_path / "cache").mkdir()

    def env():
        return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache)

    assert env().get_template("t.html").render(x=1) == "one 1"
    (folder / "t.html").write_text("two {{ x }}")
    assert env().get_template("t.html").render(x=1) == "two 1"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="per-user folder on POSIX")
def test_the_cache_folder_is_private_or_not_used(monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    cache = templating.compiled_cache()
    assert cache is not None
    mode = stat.S_IMODE(os.stat(cache.directory).st_mode)
    assert mode == 0o700 and os.stat(cache.directory).st_uid == os.getuid()
    # A folder of that name that is a link to somewhere else: Jinja refuses it, geo compiles
    # every time instead of loading code from there.
    os.rmdir(cache.directory)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o777)
    os.symlink(elsewhere, cache.directory)
    assert templating.compiled_cache() is None


def test_a_cache_that_cannot_be_written_or_read_is_only_a_miss(monkeypatch, tmp_path):
    """A damaged entry, and a removed folder (as a full disk would): the templates are compiled
    and rendered as without a cache, never an error."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(templating, "compiled_cache", lambda: templating._BestEffort(str(folder)))
    templating.environment.cache_clear()
    try:
        templating.environment().get_template("web/key.html")
        (entry,) = folder.iterdir()
        entry.write_bytes(b"not a compiled template")
        templating.environment.cache_clear()
        assert templating.environment().get_template("web/key.html").filename.endswith("key.html")
        for entry in folder.iterdir():
            entry.unlink()
        folder.rmdir()
        templating.environment.cache_clear()
        popup = templating.environment().get_template("web/popup.html")
        assert popup.filename.endswith("popup.html")
    finally:
        templating.environment.cache_clear()

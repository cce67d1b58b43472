"""`geo edit` as a person starts it: the address printed, the page served, the options checked."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request

from tests.support import ROOT, make_project

GEO = [sys.executable, "-m", "geo"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def geo(*args, cwd):
    return subprocess.run([*GEO, *args], cwd=cwd, capture_output=True, text=True, env=ENV)


def test_geo_edit_prints_its_address_and_serves_the_page(tmp_path):
    make_project(tmp_path)
    process = subprocess.Popen(
        [*GEO, "edit", "--no-browser", "--lang", "en"],
        cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        match = re.fullmatch(
            r"Editing data/places.csv at (http://127\.0\.0\.1:\d+/([\w-]{32})/)\n", line
        )
        assert match, line
        with urllib.request.urlopen(match.group(1), timeout=30) as response:
            page = response.read().decode()
        assert '<html lang="en">' in page and "Add a place" in page
        bare = match.group(1).replace(match.group(2) + "/", "")
        try:
            urllib.request.urlopen(bare, timeout=30)
            raise AssertionError("served without the token")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
    finally:
        process.terminate()
        process.wait(30)


def test_a_language_the_catalogue_lacks_is_a_usage_error(tmp_path):
    make_project(tmp_path)
    result = geo("edit", "--no-browser", "--lang", "fi", cwd=tmp_path)
    assert result.returncode == 2
    assert "--lang: 'fi'; expected one of the settings' languages, sv, en." in result.stderr


def test_a_port_in_use_is_a_usage_error(tmp_path):
    make_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = geo("edit", "--no-browser", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 2
    assert f"--port {port}: cannot listen there" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_table_the_editor_cannot_read_whole_is_refused_with_its_problems(tmp_path):
    make_project(tmp_path, b'id,kind\n"unclosed,x\n')
    result = geo("edit", "--no-browser", cwd=tmp_path)
    assert result.returncode == 1
    assert "[header/missing-column]" in result.stderr

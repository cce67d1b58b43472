"""The `geo` command (geo.cli): exit codes, messages, and that the docs cover it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geo.cli import cli
from tests.support import PACIFIC, ROOT, make_project, shipped_rows, to_csv


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
    )


def test_validate_the_shipped_table_from_the_project_root():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "data/places.csv: OK, 14 places: 1 office, 10 partner cities, 3 friendship towns\n"
    )


def test_validate_another_path_and_settings():
    result = run("validate", "--config", str(PACIFIC / "geo.toml"))
    assert result.returncode == 0, result.stderr
    assert "6 places: 1 office, 4 partner cities, 1 friendship town" in result.stdout


def test_data_problems_exit_1_with_a_count_and_one_line_each(project):
    header, rows = shipped_rows()
    rows[2]["lat"] = "154.3"
    rows[3]["status"] = "paused"
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = run("validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "data/places.csv: 2 errors, 0 warnings"
    assert lines[1].startswith("data/places.csv:4 (kiel): latitude 154.3 is out of range")
    assert lines[2].startswith("data/places.csv:5 (krakow): `status` 'paused' is not allowed")
    assert len(lines) == 3
    assert "Traceback" not in result.stderr


def test_build_reports_and_writes_nothing_on_bad_data(project):
    header, rows = shipped_rows()
    rows[2]["lat"] = "nan"
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = run("build", cwd=project)
    assert result.returncode == 1
    assert "[coords/not-finite]" in result.stderr
    assert "Nothing was written" in result.stderr
    assert not (project / "data" / "layers").exists()


def test_json_output_lists_codes(project):
    header, rows = shipped_rows()
    rows[2]["lat"], rows[2]["lon"] = rows[2]["lon"], rows[2]["lat"]
    (project / "data" / "places.csv").write_bytes(to_csv(header, rows))
    result = CliRunner().invoke(cli, ["validate", "--json", "--config", str(project / "geo.toml")])
    assert result.exit_code == 1
    (problem,) = json.loads(result.output)
    assert problem["code"] == "coords/swapped"
    assert problem["line"] == 4 and problem["id"] == "kiel" and problem["field"] == "lat"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "nowhere.csv"], "nowhere.csv: file not found"),
        (
            ["validate", "--config", "missing.toml"],
            "missing.toml: settings file not found",
        ),
        (["build", "--source", "data"], "data: is a folder"),
        (["build", "--bogus"], "No such option '--bogus'"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(project, args, message):
    result = run(*args, cwd=project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_settings_exit_2(project):
    (project / "geo.toml").write_text("[home]\nname_sv = 'X'\n", encoding="utf-8")
    result = run("validate", cwd=project)
    assert result.returncode == 2
    assert "missing setting `home.name_en`" in result.stderr


def test_build_lists_what_it_wrote_then_unchanged(project):
    first = run("build", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "data/layers/all.geojson (written)" in first.stdout
    assert "maps/sv.html (written)" in first.stdout
    second = run("build", cwd=project)
    # 5 layers, 5 pages, 4 assets, 4 print maps (sv and en, PNG and SVG), 2 stamps
    assert "22 files: 0 written, 22 unchanged." in second.stdout
    assert "(written)" not in second.stdout
    assert "Maps reused" in second.stdout


def commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert len(cli.commands[name].help or "") > 20
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"geo {name}\b", readme), f"`geo {name}` is not in README.md"


def test_diff_exit_code_is_1_with_differences_as_git_diff(project):
    header, rows = shipped_rows()
    rows[1]["status"] = "active"
    (project / "new.csv").write_bytes(to_csv(header, rows))
    same = run("diff", "--exit-code", "data/places.csv", "data/places.csv", cwd=project)
    assert (same.returncode, same.stdout) == (0, "0 added, 0 removed, 0 changed\n"), same.stderr
    changed = run("diff", "--exit-code", "data/places.csv", "new.csv", cwd=project)
    assert changed.returncode == 1, changed.stderr
    assert "~ chicago: status: dormant -> active" in changed.stdout
    plain = run("diff", "data/places.csv", "new.csv", cwd=project)
    assert plain.returncode == 0
    as_json = run("diff", "--json", "--exit-code", "data/places.csv", "new.csv", cwd=project)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["changed"]


def test_encoding_is_chosen_on_the_command_line_or_in_the_settings(project):
    data = (project / "data" / "places.csv").read_text(encoding="utf-8")
    data = data.replace("上海", "Shanghai").replace("西安", "Xi'an")
    (project / "data" / "places.csv").write_bytes(data.encode("latin-1"))
    chosen = run("validate", "--encoding", "latin-1", cwd=project)
    assert chosen.returncode == 0, chosen.stderr
    assert "warning: the file was read as iso8859-1, as chosen" in chosen.stdout
    assert "read as Göteborgs" in chosen.stdout
    bogus = run("validate", "--encoding", "klingon", cwd=project)
    assert bogus.returncode == 2
    assert bogus.stderr == (
        "Error: --encoding: 'klingon' is not an encoding Python knows; expected a name such as "
        "windows-1252 or utf-8.\n"
    )
    settings = (project / "geo.toml").read_text(encoding="utf-8")
    settings = settings.replace(
        'places = "data/places.csv"', 'places = "data/places.csv"\nencoding = "latin-1"'
    )
    (project / "geo.toml").write_text(settings, encoding="utf-8")
    assert run("validate", cwd=project).returncode == 0
    (project / "geo.toml").write_text(settings.replace('"latin-1"', '"klingon"'), encoding="utf-8")
    bad = run("validate", cwd=project)
    assert bad.returncode == 2
    assert "`source.encoding` 'klingon' is not an encoding Python knows" in bad.stderr
    assert "[settings/bad-choice]" in bad.stderr


def test_an_excel_workbook_validates_and_builds(project):
    from tests.io.test_spreadsheet import workbook

    header, rows = shipped_rows()
    (project / "data" / "places.xlsx").write_bytes(workbook(header, rows))
    result = run("validate", "data/places.xlsx", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data/places.xlsx: OK, 14 places")
    rows[2]["lat"] = "154.3"
    (project / "data" / "places.xlsx").write_bytes(workbook(header, rows))
    bad = run("build", "--source", "data/places.xlsx", cwd=project)
    assert bad.returncode == 1
    assert "data/places.xlsx:4 (kiel): latitude 154.3 is out of range" in bad.stderr


def test_python_m_geo_without_its_dependencies_says_to_run_make_build(tmp_path):
    """A fresh virtual environment, nothing installed: the advice, exit 2, no traceback."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True
    )
    bare = tmp_path / "bare" / "bin" / "python"
    result = subprocess.run(
        [str(bare), "-m", "geo", "validate"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Error: Python module '")
    assert "Run `make build`" in result.stderr and "Traceback" not in result.stderr


HIDE = """
import runpy, sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == {name!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Hide())
sys.argv = ["geo", *{args!r}]
runpy.run_module("geo", run_name="__main__")
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("pyproj", ["validate"]),  # imported with the command
        ("openpyxl", ["validate", "places.xlsx"]),  # imported on first use, inside the handler
    ],
)
def test_a_missing_library_is_named_with_the_advice(project, module, args):
    from tests.io.test_spreadsheet import workbook

    header, rows = shipped_rows()
    (project / "places.xlsx").write_bytes(workbook(header, rows))
    code = HIDE.format(name=module, args=args)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=project
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"Error: Python module '{module}' is missing")
    assert "Run `make build`" in result.stderr and "Traceback" not in result.stderr


THREADS_AFTER_NUMPY = """
import os, sys
import geo.cli
assert "numpy" not in sys.modules, "geo.cli imports numpy: too early to choose its threads"
sys.argv = ["geo", "--version"]
try:
    geo.cli.main()
except SystemExit:
    pass
import gc, numpy
print(gc.get_threshold()[0], len(os.listdir("/proc/self/task")), os.environ["OPENBLAS_NUM_THREADS"])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_the_command_starts_no_openblas_threads():
    """numpy's OpenBLAS threads spin at import; the command does no linear algebra, so it asks
    for none, before numpy is imported; a number the user chose is kept."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER_NUMPY], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["1", "1"]  # the main thread alone
    env["OPENBLAS_NUM_THREADS"] = "2"
    chosen = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER_NUMPY], capture_output=True, text=True, env=env
    )
    assert chosen.stdout.split()[-1] == "2"


def test_the_command_collects_cycles_less_often_than_python():
    """Imports make many objects and no garbage: the command's cyclic collector waits for
    20,000 new objects (Python's default is 700), in every process it forks too."""
    probe = (
        THREADS_AFTER_NUMPY
        + "import gc, os\nr, w = os.pipe()\n"
        + (
            "if os.fork() == 0: os.write(w, str(gc.get_threshold()[0]).encode()); os._exit(0)\n"
            "os.wait(); print(os.read(r, 16).decode())\n"
        )
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    *_, here, child = done.stdout.splitlines()
    assert here.split()[0] == "20000" and child == "20000"

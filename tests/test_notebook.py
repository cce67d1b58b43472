"""notebooks/explore_partnerships.ipynb runs top to bottom, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore_partnerships.ipynb"


@pytest.fixture(scope="module")
def committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_committed_notebook_has_no_outputs(committed):
    nbformat.validate(committed)
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], cell.source[:60]
            assert cell.execution_count is None, cell.source[:60]


def test_the_notebook_uses_the_api_not_its_own_pipeline(committed):
    code = "\n".join(c.source for c in committed.cells if c.cell_type == "code")
    for call in (
        "geo.read_places(",
        "geo.build_layers(",
        "geo.office_distances(",
        "geo.summary(",
    ):
        assert call in code
    # No reading of the table or GeoJSON behind the API's back, and no map that loads CDNs.
    for forbidden in ("read_csv", "read_file", "places.csv", ".geojson", ".explore("):
        assert forbidden not in code


def test_the_notebook_runs_top_to_bottom(committed):
    notebook = nbformat.from_dict(committed)  # a copy: the committed file stays untouched
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=180,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the compass, the timeline and the static map
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {})) for o in outputs)
    assert "14 places from data/places.csv" in text
    assert "partner_city" in text and "dormant" in text  # the summary table
    assert "No start year found in any source" in text  # Kiel's note, with confidence unknown


def _run(notebook, folder, monkeypatch, config):
    if config is None:
        monkeypatch.delenv("GEO_CONFIG", raising=False)
    else:
        monkeypatch.setenv("GEO_CONFIG", str(config))
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]


def test_the_notebook_runs_from_a_folder_outside_the_project(committed, tmp_path, monkeypatch):
    """Copied elsewhere, it runs with GEO_CONFIG naming the project's settings."""
    notebook = nbformat.from_dict(committed)
    notebook.cells = notebook.cells[:2]  # the cell that finds the settings and reads the table
    outputs = _run(notebook, tmp_path, monkeypatch, ROOT / "geo.toml")
    text = "".join(str(o.get("text", "")) for o in outputs)
    assert "14 places from data/places.csv" in text


def test_the_notebook_says_how_to_name_the_settings_outside_a_project(
    committed, tmp_path, monkeypatch
):
    """Issue 12: copied outside the repo it stopped with a bare StopIteration."""
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.from_dict(committed)
    notebook.cells = notebook.cells[:2]
    with pytest.raises(CellExecutionError) as caught:
        _run(notebook, tmp_path, monkeypatch, None)
    message = str(caught.value)
    assert "SettingsError" in message and "StopIteration" not in message
    assert "geo.read_settings('path/to/geo.toml')" in message and "GEO_CONFIG" in message
    assert "--config" not in message  # an API error names the API's arguments


def test_make_notebook_installs_the_pinned_extra_then_opens_or_runs_it():
    """The target, as make would run it (installing Jupyter is left to `make notebook`)."""
    import subprocess

    def dry(*args):
        # --no-print-directory: under `make test` this runs inside make, which would add
        # "make[1]: Entering/Leaving directory" lines around the dry run
        command = ["make", "--no-print-directory", "-n", "-B", "notebook", *args]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()

    opened = dry("CI=")
    assert any("-c constraints.txt" in line and '".[notebook]"' in line for line in opened)
    assert opened[-1].endswith("/jupyter lab notebooks/explore_partnerships.ipynb")
    assert dry("CI=", "RUN=1")[-1].endswith("/jupyter execute notebooks/explore_partnerships.ipynb")
    assert dry("CI=true")[-1].endswith("/jupyter execute notebooks/explore_partnerships.ipynb")


def test_the_notebook_extra_is_pinned_in_both_places():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = project["project"]["optional-dependencies"]["notebook"]
    pins = dict(
        line.split("==")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    )
    pins = {name.lower().replace("_", "-"): version for name, version in pins.items()}
    assert any(req.startswith("jupyterlab==") for req in extra)
    for requirement in extra:
        name, version = requirement.split("==")
        assert pins[name.lower()] == version, requirement
    # And what JupyterLab pulls in (as installed by `make notebook`) is pinned too.
    for name in ("jupyter-server", "jupyterlab-server", "nbconvert", "tornado", "anyio"):
        assert name in pins, name

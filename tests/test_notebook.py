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

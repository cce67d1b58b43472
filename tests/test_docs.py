"""The analyst section of the docs runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "analysis.md"  # the lead moves this section into README.md


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_the_analyst_example_runs_as_written():
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1
    # A fresh interpreter in the project root, as a reader would run it.
    out = subprocess.run(
        [sys.executable, "-c", blocks[0]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "EPSG:4326 14" in out.stdout
    assert "aarhus" in out.stdout and "stated" in out.stdout and "uncertain" in out.stdout

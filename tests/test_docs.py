"""The repository explains itself: docs/architecture.md shows the packages as the code imports them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_diagram_is_current():
    """To refresh: `.venv/bin/python scripts/package_graph.py` and paste it between the packages markers."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package_graph.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_contributing_points_to_the_repository_own_design_note():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "docs/architecture.md" in text and "../shared" not in text

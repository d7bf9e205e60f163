"""The README keeps the consultation workflow's diagram current."""

from __future__ import annotations

from pathlib import Path

from workflows.consultation import mermaid


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.consultation import mermaid; print(mermaid())"` and paste
    the output between the consultation workflow markers of README.md."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- workflow:consultation:start -->")
    end = readme.index("<!-- workflow:consultation:end -->")
    assert f"```mermaid\n{mermaid()}```" in readme[start:end], "README consultation diagram is stale"

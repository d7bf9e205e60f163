"""The README keeps the assessment workflow's diagram current."""

from __future__ import annotations

from pathlib import Path

from workflows.assessment import WORKFLOW


def test_readme_diagram_is_current():
    """To refresh: `.venv/bin/python -c "from workflows.assessment import WORKFLOW; print(WORKFLOW.mermaid())"` and
    paste the output between the assessment workflow markers of README.md."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- workflow:assessment:start -->")
    end = readme.index("<!-- workflow:assessment:end -->")
    assert f"```mermaid\n{WORKFLOW.mermaid()}```" in readme[start:end], "README assessment diagram is stale"

#!/usr/bin/env python3
"""The picture of the packages: which package imports which, read from the code, as a Mermaid flowchart.

    .venv/bin/python scripts/package_graph.py          print the diagram
    .venv/bin/python scripts/package_graph.py --check  exit 1 when docs/architecture.md shows another one

docs/architecture.md keeps the diagram between `<!-- packages:start -->` and `<!-- packages:end -->`; a test runs
`--check`, so the picture cannot drift from the code. A node is a domain package of `disclosure/`, `workflows/`,
or the factory (`disclosure/__init__.py`, `cli.py`, `demo.py`). The foundation (`config.py`, `extensions.py`: the
settings and the unbound Flask extensions) is left out: every package uses it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- packages:start -->", "<!-- packages:end -->"
FACTORY = {"__init__", "cli", "demo"}
FOUNDATION = {"config", "extensions"}


def node_of(module: str) -> str | None:
    """The diagram node a dotted module name belongs to, or None for a library."""
    parts = module.split(".")
    if parts[0] == "workflows":
        return "workflows"
    if parts[0] != "disclosure":
        return None
    if len(parts) == 1 or parts[1] in FACTORY:
        return "factory"
    if not (ROOT / "disclosure" / f"{parts[1]}.py").exists() and not (ROOT / "disclosure" / parts[1]).is_dir():
        return "factory"  # a name defined in disclosure/__init__.py, such as create_app
    if parts[1] in FOUNDATION:
        return "foundation"
    return parts[1]


def module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return ".".join(rel.parts)


def edges() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in [*(ROOT / "disclosure").rglob("*.py"), *(ROOT / "workflows").rglob("*.py")]:
        source = node_of(module_of(path))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from disclosure import core` names a package, `from disclosure.core import audit` a module
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                dest = node_of(target)
                if dest and source and dest != source and dest != "foundation":
                    found.add((source, dest))
    return found


def mermaid() -> str:
    lines = ["flowchart TD"]
    lines += [f"    {a} --> {b}" for a, b in sorted(edges())]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    diagram = mermaid()
    if "--check" not in argv:
        print(diagram, end="")
        return 0
    text = DOC.read_text(encoding="utf-8")
    shown = text[text.index(START) + len(START) : text.index(END)]
    if f"```mermaid\n{diagram}```" not in shown:
        print("docs/architecture.md shows another package diagram: run scripts/package_graph.py and paste it")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

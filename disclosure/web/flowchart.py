"""A workflow drawn as an inline SVG flow chart, for pages a citizen reads (the disclosure guide, issue 11 §4).

`workflow_svg(WORKFLOW, labels, triggers=…, include=…, title=…)` returns one `<svg>` element to place in a page as
it is: no script, no link, no external reference, no `foreignObject`, no style attribute (the CSP allows none), text
as real `<text>` elements (selectable, found by the page's search, read by a translation tool), `role="img"` with a
`<title>` and a `<desc>` listing every step, so a screen reader and a reader without the picture get the same flow.

The choices:
- Graphviz `dot` lays it out (top to bottom from the initial state), run as a subprocess without a shell, with a
  timeout, fed on stdin. Its absence is an error at call time: `scripts/bootstrap.sh` installs it and a diagram
  silently missing from a legal guide is worse than a failed page. Text is set in Noto Sans CJK SC (the Debian
  package fonts-noto-cjk, installed by the bootstrap) so the boxes fit the Chinese words; the browser gets a
  font-family list that ends in `sans-serif`.
- The web layer imports no domain package and no workflow: `workflow` is anything shaped like
  `workflows.engine.Workflow` (`States`, `transitions`, `initial`, `final`), and the caller gives every word shown:
  `labels` names each state drawn, `triggers` the steps.
- `include` picks the states a reader needs. A path through left-out states is drawn as one edge between the
  states shown, named after its last step (registered → assigned → in handling reads "registered → in handling"),
  and a path that comes back to where it started (a draft sent back for revision) is left out: it is the office's
  own business. When `triggers` is given, only the steps it names are drawn or followed; the others are internal.
  A step that keeps the state (an extension) is drawn as a loop only when it has a name.
- Steps between the same two states are one edge with their names joined; an edge going back up the flow (found by
  a depth-first walk from the initial state, in table order) is laid out as if it went down and drawn with its
  arrow reversed, so it runs beside the forward edge instead of pulling the flow out of order. When three or more
  states take the same named step to one state (withdrawal), their lines meet at a point and one arrow carries the
  name. A black dot marks the start; the states where the flow ends have a double border and sit on the bottom
  row: the final states, and those with a step straight into a final state left out of the picture (delivered,
  withdrawn and abandoned, when archived is not drawn). The `<desc>` says the same with "●" and "◎".
- Labels are escaped for DOT (quote, backslash, Graphviz's `\\N`-style escapes, `&` so no entity is interpreted) and
  the output is parsed as XML and written out again, so no label can add markup. Graphviz's prolog, doctype,
  comments and per-shape `<title>` tooltips (internal node ids) are removed, and the fixed size in pt gives way to
  the `viewBox`: the page's stylesheet sizes the picture (`svg.flowchart`). Graphviz's ids go; those of the
  `<title>` and `<desc>` come from a hash of the content, so two different charts on one page do not clash.
- The same inputs give the same string, remembered (`functools.lru_cache` on a hashable key of the workflow's
  table and the words), so a guide page does not start a process per view.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
import shutil
import subprocess
import textwrap
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import fromstring as defused_fromstring

__all__ = ["GraphvizError", "GraphvizMissing", "workflow_svg"]

FONT = "Noto Sans CJK SC"
# What the browser uses: the font the layout was measured with first, then its other names and common CJK fonts.
FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
TIMEOUT_SECONDS = 20
LINE_WIDTH = 30  # display columns per label line (a Chinese character counts two)

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = f"{{{SVG_NS}}}"
# Elements that may stay in the picture: what Graphviz draws, nothing that runs, links or embeds.
_ALLOWED = {f"{_SVG}{name}" for name in ("svg", "g", "title", "desc", "polygon", "path", "ellipse", "polyline", "text")}
_CLOSING_PUNCTUATION = set("，。、；：！？）》」』】,.;:!?)")


class GraphvizMissing(RuntimeError):
    """Graphviz's `dot` is not on the PATH."""


class GraphvizError(RuntimeError):
    """`dot` failed or took too long."""


class _Transition(Protocol):
    trigger: str
    source: tuple[str, ...]
    dest: str | None


class WorkflowLike(Protocol):
    """What is read of a `workflows.engine.Workflow`."""

    States: type[enum.Enum]
    transitions: tuple[_Transition, ...]
    initial: enum.Enum
    final: tuple[enum.Enum, ...]


def workflow_svg(
    workflow: WorkflowLike,
    labels: Mapping[str, str],
    *,
    triggers: Mapping[str, str] | None = None,
    include: Iterable[str] | None = None,
    title: str = "",
) -> str:
    """The workflow's flow chart as a standalone inline `<svg>`.

    `labels` maps each state's value to its name in the reader's language; every state drawn needs one.
    `triggers` maps trigger names to step names; when given, only those steps are drawn (None: every step, unnamed).
    `include` is the states to draw (None: all). `title` is the picture's accessible name.
    Raises ValueError for an unknown state or a missing label, GraphvizMissing without Graphviz, GraphvizError when
    it fails."""
    states = tuple(str(s.value) for s in workflow.States)
    chosen = states if include is None else tuple(s for s in states if s in {str(v) for v in include})
    if include is not None:
        unknown = {str(v) for v in include} - set(states)
        if unknown:
            raise ValueError(f"include names unknown states: {sorted(unknown)}")
    missing = [s for s in chosen if not _text(labels.get(s) or "").strip()]
    if missing:
        raise ValueError(f"no label for the states {missing}")
    table = tuple(
        (t.trigger, tuple(str(s) for s in t.source), None if t.dest is None else str(t.dest))
        for t in workflow.transitions
    )
    return _render(
        states,
        table,
        str(workflow.initial.value),
        tuple(str(s.value) for s in workflow.final),
        tuple((s, _text(labels[s])) for s in chosen),
        None if triggers is None else tuple(sorted((str(k), _text(v)) for k, v in triggers.items())),
        _text(title),
    )


def _text(value: str) -> str:
    """The words as shown: without control characters (XML cannot carry them), line breaks kept."""
    return "".join(ch for ch in str(value) if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"))


@functools.lru_cache(maxsize=64)
def _render(
    states: tuple[str, ...],
    table: tuple[tuple[str, tuple[str, ...], str | None], ...],
    initial: str,
    final: tuple[str, ...],
    labels: tuple[tuple[str, str], ...],
    triggers: tuple[tuple[str, str], ...] | None,
    title: str,
) -> str:
    names = dict(labels)
    steps = None if triggers is None else dict(triggers)
    every = _moves(states, table, None)
    moves = _moves(states, table, steps)
    edges = _edges(table, names, steps, moves)
    entries = (
        [initial] if initial in names else list(dict.fromkeys(end for _, end in _reach(initial, "", every, names)))
    )
    ends = _ends(names, set(final), every)
    dot = _dot(names, edges, entries, ends)
    return _postprocess(_run_dot(dot), title, _description(names, edges, entries, ends), _digest(dot + title))


# --- The graph: the chosen states and the steps between them ---


def _moves(states, table, steps) -> dict[str, list[tuple[str, str]]]:
    """state -> [(trigger, next state)], in table order: every step, or only those `steps` names."""
    moves: dict[str, list[tuple[str, str]]] = {s: [] for s in states}
    for trigger, sources, dest in table:
        if steps is None or trigger in steps:
            for src in sources:
                moves[src].append((trigger, src if dest is None else dest))
    return moves


def _edges(table, names, steps, moves) -> list[tuple[str, str, list[str]]]:
    """[(source, dest, [step names]), …] between chosen states, ordered by their first step in the table."""
    order = {t: i for i, (t, _, _) in enumerate(table)}
    found: dict[tuple[str, str], list[str]] = {}
    for src in names:
        for trigger, dest in moves[src]:
            if dest == src:  # a step that keeps the state: a loop, when it has a name to show
                if steps is not None and steps[trigger]:
                    found.setdefault((src, src), []).append(trigger)
                continue
            for last, end in _reach(dest, trigger, moves, names):
                if end != src:
                    found.setdefault((src, end), []).append(last)
    edges = []
    for (src, dest), via in sorted(found.items(), key=lambda item: min(order[t] for t in item[1])):
        words = [] if steps is None else list(dict.fromkeys(steps[t] for t in sorted(set(via), key=order.get)))
        edges.append((src, dest, [w for w in words if w]))
    return edges


def _reach(start, trigger, moves, names) -> list[tuple[str, str]]:
    """The chosen states reached from `start` through left-out states only, each with the step that enters it."""
    if start in names:
        return [(trigger, start)]
    seen, stack, reached = {start}, [start], []
    while stack:
        state = stack.pop()
        for step, dest in moves[state]:
            if dest in names:
                reached.append((step, dest))
            elif dest not in seen:
                seen.add(dest)
                stack.append(dest)
    return list(dict.fromkeys(reached))


def _ends(names, final, every) -> list[str]:
    """The chosen states where the flow ends in this picture: a final state, a state the workflow never leaves, or
    one with a step straight into a final state that is not drawn (delivered, when archived is left out)."""
    return [s for s in names if s in final or not every[s] or any(d in final and d not in names for _, d in every[s])]


def _back_edges(names, edges, entries) -> set[tuple[str, str]]:
    """The edges that go back up the flow: to a state on the path of a depth-first walk from the entries."""
    out: dict[str, list[str]] = {s: [] for s in names}
    for src, dest, _ in edges:
        out[src].append(dest)
    back, done, on_path = set(), set(), set()

    def visit(state):
        on_path.add(state)
        for dest in out[state]:
            if dest in on_path:
                back.add((state, dest))
            elif dest not in done:
                visit(dest)
        on_path.discard(state)
        done.add(state)

    for state in [*entries, *names]:
        if state not in done:
            visit(state)
    return back


# --- DOT in, SVG out ---

FAN_IN = 3  # this many sources taking the same named step to one state meet at a point first, under one label


def _dot(names, edges, entries, ends) -> str:
    ids = {state: f"s{i}" for i, state in enumerate(names)}
    back = _back_edges(names, edges, entries)
    font = _quote(FONT)
    lines = [
        "digraph flow {",
        f"  graph [rankdir=TB, nodesep=0.35, ranksep=0.45, fontname={font}];",
        f'  node [shape=box, style=rounded, fontname={font}, fontsize=14, margin="0.18,0.08", color="#333333"];',
        f'  edge [fontname={font}, fontsize=12, color="#555555", fontcolor="#222222", arrowsize=0.8];',
        '  start [shape=point, width=0.18, style=filled, fillcolor="#222222", color="#222222"];',
    ]
    for state, label in names.items():
        extra = ', peripheries=2, style="rounded,bold"' if state in ends else ""
        lines.append(f"  {ids[state]} [label={_quote(_wrap(label))}{extra}];")
    lines += [f"  start -> {ids[state]};" for state in entries]

    fans: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for src, dest, words in edges:
        if words and src != dest and (src, dest) not in back:
            fans.setdefault((dest, tuple(words)), []).append(src)
    joins = {key: f"j{i}" for i, (key, sources) in enumerate(fans.items()) if len(sources) >= FAN_IN}
    for (dest, words), join in joins.items():
        lines.append(f'  {join} [shape=point, width=0.06, color="#555555"];')
        lines.append(f"  {join} -> {ids[dest]} [label={_quote(_wrap(' / '.join(words)))}];")

    for src, dest, words in edges:
        join = joins.get((dest, tuple(words)))
        label = [f"label={_quote(_wrap(' / '.join(words)))}"] if words else []
        if (src, dest) in back:  # laid out downwards, arrow reversed: it runs beside the forward edge
            lines.append(f"  {ids[dest]} -> {ids[src]} [{', '.join([*label, 'dir=back'])}];")
        elif join and src != dest:
            lines.append(f"  {ids[src]} -> {join} [arrowhead=none];")
        else:
            lines.append(f"  {ids[src]} -> {ids[dest]} [{', '.join(label)}];")
    if ends:
        lines.append(f"  {{rank=max; {'; '.join(ids[s] for s in ends)}}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A DOT double-quoted string showing `text` as it is. Backslashes are doubled (Graphviz reads `\\N`, `\\l`, …),
    `&` becomes `&amp;` (Graphviz passes entities through to the SVG), line breaks become centred breaks."""
    text = _text(text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + text.replace("\n", "\\n") + '"'


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _wrap(label: str) -> str:
    """Long labels on several lines: at spaces for spaced scripts, between characters for Chinese (a closing
    punctuation mark stays with the character before it)."""
    out = []
    for line in label.splitlines() or [""]:
        if _width(line) <= LINE_WIDTH:
            out.append(line)
        elif " " in line.strip():
            out += textwrap.wrap(line, LINE_WIDTH) or [""]
        else:
            current = ""
            for ch in line:
                if current and _width(current + ch) > LINE_WIDTH and ch not in _CLOSING_PUNCTUATION:
                    out.append(current)
                    current = ""
                current += ch
            out.append(current)
    return "\n".join(out)


def _run_dot(dot: str) -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(
            "Graphviz is not installed: the flow chart needs its `dot` command (Debian package graphviz, installed by "
            "scripts/bootstrap.sh)."
        )
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argument list, no shell; the DOT text goes in on stdin
            [exe, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"Graphviz took longer than {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0 or not done.stdout:
        raise GraphvizError(f"Graphviz failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode()


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)


def _postprocess(raw: str, title: str, description: str, digest: str) -> str:
    # Graphviz's own output from escaped input; the prolog and doctype go anyway, and defusedxml refuses entities.
    root = defused_fromstring(_PROLOG.sub("", raw, count=1))
    _clean(root)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    for element in root.iter():  # Graphviz's ids (graph0, node1, …) would repeat when a page shows two charts
        element.attrib.pop("id", None)
    for text in root.iter(f"{_SVG}text"):
        if text.get("font-family"):
            text.set("font-family", FONT_FAMILY)
    title_id, desc_id = f"flowchart-{digest}-title", f"flowchart-{digest}-desc"
    root.set("class", "flowchart")
    root.set("role", "img")
    root.set("aria-labelledby", title_id)
    root.set("aria-describedby", desc_id)
    title_el = ET.Element(f"{_SVG}title", {"id": title_id})
    title_el.text = title
    desc_el = ET.Element(f"{_SVG}desc", {"id": desc_id})
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("xmlns", SVG_NS)
    return _serialise(root)


def _serialise(element: ET.Element) -> str:
    """The SVG as markup: element names without their namespace (every one is SVG), every text and attribute
    escaped."""
    tag = element.tag.removeprefix(_SVG)
    attrs = "".join(f" {name}={quoteattr(value)}" for name, value in element.attrib.items())
    inner = escape(element.text or "") + "".join(_serialise(child) for child in element)
    tail = escape(element.tail or "")
    return f"<{tag}{attrs}>{inner}</{tag}>{tail}" if inner else f"<{tag}{attrs}/>{tail}"


def _clean(element: ET.Element) -> None:
    """Keep drawing elements only (an `<a>` keeps its children), without Graphviz's tooltips, links or events."""
    for child in list(element):
        _clean(child)
        index = list(element).index(child)
        if child.tag == f"{_SVG}a":
            element.remove(child)
            for offset, grandchild in enumerate(list(child)):
                element.insert(index + offset, grandchild)
        elif child.tag not in _ALLOWED or child.tag == f"{_SVG}title":
            element.remove(child)
    for name in list(element.attrib):
        local = name.rsplit("}", 1)[-1].lower()
        if local in ("href", "src", "style") or local.startswith("on") or name.startswith("{"):  # xlink:, xml:, …
            del element.attrib[name]


def _description(names, edges, entries, ends) -> str:
    """The flow in words for the `<desc>`, as the picture draws it: "● → " before where it starts, every step as
    "from → to: step" (a loop as "state: step"), and "◎" after each state where it ends (the double border)."""
    names = {state: " ".join(label.split("\n")) for state, label in names.items()}
    lines = [f"● → {names[s]}" for s in entries]
    for src, dest, words in edges:
        step = f": {' / '.join(words)}" if words else ""
        lines.append(f"{names[src]}{step}" if src == dest else f"{names[src]} → {names[dest]}{step}")
    lines += [f"{names[s]} ◎" for s in ends]
    return "\n".join(lines)


def _digest(dot: str) -> str:
    return hashlib.sha256(dot.encode()).hexdigest()[:10]

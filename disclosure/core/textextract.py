"""The text of an attachment (PDF, DOCX, OFD), read in a separate process that cannot hang or exhaust the server.

`extract_text(data, kind)` starts this very file as a script (``python textextract.py KIND``: it imports nothing of
the application, so the child starts in a few tens of milliseconds), writes the document to its standard input
and reads the text from its standard output. The child first limits itself with `resource.setrlimit`: address
space (`memory_bytes`), CPU seconds, no core files and no files written; it runs in its own session, and the
parent kills the whole process group (the child and any ``pdftotext`` it started) when the wall-clock `timeout`
passes. So a PDF built to make a parser loop forever, or a DOCX whose XML expands to gigabytes, ends as ``None``
("the text cannot be read") and the attachment is still published.

How each kind is read:

- **PDF**: poppler's ``pdftotext`` (``-enc UTF-8``, the document on stdin), which ``scripts/bootstrap.sh``
  installs; without it the text is None.
- **DOCX**: ``word/document.xml`` read with `defusedxml` (a DTD, and so any entity — "billion laughs", external
  entities — is refused outright), paragraphs as lines, ``w:tab`` as a tab, ``w:br`` as a line break.
- **OFD** (GB/T 33190): read here, not with the `easyofd` package, which pulls in PyMuPDF, onnxruntime, numpy and
  reportlab only to render pages. The reading follows the spec's own chain with `defusedxml`: ``OFD.xml`` →
  ``DocBody/DocRoot`` (the document's ``Document.xml``) → ``Pages/Page/@BaseLoc`` in order → each page's
  ``Content.xml`` → the text of its ``TextCode`` elements, a new line when a text object starts a new baseline. When
  the chain is broken, the ``Content.xml`` files are read in name order.

Every ZIP member is read with its declared size checked against a cap first (`MAX_MEMBER_BYTES`), and the text is
cut at `max_chars` characters (1,000,000 by default).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

MAX_CHARS = 1_000_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY = 768 * 1024 * 1024
READABLE = frozenset({"pdf", "docx", "ofd"})
_SCRIPT = Path(__file__).resolve()


def extract_text(
    data: bytes,
    kind: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_bytes: int = DEFAULT_MEMORY,
    max_chars: int = MAX_CHARS,
) -> str | None:
    """The text of a PDF, DOCX or OFD document (`kind` is a `DocumentKind` or its value), at most `max_chars`
    characters; None when the kind has no text to read or the text cannot be read (damaged or hostile file, the
    time or memory limit reached, no ``pdftotext``). Runs the reading in a child process: see the module's
    docstring."""
    kind = str(kind)
    if kind not in READABLE or not data:
        return None
    command = [sys.executable, "-I", str(_SCRIPT), kind, str(int(timeout) + 1), str(memory_bytes), str(max_chars)]
    # `with`: the pipes are closed however the reading ends (a timeout while the document is still being written
    # to the child left its stdin open).
    with subprocess.Popen(  # noqa: S603 - our own interpreter running this file
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a timeout also ends the pdftotext it started
    ) as process:
        try:
            out, _ = process.communicate(data, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            return None
        finally:
            if process.poll() is None:
                _kill_group(process)
    if process.returncode != 0:
        return None
    return out.decode("utf-8", errors="replace")[:max_chars].strip()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


# ---- the child ------------------------------------------------------------------------------------------------


def _limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    import resource  # noqa: PLC0415 - POSIX only, and only the child needs it

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ValueError(f"{name} is too large")
    return archive.read(info)


def _parse(xml: bytes):
    from defusedxml import ElementTree  # noqa: PLC0415 - only the child parses

    return ElementTree.fromstring(xml, forbid_dtd=True)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def pdf_text(data: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        raise RuntimeError("pdftotext is not installed")
    done = subprocess.run(  # noqa: S603 - poppler's pdftotext on stdin
        [pdftotext, "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8", errors="replace").replace("\f", "\n")


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = _parse(_read_member(archive, "word/document.xml"))
    lines: list[str] = []
    for paragraph in root.iter():
        if _local(paragraph.tag) != "p":
            continue
        parts = []
        for node in paragraph.iter():
            name = _local(node.tag)
            if name == "t" and node.text:
                parts.append(node.text)
            elif name == "tab":
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _ofd_pages(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The Content.xml of each page in reading order, following OFD.xml → Document.xml → Pages."""
    try:
        ofd = _parse(_read_member(archive, "OFD.xml"))
        doc_root = next(n.text.strip() for n in ofd.iter() if _local(n.tag) == "DocRoot" and n.text)
        doc_root = doc_root.lstrip("/")
        document = _parse(_read_member(archive, doc_root))
        base = posixpath.dirname(doc_root)
        pages = []
        for node in document.iter():
            if _local(node.tag) == "Page" and node.get("BaseLoc"):
                loc = node.get("BaseLoc").strip()
                path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
                if path in names:
                    pages.append(path)
        if pages:
            return pages
    except (KeyError, StopIteration):
        pass  # a missing part: fall back on the pages' names (a DTD or an unreadable XML file is not read at all)
    return sorted((n for n in names if n.endswith("/Content.xml")), key=_natural)


def ofd_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        lines: list[str] = []
        for page in _ofd_pages(archive, names):
            current: list[str] = []
            last_y = None
            for node in _parse(_read_member(archive, page)).iter():
                if _local(node.tag) != "TextObject":
                    continue
                y = _baseline(node)
                if current and y is not None and last_y is not None and abs(y - last_y) > 0.5:
                    lines.append("".join(current))
                    current = []
                current.extend(code.text or "" for code in node.iter() if _local(code.tag) == "TextCode")
                last_y = y if y is not None else last_y
            if current:
                lines.append("".join(current))
    return "\n".join(lines)


def _baseline(text_object) -> float | None:
    """The vertical position of a text object: its Boundary's y plus its first TextCode's Y."""
    try:
        y = float((text_object.get("Boundary") or "0 0").split()[1])
        code = next((c for c in text_object.iter() if _local(c.tag) == "TextCode"), None)
        return y + float(code.get("Y", "0").split()[0]) if code is not None else y
    except (IndexError, ValueError):
        return None


READERS = {"pdf": pdf_text, "docx": docx_text, "ofd": ofd_text}


def _main(argv: list[str]) -> int:
    kind, cpu_seconds, memory_bytes, max_chars = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    _limit_self(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    try:
        text = READERS[kind](data)
    except Exception:  # any failure to read is "no text": the parent only sees the exit status
        return 3
    sys.stdout.buffer.write(text[:max_chars].encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

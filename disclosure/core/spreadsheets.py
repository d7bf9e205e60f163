"""Spreadsheets in and out, for every import and export (issue 10, issue 11).

Reading an upload safely: `inspect_upload` checks its size, its kind (by content, not by name) and, for XLSX, the
zip directory (total uncompressed size and compression ratio) so that a zip bomb is refused unread, then the first
sheet's XML (its declared dimension and the position of every cell) so that the reader, which builds one dense
grid spanning every cell, is never asked for more than a bounded number of cells (one cell at XFD1048576 asked it
for 17 billion); `read_rows` then reads the first sheet (XLSX with calamine, CSV in UTF-8 or GB18030). Each kind
of import has its own limits (`limits(prefix)`, from the configuration).

Writing a cell: `safe_cell` (a value for openpyxl: dates stay dates) and `cell_text` (a value as text, for XLSX
text columns and CSV) never let a formula through: text a spreadsheet would run (starting with = + - @, also after
tabs, line breaks or spaces) is prefixed with an apostrophe (formula or CSV injection), and the control characters
a worksheet cannot hold are dropped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from xml.parsers import expat

from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from python_calamine import CalamineWorkbook

from disclosure.core.errors import DomainError

XLSX, CSV = "xlsx", "csv"
HEADER_ROWS = 5  # find_header looks for the header row among the first five rows
# The widest file we read: the penalty template has 36 columns (the standard's 33 and 事项名称, 严重程度, 简易程序), the
# error file adds 原行号 and 错误原因; 64 leaves room for some columns of an agency's own (序号, 经办人, …).
MAX_COLUMNS = 64
# The reader (calamine) holds the sheet as one dense grid of about 32 bytes a cell, spanning from the first to the
# last cell in both directions. 8,000,000 cells (200,000 rows of 40 columns, the row limit at the template's
# width) bound it to some 256 MB before the cells' text.
MAX_CELLS = 8_000_000


DEFAULT_LIMITS = {
    "max_bytes": 30 * 1024 * 1024,
    "max_uncompressed": 400 * 1024 * 1024,
    "max_ratio": 200,
    "max_rows": 200_000,
    "max_columns": MAX_COLUMNS,
    "max_cells": MAX_CELLS,
    "sync_bytes": 256 * 1024,
}


def limits(prefix: str) -> dict:
    """The limits of one kind of import, each settable as `<prefix>_MAX_BYTES`, `<prefix>_MAX_UNCOMPRESSED`,
    `<prefix>_MAX_RATIO`, `<prefix>_MAX_ROWS`, `<prefix>_MAX_COLUMNS`, `<prefix>_MAX_CELLS` and
    `<prefix>_SYNC_BYTES` (a file up to this size is imported during the request)."""
    cfg = current_app.config
    return {name: int(cfg.get(f"{prefix}_{name.upper()}", default)) for name, default in DEFAULT_LIMITS.items()}


def inspect_upload(data: bytes, lim: dict) -> str:
    """The file's kind (xlsx or csv) from its content, or a DomainError saying why it is refused (`lim`: the
    caller's `limits(prefix)`)."""
    if not data:
        raise DomainError(_l("The file is empty."))
    if len(data) > lim["max_bytes"]:
        raise DomainError(
            _l("The file is larger than %(mb)d MB. Split it into several files.", mb=lim["max_bytes"] // (1024 * 1024))
        )
    if data[:4] == b"PK\x03\x04":
        _inspect_zip(data, lim)
        return XLSX
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DomainError(_l("This is an old Excel (.xls) file. Save it as .xlsx or .csv and upload it again."))
    head = data[:65536]
    if b"\x00" in head or not _decodes(head, complete=len(data) <= len(head)):
        raise DomainError(_l("The file is not a spreadsheet (XLSX or CSV)."))
    return CSV


def _decodes(sample: bytes, *, complete: bool) -> bool:
    """The sample is UTF-8 or GB18030 text (a sample cut mid-character is fine unless it is the whole file)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _inspect_zip(data: bytes, lim: dict) -> None:
    """Refuse bombs and non-workbooks from the zip directory before decompressing anything, then a first sheet
    too large for the reader from its XML (streamed, never held whole)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(
            _l("The spreadsheet is damaged or incomplete (truncated). Save it again and retry.")
        ) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise DomainError(_l("The file is a zip archive but not an Excel workbook (XLSX)."))
    total = sum(i.file_size for i in infos)
    if total > lim["max_uncompressed"]:
        raise DomainError(
            _l(
                "The workbook unpacks to more than %(mb)d MB and is refused.",
                mb=lim["max_uncompressed"] // (1024 * 1024),
            )
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > lim["max_ratio"] * max(i.compress_size, 1):
            raise DomainError(_l("The workbook is compressed suspiciously well (a zip bomb?) and is refused."))
    try:
        _inspect_sheet(archive, lim)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, KeyError, expat.ExpatError):
        raise DomainError(
            _l("The spreadsheet is damaged or incomplete (truncated). Save it again and retry.")
        ) from None


# -- the first sheet's extent, read from its XML before any reader opens it --------------------------------

_SMALL_PART = 4 * 1024 * 1024  # workbook.xml and its relationships are a few KB; more is not a workbook we read
_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# Cells as every spreadsheet program writes them: `<c r="B12"` with the reference first, plain. When every cell
# of the sheet is written so, two C-speed scans give the columns and rows used; anything else (a prefix, another
# attribute first, no reference, an entity in it) takes the XML parser, which sees what the reader sees.
_PLAIN_CELL = (b"<c ", b"<c>", b"<c/>")
_OTHER_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:c[\s/>]|c[\t\r\n])")
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def column_number(letters: str) -> int:
    """A1-style column letters to a 1-based number: A -> 1, Z -> 26, AA -> 27, XFD -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class SheetExtent:
    rows: int = 0  # the last row holding a cell
    columns: int = 0  # the last column holding a cell
    cells: int = 0


def _too_large(extent: SheetExtent, lim: dict) -> None:
    """Refuse a sheet the reader would need too much memory for, saying which limit it passes."""
    if extent.columns > lim["max_columns"]:
        raise DomainError(
            _l(
                "The sheet uses column %(col)s, beyond the %(max)d columns a file may have. Delete the empty columns "
                "at the right (select them, right-click, Delete), save and upload again.",
                col=column_letters(extent.columns),
                max=lim["max_columns"],
            )
        )
    if extent.rows > lim["max_rows"] + HEADER_ROWS:
        raise DomainError(
            _l(
                "The sheet reaches row %(row)d: a file has at most %(n)d rows. Split it into several files.",
                row=extent.rows,
                n=lim["max_rows"],
            )
        )
    area = extent.rows * extent.columns
    if area > lim["max_cells"] or extent.cells > lim["max_cells"]:
        raise DomainError(
            _l(
                "The sheet spans %(rows)d rows and %(cols)d columns, more than the %(max)d cells a file may have. "
                "Split it into several files or delete unused columns.",
                rows=extent.rows,
                cols=extent.columns,
                max=lim["max_cells"],
            )
        )


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inspect_sheet(archive: zipfile.ZipFile, lim: dict) -> None:
    """Check the first sheet (the one the import reads) before the reader sees it: its declared dimension, then
    the real position of every cell and the number of cells, streamed from the zip in 1 MB pieces."""
    path = _first_sheet_path(archive)
    with archive.open(path) as stream:
        head = stream.read(_CHUNK)
        match = _DIMENSION.search(head)
        if match:
            _too_large(_declared_extent(match.group(1).decode("ascii", "replace")), lim)
        extent = _scan_plain(stream, head, lim)
    if extent is None:  # a cell not written the plain way: the XML parser decides
        with archive.open(path) as stream:
            extent = _scan_parsed(stream, lim)
    _too_large(extent, lim)


def _declared_extent(ref: str) -> SheetExtent:
    """`A1:XFD1048576` -> its last row and column (a malformed reference is not trusted and not used)."""
    corner = ref.split(":")[-1].strip()
    m = _REF.match(corner)
    if not m:
        return SheetExtent()
    return SheetExtent(rows=int(m.group(2)), columns=column_number(m.group(1)))


def _scan_plain(stream, head: bytes, lim: dict) -> SheetExtent | None:
    """The columns and rows of the cells when every cell is written `<c r="B12"…`, or None when one is not.
    Two regular expressions per megabyte (C speed): a 100,000-row file is scanned in about two seconds."""
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    cells = plain = 0
    tail = b""
    chunk = head
    while chunk:
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut < 0:
            body, tail = buf, b""
        else:
            body, tail = buf[:cut], buf[cut:]
        if _OTHER_CELL.search(body):
            return None
        cells += sum(body.count(t) for t in _PLAIN_CELL)
        found = _CELL_ROW.findall(body)
        plain += len(found)
        rows.update(found)
        columns.update(_CELL_COLUMN.findall(body))
        if cells != plain:
            return None
        if cells > lim["max_cells"] or len(columns) > lim["max_columns"]:
            break  # already too many: no need to read on
        chunk = stream.read(_CHUNK)
    if tail and (_OTHER_CELL.search(tail) or any(t in tail for t in _PLAIN_CELL)):
        return None  # a cell in a truncated last tag: let the parser say what is wrong
    return SheetExtent(
        rows=max((int(r) for r in rows), default=0),
        columns=max((column_number(c.decode()) for c in columns), default=0),
        cells=cells,
    )


class _Stop(Exception):
    pass


def _scan_parsed(stream, lim: dict) -> SheetExtent:
    """Every cell's position as a reader places it: its `r` reference, or the next column (row) after the
    previous one when the reference is missing. Stops as soon as a limit is passed."""
    extent = SheetExtent()
    state = {"row": 0, "col": 0}

    def start(name, attrs):
        name = name.rpartition(" ")[2]  # the local name: transitional and strict namespaces alike
        if name == "row":
            r = attrs.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif name == "c":
            m = _REF.match(attrs.get("r") or "")
            if m:
                state["col"], row = column_number(m.group(1)), int(m.group(2))
            else:
                state["col"], row = state["col"] + 1, max(state["row"], 1)
            extent.cells += 1
            extent.rows = max(extent.rows, row)
            extent.columns = max(extent.columns, state["col"])
            if (
                extent.columns > lim["max_columns"]
                or extent.rows > lim["max_rows"] + HEADER_ROWS
                or extent.cells > lim["max_cells"]
            ):
                raise _Stop

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        pass
    return extent


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet (the one the import reads), from workbook.xml and its relationships."""
    first: dict[str, str] = {}

    def on_sheet(name, attrs):
        if name.rpartition(" ")[2] == "sheet" and "rid" not in first:
            first["rid"] = next((v for k, v in attrs.items() if k.endswith(" id")), "")  # r:id, any namespace

    _parse_small(archive, "xl/workbook.xml", on_sheet)
    targets: dict[str, str] = {}

    def on_rel(name, attrs):
        if name.rpartition(" ")[2] == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse_small(archive, "xl/_rels/workbook.xml.rels", on_rel)
    target = targets.get(first.get("rid", ""), "")
    if not target:
        raise ValueError("no first sheet")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    archive.getinfo(path)  # KeyError: a workbook naming a sheet it does not hold
    return path


def _parse_small(archive: zipfile.ZipFile, name: str, handler) -> None:
    if archive.getinfo(name).file_size > _SMALL_PART:
        raise ValueError(name)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handler
    parser.Parse(archive.read(name), True)


# -- reading ----------------------------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as spreadsheets saved on Chinese Windows are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_rows(data: bytes, fmt: str, lim: dict) -> tuple[int, Iterator[list]]:
    """(row count estimate, iterator of rows as lists of cell values) of the first sheet of an inspected file."""
    if fmt == CSV:
        try:
            text = decode_csv(data)
        except UnicodeDecodeError:
            raise DomainError(
                _l("The CSV file is neither UTF-8 nor GB18030 text. Save it again as CSV UTF-8.")
            ) from None
        count = text.count("\n") + 1
        return count, _narrow(csv.reader(io.StringIO(text)), lim["max_columns"])

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return sheet.total_height, sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise DomainError(_l("The spreadsheet cannot be read: %(error)s", error=str(exc)[:200])) from None


def _narrow(rows, max_columns: int) -> Iterator[list]:
    """CSV rows, refusing a row wider than the widest file we read (the XLSX sheet is checked before reading),
    and a field longer than the csv module reads (`csv.field_size_limit()`, 131,072 characters: no field of the
    standard is a thirtieth of that) with the line it is on, instead of letting its csv.Error through."""
    try:
        for row in rows:
            if len(row) > max_columns and any(row[max_columns:]):
                raise DomainError(
                    _l("A row has more than %(max)d columns. Delete the columns you do not need.", max=max_columns)
                )
            yield row
    except csv.Error:
        raise DomainError(
            _l(
                "Line %(line)d of the CSV file cannot be read: a field is longer than %(max)d characters, or a "
                "quotation mark is not closed. Correct it and upload the file again.",
                line=rows.line_num,
                max=csv.field_size_limit(),
            )
        ) from None


# -- writing cells ---------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows and never runs: without the control characters a worksheet cannot hold, and
    with an apostrophe before text that Excel or LibreOffice would take for a formula (= + - @ first, also after
    leading tabs, line breaks or spaces). A lone sign (a "-" for "none") is no formula and stays as it is."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    start = text.lstrip("\t\r\n ")
    if start[:1] in FORMULA_STARTS and len(start) > 1:
        return "'" + text
    return text


def safe_cell(value):
    """A value for an openpyxl cell: text neutralised, dates and numbers kept (a time as its ISO text)."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def cell_text(value: object) -> str:
    """A value as cell text (an export's column, a CSV field): "" for none, ISO dates, plain decimals, the rest
    as text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return neutralise(str(value))

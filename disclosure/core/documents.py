"""Uploaded documents judged by their content, not their name: what kind of file it is, and whether it is safe to keep.

`inspect_document(data, filename, max_bytes)` returns the `DocumentKind` of an official document or image, or raises
a `DomainError` with a translated message naming the file. It reads the bytes only (the browser's content type and
the name's extension are claims, not evidence) and checks, in this order:

1. **Size**: empty, or larger than `max_bytes`.
2. **Kind, by signature**: ``%PDF-`` at offset 0 (PDF); ``PK\\x03\\x04`` at offset 0, read as a ZIP, with ``OFD.xml``
   at its root (OFD, GB/T 33190), ``[Content_Types].xml`` plus ``word/document.xml`` (DOCX) or ``xl/workbook.xml``
   (XLSX), or an ODF ``mimetype`` (ODT); the OLE2 compound-file signature, read with `olefile`, holding a
   ``WordDocument`` stream (DOC) or a ``Workbook``/``Book`` stream (XLS); the PNG, JPEG, GIF and TIFF signatures.
   Anything else, and a kind the caller does not accept, is "not an accepted type".
3. **Name**: the extension must be one of the kind's (a PDF named ``.docx``, or ``report.pdf.exe``, is refused).
4. **Polyglots**, a file that is two formats at once (one reader sees a harmless document, another a ZIP or a web
   page). Checked for every kind: no HTML/SVG/script markup in the first 1024 bytes, the window in which browsers
   sniff content; for every kind that is not a ZIP, no valid ZIP end-of-central-directory record at the end (what a
   ZIP reader looks for, so a PDF or an image with an archive appended is refused; the record's own length fields
   must agree with the end of the file, so random bytes inside a compressed PDF stream do not trip it). Images must
   end where their format ends (PNG at IEND, JPEG at the last EOI marker, GIF at its trailer, allowing zero
   padding), so nothing — HTML, a ZIP, a script — rides behind them. A ZIP must have its first entry at offset 0
   (no prefix, which is how a PDF/ZIP polyglot is built) and no PDF header in its first 1024 bytes. Not checked:
   what a PDF's own compressed streams contain (JavaScript actions, embedded files) — PDFs are offered for
   download, never rendered by the application.
5. **Archive bombs** (ZIP kinds): at most `MAX_ZIP_ENTRIES` entries, at most `MAX_UNPACKED_BYTES` in all once
   decompressed, no entry compressed more than `MAX_COMPRESSION_RATIO` to one (past 1 MiB), no two entries at the
   same offset (overlapping entries are how a small file unpacks many times over). The declared sizes are binding:
   Python's `zipfile` stops at the declared size and fails the CRC when a lying entry runs on.
6. **Encryption and macros**: a password-protected ZIP entry; an OOXML file encrypted with a password (an OLE2
   file with ``EncryptionInfo``/``EncryptedPackage``); a DOC whose FIB says it is encrypted; an XLS with a
   ``FILEPASS`` record; any ``vbaProject.bin`` or macro-enabled content type in a ZIP kind; a ``Macros``, ``VBA`` or
   ``_VBA_PROJECT_CUR`` storage in an OLE2 file.
7. **Images** that declare more than `MAX_IMAGE_PIXELS` pixels (a decompression bomb: a tiny PNG may declare
   30000×30000), read from the header without decoding (`declared_size`, also used by `web.forms.ImageSize`).

`extract_text` (from `disclosure.core.textextract`) reads the text of PDF, DOCX and OFD files in a separate,
resource-limited process.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from enum import StrEnum

import olefile
from flask_babel import lazy_gettext as _l

from disclosure.core.errors import DomainError
from disclosure.core.textextract import extract_text

__all__ = [
    "CATALOG_KINDS",
    "DocumentKind",
    "declared_size",
    "extension_of",
    "extract_text",
    "inspect_document",
]

MAX_ZIP_ENTRIES = 5000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_IMAGE_PIXELS = 80_000_000
SNIFF_WINDOW = 1024


class DocumentKind(StrEnum):
    PDF = "pdf"
    OFD = "ofd"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    DOC = "doc"
    XLS = "xls"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    TIFF = "tiff"

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]

    @property
    def extensions(self) -> frozenset[str]:
        """File-name extensions a file of this kind may carry (lower case, no dot)."""
        return _EXTENSIONS.get(self, frozenset({self.value}))

    @property
    def label(self) -> str:
        return self.value.upper()


_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.OFD: "application/ofd",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.ODT: "application/vnd.oasis.opendocument.text",
    DocumentKind.DOC: "application/msword",
    DocumentKind.XLS: "application/vnd.ms-excel",
    DocumentKind.PNG: "image/png",
    DocumentKind.JPEG: "image/jpeg",
    DocumentKind.GIF: "image/gif",
    DocumentKind.TIFF: "image/tiff",
}
_EXTENSIONS = {
    DocumentKind.JPEG: frozenset({"jpg", "jpeg"}),
    DocumentKind.TIFF: frozenset({"tif", "tiff"}),
}
ZIP_KINDS = frozenset({DocumentKind.OFD, DocumentKind.DOCX, DocumentKind.XLSX, DocumentKind.ODT})
IMAGE_KINDS = frozenset({DocumentKind.PNG, DocumentKind.JPEG, DocumentKind.GIF, DocumentKind.TIFF})
# What the government information catalogue publishes (issue 11): official documents and images.
CATALOG_KINDS = frozenset(DocumentKind) - {DocumentKind.ODT, DocumentKind.TIFF}


class _Refused(Exception):
    """Internal: why a file is refused, turned into a translated DomainError by `inspect_document`."""


def extension_of(name: str) -> str:
    """The last extension of a file name, lower case without the dot ('' when there is none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def inspect_document(
    data: bytes,
    filename: str,
    max_bytes: int,
    *,
    accepted: frozenset[DocumentKind] = CATALOG_KINDS,
    field: str | None = "files",
) -> DocumentKind:
    """The kind of an uploaded file, judged by its content; raises DomainError (on `field`) when it is refused.

    See the module's docstring for every check. `accepted` narrows the kinds a caller takes (the catalogue's by
    default); the message of a refused kind lists them."""
    name = filename or "?"

    def refuse(message):
        raise DomainError(message, field=field)

    if not data:
        refuse(_l("The file %(name)s is empty.", name=name))
    if len(data) > max_bytes:
        refuse(_l("The file %(name)s is larger than %(mb)s MB.", name=name, mb=_megabytes(max_bytes)))
    try:
        kind = _identify(data)
    except _Encrypted:
        refuse(_l("The file %(name)s is protected by a password; upload it without the password.", name=name))
    if kind is None or kind not in accepted:
        kinds = ", ".join(sorted(k.label for k in accepted))
        refuse(_l("The file %(name)s is not an accepted type (%(kinds)s).", name=name, kinds=kinds))
    if extension_of(name) not in kind.extensions:
        refuse(
            _l(
                "The content of %(name)s does not match its name: it looks like a %(kind)s file.",
                name=name,
                kind=kind.label,
            )
        )
    try:
        _check_not_polyglot(data, kind)
        if kind in ZIP_KINDS:
            _check_zip(data)
        elif kind in (DocumentKind.DOC, DocumentKind.XLS):
            _check_ole(data, kind)
        elif kind in IMAGE_KINDS:
            _check_image(data, kind)
    except _Polyglot:
        refuse(_l("The file %(name)s hides another file inside it and cannot be accepted.", name=name))
    except _Bomb:
        refuse(_l("The file %(name)s unpacks to too much data or too many parts.", name=name))
    except _Encrypted:
        refuse(_l("The file %(name)s is protected by a password; upload it without the password.", name=name))
    except _Macros:
        refuse(_l("The file %(name)s contains macros; save it without macros (as DOCX or XLSX).", name=name))
    except _Damaged:
        refuse(_l("The file %(name)s is damaged and cannot be read.", name=name))
    return kind


class _Polyglot(_Refused):
    pass


class _Bomb(_Refused):
    pass


class _Encrypted(_Refused):
    pass


class _Macros(_Refused):
    pass


class _Damaged(_Refused):
    pass


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    text = f"{mb:.1f}" if mb >= 1 else f"{mb:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---- identification -------------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_LOCAL = b"PK\x03\x04"
ZIP_END = b"PK\x05\x06"
_ODF_TEXT = b"application/vnd.oasis.opendocument.text"


def _identify(data: bytes) -> DocumentKind | None:
    if data.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if data.startswith(PNG_SIGNATURE):
        return DocumentKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentKind.JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return DocumentKind.GIF
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return DocumentKind.TIFF
    if data.startswith(ZIP_LOCAL):
        return _identify_zip(data)
    if data.startswith(OLE_SIGNATURE):
        return _identify_ole(data)
    return None


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, set[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, {info.filename for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None


def _identify_zip(data: bytes) -> DocumentKind | None:
    opened = _zip_names(data)
    if opened is None:
        return None
    archive, names = opened
    if "OFD.xml" in names:
        return DocumentKind.OFD
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DocumentKind.DOCX
        if "xl/workbook.xml" in names:
            return DocumentKind.XLSX
        return None
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size <= 100 and not info.flag_bits & 0x1:
            try:
                if archive.read(info).strip() == _ODF_TEXT:
                    return DocumentKind.ODT
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
                return None
    return None


def _open_ole(data: bytes) -> olefile.OleFileIO | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # olefile warns about odd but readable headers
            return olefile.OleFileIO(data)
    except Exception:  # olefile raises plain Exception subclasses and struct errors on damaged files
        return None


def _identify_ole(data: bytes) -> DocumentKind | None:
    ole = _open_ole(data)
    if ole is None:
        return None
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise _Encrypted  # a password-protected DOCX or XLSX is an OLE2 file holding the encrypted package
        if ole.exists("WordDocument"):
            return DocumentKind.DOC
        if ole.exists("Workbook") or ole.exists("Book"):
            return DocumentKind.XLS
    return None


# ---- polyglots ------------------------------------------------------------------------------------------------

_MARKUP = re.compile(rb"<\s*(?:script|html|body|head|iframe|svg|!doctype|object|embed|meta|a\s)", re.IGNORECASE)


def _check_not_polyglot(data: bytes, kind: DocumentKind) -> None:
    if _MARKUP.search(data[:SNIFF_WINDOW]):
        raise _Polyglot
    if kind in ZIP_KINDS:
        if b"%PDF-" in data[:SNIFF_WINDOW]:
            raise _Polyglot
    elif _has_zip_end(data):
        raise _Polyglot


def _has_zip_end(data: bytes) -> bool:
    """True when the tail holds an end-of-central-directory record whose comment ends exactly at the end."""
    tail_start = max(0, len(data) - 22 - 0xFFFF)
    pos = data.rfind(ZIP_END, tail_start)
    while pos != -1:
        if pos + 22 <= len(data):
            (comment_length,) = struct.unpack("<H", data[pos + 20 : pos + 22])
            if pos + 22 + comment_length == len(data):
                return True
        pos = data.rfind(ZIP_END, tail_start, pos)
    return False


# ---- ZIP kinds ------------------------------------------------------------------------------------------------

_MACRO_NAME = re.compile(r"(?:^|/)vbaProject\.bin$|(?:^|/)vbaData\.xml$", re.IGNORECASE)


def _check_zip(data: bytes) -> None:
    opened = _zip_names(data)
    if opened is None:
        raise _Damaged
    archive, names = opened
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _Bomb
    if not infos or min(info.header_offset for info in infos) != 0:
        raise _Polyglot  # something stands before the first entry
    if len({info.header_offset for info in infos}) != len(infos):
        raise _Bomb  # entries sharing their data: a small file that unpacks many times over
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Encrypted
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise _Bomb
    if total > MAX_UNPACKED_BYTES:
        raise _Bomb
    if sum(info.compress_size for info in infos) > len(data):
        raise _Damaged
    if any(_MACRO_NAME.search(name) for name in names):
        raise _Macros
    if "[Content_Types].xml" in names:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > 1024 * 1024:
            raise _Bomb
        try:
            types = archive.read(info)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise _Damaged from None
        if b"macroenabled" in types.lower() or b"vbaproject" in types.lower():
            raise _Macros


# ---- OLE2 kinds -----------------------------------------------------------------------------------------------

_XLS_FILEPASS = 0x002F
_XLS_EOF = 0x000A


def _check_ole(data: bytes, kind: DocumentKind) -> None:
    ole = _open_ole(data)
    if ole is None:
        raise _Damaged
    with ole:
        entries = ["/".join(path) for path in ole.listdir(streams=True, storages=True)]
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise _Encrypted
        lowered = [entry.lower() for entry in entries]
        if any(part in ("macros", "vba", "_vba_project_cur", "_vba_project") for e in lowered for part in e.split("/")):
            raise _Macros
        try:
            if kind is DocumentKind.DOC and _doc_is_encrypted(ole):
                raise _Encrypted
            if kind is DocumentKind.XLS and _xls_is_encrypted(ole):
                raise _Encrypted
        except (OSError, struct.error, ValueError):
            raise _Damaged from None


def _doc_is_encrypted(ole: olefile.OleFileIO) -> bool:
    """fEncrypted: bit 0x0100 of the FIB's flags word at offset 0x0A of the WordDocument stream ([MS-DOC] 2.5.2)."""
    with ole.openstream("WordDocument") as stream:
        fib = stream.read(12)
    if len(fib) < 12:
        raise ValueError("short FIB")
    (flags,) = struct.unpack("<H", fib[10:12])
    return bool(flags & 0x0100)


def _xls_is_encrypted(ole: olefile.OleFileIO) -> bool:
    """A FILEPASS record in the workbook globals substream (before its EOF record) means a password ([MS-XLS])."""
    name = "Workbook" if ole.exists("Workbook") else "Book"
    with ole.openstream(name) as stream:
        head = stream.read(1024 * 1024)
    pos = 0
    while pos + 4 <= len(head):
        record, length = struct.unpack("<HH", head[pos : pos + 4])
        if record == _XLS_FILEPASS:
            return True
        if record == _XLS_EOF:
            return False
        pos += 4 + length
    return False


# ---- images ---------------------------------------------------------------------------------------------------

# Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset([0x01, *range(0xD0, 0xD9)])


def declared_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) that a PNG, JPEG or GIF file declares, or None when it is none of these or its header is cut
    short. Read from the header alone, without decoding a pixel: Pillow refuses an image that declares more than
    twice `Image.MAX_IMAGE_PIXELS` with a DecompressionBombError (neither an OSError nor a ValueError), and a
    167-byte PNG can declare 30000×30000 pixels, so uploads are measured here first."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _JPEG_STANDALONE:
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began before any frame header
            return None
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _JPEG_SOF:
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _check_image(data: bytes, kind: DocumentKind) -> None:
    size = declared_size(data)
    if kind is not DocumentKind.TIFF:
        if size is None:
            raise _Damaged
        if size[0] * size[1] > MAX_IMAGE_PIXELS:
            raise _Bomb
    body = data.rstrip(b"\x00")
    if kind is DocumentKind.PNG and _png_end(data) < len(body):
        raise _Polyglot
    if kind is DocumentKind.JPEG and not body.endswith(b"\xff\xd9"):
        raise _Polyglot
    if kind is DocumentKind.GIF and not body.endswith(b";"):
        raise _Polyglot


def _png_end(data: bytes) -> int:
    """The offset just past the IEND chunk (walking the chunks), or raise _Damaged when there is none."""
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunk = data[pos + 4 : pos + 8]
        pos += 12 + length
        if chunk == b"IEND":
            return pos
    raise _Damaged

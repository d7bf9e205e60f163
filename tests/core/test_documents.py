"""Attachments judged by content (core.documents.inspect_document) and their text read in a limited child process
(core.textextract.extract_text), with real generated files and hostile ones."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from PIL import Image

from disclosure.core import documents
from disclosure.core.documents import DocumentKind, declared_size, extension_of, extract_text, inspect_document
from disclosure.core.errors import DomainError

MB = 1024 * 1024


# ---- real files, made here ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>关于印发政府信息公开办法的通知</p><p>钟政办发〔2016〕31号</p>").write_pdf()


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    import weasyprint

    pages = "".join(f"<p style='page-break-after: always'>第{i}页 信息公开</p>" for i in range(300))
    return weasyprint.HTML(string=pages).write_pdf()


def make_docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "索引号"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _ofd_page(*lines: str) -> bytes:
    objects = "".join(
        f'<ofd:TextObject ID="{i + 10}" Boundary="20 {40 + 10 * i} 170 8" Font="3" Size="5.6">'
        f'<ofd:TextCode X="0" Y="6">{text}</ofd:TextCode></ofd:TextObject>'
        for i, text in enumerate(lines)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {OFD_NS}><ofd:Content><ofd:Layer ID="2">'
        f"{objects}</ofd:Layer></ofd:Content></ofd:Page>"
    ).encode()


def make_ofd(pages: list[tuple[str, ...]]) -> bytes:
    """An OFD as GB/T 33190 lays it out: OFD.xml naming Doc_0/Document.xml, which lists its pages' Content.xml."""
    page_list = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody>'
            "<ofd:DocInfo><ofd:DocID>0C1D4F7159954EEEDE517F7285E84DC4</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ).encode(),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {OFD_NS}><ofd:CommonData><ofd:MaxUnitID>99'
            "</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            f"</ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"
        ).encode(),
    }
    # pages written in reverse order: the reading order comes from Document.xml, not from the archive
    for i in reversed(range(len(pages))):
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = _ofd_page(*pages[i])
    return make_zip(members)


def make_image(fmt: str, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def make_ole(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors, every stream in regular sectors)."""
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    streams = {name: data.ljust(4096, b"\x00") for name, data in streams.items()}  # past the mini-stream cutoff
    names = [("Root Entry", 5, None), *((n, 2, d) for n, d in streams.items()), *((n, 1, None) for n in storages)]
    dir_sectors = (len(names) + 3) // 4
    data_sectors = [len(d) // 512 for d in streams.values()]
    fat = [fat_sect] + [i + 2 if i + 1 < dir_sectors else end for i in range(1, dir_sectors + 1)]
    starts = []
    for count in data_sectors:
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))
    entries = b""
    stream_starts = iter(starts)
    for index, (name, kind, data) in enumerate(names):
        encoded = (name + "\x00").encode("utf-16-le")
        right = index + 1 if 1 <= index < len(names) - 1 else free
        child = 1 if index == 0 and len(names) > 1 else free
        start = next(stream_starts) if kind == 2 else end
        size = len(data) if kind == 2 else 0
        entries += struct.pack(
            "<64sHBBIII16sIQQIII", encoded, len(encoded), kind, 1, free, right, child, b"\x00" * 16, 0, 0, 0,
            start if kind == 2 else (end if kind == 5 else 0), size, 0,
        )  # fmt: skip
    entries = entries.ljust(dir_sectors * 512, b"\x00")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", documents.OLE_SIGNATURE, b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6, 0, 1, 1,
        0, 4096, end, 0, end, 0,
    )  # fmt: skip
    header += struct.pack("<I", 0) + struct.pack("<108I", *([free] * 108))
    fat_bytes = struct.pack("<128I", *fat)
    return header + fat_bytes + entries + b"".join(streams.values())


def word_document(encrypted=False) -> bytes:
    return struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0, 0, 0x0100 if encrypted else 0x0000)


def workbook(password=False) -> bytes:
    bof = struct.pack("<HH", 0x0809, 16) + b"\x00" * 16
    filepass = struct.pack("<HH", 0x002F, 4) + b"\x00" * 4 if password else b""
    return bof + filepass + struct.pack("<HH", 0x000A, 0)


@pytest.fixture(scope="module")
def good(pdf):
    return {
        "通知.pdf": (pdf, DocumentKind.PDF),
        "通知.ofd": (make_ofd([("关于印发", "办法的通知")]), DocumentKind.OFD),
        "通知.docx": (make_docx("第一段"), DocumentKind.DOCX),
        "目录.xlsx": (make_xlsx(), DocumentKind.XLSX),
        "旧文件.doc": (make_ole({"WordDocument": word_document(), "1Table": b"\x00"}), DocumentKind.DOC),
        "旧表格.xls": (make_ole({"Workbook": workbook()}), DocumentKind.XLS),
        "图解.png": (make_image("PNG"), DocumentKind.PNG),
        "照片.JPG": (make_image("JPEG"), DocumentKind.JPEG),
        "照片.jpeg": (make_image("JPEG"), DocumentKind.JPEG),
        "动画.gif": (make_image("GIF"), DocumentKind.GIF),
    }


def refused(data: bytes, name: str, match: str, **kw) -> None:
    with pytest.raises(DomainError, match=match) as caught:
        inspect_document(data, name, kw.pop("max_bytes", 20 * MB), **kw)
    assert caught.value.field == "files"
    assert name in str(caught.value.message)


# ---- identification ---------------------------------------------------------------------------------------------


def test_every_accepted_kind_is_recognised_by_content(good):
    for name, (data, kind) in good.items():
        assert inspect_document(data, name, 20 * MB) is kind, name


def test_kinds_carry_their_content_type_and_extensions():
    assert DocumentKind.OFD.content_type == "application/ofd"
    assert DocumentKind.JPEG.extensions == {"jpg", "jpeg"}
    assert extension_of("关于.印发.PDF") == "pdf" and extension_of("README") == "" and extension_of(".pdf") == ""
    assert DocumentKind.TIFF not in documents.CATALOG_KINDS


def test_empty_and_oversized(pdf):
    refused(b"", "a.pdf", "empty")
    padded = pdf + b"%" + b"0" * MB + b"\n"  # bytes after %%EOF: still a PDF
    refused(padded, "a.pdf", "larger than 1 MB", max_bytes=MB)
    refused(pdf, "a.pdf", "larger than 0.05 MB", max_bytes=MB // 20) if len(pdf) > MB // 20 else None
    assert inspect_document(pdf, "a.pdf", len(pdf)) is DocumentKind.PDF  # exactly at the limit


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "通知.pdf"),  # a Windows executable
        (b"<html><script>alert(1)</script></html>", "通知.pdf"),
        ("纯文本".encode(), "说明.txt"),
        (make_zip({"readme.txt": b"hello"}), "档案.zip"),  # a ZIP that is no office document
        (make_zip({"[Content_Types].xml": b"<Types/>"}), "a.docx"),  # OOXML without its main part
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.doc"),  # an OLE2 signature on a damaged file
    ],
)
def test_other_types_are_refused(data, name):
    refused(data, name, "not an accepted type")


def test_a_kind_the_caller_does_not_accept(pdf):
    refused(make_image("TIFF"), "扫描.tif", r"not an accepted type \(DOC, DOCX, GIF, JPEG, OFD, PDF, PNG, XLS, XLSX\)")
    kinds = frozenset({DocumentKind.PDF})
    refused(make_image("PNG"), "a.png", r"not an accepted type \(PDF\)", accepted=kinds)
    assert inspect_document(pdf, "a.pdf", MB, accepted=kinds) is DocumentKind.PDF


@pytest.mark.parametrize(
    ("name", "source", "looks_like"),
    [("通知.docx", "通知.pdf", "PDF"), ("通知.pdf", "通知.docx", "DOCX"), ("通知.pdf.exe", "通知.pdf", "PDF"),
     ("图.png", "照片.JPG", "JPEG"), ("通知.zip", "通知.ofd", "OFD"), ("通知", "通知.pdf", "PDF"),
     ("旧表格.doc", "旧表格.xls", "XLS"), ("目录.docx", "目录.xlsx", "XLSX")],
)  # fmt: skip
def test_extension_must_agree_with_content(good, name, source, looks_like):
    refused(good[source][0], name, f"does not match its name: it looks like a {looks_like} file")


# ---- polyglots --------------------------------------------------------------------------------------------------


def test_pdf_with_a_zip_appended_is_refused(pdf):
    refused(pdf + make_zip({"evil.html": b"<script>alert(1)</script>"}), "通知.pdf", "hides another file")


def test_pdf_header_before_a_zip_is_refused():
    # a ZIP reader finds the archive from the end whatever stands first; a PDF reader sees a PDF
    refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + make_docx("x"), "通知.pdf", "hides another file")


def test_zip_with_a_prefix_is_not_an_office_document():
    refused(b"JUNK" * 50 + make_docx("x"), "通知.docx", "not an accepted type")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
@pytest.mark.parametrize("payload", [make_zip({"a.js": b"alert(1)"}), b"<html><script>alert(1)</script></html>"])
def test_image_with_a_payload_behind_it_is_refused(fmt, payload):
    ext = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[fmt]
    refused(make_image(fmt) + payload, f"图.{ext}", "hides another file")


def test_zero_padding_after_an_image_is_tolerated():
    assert inspect_document(make_image("PNG") + b"\x00" * 64, "a.png", MB) is DocumentKind.PNG


def test_markup_in_the_sniffing_window_is_refused(pdf):
    refused(pdf[:20] + b"<script>alert(1)</script>" + pdf[20:], "通知.pdf", "hides another file")


def test_random_zip_end_bytes_inside_a_pdf_do_not_trip_the_check(pdf):
    # the signature alone, not at a place where its comment would end the file
    assert inspect_document(pdf[:-10] + b"PK\x05\x06" + pdf[-10:], "a.pdf", MB) is DocumentKind.PDF


# ---- archive bombs ----------------------------------------------------------------------------------------------


def test_too_many_entries(monkeypatch):
    monkeypatch.setattr(documents, "MAX_ZIP_ENTRIES", 50)
    members = {"OFD.xml": b"<ofd:OFD/>", **{f"Doc_0/Res/{i}.xml": b"<x/>" for i in range(60)}}
    refused(make_zip(members), "通知.ofd", "too much data or too many parts")


def test_highly_compressed_entry_is_a_bomb():
    bomb = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (50 * MB)})
    assert len(bomb) < 100_000
    refused(bomb, "通知.docx", "too much data")


def test_total_unpacked_size_is_capped(monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNPACKED_BYTES", 100_000)
    docx = make_docx("x" * 1000)
    refused(docx, "通知.docx", "too much data")


def test_overlapping_entries_are_a_bomb():
    data = bytearray(make_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"}))
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)  # the second entry points at the first one's data
    refused(bytes(data), "通知.ofd", "too much data")


# ---- encryption and macros --------------------------------------------------------------------------------------


def test_password_protected_zip_entry():
    data = bytearray(make_docx("秘密"))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos != -1:
            data[pos + offset] |= 0x1
            pos = data.find(sig, pos + 4)
    refused(bytes(data), "通知.docx", "protected by a password")


def test_encrypted_ooxml_package():
    ole = make_ole({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 100})
    refused(ole, "通知.docx", "protected by a password")
    refused(ole, "目录.xlsx", "protected by a password")


def test_encrypted_doc_and_xls():
    refused(make_ole({"WordDocument": word_document(encrypted=True)}), "旧.doc", "protected by a password")
    refused(make_ole({"Workbook": workbook(password=True)}), "旧.xls", "protected by a password")


def test_macros_are_refused():
    docx = zipfile.ZipFile(io.BytesIO(make_docx("x")))
    members = {info.filename: docx.read(info) for info in docx.infolist()}
    refused(make_zip({**members, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "宏.docx", "contains macros")
    macro_types = members["[Content_Types].xml"].replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    refused(make_zip({**members, "[Content_Types].xml": macro_types}), "宏.docx", "contains macros")
    refused(make_ole({"WordDocument": word_document()}, storages=("Macros",)), "宏.doc", "contains macros")
    refused(make_ole({"Workbook": workbook()}, storages=("_VBA_PROJECT_CUR",)), "宏.xls", "contains macros")


# ---- images -----------------------------------------------------------------------------------------------------


def test_image_declaring_too_many_pixels():
    png = make_image("PNG")
    bomb = png[:16] + struct.pack(">II", 30000, 30000) + png[24:]
    assert declared_size(bomb) == (30000, 30000)
    refused(bomb, "图.png", "too much data")


def test_declared_sizes():
    assert declared_size(make_image("PNG", (41, 17))) == (41, 17)
    assert declared_size(make_image("JPEG", (41, 17))) == (41, 17)
    assert declared_size(make_image("GIF", (41, 17))) == (41, 17)
    assert declared_size(b"%PDF-1.4") is None


def test_web_images_serves_the_same_function():
    from disclosure.web import images

    assert images.declared_size is declared_size


# ---- text ---------------------------------------------------------------------------------------------------------


def test_pdf_text(pdf):
    text = extract_text(pdf, DocumentKind.PDF)
    assert "关于印发政府信息公开办法的通知" in text and "钟政办发〔2016〕31号" in text


def test_docx_text():
    assert extract_text(make_docx("第一段\t甲", "第二段"), DocumentKind.DOCX) == "第一段\t甲\n第二段"


def test_ofd_text_follows_the_page_order_and_lines():
    ofd = make_ofd([("关于印发", "政府信息公开办法的通知"), ("第二页",)])
    assert extract_text(ofd, DocumentKind.OFD) == "关于印发\n政府信息公开办法的通知\n第二页"


def test_kinds_without_text_and_damaged_files_give_none(pdf):
    assert extract_text(make_xlsx(), DocumentKind.XLSX) is None
    assert extract_text(make_image("PNG"), "png") is None
    assert extract_text(pdf[: len(pdf) // 3], DocumentKind.PDF) in (None, "")
    assert extract_text(b"PK\x03\x04broken", DocumentKind.DOCX) is None
    assert extract_text(make_zip({"OFD.xml": b"<not-closed"}), DocumentKind.OFD) is None


def test_billion_laughs_in_a_docx_gives_none():
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    lol += (
        b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        b"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    docx = zipfile.ZipFile(io.BytesIO(make_docx("x")))
    members = {info.filename: docx.read(info) for info in docx.infolist()}
    started = time.monotonic()
    assert extract_text(make_zip({**members, "word/document.xml": lol}), DocumentKind.DOCX) is None
    assert time.monotonic() - started < 10


def test_external_entity_in_an_ofd_gives_none():
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ofd:OFD>&x;</ofd:OFD>'
    assert extract_text(make_zip({"OFD.xml": xxe}), DocumentKind.OFD) is None


def test_the_wall_clock_limit_stops_a_slow_extraction(long_pdf):
    assert extract_text(long_pdf, DocumentKind.PDF, timeout=30) is not None
    started = time.monotonic()
    assert extract_text(long_pdf, DocumentKind.PDF, timeout=0.05) is None
    assert time.monotonic() - started < 5


def test_the_memory_limit_stops_an_exploding_document():
    # 24 MB of XML (70 kB zipped) that parses into a million elements: far more memory than its size
    huge = b"<w:p>" + b"<w:r><w:t>x</w:t></w:r>" * 1_000_000 + b"</w:p>"
    document = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    docx = make_zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": document + huge + b"</w:body></w:document>"}
    )
    assert extract_text(docx, DocumentKind.DOCX, memory_bytes=96 * MB) is None


def test_the_text_is_capped():
    text = extract_text(make_docx("公开" * 5000), DocumentKind.DOCX, max_chars=100)
    assert text == "公开" * 50

"""Fixtures for the letter tests: a fixed agency for rendering (reference images must not depend on sequence
numbers), a real agency for issuing, and PDF inspection helpers (poppler-utils)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ISSUE_DATE = dt.date(2026, 3, 5)
NUMBER = "测住建公开答〔2026〕12号"
CODE = "ABCDE23456"


def fixed_agency(**kw):
    data = dict(
        id=987654,
        full_name="测试市住房和城乡建设局",
        short_name="测试住建",
        doc_number_prefixes={"reply": "测住建公开答", "notice": "测住建公开告"},
        reconsideration_body="测试市人民政府",
        litigation_court="测试市上城区人民法院",
        address="测试市人民路8号",
        postal_code="310000",
        phone="0571-87000001",
        fax="",
        email="gk@zjj.test.gov.cn",
        office_hours="工作日上午9:00至12:00，下午1:30至5:00",
    )
    data.update(kw)
    return SimpleNamespace(**data)


@pytest.fixture
def req(app):
    """A request context in English: translated messages and url_for work as in a view."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield app


@pytest.fixture
def agency(make_agency):
    return make_agency(
        full_name="测试市住房和城乡建设局",
        doc_number_prefixes={"reply": "测住建公开答", "notice": "测住建公开告"},
    )


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        args = ["pdftotext", "-enc", "UTF-8", "-layout" if layout else "-raw", fh.name, "-"]
        return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text without whitespace, so phrases broken across lines can be found."""
    return re.sub(r"\s+", "", text)


def running_text(pdf: bytes) -> str:
    """The letter's text without whitespace and without the page numbers (— 2 —), so phrases broken across
    pages can be found too."""
    return re.sub(r"—\s*\d+\s*—", "", flat(pdf_text(pdf)))


def pdf_fonts(pdf: bytes) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdffonts", fh.name], check=True, capture_output=True).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type… encoding emb sub uni object ID: the three flags sit before the object number pair.
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def page_images(pdf: bytes, out_dir: Path, *, dpi: int = 40) -> list[Path]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        prefix = out_dir / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", fh.name, str(prefix)], check=True)
    return sorted(out_dir.glob("page-*.png"))


@pytest.fixture
def fixed():
    return fixed_agency()

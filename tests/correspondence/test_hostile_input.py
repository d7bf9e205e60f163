"""Hostile input on the letter pages: LIKE wildcards in the letter-number search match only themselves, and a seal
image that declares a decompression bomb is refused beside the field (it was a DecompressionBombError, a 500)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from disclosure.accounts.roles import Role
from disclosure.correspondence.models import LetterSettings
from disclosure.extensions import db
from disclosure.web.images import declared_size
from tests.correspondence.test_views import letter  # noqa: F401 (the fixture: one issued reply letter)


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "\\"])
def test_like_wildcards_in_the_number_search_match_only_themselves(
    client, login, make_staff, agency, request, wildcard
):
    issued = request.getfixturevalue("letter")
    login(client, make_staff(agency, roles=[Role.REGISTRAR]))
    assert issued.number in client.get("/staff/letters/", query_string={"number": issued.number[2:6]}).text
    assert issued.number not in client.get("/staff/letters/", query_string={"number": wildcard}).text


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny, valid PNG whose header declares width × height pixels (167 bytes for 30000 × 30000)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def _jpeg(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, format="JPEG", exif=Image.Exif())
    return out.getvalue()


def test_declared_size():
    assert declared_size(_png_declaring(30000, 30000)) == (30000, 30000)
    assert declared_size(_jpeg((300, 200))) == (300, 200)
    assert declared_size(b"GIF89a") is None
    assert declared_size(b"\xff\xd8\xff") is None


@pytest.mark.parametrize("size", [(30000, 30000), (2001, 100), (100, 65535)])
def test_a_seal_declaring_too_many_pixels_is_refused_beside_the_field(client, login, make_staff, agency, size):
    login(client, make_staff(agency, roles=[Role.AGENCY_ADMIN]))
    resp = client.post(
        "/admin/letters/settings",
        data={
            "reconsideration_body": "测试市人民政府",
            "litigation_court": "测试市西湖区人民法院",
            "seal": (io.BytesIO(_png_declaring(*size)), "seal.png"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    assert f"{size[0]} × {size[1]}" in resp.text
    db.session.expire_all()
    assert db.session.execute(db.select(LetterSettings)).scalar_one_or_none() is None

"""Hostile input (issue 4, Security): user text is escaped, and the renderer's URL fetcher allows only the letters
asset directory and data: URIs. Nothing is fetched from a local HTTP server, no local file is embedded."""

from __future__ import annotations

import http.server
import io
import re
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from disclosure.correspondence import letters, samples
from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.outcomes import Outcome
from disclosure.correspondence.rendering import ASSETS_DIR, renderer
from tests.correspondence.conftest import flat, pdf_text


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        body = b"\x89PNG\r\n\x1a\n" if self.path.endswith(".png") else b"body{background:red}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT-42")
    return secret


def hostile_strings(base: str, secret: Path) -> list[str]:
    return [
        f'<img src="file://{secret}">',
        '<img src="file:///etc/passwd">',
        f'<link rel="attachment" href="file://{secret}">',
        f'<a rel="attachment" href="file://{secret}">附件</a>',
        f'<img src="{base}/img.png">',
        f'<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>',
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg.png" width="10" height="10"/></svg>',
        f'<div style="background-image:url({base}/inline.png)">x</div>',
        "{{ 7*7 }}{% raw %}",
    ]


def test_user_text_is_escaped_and_nothing_is_fetched(req, fixed, http_server, tmp_path):
    secret = _secret_file(tmp_path)
    hostile = hostile_strings(http_server, secret)
    ctx = ReplyContext(
        **samples.facts(applicant_name=hostile[0]),
        items=[
            ItemOutcome(description=h, outcome=Outcome.NOT_OURS, reasons=h, responsible_agency=h) for h in hostile[1:]
        ],
    )
    pdf = letters.render_pdf(LetterKind.REPLY, fixed, ctx)
    assert _Recorder.hits == []
    assert b"TOP-SECRET" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    for h in hostile:  # printed literally (one short letter each, so no page break splits the text)
        one = ReplyContext(**samples.facts(), items=[ItemOutcome(description=h, outcome=Outcome.NOT_EXIST)])
        text = re.sub(r"—\d+—", "", flat(pdf_text(letters.render_pdf(LetterKind.REPLY, fixed, one))))
        # pdftotext joins a word broken at a hyphen, so hyphens are compared out.
        assert "".join(h.split()).replace("-", "") in text.replace("-", ""), h
    assert _Recorder.hits == []
    # The HTML preview escapes too: no live tag reaches the page.
    html = letters.render_html(LetterKind.REPLY, fixed, ctx)
    assert '<img src="file' not in html and '<link rel="attachment"' not in html and "<svg" not in html
    assert "&lt;img src=&#34;file://" in html or "&lt;img src=&#34;file" in html


def test_fetcher_blocks_raw_markup_as_second_line_of_defence(req, http_server, tmp_path):
    """Even markup that bypassed escaping cannot reach the network or the file system."""
    secret = _secret_file(tmp_path)
    raw = (
        "<p>正文</p>"
        + "".join(hostile_strings(http_server, secret))
        + (
            f'<img src="file://{ASSETS_DIR}/../../base/letter.css">'
            f'<img src="file://{ASSETS_DIR}/%2e%2e/%2e%2e/base/letter.css">'
            '<img src="ftp://127.0.0.1/x.png">'
        )
    )
    html = f"<!doctype html><html lang='zh-CN'><body>{raw}</body></html>"
    pdf = renderer().write_pdf(html, "reply")
    assert _Recorder.hits == []
    assert b"TOP-SECRET" not in pdf
    assert not PdfReader(io.BytesIO(pdf)).attachments


def test_fetcher_serves_data_uris_and_assets(req, tmp_path):
    fetcher = renderer().fetcher
    ok = fetcher.fetch("data:text/plain;base64,SGVsbG8=")
    assert ok.read() == b"Hello"
    readme = ASSETS_DIR / "README.md"
    assert fetcher.fetch(readme.as_uri()).read() == readme.read_bytes()
    for bad in (
        f"file://{tmp_path}/x",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.com/",
        f"file://{ASSETS_DIR}/../letter.css",
        "file://remote-host/etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(bad)

"""Simplified Chinese is the default and complete; English is available through the language switch."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_has_a_chinese_translation():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_chinese_by_default_and_english_on_request(client):
    body = client.get("/login").get_data(as_text=True)
    assert "登录" in body and 'lang="zh-CN"' in body
    client.post("/lang", data={"lang": "en", "next": "/login"})
    body = client.get("/login").get_data(as_text=True)
    assert "Log in" in body and 'lang="en"' in body
    assert "登录" not in body.replace('lang="zh-CN">简体中文', "")


def test_accept_language_english(client):
    body = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Government information disclosure" in body


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example/", "/ /x"],
)
def test_language_switch_refuses_foreign_redirect(client, target):
    """Browsers drop tabs and line breaks and read a backslash as a slash: each of these would leave the site."""
    resp = client.post("/lang", data={"lang": "en", "next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


def test_language_switch_returns_to_a_local_page(client):
    resp = client.post("/lang", data={"lang": "en", "next": "/publicity/?q=%E5%BB%BA"})
    assert resp.headers["Location"] == "/publicity/?q=%E5%BB%BA"


# A Chinese character or Chinese punctuation directly followed by an ASCII colon ("编号:"): Chinese text takes the
# full-width colon "：". Times (9:00), URLs (https://) and placeholders (%(x)s:) have no CJK character before the colon.
CJK_THEN_ASCII_COLON = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]\s*:(?!//)")


def test_chinese_catalogues_use_full_width_colons():
    from babel.messages.pofile import read_po

    catalogues = sorted(ROOT.glob("disclosure/**/translations/zh_CN/LC_MESSAGES/messages.po"))
    assert catalogues
    found = []
    for path in catalogues:
        with path.open("rb") as fh:
            catalogue = read_po(fh)
        for message in catalogue:
            if not message.id:
                continue
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                if text and CJK_THEN_ASCII_COLON.search(text):
                    found.append(f"{path.relative_to(ROOT)}: {text}")
    assert not found, "ASCII colon after Chinese text (use '：'):\n" + "\n".join(found)


def test_the_colon_check_knows_times_urls_and_placeholders():
    assert CJK_THEN_ASCII_COLON.search("编号: 1") and CJK_THEN_ASCII_COLON.search("新增记录:")
    for fine in ("上午9:00", "见https://example.cn", "%(label)s:%(value)s", "编号：1", "例如2026-03-02:2026-03-06"):
        assert not CJK_THEN_ASCII_COLON.search(fine), fine

"""The draft shown with addressable articles: 第一条, 第二条 … detected in the draft's text, as CONSUL and
regulations.gov let a commenter point at one provision."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from disclosure.web.richtext import html_to_text, sanitise_html

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
ARTICLE = re.compile(r"^\s*第([零〇一二两三四五六七八九十百千]+|\d+)条")
BLOCK = re.compile(r"(?=<(?:p|h[1-6]|ol|ul|table|blockquote|pre)[\s>])", re.IGNORECASE)


class Article(NamedTuple):
    number: int  # 0: the text before the first article (title, preamble)
    label: str  # 第三条
    html: str


def chinese_number(text: str) -> int:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105; Arabic digits pass through."""
    if text.isascii() and text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            total += (current or 1) * UNITS[ch]
            current = 0
    return total + current


def article_label(number: int) -> str:
    if number <= 0:
        return ""
    return f"第{_to_chinese(number)}条"


def _to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + (("一" + _to_chinese(rest)) if rest < 20 else _to_chinese(rest))


def split_articles(html: str) -> list[Article]:
    """The draft's blocks grouped by article. A block whose text starts with 第X条 opens that article; blocks
    before the first article form the preamble (number 0); a number seen again (a quotation) stays in its article.
    Each part is sanitised again, so a split inside a list or table still gives balanced HTML."""
    chunks = [c for c in BLOCK.split(html or "") if c.strip()]
    out: list[Article] = []
    seen: set[int] = set()
    current_number, current_label, parts = 0, "", []
    for chunk in chunks:
        match = ARTICLE.match(html_to_text(chunk))
        number = chinese_number(match.group(1)) if match else 0
        if match and number > 0 and number not in seen:
            if parts:
                out.append(Article(current_number, current_label, sanitise_html("".join(parts))))
            seen.add(number)
            current_number, current_label, parts = number, f"第{match.group(1)}条", [chunk]
        else:
            parts.append(chunk)
    if parts:
        out.append(Article(current_number, current_label, sanitise_html("".join(parts))))
    return out


class ArticleHead(NamedTuple):
    number: int
    label: str


@functools.lru_cache(maxsize=32)
def article_heads(html: str) -> tuple[ArticleHead, ...]:
    """The draft's numbered articles without their text, for lists and choices on pages read often (the moderation
    list): splitting sanitises every part, so the answer is kept per draft text (a changed draft is a new key)."""
    return tuple(ArticleHead(a.number, a.label) for a in split_articles(html) if a.number > 0)


def article_numbers(html: str) -> list[int]:
    return [a.number for a in article_heads(html or "")]

"""How participation pages show kinds, articles and moments, in the reader's language (documents stay in Chinese)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from disclosure.core.timeutil import CHINA_TZ, as_utc
from disclosure.participation.articles import article_label


def kind_name(kind) -> str:
    if kind is None:
        return ""
    return kind.name_en if str(get_locale() or "").startswith("en") else kind.name_zh


def article_text(number: int):
    return article_label(number) or _l("Whole draft")


def local_time(moment) -> str:
    return as_utc(moment).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def local_date(moment) -> str:
    return as_utc(moment).astimezone(CHINA_TZ).date().isoformat() if moment else ""

"""Reading dates, ranges and pauses typed by people (forms and the command line), with clear messages."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l

from disclosure.workdays.calendar import FIRST_YEAR, LAST_YEAR

# Between two ISO dates: "2027-02-05 ~ 2027-02-11", "…:…", "… to …", "…至…", "…—…".
_RANGE_SEP = re.compile(r"\s*(?:~|～|:|：|\bto\b|至|—|–)\s*", re.IGNORECASE)
_LIST_SEP = re.compile(r"[\s,，、;；]+")


class InputError(ValueError):
    """Bad user input; `message` is translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def parse_date(text: str) -> dt.date:
    raw = (text or "").strip()
    try:
        d = dt.date.fromisoformat(raw)
        if len(raw) != 10:
            raise ValueError(raw)
    except ValueError:
        raise InputError(
            _l("“%(text)s” is not a date: write it as YYYY-MM-DD, for example 2026-02-10.", text=raw[:40])
        ) from None
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise InputError(
            _l(
                "%(date)s is outside the calendar (years %(first)s to %(last)s).",
                date=raw,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return d


def parse_range(text: str) -> tuple[dt.date, dt.date]:
    """ "START:END" (or ~, 至, to) for days START to END, both included; a single date is a one-day range."""
    parts = _RANGE_SEP.split((text or "").strip())
    if len(parts) == 1:
        d = parse_date(parts[0])
        return d, d
    if len(parts) != 2:
        raise InputError(
            _l("“%(text)s” is not a range: write START:END, for example 2026-03-02:2026-03-06.", text=text.strip()[:60])
        )
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise InputError(
            _l("The range %(start)s to %(end)s ends before it starts.", start=start.isoformat(), end=end.isoformat())
        )
    return start, end


def parse_ranges(text: str) -> list[tuple[dt.date, dt.date]]:
    """One range per line (or separated by commas or semicolons)."""
    lines = [ln for ln in re.split(r"[\n\r,，;；]+", text or "") if ln.strip()]
    return [parse_range(ln) for ln in lines]


def parse_dates(text: str) -> list[dt.date]:
    return [parse_date(tok) for tok in _LIST_SEP.split((text or "").strip()) if tok]

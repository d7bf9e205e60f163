"""索引号: per-agency formats, gap-free serials, permissive validation of imported numbers (rules-china §8.2;
proactive-china §2.2, §6.2).

The default format is `{org}/{year}-{serial:05d}`, `org` being the 9-character organisation code (positions
9–17 of the agency's credit code), as in `014119467/2016-00076`. The serial comes from the gapless counter
(`core.numbering`) of the agency and year, taken inside the publishing transaction: a rolled-back publication
gives its number back, a committed one is never reused (withdrawn entries keep theirs).
"""

from __future__ import annotations

import re
import string

from flask_babel import lazy_gettext as _l

from disclosure.core.errors import DomainError
from disclosure.core.numbering import next_value

COUNTER_SCOPE = "catalog.index"
FIELDS = {"org", "year", "month", "serial"}
DEFAULT_FORMAT = "{org}/{year}-{serial:05d}"

# Real numbers vary (org code, USCC, pinyin abbreviation; YYYY or YYYYMM; 1–8 digit serials): accept them all.
IMPORTED = re.compile(r"^(?P<org>[0-9A-Za-z][0-9A-Za-z\-]{2,19})/(?P<period>\d{4}(?:-?\d{2})?)-(?P<serial>\d{1,8})$")


def check_format(fmt: str) -> None:
    """A format names `{serial}` once, only the known fields, only simple integer specs, and stays a path-safe
    ASCII string; otherwise DomainError (an administrator's typo must not break publishing)."""
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError:
        raise DomainError(_l("The index number format is not valid."), field="index_format") from None
    names = [name for _, name, _, _ in parts if name is not None]
    if names.count("serial") != 1 or not set(names) <= FIELDS:
        raise DomainError(
            _l("The index number format must contain {serial} once and may use {org}, {year} and {month}."),
            field="index_format",
        )
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if conversion or (spec and not re.fullmatch(r"0?\d{0,2}d?", spec)):
            raise DomainError(_l("The index number format is not valid."), field="index_format")
    literal = "".join(text for text, *_ in parts)
    if not re.fullmatch(r"[0-9A-Za-z/\-_.]*", literal):
        raise DomainError(
            _l("Use only letters, digits and / - _ . between the fields of the index number format."),
            field="index_format",
        )
    format_number(fmt, org="000000000", year=2026, month=1, serial=1)


def format_number(fmt: str, *, org: str, year: int, month: int, serial: int) -> str:
    return fmt.format(org=org, year=f"{year:04d}", month=f"{month:02d}", serial=serial)


def allocate(fmt: str, *, agency_id: int, org: str, year: int, month: int) -> tuple[str, int]:
    """Take the next serial of the agency's year and build the number. Call it as the last write before the
    commit: the counter row stays locked until then."""
    serial = next_value(COUNTER_SCOPE, agency_id, year)
    return format_number(fmt, org=org, year=year, month=month, serial=serial), serial


def parse_imported(number: str) -> re.Match | None:
    """The parts of an index number typed by someone else (an import, a manual override), or None."""
    return IMPORTED.fullmatch((number or "").strip())

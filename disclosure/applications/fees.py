"""Information processing fee (信息处理费), 《政府信息公开信息处理费管理办法》 国办函〔2020〕109号, rules-china §4.

条例 Art. 42: applications are free; a fee may be charged only when the number or frequency clearly exceeds a
reasonable range. Two marginal (超额累进) methods, one per application, never both (109号 Art. 3):

- per item (按件, Art. 4): counted per applicant, per agency (⚠ the practical reading), per natural month, over
  the requested items (一事一申请: each item is the smallest reasonable unit);
- per page (按量, Art. 5): counted on the pages provided for one application.

The bands are data (⚠ best knowledge): `FeeSchedule` can be replaced per deployment through
`app.config["APPLICATION_FEE_SCHEDULE"]`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FeeMethod(enum.StrEnum):
    PER_ITEM = "per_item"
    PER_PAGE = "per_page"


@dataclass(frozen=True)
class FeeSchedule:
    free_items: int = 10  # 1–10 per month: free
    first_band_upper: int = 30  # 11–30: first_band_rate each
    first_band_rate: int = 100
    band_width: int = 10  # then bands of 10, each adding band_step
    band_step: int = 100
    # (upper page bound or None for no bound, yuan per page), marginal.
    page_bands: tuple[tuple[int | None, int], ...] = ((30, 0), (100, 10), (200, 20), (None, 40))


DEFAULT_SCHEDULE = FeeSchedule()


def fee_for_nth_item(n: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> int:
    """Fee (yuan) for the applicant's n-th item in the natural month at this agency (109号 Art. 4)."""
    if n < 1:
        raise ValueError("n starts at 1")
    if n <= schedule.free_items:
        return 0
    if n <= schedule.first_band_upper:
        return schedule.first_band_rate
    bands_above = -(-(n - schedule.first_band_upper) // schedule.band_width)
    return schedule.first_band_rate + schedule.band_step * bands_above


def fee_per_item(already_this_month: int, items: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> tuple[int, list]:
    """Fee for `items` new items when the applicant already had `already_this_month` items this month.

    Returns (total, lines) with one line per band: (from_n, to_n, rate, count, subtotal)."""
    if items < 1 or already_this_month < 0:
        raise ValueError("items must be positive")
    lines: list[tuple[int, int, int, int, int]] = []
    for n in range(already_this_month + 1, already_this_month + items + 1):
        rate = fee_for_nth_item(n, schedule)
        if lines and lines[-1][2] == rate:
            f, _t, r, c, s = lines[-1]
            lines[-1] = (f, n, r, c + 1, s + rate)
        else:
            lines.append((n, n, rate, 1, rate))
    return sum(line[4] for line in lines), lines


def fee_per_page(pages: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> tuple[int, list]:
    """Fee (yuan) for one application by volume (109号 Art. 5), marginal bands. Returns (total, lines)."""
    if pages < 1:
        raise ValueError("pages must be positive")
    total, lower, lines = 0, 0, []
    for upper, rate in schedule.page_bands:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            count = top - lower
            lines.append((lower + 1, top, rate, count, count * rate))
            total += count * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return total, lines

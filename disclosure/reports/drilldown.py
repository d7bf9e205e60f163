"""What a figure of the report counts: the cases, remedies or records behind a cell, read through the doors of
the packages that hold them (the staff drill-down pages and the links of a draft)."""

from __future__ import annotations

from disclosure import applications, publicity
from disclosure.reports.compute import Period
from disclosure.reports.grid import CATEGORIES, COLUMNS, OUTCOMES_BY_ROW, REMEDY_BLOCKS, REMEDY_RESULTS, ROW_KEYS

LIMIT = 2000


def valid_cell(table: str, row: str, col: str) -> bool:
    if table == "table3":
        return row in ROW_KEYS and col in COLUMNS
    if table == "table4":
        return row in REMEDY_BLOCKS and col in (*REMEDY_RESULTS, "total")
    if table == "table2":
        return row in ("licensing", "penalty") and col == "decisions"
    return False


def cases_behind(agency_id: int, year: int, row: str, col: str) -> list:
    """The requests counted in one cell of table 3."""
    p = Period(year)
    category = col if col in CATEGORIES else None
    common = {"category": category, "limit": LIMIT}
    if row in ("new", "carried_in", "carried_out"):
        return applications.yearly_cases(agency_id, p.start, p.end, measure=row, **common)
    if row == "total":
        return applications.yearly_cases(agency_id, p.start, p.end, measure="concluded", **common)
    found = applications.yearly_cases(
        agency_id, p.start, p.end, measure="concluded", outcomes=OUTCOMES_BY_ROW[row], withdrawn=False, **common
    )
    if row == "oth_other":  # withdrawals count here too
        found += applications.yearly_cases(agency_id, p.start, p.end, measure="concluded", withdrawn=True, **common)
    return found


def remedies_behind(agency_id: int, year: int, block: str, result: str) -> list:
    p = Period(year)
    return applications.yearly_remedies(
        agency_id, p.start, p.end, kind=block, result=None if result == "total" else result, limit=LIMIT
    )


def records_behind(agency_id: int, year: int, kind: str) -> list:
    p = Period(year)
    return publicity.decision_records(agency_id, p.start, p.end, kind, limit=LIMIT)

"""Annual reports for the figures' tests, through the reports package's operations (started, written, submitted,
approved and published with its frozen numbers and PDF, corrected by a new version) on days counted back from
`today`. With `today` = 2025-12-15, the 2024 reports (due 2025-01-31 for a department, 2025-03-31 for a
government, 条例 Art. 49):

- office (set as a government): published 2025-03-20, on time; its 2025 report started as a draft (not yet due);
- bureau (a department): published 2025-02-09, late, then corrected on 2025-05-01 (the first publication counts);
- bureau2 (a department): a draft, never published: overdue;
- outsider (not under the office): nothing at all — overdue, and never counted under the office.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

_seq = itertools.count(1)


def office_staff(agency):
    """The agency's disclosure office: one person who compiles (registrar) and approves (office head) the report."""
    from disclosure.accounts import operations as ops
    from disclosure.accounts.roles import Role

    n = next(_seq)
    person = ops.create_staff(
        agency=agency,
        email=f"rep-office-{agency.id}-{n}@example.gov.cn",
        name=f"年报人员{n}",
        password="Correct-Horse-9",
        roles=[Role.REGISTRAR, Role.OFFICE_HEAD],
    )
    return SimpleNamespace(registrar=person, head=person)


def draft(agency, staff, year: int, day: dt.date):
    from disclosure.reports import operations

    report = operations.start_report(agency, year, staff.registrar, today=day)
    operations.save_sections(
        report,
        staff.registrar,
        {"overview": report.overview, "problems": "无。", "other_matters": report.other_matters or "无。"},
    )
    operations.save_figures(
        report,
        staff.registrar,
        {"coercion_decisions": "0", "coercion_source": "执法台账", "fees_yuan": "0", "fees_source": "财务科"},
    )
    return report


def publish(report, staff, day: dt.date):
    from disclosure.reports import operations

    operations.submit(report, staff.registrar)
    operations.approve(report, staff.head)
    operations.publish(report, staff.head, today=day)
    return report


def build(tree, today: dt.date):
    from disclosure.extensions import db
    from disclosure.reports import operations

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    office, bureau, bureau2 = (office_staff(a) for a in (tree.office, tree.bureau, tree.bureau2))
    operations.save_settings(tree.office.id, office.head, agency_kind="government")
    year = today.year - 1
    reports = SimpleNamespace()
    reports.office = publish(draft(tree.office, office, year, ago(280)), office, ago(270))
    reports.office_next = draft(tree.office, office, today.year, ago(1))
    reports.bureau = publish(draft(tree.bureau, bureau, year, ago(320)), bureau, ago(309))
    reports.bureau_fix = operations.start_correction(reports.bureau, bureau.registrar, "更正表三数据。")
    publish(reports.bureau_fix, bureau, ago(228))
    reports.bureau2 = draft(tree.bureau2, bureau2, year, ago(300))
    db.session.commit()
    return reports

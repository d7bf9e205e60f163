"""Demo annual reports for the demo government (`demo-gov`): last year's report published (frozen with its PDF)
and this year's draft, both entered through the report operations by the demo registrar and office head, so the
platform's 年报 column and the office's workbench show a real report at each end of its life. Idempotent: a year
that already has a report gets nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.reports import operations

SLUG = "demo-gov"
PROBLEMS = (
    "{year}年，本机关政府信息公开工作取得一定成效，但也存在政策解读形式较为单一、部分栏目更新不够及时等问题。"
    "下一步，将丰富图表、视频等解读形式，建立栏目更新责任清单，定期开展自查。"
)


def _staff(agency: Agency, role: str) -> User:
    email = f"{role}@{agency.slug}.example.cn"
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def on_demo_data(app, *, objects) -> None:
    """`signals.demo_data`: connected after the catalogue's, publicity's and applications' receivers (package
    order), so the reports count their demo data."""
    load(objects)


def load(objects: dict, today: dt.date | None = None) -> None:
    today = today or today_china()
    agency = next((a for a in objects["agencies"] if a.slug == SLUG), None)
    if agency is None:
        return
    registrar, head = _staff(agency, "registrar"), _staff(agency, "office-head")
    last = today.year - 1
    if not operations.versions(agency.id, last):
        report = _draft(agency, last, registrar)
        operations.submit(report, registrar)
        operations.approve(report, head)
        operations.publish(report, head, today=min(dt.date(today.year, 1, 20), today))
    if not operations.versions(agency.id, today.year):
        _draft(agency, today.year, registrar)
    db.session.flush()


def _draft(agency: Agency, year: int, registrar: User):
    report = operations.start_report(agency, year, registrar)
    operations.save_sections(
        report,
        registrar,
        {"overview": report.overview, "problems": PROBLEMS.format(year=year), "other_matters": report.other_matters},
    )
    operations.save_figures(
        report,
        registrar,
        {
            "coercion_decisions": "12",
            "coercion_source": "本机关行政执法台账",
            "fees_yuan": "386500.00",
            "fees_source": "财务科年度收费统计表",
        },
    )
    return report

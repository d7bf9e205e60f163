"""Requests for disclosure for the figures' tests: cases of the tree's agencies taken through the applications
package's operations on days counted back from `today` (`on_day`), so received dates, due dates, replies and
remedies are the real ones. With `today` = 2025-12-15 (the dedicated tests' day) the dates read:

- bureau: C1 received 2025-03-03, disclosed on time 03-10; C2 received 03-05, refused (state secret) late on 04-30,
  its reconsideration filed 05-10 and corrected on 07-01; C1's lawsuit filed 03-20, corrected on 10-01 (pending at
  the end of Q1); C3 received 06-02 and withdrawn 06-10; C4 received 11-03, in handling and overdue now; C5
  received 12-08, not yet due; C6 received 2024-12-20 and disclosed on time on 2025-01-10;
- bureau2: D1 received 07-18, consulting a third party since 07-23 (clock paused, never overdue); D2 received 09-06,
  waiting for a supplement (paused); D3 received 05-09, a repeated application answered on time 05-19; D4 received
  09-01, registered and never handled (overdue);
- office: O1 received 07-01, the information does not exist, answered late on 09-06;
- outsider (not under the office): X1 disclosed late, X2 overdue, a reconsideration corrected — never counted.

`build` returns the cases by name for the dedicated tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from tests.supervision.builders import on_day

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff_of(agency):
    """One member of `agency`'s disclosure office holding every role a case passes through (registrar, handler in
    the first department, office head, legal reviewer): one password to hash instead of four."""
    from disclosure.accounts import operations as ops
    from disclosure.accounts.roles import Role

    department = agency.departments[0]
    n = next(_seq)
    person = ops.create_staff(
        agency=agency,
        email=f"req-office-{agency.id}-{n}@example.gov.cn",
        name=f"办理人员{n}",
        password="Correct-Horse-9",
        roles=[Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER],
        department=department,
    )
    return SimpleNamespace(
        agency=agency, department=department, registrar=person, handler=person, head=person, legal=person
    )


def receive(w, day: dt.date, name: str, item: str = "2025年道路维修资金使用情况"):
    """An application handed in at the office on `day` (Art. 31(1))."""
    from disclosure.applications import operations as ops
    from disclosure.applications.models import Channel
    from disclosure.applications.operations import ApplicationInput, ItemInput
    from disclosure.core import aftercommit

    data = ApplicationInput(
        applicant_name=name,
        doc_type="resident_id",
        doc_number="11010519491231002X",
        phone="13800000000",
        email=f"applicant{next(_seq)}@example.cn",
        postal_address="测试市幸福路1号",
        items=[ItemInput(item)],
    )
    # The receipt letter is rendered after the commit (core.aftercommit) and can be issued again at any time
    # (`issue_missing_receipts`): the figures never read it, so this test world leaves it out.
    aftercommit.collect()
    try:
        with on_day(day):
            return ops.register(w.agency, w.registrar, data, channel=Channel.IN_PERSON, received_date=day)
    finally:
        aftercommit.discard()


def handle(w, app, day: dt.date):
    from disclosure.applications import operations as ops

    with on_day(day):
        ops.assign(app, w.registrar, department=w.department, handler=w.handler)
        ops.start_handling(app, w.handler)


def reply(w, app, day: dt.date, outcome: str = "granted"):
    """Decide the single item (`outcome`), draft, review and issue the reply on `day`."""
    from disclosure.applications import operations as ops
    from disclosure.applications.uploads import Upload

    if app.state == "registered":
        handle(w, app, day)
    with on_day(day):
        (item,) = app.items
        if outcome == "granted":
            ops.decide_item(item, w.handler, outcome=outcome)
            ops.attach_information(app, w.handler, upload=Upload("资料.pdf", PDF), purpose="provided")
        else:
            ops.decide_item(item, w.handler, outcome=outcome, reasons="经审查，依法作出本决定。")
        ops.draft_reply(app, w.handler)
        ops.submit_for_review(app, w.handler)
        ops.review(app, w.head, stage="office", approve=True, comment="")
        ops.review(app, w.legal, stage="legal", approve=True, comment="")
        ops.issue(app, w.registrar)
    return app


def remedy(w, app, kind: str, filed: dt.date, *, corrected_on: dt.date | None = None, upheld_on=None):
    from disclosure.applications import operations as ops

    body = "测试市人民政府" if kind == "reconsideration" else "测试市上城区人民法院"
    with on_day(filed):
        row = ops.record_remedy(app, w.registrar, kind=kind, body=body, filed_date=filed)
    decided = corrected_on or upheld_on
    if decided:
        with on_day(decided):
            ops.update_remedy(
                row, w.head, result="corrected" if corrected_on else "upheld", decided_date=decided, note=""
            )
    return row


def build(tree, today: dt.date):
    from disclosure.applications import operations as ops
    from disclosure.extensions import db

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    b, b2, office, out = (staff_of(a) for a in (tree.bureau, tree.bureau2, tree.office, tree.outsider))
    cases = SimpleNamespace()

    # bureau
    cases.c1 = reply(b, receive(b, ago(287), "申请人甲"), ago(280))
    cases.c2 = reply(b, receive(b, ago(285), "申请人乙"), ago(229), "deny_secret")
    cases.c2_reconsideration = remedy(b, cases.c2, "reconsideration", ago(219), corrected_on=ago(167))
    cases.c1_lawsuit = remedy(b, cases.c1, "litigation_direct", ago(270), corrected_on=ago(75))
    cases.c1_upheld = remedy(b, cases.c1, "litigation_after_reconsideration", ago(200), upheld_on=ago(150))
    cases.c3 = receive(b, ago(196), "申请人丙")
    with on_day(ago(188)):
        ops.withdraw(cases.c3, b.registrar, reason="申请人书面撤回申请。")
    cases.c4 = receive(b, ago(42), "申请人丁")
    handle(b, cases.c4, ago(40))
    cases.c5 = receive(b, ago(7), "申请人戊")
    cases.c6 = reply(b, receive(b, ago(360), "申请人己"), ago(339))

    # bureau2
    cases.d1 = receive(b2, ago(150), "申请人庚")
    handle(b2, cases.d1, ago(148))
    with on_day(ago(145)):
        ops.start_consultation(cases.d1, b2.handler, kind="third_party", party="某建设公司", letter_date=ago(145))
    cases.d2 = receive(b2, ago(100), "申请人辛", item="我家附近那条路的规划文件")
    with on_day(ago(98)):
        ops.request_supplement(cases.d2, b2.registrar, what="请写明道路名称。")
    cases.d3 = reply(b2, receive(b2, ago(220), "申请人壬"), ago(210), "repeat")
    cases.d4 = receive(b2, ago(105), "申请人癸")

    # office
    cases.o1 = reply(office, receive(office, ago(167), "申请人子"), ago(100), "not_exist")

    # outsider: never counted under the office
    cases.x1 = reply(out, receive(out, ago(285), "申请人丑"), ago(229))
    cases.x2 = receive(out, ago(60), "申请人寅")
    cases.x_remedy = remedy(out, cases.x1, "reconsideration", ago(219), corrected_on=ago(167))

    # the workbench's sweep, as each morning (the stored deadline statuses of `today`)
    from disclosure.applications import sweep

    sweep.recompute_open(today)
    db.session.commit()
    return cases

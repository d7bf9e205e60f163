"""Demo cases for the first agency, one at each stage a newcomer should see: waiting for confirmation, waiting
for a supplement, in handling (one of them overdue), in office review and issued with its letter. Built through
the operations, so the letters, deadlines and audit trail are the real ones. Idempotent: an agency that already
has cases gets none."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.applications import operations as ops
from disclosure.applications.models import Application, Channel
from disclosure.applications.operations import ApplicationInput, ItemInput
from disclosure.applications.uploads import Upload
from disclosure.core.timeutil import today_china
from disclosure.extensions import db

# A one-page PDF standing in for the information provided (what a handler would scan and upload).
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def on_demo_data(app, *, objects) -> None:
    """`signals.demo_data`: the demo loader asks every package for its examples."""
    load(objects)


def load(objects: dict) -> None:
    agency = objects["agencies"][0]
    if db.session.execute(select(func.count(Application.id)).where(Application.agency_id == agency.id)).scalar():
        return
    staff = {
        role: db.session.execute(
            select(User).where(User.email == f"{role.value.replace('_', '-')}@{agency.slug}.example.cn")
        ).scalar_one()
        for role in (Role.REGISTRAR, Role.HANDLER, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER)
    }
    citizens = {
        u.email: u
        for u in db.session.execute(
            select(User).where(User.email.in_(["zhang.san@example.cn", "li.si@example.cn", "law@example-firm.cn"]))
        ).scalars()
    }
    registrar, handler, head, legal = (staff[r] for r in staff)
    department = handler.department or agency.departments[0]
    today = today_china()

    def person(user, **kw):
        p = user.profile
        return ApplicationInput(
            applicant_name=user.name,
            doc_type=p.doc_type,
            doc_number=p.doc_number,
            phone=p.phone,
            email=user.email,
            postal_address=p.postal_address,
            postal_code=p.postal_code,
            **kw,
        )

    # 1. Filed online, waiting for the office to confirm it (Art. 31(3)).
    ops.file_online(
        citizens["zhang.san@example.cn"],
        agency,
        person(
            citizens["zhang.san@example.cn"],
            items=[ItemInput("2025年老旧小区改造项目清单及资金安排", "示政办〔2025〕12号")],
        ),
    )
    # 2. A letter registered by staff, then a supplementation notice (Art. 30).
    letter_case = ops.register(
        agency,
        registrar,
        person(
            citizens["li.si@example.cn"],
            provision_form="paper",
            delivery_channel="post",
            items=[
                ItemInput("我家附近那条路的规划文件"),
            ],
        ),
        channel=Channel.ORDINARY_LETTER,
        received_date=today - dt.timedelta(days=3),
        evidence="电话与申请人确认收到日期",
        applicant=citizens["li.si@example.cn"],
    )
    ops.request_supplement(
        letter_case, registrar, what="请写明道路名称或所在区域，以及所需规划文件的类别（如控制性详细规划）。"
    )
    # 3. In handling, received a month and a half ago: overdue on the workbench.
    late = ops.register(
        agency,
        registrar,
        person(citizens["zhang.san@example.cn"], items=[ItemInput("2024年度城市绿化养护合同")]),
        channel=Channel.IN_PERSON,
        received_date=today - dt.timedelta(days=45),
        applicant=citizens["zhang.san@example.cn"],
    )
    ops.assign(late, registrar, department=department, handler=handler)
    ops.start_handling(late, handler)
    # 4. A law firm's two-item request, partly disclosed, waiting for the office head's review.
    firm = citizens["law@example-firm.cn"]
    org = ApplicationInput(
        applicant_type="organisation",
        applicant_category=firm.profile.category,
        applicant_name=firm.profile.org_name,
        org_credit_code=firm.profile.org_credit_code,
        contact_person=firm.name,
        phone=firm.profile.phone,
        email=firm.email,
        postal_address=firm.profile.postal_address,
        items=[
            ItemInput("2025年市政道路维修工程招标文件"),
            ItemInput("该工程中标合同", "示建合〔2025〕88号"),
        ],
    )
    review = ops.register(
        agency,
        registrar,
        org,
        channel=Channel.EMAIL,
        received_date=today - dt.timedelta(days=10),
        evidence="回复邮件确认收到",
        applicant=firm,
    )
    _decide_partly(review, registrar, handler, department)
    ops.submit_for_review(review, handler)
    # 5. The same firm's earlier request: issued and delivered by email, with its reply letter.
    done = ops.register(
        agency,
        registrar,
        ApplicationInput(**{**org.__dict__, "items": [ItemInput("2025年第一季度政府采购意向公开目录")]}),
        channel=Channel.IN_PERSON,
        received_date=today - dt.timedelta(days=20),
        applicant=firm,
    )
    ops.assign(done, registrar, department=department, handler=handler)
    ops.start_handling(done, handler)
    (item,) = done.items
    ops.decide_item(item, handler, outcome="granted")
    ops.attach_information(
        done,
        handler,
        upload=Upload("2025年第一季度政府采购意向.pdf", _PDF),
        purpose="provided",
        title="政府采购意向公开目录",
    )
    ops.draft_reply(done, handler)
    ops.submit_for_review(done, handler)
    ops.review(done, head, stage="office", approve=True, comment="")
    ops.review(done, legal, stage="legal", approve=True, comment="")
    ops.issue(done, registrar)
    ops.deliver(done, registrar, channel="email")
    db.session.flush()


def _decide_partly(app, registrar, handler, department) -> None:
    ops.assign(app, registrar, department=department, handler=handler)
    ops.start_handling(app, handler)
    first, second = app.items
    ops.decide_item(first, handler, outcome="granted")
    ops.decide_item(
        second,
        handler,
        outcome="partial",
        withheld_parts="合同附件中投标人的报价明细和技术方案",
        withheld_outcome="deny_third_party",
        reasons="经征求第三方意见，第三方认为上述内容属于商业秘密，不同意公开",
    )
    ops.attach_information(
        app, handler, upload=Upload("招标文件.pdf", _PDF), purpose="provided", title="2025年市政道路维修工程招标文件"
    )
    ops.attach_information(
        app, handler, upload=Upload("合同-删除处理.pdf", _PDF), purpose="redacted", title="中标合同（区分处理后）"
    )
    ops.draft_reply(app, handler)

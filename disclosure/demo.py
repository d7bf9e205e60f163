"""Demo data: two agencies, one staff user for every role, a few citizens.

Idempotent: a second run finds the demo agencies and changes nothing. Passwords are random and printed once;
`disclosure users set-password EMAIL` sets a new one. Domain packages add their own demo data by
following `core.signals.demo_data`; each receiver gets the dict of created objects and must also be idempotent.
"""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from disclosure.accounts import operations as ops
from disclosure.accounts.models import Agency, ApplicantProfile, User
from disclosure.accounts.roles import ApplicantCategory, ApplicantType, Role, UserKind
from disclosure.core import signals
from disclosure.core.timeutil import utcnow
from disclosure.core.validators import make_credit_code
from disclosure.extensions import db

DEMO_AGENCIES = [
    {
        "slug": "demo-gov",
        "full_name": "示例市人民政府办公室",
        "short_name": "示例市政府办",
        "credit_code": make_credit_code("11", "330100", "00250001"),
        "division_code": "330100",
        "address": "示例市人民大道1号",
        "postal_code": "310000",
        "office_hours": "工作日 9:00–12:00，13:30–17:00",
        "phone": "0571-12345678",
        "fax": "0571-12345679",
        "email": "gongkai@demo-gov.example.cn",
        "website": "http://www.demo-gov.example.cn",
        # A working body of the city government: reconsideration by 本级人民政府 (复议法 Art. 24(1)); not itself a
        # county-level-or-above government, so litigation starts in the basic court where it sits (诉讼法 Art. 15, 18).
        "reconsideration_body": "示例市人民政府",
        "litigation_court": "示例市上城区人民法院",
        "doc_number_prefixes": {"reply": "示政办公开", "notice": "示政办公开告", "receipt": "示政办公开回执"},
    },
    {
        "slug": "demo-finance",
        "full_name": "示例市财政局",
        "short_name": "示例市财政局",
        "credit_code": make_credit_code("11", "330100", "00250002"),
        "division_code": "330100",
        "address": "示例市财政路8号",
        "postal_code": "310001",
        "office_hours": "工作日 8:30–12:00，14:00–17:30",
        "phone": "0571-87654321",
        "fax": "0571-87654322",
        "email": "gongkai@demo-finance.example.cn",
        "website": "http://czj.demo-gov.example.cn",
        "reconsideration_body": "示例市人民政府",
        "litigation_court": "示例市上城区人民法院",
        "doc_number_prefixes": {"reply": "示财公开", "notice": "示财公开告", "receipt": "示财公开回执"},
    },
]

DEPARTMENTS = [("政务公开科", False), ("法规科", True), ("综合科", False)]

# Staff names per agency, one per role (the demo shows what real lists look like).
STAFF_NAMES = {
    "demo-gov": {
        Role.REGISTRAR: "陈晓梅",
        Role.HANDLER: "刘建国",
        Role.OFFICE_HEAD: "王振华",
        Role.LEGAL_REVIEWER: "赵立新",
        Role.CATALOG_EDITOR: "孙丽",
        Role.SECRECY_REVIEWER: "周涛",
        Role.PUBLICITY_CLERK: "吴静",
        Role.CREDIT_SUPERVISOR: "郑强",
        Role.SUPERVISOR: "许文博",
        Role.AGENCY_ADMIN: "冯磊",
        Role.SYS_ADMIN: "何平",
    },
    "demo-finance": {
        Role.REGISTRAR: "林芳",
        Role.HANDLER: "黄志强",
        Role.OFFICE_HEAD: "杨帆",
        Role.LEGAL_REVIEWER: "朱丹",
        Role.CATALOG_EDITOR: "胡晓",
        Role.SECRECY_REVIEWER: "高远",
        Role.PUBLICITY_CLERK: "罗敏",
        Role.CREDIT_SUPERVISOR: "梁斌",
        Role.AGENCY_ADMIN: "宋佳",
    },
}

CITIZENS = [
    (
        "zhang.san@example.cn",
        "张三",
        ApplicantType.PERSON,
        ApplicantCategory.NATURAL_PERSON,
        {"doc_type": "resident_id", "doc_number": "11010519491231002X"},
    ),
    (
        "li.si@example.cn",
        "李四",
        ApplicantType.PERSON,
        ApplicantCategory.NATURAL_PERSON,
        {"doc_type": "resident_id", "doc_number": "440524188001010014"},
    ),
    (
        "law@example-firm.cn",
        "王五",
        ApplicantType.ORGANISATION,
        ApplicantCategory.LEGAL_SERVICE,
        {"org_name": "示例律师事务所", "org_credit_code": make_credit_code("31", "330100", "MA2H0K3P")},
    ),
]


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo data if missing. Returns (email, role description, password) for accounts created now."""
    created: list[tuple[str, str, str]] = []
    objects: dict = {"agencies": []}
    for spec in DEMO_AGENCIES:
        agency = db.session.execute(db.select(Agency).where(Agency.slug == spec["slug"])).scalar_one_or_none()
        if agency is None:
            # The city's bureaux sit under the government's general office, the competent department that
            # supervises their disclosure work (条例 Art. 47; issue 14).
            parent = objects["agencies"][0] if objects["agencies"] else None
            agency = ops.save_agency(None, {**spec, "parent_id": parent.id if parent else None})
            for name, legal in DEPARTMENTS:
                ops.add_department(agency, name, is_legal=legal)
        objects["agencies"].append(agency)
        for role in Role:
            if role in (Role.SYS_ADMIN, Role.SUPERVISOR) and spec["slug"] != "demo-gov":
                continue
            email = f"{role.value.replace('_', '-')}@{spec['slug']}.example.cn"
            if ops.find_user_by_email(email):
                continue
            password = secrets.token_urlsafe(9) + "7a"
            dep = next((d for d in agency.departments if d.is_legal == (role is Role.LEGAL_REVIEWER)), None)
            ops.create_staff(
                agency=agency,
                email=email,
                name=STAFF_NAMES[spec["slug"]][role],
                password=password,
                roles=[role],
                department=dep,
            )
            created.append((email, f"{spec['slug']} {role.value}", password))
    for email, name, kind, category, extra in CITIZENS:
        if ops.find_user_by_email(email):
            continue
        password = secrets.token_urlsafe(9) + "7a"
        user = User(email=email, name=name, kind=UserKind.APPLICANT, email_confirmed_at=utcnow())
        user.set_password(password)
        user.profile = ApplicantProfile(
            applicant_type=kind,
            category=category,
            phone="13800000000",
            postal_address="示例市幸福路100号",
            postal_code="310002",
            **extra,
        )
        db.session.add(user)
        created.append((email, f"applicant ({category.value})", password))
    db.session.flush()
    signals.demo_data.send(current_app._get_current_object(), objects=objects)
    return created


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load demo data (idempotent) and print the passwords of the accounts it created."""
    created = load_demo()
    db.session.commit()
    if not created:
        click.echo(
            "Demo data already present; nothing changed. "
            "Use `disclosure users set-password EMAIL` if you lost a password."
        )
        return
    click.echo("Demo accounts (passwords are shown only now):")
    for email, what, password in created:
        click.echo(f"  {email:45} {password:16} {what}")

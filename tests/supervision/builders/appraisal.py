"""Public appraisal's records for the figures' exactness test: survey answers to every agency of the tree, on days
inside and outside the usual periods around `today`, satisfied and not; and applicants' ratings of issued replies
at the first bureau and at the outsider, satisfied and not. Everything goes through the operations (the survey's
own, and the applications package's filing, handling, issuing and rating); only a rating's day is set afterwards,
as no operation takes one (a rating is dated when it is given)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

# (days before today, overall, aspects) per answer; every agency gets the same pattern, shifted by its position.
ANSWERS = (
    (0, 5, {"finding": "4", "timeliness": "5"}),
    (2, 4, {}),
    (9, 2, {"clarity": "1"}),
    (31, 3, {"finding": "3", "timeliness": "2", "clarity": "3"}),
    (70, 5, {"clarity": "5"}),
    (120, 1, {}),
    (380, 4, {"finding": "5"}),
)
# (agency attribute of the tree, days before today, satisfied)
RATINGS = (("bureau", 1, True), ("bureau", 40, False), ("outsider", 3, True))


def open_survey(agency, actor) -> None:
    from disclosure.supervision.appraisal import operations

    operations.save_settings(agency, survey_open=True, actor=actor)


def answer(agency, today: dt.date, *, overall: int, address: str = "198.51.100.7", comment: str = "", **aspects):
    """One survey answer through the operation, on `today`."""
    from disclosure.supervision.appraisal import operations

    data = {"overall": str(overall), "comment": comment, **aspects}
    response, _created = operations.submit_response(agency, data, address=address, today=today)
    return response


def _staff(agency, role, n: int):
    from disclosure.accounts import operations as accounts
    from disclosure.accounts.roles import Role

    email = f"appraisal-{role}-{agency.id}@example.gov.cn"
    user = accounts.find_user_by_email(email)
    if user is None:
        department = agency.departments[0] if role != "legal_reviewer" else agency.departments[-1]
        user = accounts.create_staff(
            agency=agency,
            email=email,
            name=f"评议{n}",
            password="correct-horse-7battery",
            roles=[Role(role)],
            department=department,
        )
    return user


def _citizen(n: int):
    from disclosure.accounts.models import ApplicantProfile, User
    from disclosure.accounts.roles import ApplicantCategory, ApplicantType, UserKind
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db

    user = User(
        email=f"appraisal-citizen-{n}@example.cn",
        name=f"评价人{n}",
        kind=UserKind.APPLICANT,
        email_confirmed_at=utcnow(),
    )
    user.set_password("correct-horse-7battery")
    user.profile = ApplicantProfile(
        applicant_type=ApplicantType.PERSON,
        category=ApplicantCategory.NATURAL_PERSON,
        doc_type="resident_id",
        doc_number="11010519491231002X",
        phone="13800000000",
        postal_address="测试市幸福路1号",
    )
    db.session.add(user)
    db.session.flush()
    return user


def rated_case(agency, *, satisfied: bool, on: dt.date, comment: str = "", n: int = 0):
    """A citizen's request to `agency`, handled and issued through the applications operations, then rated by the
    citizen; the rating is dated `on` (10:00 Beijing time). Returns the case."""
    from disclosure.applications import operations as ops
    from disclosure.core.timeutil import CHINA_TZ
    from disclosure.extensions import db
    from tests.factories import application_input, issue_partial

    world = SimpleNamespace(
        registrar=_staff(agency, "registrar", n),
        handler=_staff(agency, "handler", n),
        head=_staff(agency, "office_head", n),
        legal=_staff(agency, "legal_reviewer", n),
        department=agency.departments[0],
    )
    citizen = _citizen(f"{agency.id}-{n}-{on.isoformat()}")
    case = ops.file_online(citizen, agency, application_input())
    ops.confirm(case, world.registrar)
    issue_partial(world, case)
    rating = ops.rate(case, citizen, satisfied=satisfied, comment=comment)
    rating.created_at = dt.datetime(on.year, on.month, on.day, 10, tzinfo=CHINA_TZ)
    db.session.flush()
    return case


def build(tree, today: dt.date) -> None:
    from disclosure.extensions import db

    agencies = (tree.office, tree.bureau, tree.bureau2, tree.outsider)
    for position, agency in enumerate(agencies):
        open_survey(agency, tree.supervisor)
        for i, (days, overall, aspects) in enumerate(ANSWERS):
            answer(
                agency,
                today - dt.timedelta(days=days + position),
                overall=overall,
                address=f"198.51.100.{i}",
                comment="希望栏目更新更及时。" if i % 3 == 0 else "",
                **aspects,
            )
    for n, (name, days, satisfied) in enumerate(RATINGS):
        rated_case(getattr(tree, name), satisfied=satisfied, on=today - dt.timedelta(days=days), n=n)
    db.session.commit()

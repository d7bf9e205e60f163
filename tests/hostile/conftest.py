"""The walkers and the seeded objects of the hostile-input walk (tests/hostile/walk.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_login import AnonymousUserMixin

from disclosure.accounts.roles import Role
from disclosure.api import issue_token
from disclosure.api.models import SCOPES
from disclosure.catalog.seeds import ensure_classifications
from disclosure.extensions import db
from disclosure.participation.operations.consultations import ensure_kinds
from disclosure.publicity.rules import ensure_defaults
from tests.hostile.walk import DECOY_TOKEN, WALKER_TOKEN

# PostgreSQL's sequences go on after the suite empties a table, where SQLite's ids start again at 1: started again at
# the next free id, so that a placeholder id (1) names the first row in every shard, whichever shard ran before it.
RESTART_IDS = """
DO $$
DECLARE r record; top bigint;
BEGIN
  FOR r IN SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
           FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
           WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0
             AND NOT a.attisdropped AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL
  LOOP
    EXECUTE format('SELECT coalesce(max(%I), 0) FROM %I', r.col, r.tbl) INTO top;
    PERFORM setval(r.seq, top + 1, false);
  END LOOP;
END $$
"""


@pytest.fixture
def walkers(app, make_agency, make_staff, make_applicant, login):
    """name -> (client, user); "api" carries a bearer token of every scope (user None: API views have no policy)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text(RESTART_IDS))
        db.session.commit()
    agency = make_agency()
    out = {"anonymous": (app.test_client(), AnonymousUserMixin())}
    staff = make_staff(
        agency, roles=[r for r in Role if r is not Role.SYS_ADMIN], department=agency.departments[0]
    )  # every case role, the handler's included (a case is assigned to them)
    admin = make_staff(agency, roles=[Role.SYS_ADMIN])
    applicant = make_applicant()
    for name, user in (("staff", staff), ("sys_admin", admin), ("applicant", applicant)):
        c = app.test_client()
        login(c, user)
        out[name] = (c, user)
    # A decoy token first, so that the ids the walk may revoke are not the walker's own: the placeholder id (1) of
    # POST /admin/api-tokens/<token_id>/revoke and the real walk's `token_id` name the decoy, and the walker's token
    # stays valid for every API route walked after the revoke route (a revoked one answers 401 before the view).
    decoy, _secret = issue_token(agency, name=DECOY_TOKEN, scopes=list(SCOPES))
    token, secret = issue_token(agency, name=WALKER_TOKEN, scopes=list(SCOPES))
    assert decoy.id == 1 != token.id, (decoy.id, token.id)  # the placeholder id names the decoy
    # The rows the migrations seed (the suite empties every table after each test): every shard finds them, whatever
    # routes it holds and whichever route would seed them on its first visit (the kinds' list does).
    ensure_classifications(db.session)
    ensure_defaults()
    ensure_kinds()
    db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    out["api"] = (api, None)
    return out


@pytest.fixture
def real_objects(app, walkers):
    """The objects the routes take, seeded through the operations: [{variable: value}], one dict per object."""
    from disclosure.accounts.models import Agency, User
    from disclosure.api.models import ApiToken
    from disclosure.applications import letters as case_letters
    from disclosure.applications import operations as ops
    from disclosure.applications.models import Application
    from disclosure.catalog.models import Genre, Theme
    from disclosure.catalog.operations import entries as catalog_ops
    from disclosure.core.outbox import OutboxMessage
    from disclosure.core.timeutil import today_china
    from disclosure.participation.models import ConsultationKind
    from disclosure.publicity import operations as pub_ops
    from disclosure.publicity.models import CatalogueVersion
    from disclosure.workdays.operations import set_override
    from tests.factories import (
        PENALTY_MATTER,
        application_input,
        attach,
        decide_partial,
        issue_partial,
        penalty_raw,
        save,
        to_in_handling,
    )

    staff = walkers["staff"][1]
    citizen = walkers["applicant"][1]
    agency = db.session.get(Agency, staff.agency_id)
    world = type("World", (), {})()  # the steps of tests/factories.py, every case role held by the one staff member
    world.agency, world.department = agency, agency.departments[0]
    world.registrar = world.handler = world.head = world.legal = db.session.get(User, staff.id)
    today = today_china()
    with app.test_request_context("/"):
        draft = ops.save_draft(citizen, agency, application_input())
        sent = ops.file_online(citizen, agency, application_input())
        received = ops.file_online(citizen, agency, application_input())
        ops.confirm(received, world.registrar)
        handling = ops.file_online(citizen, agency, application_input())
        ops.confirm(handling, world.registrar)
        ops.assign(handling, world.registrar, department=world.department, handler=world.handler)
        ops.start_handling(handling, world.handler)
        attach(world, handling)
        issued = ops.file_online(citizen, agency, application_input())
        ops.confirm(issued, world.registrar)
        issue_partial(world, issued)
        ops.record_remedy(issued, world.registrar, kind="reconsideration", body="测试市人民政府", filed_date=today)
        review = ops.file_online(citizen, agency, application_input())
        ops.confirm(review, world.registrar)
        to_in_handling(world, review)
        decide_partial(world, review)
        ops.draft_reply(review, world.handler)
        ops.submit_for_review(review, world.handler)
        matter = pub_ops.save_matter(agency, dict(PENALTY_MATTER))
        pub = type("Pub", (), {"agency": agency, "penalty_matter": matter})()
        record = save(pub, penalty_raw(pub))
        entry = catalog_ops.create_entry(
            agency,
            {
                "title": "关于做好2026年政务公开工作的通知",
                "made_on": dt.date(2026, 3, 2).isoformat(),
                "document_number": "测政办发〔2026〕5号",
                "theme_id": str(db.session.execute(db.select(Theme.id).where(Theme.name == "政务公开")).scalar_one()),
                "genre_id": str(db.session.execute(db.select(Genre.id).where(Genre.name == "通知")).scalar_one()),
                "category": "art20_15",
                "doc_kind": "other",
                "attribute": "proactive",
                "body_html": "<p>现将有关事项通知如下。</p>",
            },
            actor=world.head,
        )
        override = set_override(dt.date(today.year, 12, 31), is_working=False, source="测试通知", actor=world.head)
        db.session.commit()
    objects: list[dict] = [{"draft_id": draft.id}]
    for case in (sent, received, handling, review, issued):
        case = db.session.get(Application, case.id)
        files = [a.id for a in case.attachments] or [None]
        for letter in case_letters.letters_for(case) or [None]:
            objects.append(
                {"case_id": case.id, "reference": case.reference, "letter_id": getattr(letter, "id", None)}
                | {"attachment_id": files[0]}
            )
        objects.append({"case_id": case.id, "reference": case.reference})
    letters = [o["letter_id"] for o in objects if o.get("letter_id")]
    objects += [{"letter_id": letter} for letter in letters]
    version = db.session.execute(db.select(CatalogueVersion.id).limit(1)).scalar()
    objects += [
        {"record_id": record.id, "matter_id": matter.id, "kind": "penalty"}
        | ({"version_id": version} if version else {}),
        {"user_id": staff.id, "agency_id": agency.id, "year": today.year, "override_id": override.id},
        {"user_id": citizen.id},
        {"token_id": db.session.execute(db.select(ApiToken.id).where(ApiToken.name == DECOY_TOKEN)).scalar_one()},
        {"msg_id": db.session.execute(db.select(OutboxMessage.id)).scalars().first()},
        {"kind_id": db.session.execute(db.select(ConsultationKind.id)).scalars().first()},
        {"entry_id": entry.id, "revision": 1},
        {"kind": "reply"},
    ]
    return [{k: v for k, v in o.items() if v is not None} for o in objects]

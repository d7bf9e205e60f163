"""Supervision fixtures: a small agency tree — a city government's general office (the competent department) with
two bureaux under it and an unrelated agency beside it — with a supervisor, office heads and administrators, and an
English-reading client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from disclosure.accounts.roles import Role


@dataclass
class Tree:
    office: object  # 示例市人民政府办公室: the competent department
    bureau: object  # under the office
    bureau2: object  # under the office
    outsider: object  # not under the office
    supervisor: object  # Role.SUPERVISOR at the office
    head: object  # office head at `bureau`
    head2: object  # office head at `bureau2`
    outsider_head: object
    admin: object  # agency administrator at `bureau`
    handler: object  # a handler at `bureau`: sees no supervision figures


@pytest.fixture
def tree(make_agency, make_staff, db_session):
    from disclosure.extensions import db

    office = make_agency(full_name="测试市人民政府办公室", short_name="测试市政府办")
    bureau = make_agency(full_name="测试市教育局", short_name="测试市教育局")
    bureau2 = make_agency(full_name="测试市民政局", short_name="测试市民政局")
    outsider = make_agency(full_name="另一市财政局", short_name="另一市财政局")
    bureau.parent_id = office.id
    bureau2.parent_id = office.id
    db.session.flush()
    t = Tree(
        office=office,
        bureau=bureau,
        bureau2=bureau2,
        outsider=outsider,
        supervisor=make_staff(office, roles=[Role.SUPERVISOR]),
        head=make_staff(bureau, roles=[Role.OFFICE_HEAD]),
        head2=make_staff(bureau2, roles=[Role.OFFICE_HEAD]),
        outsider_head=make_staff(outsider, roles=[Role.OFFICE_HEAD]),
        admin=make_staff(bureau, roles=[Role.AGENCY_ADMIN]),
        handler=make_staff(bureau, roles=[Role.HANDLER]),
    )
    db.session.commit()
    return t


@pytest.fixture
def en(client):
    """The test client, reading the pages in English."""
    with client.session_transaction() as s:
        s["lang"] = "en"
    return client


@pytest.fixture
def use(en, login):
    """Log the English client in as this user, logging out whoever was in (`use(tree.supervisor)`)."""

    def switch(user):
        en.post("/logout")
        login(en, user)
        with en.session_transaction() as s:
            s["lang"] = "en"
        return en

    return switch


def in_english(message) -> str:
    """A (lazy) message as an English reader sees it."""
    from flask import current_app
    from flask_babel import force_locale

    with current_app.test_request_context("/"), force_locale("en"):
        return str(message)

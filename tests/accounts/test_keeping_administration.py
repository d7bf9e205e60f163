"""Administration cannot lock itself out: an administrator cannot disable their own account or remove their own
administrator role, and no change leaves the deployment without an active system administrator, also when two
administrators demote each other at the same moment (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from disclosure.accounts import operations as ops
from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from tests.accounts.test_admin_users import _form


def _update(user, roles, *, by, active=True):
    ops.update_staff(user, name=user.name, roles=roles, department_id=None, active=active, by=by)


@pytest.mark.parametrize("role", [Role.SYS_ADMIN, Role.AGENCY_ADMIN])
def test_an_administrator_cannot_remove_their_own_administrator_role(client, make_agency, make_staff, login, role):
    agency = make_agency()
    make_staff(agency, roles=[Role.SYS_ADMIN])  # not the last system administrator: the rule is about oneself
    admin = make_staff(agency, roles=[role, Role.HANDLER])
    login(client, admin)
    resp = client.post(f"/admin/users/{admin.id}", data=_form(admin, roles=["handler"], name="改了名"))
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "不能取消自己的" in page and "请由其他管理员操作" in page
    db.session.expire_all()
    kept = db.session.get(User, admin.id)
    assert kept.roles == {role, Role.HANDLER} and kept.active and kept.name != "改了名"  # nothing half-saved
    assert client.get("/admin/users").status_code == 200  # still an administrator


def test_an_administrator_may_still_change_their_other_roles(client, make_agency, make_staff, login):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN, Role.HANDLER])
    login(client, admin)
    resp = client.post(f"/admin/users/{admin.id}", data=_form(admin, roles=["agency_admin", "registrar"]))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == {Role.AGENCY_ADMIN, Role.REGISTRAR}


def test_disabling_oneself_is_refused_beside_the_active_box(client, make_agency, make_staff, login):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    resp = client.post(f"/admin/users/{admin.id}", data=_form(admin, active=None))
    assert resp.status_code == 200
    assert "不能停用自己的账号。" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_the_last_active_system_administrator_stays(make_agency, make_staff, app_ctx):
    agency = make_agency()
    root = make_staff(agency, roles=[Role.SYS_ADMIN])
    retired = make_staff(agency, roles=[Role.SYS_ADMIN])
    _update(retired, [Role.SYS_ADMIN], by=root, active=False)  # a disabled one does not count
    db.session.commit()
    for roles, active in (([Role.HANDLER], True), ([Role.SYS_ADMIN], False)):
        with pytest.raises(DomainError) as exc:
            _update(root, roles, by=None, active=active)  # not even the server operator
        assert "唯一在用的系统管理员" in str(exc.value.message)
        db.session.rollback()
    successor = make_staff(agency, roles=[Role.SYS_ADMIN])
    _update(root, [Role.HANDLER], by=successor)
    db.session.commit()
    assert root.roles == {Role.HANDLER}
    with pytest.raises(DomainError):
        _update(successor, [Role.HANDLER], by=None)


def test_two_system_administrators_demoting_each_other_at_once_leave_one(app, make_agency, make_staff):
    """Each sees the other as the remaining administrator; the lock makes the second count again after the first
    committed."""
    agency = make_agency()
    first, second = make_staff(agency, roles=[Role.SYS_ADMIN]), make_staff(agency, roles=[Role.SYS_ADMIN])
    ids = (first.id, second.id)
    db.session.commit()
    db.session.rollback()  # the test's own session must not hold SQLite's write lock while they work
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def work(i):
        with app.test_request_context("/", method="POST"):
            actor, target = db.session.get(User, ids[i]), db.session.get(User, ids[1 - i])
            assert actor.is_sys_admin and target.is_sys_admin  # each sees the other still in office
            db.session.rollback()  # SQLite: do not hold BEGIN IMMEDIATE's write lock while waiting
            barrier.wait(timeout=60)
            try:
                _update(target, [Role.HANDLER], by=actor)
                db.session.commit()
                results[i] = "demoted"
            except DomainError as exc:
                db.session.rollback()
                results[i] = str(exc.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # The second is refused either way: by the count (both passed the access check before either committed) or,
    # when the first had committed before it read its own roles, because it no longer administers the system.
    assert sorted(results, key=lambda r: r != "demoted")[0] == "demoted", results
    assert results.count("demoted") == 1, results
    with app.app_context():
        admins = [u for u in db.session.execute(db.select(User).where(User.id.in_(ids))).scalars() if u.is_sys_admin]
        assert len(admins) == 1


def test_the_second_demotion_waits_for_the_first_and_counts_again(app, make_agency, make_staff):
    """The first demotion is written but not committed when the second starts: on PostgreSQL the second passes the
    access check (the first's change is not visible yet), waits on the lock, and counts after the first committed;
    on SQLite it waits for the write lock and then no longer administers the system. Either way one stays."""
    agency = make_agency()
    first, second = make_staff(agency, roles=[Role.SYS_ADMIN]), make_staff(agency, roles=[Role.SYS_ADMIN])
    ids = (first.id, second.id)
    db.session.commit()
    db.session.rollback()
    written, started = threading.Event(), threading.Event()
    results: list = [None, None]

    def demote(i, before_commit=None):
        with app.test_request_context("/", method="POST"):
            try:
                actor, target = db.session.get(User, ids[i]), db.session.get(User, ids[1 - i])
                _update(target, [Role.HANDLER], by=actor)
                db.session.flush()
                if before_commit:
                    before_commit()
                db.session.commit()
                results[i] = "demoted"
            except DomainError as exc:
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    def hold():
        written.set()
        started.wait(timeout=60)
        threading.Event().wait(0.5)  # the second is now waiting on the lock

    one = threading.Thread(target=demote, args=(0, hold))
    one.start()
    assert written.wait(timeout=60)
    two = threading.Thread(target=demote, args=(1,))
    two.start()
    started.set()
    one.join(timeout=120)
    two.join(timeout=120)
    assert results[0] == "demoted", results
    assert isinstance(results[1], DomainError), results
    if app.extensions["sqlalchemy"].engine.dialect.name == "postgresql":
        assert "唯一在用的系统管理员" in str(results[1].message)
    with app.app_context():
        assert db.session.get(User, ids[0]).is_sys_admin and not db.session.get(User, ids[1]).is_sys_admin

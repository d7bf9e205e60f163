"""Staff user administration: an administrator changes only users whose roles all lie within their own grant,
and grants only roles within it (issue 10, "Security")."""

import pytest

from disclosure.accounts import operations as ops
from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.core.errors import NotAllowed
from disclosure.extensions import db


def _form(user, **change):
    data = {
        "name": user.name,
        "email": user.email,
        "agency_id": user.agency_id,
        "department_id": 0,
        "roles": sorted(r.value for r in user.roles),
        "active": "y",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_agency_admin_cannot_demote_or_disable_a_sys_admin(client, make_agency, make_staff, login, app_ctx):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    root = make_staff(agency, roles=[Role.SYS_ADMIN])
    root_client = client.application.test_client()
    login(root_client, root)
    login(client, admin)
    assert client.get(f"/admin/users/{root.id}").status_code == 403
    resp = client.post(f"/admin/users/{root.id}", data=_form(root, roles=["registrar"], active=None))
    assert resp.status_code == 403
    db.session.refresh(root)
    assert root.roles == {Role.SYS_ADMIN} and root.active
    assert root_client.get("/admin/agencies").status_code == 200  # still logged in, still a system administrator
    # the list shows the system administrator without a link to the form
    page = client.get("/admin/users").get_data(as_text=True)
    assert root.name in page and f"/admin/users/{root.id}" not in page


def test_agency_admin_manages_users_within_their_grant(client, make_agency, make_staff, login, app_ctx):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    clerk = make_staff(agency, roles=[Role.HANDLER])
    login(client, admin)
    assert client.get(f"/admin/users/{clerk.id}").status_code == 200
    resp = client.post(f"/admin/users/{clerk.id}", data=_form(clerk, roles=["registrar", "office_head"]))
    assert resp.status_code == 302
    db.session.refresh(clerk)
    assert clerk.roles == {Role.REGISTRAR, Role.OFFICE_HEAD}
    # granting the system administrator role is outside the grant: refused, nothing changes
    resp = client.post(f"/admin/users/{clerk.id}", data=_form(clerk, roles=["sys_admin"]))
    assert resp.status_code == 200
    db.session.refresh(clerk)
    assert clerk.roles == {Role.REGISTRAR, Role.OFFICE_HEAD}


def test_sys_admin_changes_a_sys_admin(client, make_agency, make_staff, login, app_ctx):
    agency = make_agency()
    root = make_staff(agency, roles=[Role.SYS_ADMIN])
    other = make_staff(agency, roles=[Role.SYS_ADMIN])
    login(client, root)
    resp = client.post(f"/admin/users/{other.id}", data=_form(other, roles=["registrar"]))
    assert resp.status_code == 302
    db.session.refresh(other)
    assert other.roles == {Role.REGISTRAR}


def test_the_rule_lives_in_the_operation(make_agency, make_staff, app_ctx):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    root = make_staff(agency, roles=[Role.SYS_ADMIN, Role.HANDLER])
    clerk = make_staff(agency, roles=[Role.HANDLER])
    handler = make_staff(agency, roles=[Role.HANDLER, Role.OFFICE_HEAD])
    with pytest.raises(NotAllowed):  # a user with one role beyond the grant cannot be changed at all
        ops.update_staff(root, name=root.name, roles=[Role.HANDLER], department_id=None, active=False, by=admin)
    with pytest.raises(NotAllowed):  # nor can a role beyond the grant be given
        ops.update_staff(clerk, name=clerk.name, roles=[Role.SYS_ADMIN], department_id=None, active=True, by=admin)
    with pytest.raises(NotAllowed):  # someone who is not an administrator grants nothing
        ops.update_staff(clerk, name="x", roles=[Role.HANDLER], department_id=None, active=True, by=handler)
    with pytest.raises(NotAllowed):
        ops.create_staff(
            agency=agency, email="new@example.gov.cn", name="新", password="a-good-passw0rd",
            roles=[Role.SYS_ADMIN], by=admin,
        )  # fmt: skip
    db.session.rollback()
    other_agency = make_agency()
    with pytest.raises(NotAllowed):
        ops.create_staff(
            agency=other_agency, email="new@example.gov.cn", name="新", password="a-good-passw0rd",
            roles=[Role.HANDLER], by=admin,
        )  # fmt: skip
    db.session.rollback()
    assert db.session.execute(db.select(User).where(User.email == "new@example.gov.cn")).scalar_one_or_none() is None
    assert ops.grantable_roles(admin) == set(Role) - {Role.SYS_ADMIN}
    assert ops.grantable_roles(handler) == set()
    assert ops.may_manage(admin, clerk) and not ops.may_manage(admin, root)
    assert not ops.may_manage(admin, make_staff(other_agency, roles=[Role.HANDLER]))


def test_refusal_is_translated(client, make_agency, make_staff, login, app_ctx):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    clerk = make_staff(agency, roles=[Role.HANDLER])
    from flask_babel import force_locale

    with client.application.test_request_context(), force_locale("zh_CN"):
        with pytest.raises(NotAllowed) as exc:
            ops.update_staff(clerk, name="x", roles=[Role.SYS_ADMIN], department_id=None, active=True, by=admin)
        assert str(exc.value.message) == "您无权授予以下角色：系统管理员。"

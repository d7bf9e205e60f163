"""Logout, password change and deactivation end sessions server-side (issue 10, "Security"): neither the
remember-me cookie nor a session cookie copied before logout lets anyone back in."""

from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.core.audit import AuditEvent
from disclosure.extensions import db
from tests.conftest import TEST_PASSWORD

REMEMBER = "remember_token"


def _login(client, user, remember=False):
    data = {"email": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    resp = client.post("/login", data=data)
    assert resp.status_code == 302
    return resp


def _browser_with(app, **cookies):
    """A fresh browser holding only the given cookies (a reopened browser, or someone who copied them)."""
    c = app.test_client()
    for name, value in cookies.items():
        c.set_cookie(name, value)
    return c


def test_remember_cookie_does_not_survive_logout(app, client, make_applicant, app_ctx):
    user = make_applicant()
    _login(client, user, remember=True)
    remember = client.get_cookie(REMEMBER).value
    # the browser is closed and reopened: the remember-me cookie alone logs in again (as it should) …
    assert _browser_with(app, **{REMEMBER: remember}).get("/profile").status_code == 200
    resp = client.post("/logout")
    assert resp.status_code == 302
    # … logout deletes the cookie from this browser …
    assert client.get_cookie(REMEMBER) is None
    assert client.get("/profile").status_code == 302
    # … and a copy of it kept elsewhere no longer works either
    reopened = _browser_with(app, **{REMEMBER: remember})
    resp = reopened.get("/profile")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "user.logged_out")).scalar_one()


def test_session_cookie_copied_before_logout_stops_working(app, client, make_applicant, app_ctx):
    user = make_applicant()
    _login(client, user)
    copied = client.get_cookie("session").value
    assert _browser_with(app, session=copied).get("/profile").status_code == 200
    client.post("/logout")
    resp = _browser_with(app, session=copied).get("/profile")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    # logging in again gives a new session that works
    _login(client, user)
    assert client.get("/profile").status_code == 200


def test_deactivation_ends_the_users_sessions(app, client, make_agency, make_staff, login, app_ctx):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    clerk = make_staff(agency, roles=[Role.HANDLER])
    clerk_client = app.test_client()
    _login(clerk_client, clerk, remember=True)
    remember = clerk_client.get_cookie(REMEMBER).value
    assert clerk_client.get("/staff/").status_code == 200
    login(client, admin)
    data = {"name": clerk.name, "email": clerk.email, "agency_id": agency.id, "department_id": 0, "roles": ["handler"]}
    assert client.post(f"/admin/users/{clerk.id}", data=data).status_code == 302  # no "active": disabled
    assert not db.session.get(User, clerk.id).active
    assert clerk_client.get("/staff/").status_code == 302
    assert _browser_with(app, **{REMEMBER: remember}).get("/staff/").status_code == 302


def test_password_change_ends_remembered_sessions(app, client, make_applicant, app_ctx):
    user = make_applicant()
    _login(client, user, remember=True)
    remember = client.get_cookie(REMEMBER).value
    user.set_password("changed-passw0rd")
    db.session.commit()
    assert _browser_with(app, **{REMEMBER: remember}).get("/profile").status_code == 302

"""Confirmation and reset links (issue 10, "Security"): they carry nothing secret, stop working once used,
and an expired, used or broken link says so on a page of its own instead of redirecting to itself."""

import base64
import json
import re

from disclosure.accounts import tokens
from disclosure.accounts.models import User
from disclosure.extensions import db
from tests.accounts.test_registration_login import GOOD


def _payload(token: str) -> str:
    part = token.split(".")[0]
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    return raw.decode()


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_links_carry_no_session_token_or_password_hash(make_applicant, app_ctx):
    user = make_applicant(confirmed=False)
    for purpose in ("reset", "confirm"):
        payload = _payload(tokens.make_token(user, purpose))
        assert user.session_token not in payload
        assert user.password_hash.split("$")[-1] not in payload
        uid, fingerprint = json.loads(payload)
        assert uid == user.id and len(fingerprint) == 32
    # a link for one purpose is no good for the other
    assert tokens.read_token(tokens.make_token(user, "reset"), "confirm", 3600) == (None, "invalid")


def test_reset_link_stops_working_when_the_password_changes(client, make_applicant, app_ctx):
    user = make_applicant()
    link = f"/password/reset/{tokens.make_token(user, 'reset')}"
    assert client.get(link).status_code == 200
    user.set_password("changed-passw0rd")  # e.g. by another reset link, or the command line
    db.session.commit()
    resp = client.get(link)
    assert resp.status_code == 400 and "Location" not in resp.headers
    body = resp.get_data(as_text=True)
    assert "重置链接无效或已被使用" in body and 'href="/password/forgot"' in body


def test_reset_link_survives_logout_but_not_deactivation(client, make_applicant, login, app_ctx):
    user = make_applicant()
    link = f"/password/reset/{tokens.make_token(user, 'reset')}"
    login(client, user)
    client.post("/logout")  # logout rotates the session token, which links no longer depend on
    assert client.get(link).status_code == 200
    user = db.session.get(User, user.id)
    user.active = False
    db.session.commit()
    assert client.get(link).status_code == 400


def test_confirmation_link_works_until_the_address_is_confirmed(client, smtp_server, app_ctx):
    assert client.post("/register", data=GOOD).status_code == 302
    link = _link(smtp_server.to(GOOD["email"])[0])
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    user = db.session.execute(db.select(User).where(User.email == GOOD["email"])).scalar_one()
    assert user.email_confirmed_at is not None
    again = client.get(link)
    assert again.status_code == 400 and "Location" not in again.headers
    body = again.get_data(as_text=True)
    assert "确认链接无效或已被使用" in body and 'href="/login"' in body


def test_broken_and_expired_links_say_so_without_a_redirect(client, app, make_applicant, app_ctx):
    for url in ("/confirm/nonsense", "/password/reset/nonsense"):
        resp = client.get(url)
        assert resp.status_code == 400 and "Location" not in resp.headers, url
        assert "此链接已失效" in resp.get_data(as_text=True)
    user = make_applicant(confirmed=False)
    token = tokens.make_token(user, "confirm")
    app.config["EMAIL_CONFIRM_MAX_AGE"] = -1
    try:
        resp = client.get(f"/confirm/{token}")
    finally:
        app.config["EMAIL_CONFIRM_MAX_AGE"] = 3 * 24 * 3600
    assert resp.status_code == 400 and "确认链接已过期" in resp.get_data(as_text=True)
    assert db.session.get(User, user.id).email_confirmed_at is None

"""Registration, email confirmation, login with lockout, password reset through a real SMTP server."""

import re

import pytest

from disclosure.accounts.models import User
from disclosure.core.audit import AuditEvent
from disclosure.extensions import db

GOOD = {
    "applicant_type": "person",
    "name": "张三",
    "email": "zhang@example.cn",
    "password": "a-good-passw0rd",
    "password2": "a-good-passw0rd",
    "doc_type": "resident_id",
    "doc_number": "11010519491231002X",
    "phone": "13800000000",
    "postal_address": "测试市幸福路1号",
    "postal_code": "310000",
}


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_register_confirm_and_login(client, smtp_server, app_ctx):
    resp = client.post("/register", data=GOOD)
    assert resp.status_code == 302
    user = db.session.execute(db.select(User).where(User.email == "zhang@example.cn")).scalar_one()
    assert user.email_confirmed_at is None
    assert user.profile.doc_number == "11010519491231002X"
    # cannot log in before confirming; a new link is sent
    resp = client.post("/login", data={"email": "zhang@example.cn", "password": "a-good-passw0rd"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    mails = smtp_server.to("zhang@example.cn")
    assert len(mails) == 2
    assert mails[0]["Subject"] == "请确认您的电子邮箱"
    assert client.get(_link(mails[0])).status_code == 302
    resp = client.post("/login", data={"email": "ZHANG@example.cn ", "password": "a-good-passw0rd"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/my")
    actions = [e.action for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert {"user.registered", "user.email_confirmed", "user.logged_in"} <= set(actions)


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"doc_number": "11010519491231002Y"}, "公民身份号码应为17位"),
        ({"doc_number": "110105194912310021"}, "身份号码的校验码不正确"),
        ({"doc_number": "11010520991231002X"}, "出生日期"),
        ({"doc_number": "1101051949"}, "公民身份号码应为17位"),
        ({"password2": "different-passw0rd"}, "两次输入的密码不一致"),
        ({"password": "short1", "password2": "short1"}, "密码至少需要10个字符"),
        (
            {
                "applicant_type": "organisation",
                "org_name": "某公司",
                "org_credit_code": "914403001922038217",
                "category": "commercial",
            },
            "统一社会信用代码的校验码不正确",
        ),
        ({"doc_type": "hk_macao_permit", "doc_number": "X1234"}, "港澳居民来往内地通行证号码"),
    ],
)
def test_register_refuses_bad_input_and_saves_nothing(client, app_ctx, change, field_error):
    resp = client.post("/register", data={**GOOD, **change})
    assert resp.status_code == 200
    assert field_error in resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 0


def test_register_organisation_and_permit(client, app_ctx):
    org = {
        **GOOD,
        "applicant_type": "organisation",
        "org_name": "示例科技有限公司",
        "org_credit_code": "914403001922038216",
        "category": "research",
        "doc_number": "",
    }
    assert client.post("/register", data=org).status_code == 302
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.profile.category == "research" and user.profile.doc_number is None
    permit = {**GOOD, "email": "hk@example.cn", "doc_type": "hk_macao_permit", "doc_number": "H12345678"}
    assert client.post("/register", data=permit).status_code == 302


def test_registering_an_existing_address_looks_the_same(client, make_applicant, smtp_server, app_ctx):
    """The page says the same for a new and an existing address; the owner of the existing one is told."""
    owner = make_applicant(email="zhang@example.cn", name="张三原")
    old_hash = owner.password_hash
    fresh = client.post("/register", data={**GOOD, "email": "new@example.cn"}, follow_redirects=True)
    repeated = client.post("/register", data=GOOD, follow_redirects=True)
    assert repeated.status_code == fresh.status_code == 200
    flash = "确认链接已发送"
    assert flash in fresh.get_data(as_text=True) and flash in repeated.get_data(as_text=True)
    assert "已注册" not in repeated.get_data(as_text=True)
    db.session.refresh(owner)
    assert owner.password_hash == old_hash and owner.name == "张三原"  # nothing changed
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 2
    mails = smtp_server.to("zhang@example.cn")
    assert [m["Subject"] for m in mails] == ["有人尝试用您的电子邮箱注册账号"]
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "http://localhost/login" in body and "http://localhost/password/forgot" in body
    assert [m["Subject"] for m in smtp_server.to("new@example.cn")] == ["请确认您的电子邮箱"]


def test_login_hashes_the_password_even_for_an_unknown_address(client, make_applicant, monkeypatch, app_ctx):
    """The time a login takes does not tell whether the address has an account: the hash work is always done,
    with the same method and cost as a real account's hash."""
    from disclosure.accounts import operations as ops

    checked = []
    real = ops.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(ops, "check_password_hash", spy)
    user = make_applicant()
    method = user.password_hash.split("$", 1)[0]
    for email in ("nobody@example.cn", user.email):
        body = client.post("/login", data={"email": email, "password": "wrong-passw0rd"}).get_data(as_text=True)
        assert "电子邮箱或密码错误" in body
    assert checked == [method, method]


def test_lockout_after_five_wrong_passwords(client, make_applicant, smtp_server, app_ctx):
    user = make_applicant()
    for _ in range(5):
        body = client.post("/login", data={"email": user.email, "password": "wrong-passw0rd"}).get_data(as_text=True)
        assert "电子邮箱或密码错误" in body
    body = client.post("/login", data={"email": user.email, "password": "correct-horse-7battery"}).get_data(
        as_text=True
    )
    # the page does not say whether the address has an account; the owner is told by email
    assert "电子邮箱或密码错误" in body and "锁定" not in body.split("为保护账号安全")[0].split("<main")[1]
    db.session.refresh(user)
    assert user.locked_until is not None
    assert [m["Subject"] for m in smtp_server.to(user.email)] == ["您的账号已被暂时锁定"]
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "user.locked")).scalar_one()


def test_unknown_email_gets_the_same_message(client):
    body = client.post("/login", data={"email": "nobody@example.cn", "password": "x"}).get_data(as_text=True)
    assert "电子邮箱或密码错误" in body


def test_password_reset_through_smtp(client, smtp_server, make_applicant, app_ctx):
    user = make_applicant(email="reset@example.cn")
    old_token = user.session_token
    client.post("/password/forgot", data={"email": "reset@example.cn"})
    client.post("/password/forgot", data={"email": "unknown@example.cn"})  # says the same, sends nothing
    mails = smtp_server.messages
    assert len(mails) == 1 and mails[0]["To"] == "reset@example.cn"
    link = _link(mails[0])
    resp = client.post(link, data={"password": "brand-new-passw0rd", "password2": "brand-new-passw0rd"})
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.check_password("brand-new-passw0rd") and user.session_token != old_token
    # the link works once
    resp = client.post(link, data={"password": "another-passw0rd1", "password2": "another-passw0rd1"})
    assert resp.status_code == 400
    assert "重置链接无效或已被使用" in resp.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password("brand-new-passw0rd")


def test_expired_reset_link(client, app, make_applicant, app_ctx):
    from disclosure.accounts import tokens

    user = make_applicant()
    token = tokens.make_token(user, "reset")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        resp = client.post(
            f"/password/reset/{token}", data={"password": "brand-new-passw0rd", "password2": "brand-new-passw0rd"}
        )
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert resp.status_code == 400 and "重置链接已过期" in resp.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.check_password("brand-new-passw0rd")


def test_csrf_is_required(client, csrf_enabled, make_applicant, app_ctx):
    user = make_applicant()
    resp = client.post("/login", data={"email": user.email, "password": "correct-horse-7battery"})
    assert resp.status_code == 400
    assert "表单已过期" in resp.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post("/login", data={"email": user.email, "password": "correct-horse-7battery", "csrf_token": token})
    assert resp.status_code == 302


def test_open_redirect_is_refused(client, make_applicant):
    user = make_applicant()
    resp = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": "correct-horse-7battery"}
    )
    assert resp.headers["Location"].endswith("/my")


def test_session_cookie_flags(client, make_applicant):
    user = make_applicant()
    resp = client.post("/login", data={"email": user.email, "password": "correct-horse-7battery"})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_change_logs_out_other_sessions(client, app, make_applicant, login, app_ctx):
    user = make_applicant()
    login(client, user)
    assert client.get("/profile").status_code == 200
    user.set_password("changed-passw0rd")
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_profile_update_is_audited(client, make_applicant, login, app_ctx):
    user = make_applicant()
    login(client, user)
    data = {
        "applicant_type": "person",
        "name": "新名字",
        "doc_type": "resident_id",
        "doc_number": "440524188001010014",
        "phone": "13900000000",
        "postal_address": "新地址",
    }
    assert client.post("/profile", data=data).status_code == 302
    db.session.refresh(user)
    assert user.name == "新名字" and user.profile.doc_number == "440524188001010014"
    ev = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "user.profile_updated")).scalar_one()
    assert ev.after["doc_number"] == "440524188001010014"
    bad = {**data, "doc_number": "440524188001010015"}
    assert "校验码不正确" in client.post("/profile", data=bad).get_data(as_text=True)
    db.session.refresh(user)
    assert user.profile.doc_number == "440524188001010014"


def test_used_reset_link_says_so_on_opening(client, make_applicant, app_ctx):
    from disclosure.accounts import tokens

    user = make_applicant()
    token = tokens.make_token(user, "reset")
    user.set_password("changed-passw0rd")
    db.session.commit()
    resp = client.get(f"/password/reset/{token}")
    assert resp.status_code == 400 and "Location" not in resp.headers
    assert "重置链接无效或已被使用" in resp.get_data(as_text=True)


def test_audit_pages_mask_identity_numbers(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role
    from disclosure.core import audit

    agency = make_agency()
    audit.record(
        "probe.saved",
        object_type="probe",
        object_id=1,
        agency_id=agency.id,
        after={"doc_number": "11010519491231002X", "applicant_name": "张三"},
    )
    db.session.commit()
    login(client, make_staff(agency, roles=[Role.AGENCY_ADMIN]))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "110105********002X" in page and "11010519491231002X" not in page
    assert "张三" in page  # readable, not \\u-escaped


def test_agency_website_must_be_http(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    login(client, make_staff(agency, roles=[Role.SYS_ADMIN]))
    data = {
        "slug": agency.slug,
        "full_name": agency.full_name,
        "short_name": agency.short_name,
        "credit_code": agency.credit_code,
        "division_code": "330100",
        "parent_id": 0,
        "website": "javascript:alert(1)",
    }
    body = client.post(f"/admin/agencies/{agency.id}", data=data).get_data(as_text=True)
    assert "请填写以 http:// 或 https:// 开头的网址" in body
    db.session.refresh(agency)
    assert agency.website == ""

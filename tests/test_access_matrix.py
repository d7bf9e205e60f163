"""Every route, requested by every role: the declared policy is the one enforced.

Each view carries exactly one access policy (`disclosure.web.access`); API views require a bearer token. The
test fails on a view without a policy, on a refusal where the policy allows, on access where it refuses, and on
any server error. Object-level checks (own versus another's object) are tested where each object lives.
"""

import re

import pytest
from apiflask import APIBlueprint

from disclosure.accounts.roles import Role

pytestmark = pytest.mark.slow  # collected first, so that a test worker starts it early (tests/conftest.py)

SKIP = {"static", "openapi.spec"}
ARG_VALUES = {"int": "987654", "string": "no-such-thing", "path": "no/such/thing", "default": "no-such-thing"}


def _url(rule) -> str:
    def sub(match):
        converter = match.group(1) or "default"
        return ARG_VALUES.get(converter, ARG_VALUES["default"])

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", sub, rule.rule)


def _routes(app):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        out.append((rule, method))
    return sorted(out, key=lambda r: (r[0].rule, r[1]))


def _is_api(app, endpoint: str) -> bool:
    bp = app.blueprints.get(endpoint.rsplit(".", 1)[0]) if "." in endpoint else None
    return isinstance(bp, APIBlueprint)


def test_every_view_declares_a_policy(app):
    missing = []
    for rule, _method in _routes(app):
        if _is_api(app, rule.endpoint):
            continue
        if not hasattr(app.view_functions[rule.endpoint], "access_policy"):
            missing.append(rule.endpoint)
    assert not missing, f"views without an access policy: {missing}"


@pytest.fixture
def people(app, make_agency, make_staff, make_applicant, login):
    agency = make_agency()
    clients = {"anonymous": (None, app.test_client())}
    for role in Role:
        user = make_staff(agency, roles=[role])
        c = app.test_client()
        login(c, user)
        clients[role.value] = (user, c)
    applicant = make_applicant()
    c = app.test_client()
    login(c, applicant)
    clients["applicant"] = (applicant, c)
    return clients


def test_every_route_against_every_role(app, people):
    problems = []
    # Logging out would end the session the rest of the matrix needs: it goes last.
    routes = sorted(_routes(app), key=lambda r: r[0].endpoint == "accounts.logout")
    for rule, method in routes:
        url = _url(rule)
        api = _is_api(app, rule.endpoint)
        policy = None if api else app.view_functions[rule.endpoint].access_policy
        for who, (user, c) in people.items():
            with c.open(url, method=method, data={}) as resp:  # closes file responses
                status = resp.status_code
                location = resp.headers.get("Location", "")
            if status >= 500:
                problems.append(f"{method} {url} as {who}: server error {status}")
                continue
            if api:
                if status != 401:
                    problems.append(f"{method} {url} as {who}: API without token gave {status}, not 401")
                continue
            allowed = policy.allows(user) if user is not None else policy.kind == "public"
            to_login = status == 302 and "/login" in location
            refused = status == 403 or (to_login and policy.kind != "public")
            if allowed and refused:
                problems.append(f"{method} {url} as {who}: refused ({status}) but the policy allows")
            if not allowed and not refused:
                problems.append(f"{method} {url} as {who}: got {status} but the policy refuses")
            if not allowed and user is None and not to_login:
                problems.append(f"{method} {url} anonymous: expected a redirect to the login page, got {status}")
    assert not problems, "\n".join(problems[:60])


def test_agency_admin_sees_only_own_agency(client, make_agency, make_staff, login):
    a, b = make_agency(), make_agency()
    admin = make_staff(a, roles=[Role.AGENCY_ADMIN])
    other_user = make_staff(b, roles=[Role.HANDLER])
    login(client, admin)
    assert client.get(f"/admin/agencies/{a.id}").status_code == 200
    assert client.get(f"/admin/agencies/{b.id}").status_code == 404
    assert client.get(f"/admin/users/{other_user.id}").status_code == 404
    assert other_user.email not in client.get("/admin/users").get_data(as_text=True)


def test_sys_admin_sees_every_agency(client, make_agency, make_staff, login):
    a, b = make_agency(), make_agency()
    admin = make_staff(a, roles=[Role.SYS_ADMIN])
    login(client, admin)
    assert client.get(f"/admin/agencies/{b.id}").status_code == 200


def test_agency_admin_cannot_grant_sys_admin(client, make_agency, make_staff, login, app_ctx):
    a = make_agency()
    admin = make_staff(a, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    resp = client.post(
        "/admin/users/new",
        data={
            "name": "x",
            "email": "x@example.gov.cn",
            "password": "a-good-passw0rd",
            "agency_id": a.id,
            "department_id": 0,
            "roles": ["sys_admin"],
        },
    )
    assert resp.status_code in (200, 403)
    from disclosure.accounts.models import User
    from disclosure.extensions import db

    assert db.session.execute(db.select(User).where(User.email == "x@example.gov.cn")).scalar_one_or_none() is None

"""API tokens: issued once, stored hashed, scoped, revocable; the OpenAPI document is served."""

from apiflask import APIBlueprint

from disclosure.api import operations as ops
from disclosure.api.auth import require_scope, token_auth
from disclosure.api.models import ApiToken, hash_token
from disclosure.extensions import db


def test_token_is_stored_hashed_and_checked(app_ctx, make_agency):
    agency = make_agency()
    token, secret = ops.issue_token(agency, name="门户网站", scopes=["applications:write"])
    db.session.commit()
    assert token.token_hash == hash_token(secret) and secret not in str(token.__dict__)
    from disclosure.api.auth import _verify

    assert _verify(secret).id == token.id
    assert _verify(secret + "x") is None
    ops.revoke_token(token)
    db.session.commit()
    assert _verify(secret) is None


def test_openapi_document_is_served(client):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    assert resp.get_json()["openapi"].startswith("3.")


def test_admin_issues_token_once(client, make_agency, make_staff, login, app_ctx):
    from disclosure.accounts.roles import Role

    agency = make_agency()
    admin = make_staff(agency, roles=[Role.AGENCY_ADMIN])
    login(client, admin)
    body = client.post(
        "/admin/api-tokens/", data={"agency_id": agency.id, "name": "执法系统", "scopes": ["publicity:write"]}
    ).get_data(as_text=True)
    assert "dsc_" in body
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    assert token.scopes == ["publicity:write"]
    # another agency's administrator cannot revoke it
    other = make_staff(make_agency(), roles=[Role.AGENCY_ADMIN])
    client2 = client.application.test_client()
    login(client2, other)
    assert client2.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 404


def test_scope_and_token_are_enforced(app, make_agency, app_ctx):
    from disclosure import create_app

    probe_app = create_app({**app.config, "TESTING": True})
    bp = APIBlueprint("scope_probe", __name__, url_prefix="/api/v1/probe")

    @bp.get("/")
    @bp.auth_required(token_auth)
    @require_scope("publicity:write")
    def probe():
        return {"agency": token_auth.current_user.agency_id}

    probe_app.register_blueprint(bp)
    agency = make_agency()
    _, good = ops.issue_token(agency, name="a", scopes=["publicity:write"])
    _, other = ops.issue_token(agency, name="b", scopes=["applications:read"])
    db.session.commit()
    c = probe_app.test_client()
    assert c.get("/api/v1/probe/").status_code == 401
    assert c.get("/api/v1/probe/", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.get("/api/v1/probe/", headers={"Authorization": f"Bearer {other}"}).status_code == 403
    resp = c.get("/api/v1/probe/", headers={"Authorization": f"Bearer {good}"})
    assert resp.status_code == 200 and resp.get_json() == {"agency": agency.id}
    with probe_app.app_context():
        db.engine.dispose()  # the second app has its own pool


def test_the_token_comes_with_its_agency_in_one_query_and_a_revocation_counts_at_once(app_ctx, make_agency):
    from sqlalchemy import event

    from disclosure.api.auth import _verify

    agency = make_agency()
    token, secret = ops.issue_token(agency, name="门户网站", scopes=["applications:write"])
    db.session.commit()
    db.session.expire_all()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        verified = _verify(secret)
        assert (verified.id, verified.agency.id, verified.agency.slug) == (token.id, agency.id, agency.slug)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [s for s in statements if s != "BEGIN"] == statements[-1:], statements  # (SQLite's BEGIN aside)
    db.session.commit()
    # revoked in another session (another worker process, say): refused by the next request, nothing kept
    with db.engine.begin() as conn:
        conn.execute(ApiToken.__table__.update().values(revoked_at=db.func.now()))
    db.session.expire_all()
    assert _verify(secret) is None

"""Requests over MAX_CONTENT_LENGTH are answered 413 with the limit, as a page or as JSON under /api/ (the handler
used to fail itself: the page's language form read the refused body again)."""

from __future__ import annotations

import io

import pytest

from disclosure.accounts.roles import Role
from disclosure.api import issue_token
from disclosure.extensions import db


@pytest.fixture
def small_limit(app):
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # small: a larger test body would be spooled to a temporary file
    yield
    app.config["MAX_CONTENT_LENGTH"] = old


BIG = b"x" * (64 * 1024 + 1)


def test_an_upload_over_the_limit_is_a_page_that_says_the_limit(app, make_agency, make_staff, login, small_limit):
    admin = make_staff(make_agency(), roles=[Role.AGENCY_ADMIN])
    client = app.test_client()
    login(client, admin)
    resp = client.post(
        "/admin/letters/settings",
        data={"letterhead": "x", "seal": (io.BytesIO(BIG), "seal.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 413
    assert "64 KB" in resp.get_data(as_text=True)


def test_a_form_over_the_limit_is_a_page_too(app, small_limit):
    resp = app.test_client().post("/login", data={"email": "a@example.org", "password": BIG.decode()})
    assert resp.status_code == 413
    assert "64 KB" in resp.get_data(as_text=True)


def test_an_api_body_over_the_limit_is_json(app, make_agency, small_limit):
    _token, secret = issue_token(make_agency(), name="portal", scopes=["applications:write", "publicity:write"])
    db.session.commit()
    for url in ("/api/v1/applications", "/api/v1/publicity/licensing"):
        resp = app.test_client().post(
            url,
            data=b'{"x": "' + BIG + b'"}',
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert resp.status_code == 413, url
        assert "64 KB" in resp.get_json()["error"]
        assert resp.get_json()["limit_bytes"] == 64 * 1024

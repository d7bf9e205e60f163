"""The JSON API: token-authenticated filing with the forms' validation, and reading a case's state."""

from __future__ import annotations

import pytest

from disclosure.applications.models import Application
from disclosure.extensions import db

BODY = {
    "applicant": {
        "type": "person",
        "name": "李四",
        "doc_type": "resident_id",
        "doc_number": "440524188001010014",
        "phone": "13900000000",
        "email": "lisi@example.cn",
    },
    "items": [{"description": "2025年部门预算", "document_ref": ""}],
    "provision_form": "electronic",
    "delivery_channel": "email",
}


@pytest.fixture
def token(world):
    from disclosure.api import issue_token

    _t, secret = issue_token(world.agency, name="省政务服务网", scopes=["applications:write", "applications:read"])
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_file_and_read_back(world, client, token):
    resp = client.post("/api/v1/applications", json=BODY, headers=token)
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()
    assert data["state"] == "submitted" and data["reference"].endswith("-00001")
    got = client.get(f"/api/v1/applications/{data['reference']}", headers=token).get_json()
    assert got["reference"] == data["reference"] and got["letters"] == []


def test_same_validation_as_forms(world, client, token):
    bad = {**BODY, "applicant": {**BODY["applicant"], "doc_number": "440524188001010015"}}
    resp = client.post("/api/v1/applications", json=bad, headers=token)
    assert resp.status_code == 400 and resp.get_json()["field"] == "doc_number"
    empty = {**BODY, "items": [{"description": ""}]}
    assert client.post("/api/v1/applications", json=empty, headers=token).status_code == 422
    assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == 0


def test_token_required_and_scoped_to_agency(world, client, token, make_agency):
    assert client.post("/api/v1/applications", json=BODY).status_code == 401
    from disclosure.api import issue_token

    _t, other = issue_token(make_agency(), name="x", scopes=["applications:read"])
    db.session.commit()
    ref = client.post("/api/v1/applications", json=BODY, headers=token).get_json()["reference"]
    assert client.get(f"/api/v1/applications/{ref}", headers={"Authorization": f"Bearer {other}"}).status_code == 404
    assert (
        client.post("/api/v1/applications", json=BODY, headers={"Authorization": f"Bearer {other}"}).status_code == 403
    )


def test_openapi_documents_the_endpoints(client, app):
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/v1/applications" in spec["paths"]
    assert "/api/v1/applications/{reference}" in spec["paths"]

"""The push API: token per agency, single records and batches keyed by field codes, per-record answers with the
same validation as the form and the import."""

from __future__ import annotations

import pytest

from disclosure.extensions import db
from disclosure.publicity.models import PublicityRecord
from tests.factories import licensing_raw, penalty_raw


@pytest.fixture
def token(pub):
    from disclosure.api import issue_token

    _token, secret = issue_token(pub.agency, name="执法系统", scopes=["publicity:write"])
    db.session.commit()
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_single_record_created_then_unchanged_then_updated(pub, client, token):
    raw = penalty_raw(pub)
    resp = client.post("/api/v1/publicity/penalties", json=raw, headers=token)
    assert resp.status_code == 201, resp.json
    assert resp.json["results"][0]["status"] == "created" and resp.json["results"][0]["publicity_status"] == "published"
    assert (
        client.post("/api/v1/publicity/penalties", json=raw, headers=token).json["results"][0]["status"] == "unchanged"
    )
    raw["CF_NR_FK"] = 0.3
    resp = client.post("/api/v1/publicity/penalties", json=raw, headers=token)
    assert resp.status_code == 200 and resp.json["results"][0]["status"] == "updated"
    rec = db.session.execute(db.select(PublicityRecord)).scalar_one()
    assert rec.channel == "api" and str(rec.fine_amount) in ("0.3", "0.300000")


def test_batch_answers_per_record(pub, client, token):
    records = [
        licensing_raw(pub, XK_WSH="许1"),
        licensing_raw(pub, XK_WSH="许2", XK_XKJGDM="123"),
        licensing_raw(pub, XK_WSH="许1"),
        "not an object",
    ]
    resp = client.post("/api/v1/publicity/licensing", json={"records": records}, headers=token)
    assert resp.status_code == 200
    body = resp.json
    assert (body["accepted"], body["rejected"]) == (1, 3)
    results = body["results"]
    assert results[0]["status"] == "created"
    assert results[1]["errors"] == [
        {
            "field": "XK_XKJGDM",
            "label": "许可机关统一社会信用代码",
            "message": "A unified social credit code has 18 characters.",
        }
    ]
    assert results[2]["errors"][0]["message"] == "The decision number is repeated in this batch."
    assert results[3]["errors"][0]["message"] == "A record is a JSON object keyed by field codes."
    assert db.session.query(PublicityRecord).count() == 1


def test_single_rejected_record_is_422(pub, client, token):
    resp = client.post("/api/v1/publicity/penalties", json=penalty_raw(pub, CF_JDRQ="tomorrow"), headers=token)
    assert resp.status_code == 422
    assert resp.json["results"][0]["errors"] == [
        {"field": "CF_JDRQ", "label": "处罚决定日期", "message": "tomorrow is not a date (use YYYY-MM-DD)."}
    ]


def test_malformed_and_unauthorised_calls(pub, client, token):
    assert (
        client.post(
            "/api/v1/publicity/penalties", data="{", headers={**token, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert client.post("/api/v1/publicity/penalties", json=[], headers=token).status_code == 400
    assert client.post("/api/v1/publicity/penalties", json={"records": [{}] * 1001}, headers=token).status_code == 413
    assert client.post("/api/v1/publicity/penalties", json=penalty_raw(pub)).status_code == 401
    assert (
        client.post(
            "/api/v1/publicity/penalties", json=penalty_raw(pub), headers={"Authorization": "Bearer dsc_wrong"}
        ).status_code
        == 401
    )
    from disclosure.api import issue_token

    _t, reader = issue_token(pub.agency, name="门户", scopes=["applications:read"])
    db.session.commit()
    assert (
        client.post(
            "/api/v1/publicity/penalties", json=penalty_raw(pub), headers={"Authorization": f"Bearer {reader}"}
        ).status_code
        == 403
    )
    assert db.session.query(PublicityRecord).count() == 0


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/openapi.json").json
    assert "/api/v1/publicity/licensing" in spec["paths"] and "/api/v1/publicity/penalties" in spec["paths"]


def test_openapi_declares_the_request_bodies(client):
    """Issue 10: the publicity endpoints had no requestBody in the OpenAPI document."""
    spec = client.get("/api/openapi.json").get_json()
    for path, first in (("/api/v1/publicity/licensing", "XK_XDR_MC"), ("/api/v1/publicity/penalties", "CF_XDR_MC")):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        name = body["$ref"].rsplit("/", 1)[-1]
        properties = spec["components"]["schemas"][name]["properties"]
        assert first in properties and "MATTER" in properties and "records" in properties


@pytest.mark.parametrize("value", [{"a": 1}, ["杭州示例科技有限公司"], True])
def test_a_field_given_as_an_object_a_list_or_true_is_refused_not_published_as_text(pub, client, token, value):
    resp = client.post("/api/v1/publicity/penalties", json=penalty_raw(pub, CF_XDR_MC=value), headers=token)
    assert resp.status_code == 422, resp.json
    (error,) = resp.json["results"][0]["errors"]
    assert error["field"] == "CF_XDR_MC" and error["message"] == "Give this field as text or a number."
    assert db.session.query(PublicityRecord).count() == 0

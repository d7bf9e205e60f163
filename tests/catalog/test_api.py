"""The catalogue's JSON API (issue 11 §6): the public search and entry endpoints, the draft push with its token
scope, error shapes, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.models import Entry, EntryLink
from disclosure.extensions import db
from tests.catalog.conftest import entry_input


@pytest.fixture
def token(cat):
    from disclosure.api import issue_token

    _token, secret = issue_token(cat.agency, name="办公自动化系统", scopes=["catalog:write"])
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def en(client):
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    return client


def test_search_answers_the_documented_shape(cat, publish_entry, client):
    entry = publish_entry(title="关于加强城市供水管理的通知", body_html="<p>城市供水<b>安全</b>。</p>")
    resp = client.get("/api/v1/catalog/search", query_string={"q": "供水", "sort": "time"})
    assert resp.status_code == 200
    body = resp.json
    assert body["total"] == 1 and body["mode"] == "text" and body["more"] is False
    (hit,) = body["results"]
    assert set(hit) == {
        "index_number",
        "title",
        "document_number",
        "agency",
        "published_on",
        "validity",
        "url",
        "snippet",
    }
    assert hit["index_number"] == entry.index_number and hit["title"] == "关于加强城市供水管理的通知"
    assert hit["published_on"] == entry.published_on.isoformat() and hit["validity"] == "valid"
    assert hit["agency"] == cat.agency.full_name
    assert hit["url"].endswith(f"/catalog/entries/{entry.index_number}")
    assert "<mark>供水</mark>" in hit["snippet"]


def test_search_by_document_number_and_index_number(cat, publish_entry, client):
    entry = publish_entry(document_number="测政办发〔2026〕7号")
    for q in ("测政办发[2026]7号", "测政办发（2026）7号", entry.index_number):
        body = client.get("/api/v1/catalog/search", query_string={"q": q}).json
        assert [r["index_number"] for r in body["results"]] == [entry.index_number], q


def test_search_filters_by_agency_and_validity(cat, publish_entry, client):
    publish_entry(title="供水公告", document_number="")
    repealed = publish_entry(title="供水旧规定", document_number="")
    repealed.validity = "repealed"
    db.session.commit()
    by_slug = client.get("/api/v1/catalog/search", query_string={"q": "供水", "agency": cat.agency.slug}).json
    assert by_slug["total"] == 2
    by_id = client.get("/api/v1/catalog/search", query_string={"q": "供水", "agency": str(cat.other.id)}).json
    assert by_id["total"] == 0
    body = client.get("/api/v1/catalog/search", query_string={"q": "供水", "validity": "repealed"}).json
    assert [r["title"] for r in body["results"]] == ["供水旧规定"]


def test_bad_parameters_are_reported_together(cat, en):
    resp = en.get(
        "/api/v1/catalog/search",
        query_string={"q": "x" * 201, "sort": "best", "validity": "maybe", "agency": "nobody", "page": "0"},
    )
    assert resp.status_code == 400
    fields = {e["field"] for e in resp.json["errors"]}
    assert fields == {"q", "sort", "validity", "agency", "page"}
    assert resp.json["error"] and resp.json["field"] in fields


def test_entry_endpoint_gives_the_public_metadata_attachments_and_links(cat, publish_entry, client):
    doc = publish_entry(title="城市供水条例实施办法", document_number="测政规〔2026〕1号")
    interpretation = publish_entry(title="《城市供水条例实施办法》解读", document_number="")
    db.session.add(
        EntryLink(
            source_id=interpretation.id,
            target_id=doc.id,
            relation="interprets",
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    db.session.commit()
    resp = client.get(f"/api/v1/catalog/entries/{doc.index_number}")
    assert resp.status_code == 200
    body = resp.json
    assert body["index_number"] == doc.index_number and body["document_number"] == "测政规〔2026〕1号"
    assert body["theme"] == "综合政务/政务公开" and body["genre"] == "通知" and body["made_on"] == "2026-03-02"
    assert body["issuers"] == [cat.agency.full_name] and body["withdrawn"] is False
    assert body["attachments"] == []
    assert body["links"] == [
        {
            "relation": "interprets",
            "direction": "incoming",
            "index_number": interpretation.index_number,
            "title": "《城市供水条例实施办法》解读",
            "url": body["links"][0]["url"],
        }
    ]
    assert body["links"][0]["url"].endswith(f"/catalog/entries/{interpretation.index_number}")


def test_entry_endpoint_hides_what_the_public_may_not_see(cat, publish_entry, client):
    from disclosure.catalog.operations import entries as ops

    withdrawn = publish_entry(title="撤回的文件", document_number="")
    ops.act(withdrawn, "withdraw", actor=cat.head, reason="有误")
    recorded = publish_entry(
        title="依申请公开的文件",
        document_number="",
        attribute="on_request",
        attribute_basis="other",
        attribute_reason="涉及第三方",
    )
    db.session.commit()
    for number in (withdrawn.index_number, recorded.index_number, "000000000/2026-99999"):
        resp = client.get(f"/api/v1/catalog/entries/{number}")
        assert resp.status_code == 404 and "error" in resp.json


def test_push_creates_a_draft_with_its_attribute(cat, client, token):
    data = {k: v for k, v in entry_input(title="办公系统推送的通知").items() if k not in ("theme_id", "genre_id")}
    data.update(attribute="on_request", attribute_basis="other", attribute_reason="涉及商业秘密")
    resp = client.post("/api/v1/catalog/entries", json=data, headers=token)
    assert resp.status_code == 201, resp.json
    entry = db.session.get(Entry, resp.json["id"])
    assert entry.state == "draft" and entry.source == "api" and entry.attribute == "on_request"
    assert entry.agency_id == cat.agency.id and entry.created_by_id is None
    assert resp.json["state"] == "draft" and resp.json["url"].endswith(f"/staff/catalog/entries/{entry.id}")
    assert [e.action for e in entry.audit_events()] == ["catalog.create"]


def test_push_reports_every_invalid_field_at_once(cat, en, token):
    resp = en.post(
        "/api/v1/catalog/entries",
        json={
            "title": "",
            "made_on": "2026-02-30",
            "attribute": "not_disclosed",
            "theme_id": True,
            "provisional": "yes",
            "issuer_ids": ["1"],
            "colour": "blue",
            "summary": {"nested": 1},
        },
        headers=token,
    )
    assert resp.status_code == 400
    fields = {e["field"] for e in resp.json["errors"]}
    assert {
        "title",
        "made_on",
        "attribute_basis",
        "theme_id",
        "provisional",
        "issuer_ids",
        "colour",
        "summary",
    } <= fields
    assert db.session.query(Entry).count() == 0


def test_push_needs_the_attribute_a_token_and_the_scope(cat, client, token):
    data = entry_input()
    del data["attribute"]
    resp = client.post("/api/v1/catalog/entries", json=data, headers=token)
    assert resp.status_code == 400 and "attribute" in {e["field"] for e in resp.json["errors"]}
    assert client.post("/api/v1/catalog/entries", json=entry_input()).status_code == 401
    from disclosure.api import issue_token

    _t, secret = issue_token(cat.agency, name="其他系统", scopes=["publicity:write"])
    db.session.commit()
    resp = client.post("/api/v1/catalog/entries", json=entry_input(), headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 403
    resp = client.post(
        "/api/v1/catalog/entries", data="{not json", headers={**token, "Content-Type": "application/json"}
    )
    assert resp.status_code == 400 and "error" in resp.json
    assert client.post("/api/v1/catalog/entries", json=[1, 2], headers=token).status_code == 400


def test_the_openapi_document_lists_the_endpoints_with_their_bodies(client):
    spec = client.get("/api/openapi.json").json
    paths = spec["paths"]
    assert "get" in paths["/api/v1/catalog/search"]
    params = {p["name"] for p in paths["/api/v1/catalog/search"]["get"]["parameters"]}
    assert {"q", "sort", "agency", "validity", "page"} <= params
    assert "get" in paths["/api/v1/catalog/entries/{index_number}"]
    post = paths["/api/v1/catalog/entries"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/EntryIn")
    body = spec["components"]["schemas"]["EntryIn"]
    assert {"title", "made_on", "attribute"} <= set(body["required"])
    assert "201" in post["responses"] and "catalog:write" in str(post)

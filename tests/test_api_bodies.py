"""API bodies are parsed strictly, once, for every /api/ endpoint (disclosure.web.jsonbody): NaN, Infinity, numbers
that overflow, lone surrogates, NUL, bytes that are not UTF-8 and deep nesting are a 400 in the API's error shape,
never a 500 nor text published as "NaN"."""

from __future__ import annotations

import pytest

from disclosure.api import issue_token
from disclosure.extensions import db
from disclosure.web import jsonbody

ENDPOINTS = ["/api/v1/applications", "/api/v1/publicity/licensing", "/api/v1/publicity/penalties"]
BODIES = {
    "nan": (b'{"XK_XDR": NaN}', "NaN"),
    "infinity": (b'{"records": [{"XK_XDR": -Infinity}]}', "Infinity"),
    "overflow": (b'{"records": [{"XK_XDR": 1e309}]}', "1e309"),
    "lone surrogate": (b'{"applicant": {"name": "\\ud800"}}', "applicant.name"),
    "nul": (b'{"records": [{"XK_XDR": "a\\u0000b"}]}', "records[0].XK_XDR"),
    "surrogate key": (b'{"\\udfff": 1}', ""),
    "not utf-8": (b'{"XK_XDR": "\xed\xa0\x80"}', "UTF-8"),
    "deep": (b"[" * 5000 + b"]" * 5000, "nested"),
    "deep but parsable": (b"[" * 40 + b"]" * 40, "nested"),
    "long number": (b'{"a": ' + b"1" * 5000 + b"}", "number"),
    "not json": (b'{"a": ', "JSON"),
}


@pytest.fixture
def headers(make_agency):
    _t, secret = issue_token(
        make_agency(), name="portal", scopes=["applications:write", "applications:read", "publicity:write"]
    )
    db.session.commit()
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


@pytest.mark.parametrize("name", BODIES)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_refused_body_is_a_400_in_the_api_error_shape(app, headers, url, name):
    body, hint = BODIES[name]
    resp = app.test_client().post(url, data=body, content_type="application/json", headers=headers)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    payload = resp.get_json()
    assert payload["error"] and payload["errors"][0]["message"] == payload["error"]
    assert hint in payload["error"] or hint == payload["errors"][0]["field"], payload


def test_an_ordinary_body_still_reaches_the_endpoint(app, headers):
    resp = app.test_client().post(
        "/api/v1/publicity/licensing", json={"records": [{"XK_XDR": 1.5, "x": [{"y": None}]}]}, headers=headers
    )
    assert resp.status_code == 200
    assert resp.get_json()["results"][0]["status"] == "rejected"  # by the record validator, not by the parser


def test_loads_names_the_place():
    with pytest.raises(jsonbody.BodyError) as info:
        jsonbody.loads('{"items": [{"description": "ok"}, {"description": "\\ud800"}]}')
    assert info.value.field == "items[1].description"
    assert jsonbody.loads(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


def test_the_openapi_document_marks_every_request_body_required(client):
    spec = client.get("/api/openapi.json").get_json()
    bodies = {
        (path, method): op["requestBody"]
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if "requestBody" in op
    }
    assert ("/api/v1/applications", "post") in bodies
    assert all(body.get("required") is True for body in bodies.values()), bodies

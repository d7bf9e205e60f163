"""The agency's statutory content and its disclosure guide (issue 11 §4)."""

from __future__ import annotations

import pytest

from disclosure.accounts import operations as accounts_ops
from disclosure.catalog.models import AgencyProfile, Entry
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations.guide import guide_entry, publish_guide
from disclosure.catalog.operations.profile import save_profile
from disclosure.core.errors import FieldErrors
from disclosure.extensions import db

PROFILE = {
    "functions_html": "<p>负责全区政务公开工作。</p><script>alert(1)</script>",
    "request_office": "区政府办公室政务公开科",
    "leader_1_name": "张三",
    "leader_1_title": "主任",
    "leader_1_duties": "主持全面工作",
    "point_1_name": "区档案馆",
    "point_1_address": "测试路1号",
    "point_1_phone": "0519-12345678",
    "guide_paragraphs_html": "<p>本指南每年更新。</p>",
}


def test_saving_the_profile_publishes_the_guide_with_the_agency_data(cat, client):
    agency = cat.agency
    agency.address, agency.phone, agency.reconsideration_body = "测试市人民路8号", "0519-88888888", "测试市人民政府"
    save_profile(agency, PROFILE, actor=cat.admin)
    db.session.commit()
    guide = guide_entry(agency)
    assert guide.is_public and guide.source == "guide" and guide.genre.name == "政府信息公开指南"
    body = guide.published_version.body_html
    for text in (
        "区政府办公室政务公开科",
        "测试市人民路8号",
        "0519-88888888",
        "区档案馆",
        "测试市人民政府",
        "20个工作日",
        "国办函〔2020〕109号",
        "本指南每年更新",
        "10件以下",
        agency.org_code,
    ):
        assert text in body, text
    profile = db.session.get(AgencyProfile, agency.id)
    assert "<script" not in profile.functions_html and profile.leaders[0]["name"] == "张三"
    page = client.get(f"/catalog/{agency.slug}/guide").get_data(as_text=True)
    assert "<svg" in page and "依申请公开办理流程图" in page and "区档案馆" in page
    about = client.get(f"/catalog/{agency.slug}/about").get_data(as_text=True)
    assert "负责全区政务公开工作" in about and "张三" in about and "测试市人民路8号" in about


def test_the_guide_is_republished_when_its_data_changes(cat):
    agency = cat.agency
    save_profile(agency, PROFILE, actor=cat.admin)
    db.session.commit()
    guide = guide_entry(agency)
    assert guide.revision == 1
    assert publish_guide(agency) is None  # nothing changed: no new version
    save_profile(agency, {**PROFILE, "request_office": "区政务服务中心"}, actor=cat.admin)
    db.session.commit()
    guide = db.session.get(Entry, guide.id)
    assert guide.revision == 2 and "区政务服务中心" in guide.published_version.body_html
    assert guide.published_version.change_note
    data = {k: getattr(agency, k) for k in ("slug", "full_name", "short_name", "credit_code", "division_code")}
    accounts_ops.save_agency(agency, {**data, "phone": "0519-66666666"})
    db.session.commit()
    guide = db.session.get(Entry, guide.id)
    assert guide.revision == 3 and "0519-66666666" in guide.published_version.body_html
    assert len(ops.versions_of(guide)) == 3


def test_profile_input_errors_are_reported_beside_their_fields(cat):
    with pytest.raises(FieldErrors) as exc:
        save_profile(cat.agency, {"leader_2_title": "副主任", "point_1_phone": "1" * 41}, actor=cat.admin)
    assert set(exc.value.errors) == {"leader_2_name", "point_1_phone", "point_1_name"}


def test_admin_page_edits_the_profile(cat, client, login):
    login(client, cat.admin)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/admin/catalog/profile")
    assert page.status_code == 200 and "Edit the agency" in page.get_data(as_text=True)
    resp = client.post("/admin/catalog/profile", data={**PROFILE, "version": "1"})
    assert resp.status_code == 302
    version = str(db.session.get(AgencyProfile, cat.agency.id).version)
    bad = client.post("/admin/catalog/profile", data={"leader_1_title": "主任", "version": version})
    assert bad.status_code == 422 and "Enter the name, or clear the row." in bad.get_data(as_text=True)
    other = client.application.test_client()
    login(other, cat.editor)
    assert other.get("/admin/catalog/profile").status_code == 403

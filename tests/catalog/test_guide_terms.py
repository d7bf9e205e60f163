"""The guide states the request terms the applications package runs on (issue 11 §4): the time limits from
`applications.deadlines` and the fees and fee settings of the agency, read through the package door."""

from __future__ import annotations

from disclosure.applications import deadlines, request_terms
from disclosure.applications.fees import FeeSchedule
from disclosure.applications.models import AgencyApplicationSettings
from disclosure.catalog.operations.guide import publish_guide
from disclosure.extensions import db


def test_the_guide_quotes_the_limits_the_cases_run_on(cat, app, monkeypatch):
    monkeypatch.setattr(deadlines, "REPLY_DAYS", 15)
    monkeypatch.setattr(deadlines, "MAX_EXTENSION_DAYS", 10)
    monkeypatch.setattr(deadlines, "SUPPLEMENT_NOTICE_DAYS", 5)
    terms = request_terms(cat.agency.id)
    assert (terms.reply_days, terms.extension_days, terms.supplement_notice_days) == (15, 10, 5)
    body = publish_guide(cat.agency).published_version.body_html
    assert "自收到申请之日起15个工作日内予以答复" in body
    assert "最长不超过10个工作日" in body
    assert "5个工作日内一次性告知申请人作出补正" in body


def test_the_guide_states_the_fees_and_the_agency_fee_settings(cat, app):
    db.session.add(
        AgencyApplicationSettings(
            agency_id=cat.agency.id,
            fee_wait_pauses_clock=False,
            fee_waiver_allowed=False,
            fee_payment_instructions="通过非税收入缴款系统缴纳",
        )
    )
    db.session.flush()
    app.config["APPLICATION_FEE_SCHEDULE"] = FeeSchedule(free_items=5, first_band_upper=20)
    try:
        body = publish_guide(cat.agency).published_version.body_html
    finally:
        del app.config["APPLICATION_FEE_SCHEDULE"]
    assert "累计申请5件以下（含5件）的，不收费" in body and "6—20件" in body
    assert "缴费方式：通过非税收入缴款系统缴纳" in body
    assert "减免" not in body and "缴纳信息处理费的时间" not in body


def test_the_default_settings_pause_the_clock_and_allow_a_waiver(cat):
    body = publish_guide(cat.agency).published_version.body_html
    assert "以及申请人缴纳信息处理费的时间不计算在答复期限内" in body and "减免" in body
    assert "缴费方式" not in body

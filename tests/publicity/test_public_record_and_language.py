"""What citizens and staff read (issue 10): record pages without empty rows, the agency filter by full name,
field names, code values and messages in the reader's language, full-width colons in Chinese."""

from __future__ import annotations

from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.publicity import operations
from disclosure.publicity.fields import Kind
from disclosure.publicity.validation import described
from tests.factories import penalty_raw, save

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def test_public_record_page_leaves_out_fields_without_a_value(pub, client):
    rec = save(pub, penalty_raw(pub))  # no 代码_2 … 代码_6, no remarks
    db.session.commit()
    body = client.get(f"/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True)
    assert "行政相对人代码_1" in body
    for empty in ("行政相对人代码_2", "行政相对人代码_6", "备注", "<td>—</td>"):
        assert empty not in body


def test_agency_filter_names_agencies_in_full(pub, client):
    body = client.get("/publicity/", headers=ZH).get_data(as_text=True)
    assert f'<option value="{pub.agency.id}" >{pub.agency.full_name}</option>' in body


def test_public_record_in_english_names_fields_and_codes_in_english(pub, client):
    rec = save(pub, penalty_raw(pub))
    db.session.commit()
    body = client.get(f"/publicity/records/{rec.id}", headers=EN).get_data(as_text=True)
    assert "Counterpart name" in body and "Penalty category" in body
    assert "Legal person or unincorporated organisation" in body and "Warning; Fine" in body
    assert "行政相对人名称" not in body and "法人及非法人组织" not in body


def test_public_record_in_chinese_keeps_the_standard_names_and_full_width_colons(pub, client):
    rec = save(pub, penalty_raw(pub))
    operations.withdraw_record(rec, withdrawal_kind="void", reason="经人民法院确认无效", changed_on=today_china())
    db.session.commit()
    body = client.get(f"/publicity/records/{rec.id}", headers=ZH).get_data(as_text=True)
    assert "理由：经人民法院确认无效" in body
    assert f"：{rec.decision_no}" in body and "： " not in body


def test_staff_record_page_and_form_in_english(pub, client, login):
    rec = save(pub, penalty_raw(pub))
    db.session.commit()
    login(client, pub.clerk)
    page = client.get(f"/staff/publicity/records/{rec.id}", headers=EN).get_data(as_text=True)
    assert "Counterpart name" in page and "行政相对人名称" not in page
    form = client.get("/staff/publicity/new/penalty", headers=EN).get_data(as_text=True)
    assert "Counterpart name (CF_XDR_MC)" in form and "Natural person" in form and "Warning" in form


def test_errors_name_their_field_in_the_readers_language(pub, app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("en"):
            assert described(Kind.PENALTY, "CF_XDR_MC", "Required.") == "Counterpart name: Required."
        with force_locale("zh_CN"):
            assert described(Kind.PENALTY, "CF_XDR_MC", "必填。") == "行政相对人名称：必填。"

"""The deciding organ (许可机关 / 处罚机关) of a record is the agency itself or an organ it may publish for
(issue 10: a clerk and an API token of one agency published decisions under another agency's name and credit
code). The same validator refuses it beside the organ field on the form, in the import and through the API; the
agency administrator or credit supervisor keeps the list of entrusted organs, every change audited."""

from __future__ import annotations

import pytest

from disclosure.core.audit import events_for
from disclosure.extensions import db
from disclosure.publicity import importer, operations
from disclosure.publicity.models import EntrustedOrgan, ImportJob, PublicityRecord
from tests.factories import licensing_raw, penalty_raw, workbook


@pytest.fixture
def finance(pub, make_agency):
    """Another agency (示例市财政局) whose name and credit code a clerk of `pub.agency` should not use."""
    return make_agency(full_name="示例市财政局", short_name="市财政局")


def _other(finance, kind="penalty", **over) -> dict:
    if kind == "penalty":
        return {"CF_CFJG": finance.full_name, "CF_CFJGDM": finance.credit_code, **over}
    return {"XK_XKJG": finance.full_name, "XK_XKJGDM": finance.credit_code, **over}


REFUSED = "示例市财政局 (credit code {code}) is neither this agency nor an organ it may publish for."


def test_validator_refuses_another_agency_as_deciding_organ(validator, pub, finance, en):
    for kind, raw, field in (
        ("penalty", penalty_raw, "CF_CFJG"),
        ("licensing", licensing_raw, "XK_XKJG"),
    ):
        result = validator(kind).validate(raw(pub, **_other(finance, kind)))
        assert result.values is None
        assert [c for c, _m in result.errors] == [field]
        assert result.errors[0][1].startswith(REFUSED.format(code=finance.credit_code))
    # The agency's own credit code under another organ's name is refused too, naming the right name.
    result = validator().validate(penalty_raw(pub, CF_CFJG="示例市财政局"))
    assert result.errors == [
        ("CF_CFJG", f"The organ with credit code {pub.agency.credit_code} is named {pub.agency.full_name}.")
    ]
    # Blanks and ASCII brackets do not make another organ.
    assert validator().validate(penalty_raw(pub, CF_CFJG=f" {pub.agency.full_name} ")).errors == []


def test_entry_form_refuses_it_beside_the_organ_field(pub, finance, client, login):
    from tests.factories import form_data

    login(client, pub.clerk)
    resp = client.post(
        "/staff/publicity/new/penalty",
        data=form_data(penalty_raw(pub, **_other(finance))),
        headers={"Accept-Language": "en"},
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="f_CF_CFJG-error"' in body
    assert "is neither this agency nor an organ it may publish for" in body
    assert db.session.query(PublicityRecord).count() == 0


def test_api_refuses_it_with_the_organ_field(pub, finance, client):
    from disclosure.api import issue_token

    _token, secret = issue_token(pub.agency, name="审批系统", scopes=["publicity:write"])
    db.session.commit()
    resp = client.post(
        "/api/v1/publicity/licensing",
        json=licensing_raw(pub, **_other(finance, "licensing")),
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )
    assert resp.status_code == 422
    [error] = resp.json["results"][0]["errors"]
    assert error["field"] == "XK_XKJG" and error["label"] == "许可机关"
    assert error["message"].startswith(REFUSED.format(code=finance.credit_code))
    assert db.session.query(PublicityRecord).count() == 0


def test_import_refuses_the_row(pub, finance, en):
    from disclosure.core.storage import store

    data = workbook([penalty_raw(pub, CF_WSH="罚1"), penalty_raw(pub, CF_WSH="罚2", **_other(finance))])
    stored = store(data, original_name="upload.xlsx", content_type="", agency_id=pub.agency.id)
    db.session.flush()
    job = ImportJob(agency_id=pub.agency.id, kind="penalty", file_id=stored.id, filename="upload.xlsx", locale="en")
    db.session.add(job)
    db.session.flush()
    importer.import_file(job, data)
    db.session.commit()
    assert (job.created_count, job.error_count) == (1, 1)
    assert [(row, code) for row, code, _m in job.errors_preview] == [(3, "CF_CFJG")]
    assert db.session.execute(db.select(PublicityRecord.decision_no)).scalars().all() == ["罚1"]


def test_entrusted_organ_is_kept_by_the_administrator_and_audited(app, pub, finance, client, login, make_staff):
    from disclosure.accounts.roles import Role

    clerk = app.test_client()
    login(clerk, pub.clerk)
    assert clerk.get("/staff/publicity/organs").status_code == 403  # clerks enter records, not entitlements
    assert clerk.post("/staff/publicity/organs", data={"name": "x", "credit_code": "y"}).status_code == 403
    login(client, make_staff(pub.agency, [Role.AGENCY_ADMIN]))
    assert client.get("/staff/publicity/organs").status_code == 200
    own = client.post(
        "/staff/publicity/organs",
        data={"name": "x", "credit_code": pub.agency.credit_code, "active": "y"},
        headers={"Accept-Language": "en"},
    )
    assert own.status_code == 400 and "your agency's own credit code" in own.get_data(as_text=True)
    resp = client.post(
        "/staff/publicity/organs",
        data={
            "name": finance.full_name,
            "credit_code": finance.credit_code,
            "basis": "委托书〔2026〕1号",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    organ = db.session.execute(db.select(EntrustedOrgan)).scalar_one()
    [event] = events_for("publicity_entrusted_organ", organ.id)
    assert event.action == "publicity.organ.save" and event.agency_id == pub.agency.id
    assert event.after["credit_code"] == finance.credit_code

    from tests.factories import save

    record = save(pub, penalty_raw(pub, **_other(finance)))  # now the agency may publish the organ's decisions
    assert record.deciding_agency == "示例市财政局"

    resp = client.post(
        f"/staff/publicity/organs/{organ.id}", data={"name": finance.full_name, "credit_code": finance.credit_code}
    )
    assert resp.status_code == 302  # unticked: switched off
    db.session.expire_all()
    assert db.session.get(EntrustedOrgan, organ.id).active is False
    assert len(events_for("publicity_entrusted_organ", organ.id)) == 2
    from disclosure.core.timeutil import today_china
    from disclosure.publicity.fields import Kind
    from disclosure.publicity.rules import load_rules
    from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

    v = RecordValidator(
        Kind.PENALTY,
        load_rules(),
        matter_refs(pub.agency.id, Kind.PENALTY),
        organs=organ_refs(pub.agency),
        today=today_china(),
    )
    assert [c for c, _m in v.validate(penalty_raw(pub, CF_WSH="罚9", **_other(finance))).errors] == ["CF_CFJG"]


def test_another_agencys_organ_is_not_found(pub, finance, client, login, make_staff):
    from disclosure.accounts.roles import Role

    organ = operations.save_entrusted_organ(
        finance, {"name": "示例市税务局", "credit_code": pub.agency.credit_code, "active": True}
    )
    db.session.commit()
    login(client, make_staff(pub.agency, [Role.CREDIT_SUPERVISOR]))
    assert client.get(f"/staff/publicity/organs/{organ.id}").status_code == 404
    resp = client.post(f"/staff/publicity/organs/{organ.id}", data={"name": "改名", "credit_code": "x"})
    assert resp.status_code == 404

"""Decision numbers in every bracket variant are one number: search, form, import and API (issue 10)."""

from __future__ import annotations

import pytest

from disclosure.core.storage import StoredFile
from disclosure.extensions import db
from disclosure.publicity import search as search_mod
from disclosure.publicity.fields import Kind
from disclosure.publicity.models import PublicityRecord
from disclosure.publicity.operations import find_record
from tests.factories import licensing_raw, penalty_raw, run_import, save, workbook

STORED = "示政办罚〔2026〕13号"
VARIANTS = [
    "示政办罚[2026]13号",
    "示政办罚［2026］13号",
    "示政办罚(2026)13号",
    "示政办罚（2026）13号",
    "示政办罚【2026】13号",
    "示政办罚﹝2026﹞13号",
    "示政办罚 〔２０２６〕 １３号",
]


@pytest.mark.parametrize("typed", VARIANTS)
def test_public_search_finds_the_number_in_any_brackets(pub, typed):
    save(pub, penalty_raw(pub, CF_WSH=STORED))
    db.session.commit()
    result = search_mod.search(search_mod.SearchQuery(q=typed))
    assert result.mode == "decision_no"
    assert [r.decision_no for r in result.rows] == [STORED]


def test_a_record_keeps_its_number_as_written_and_is_found_by_any_variant(pub):
    rec = save(pub, penalty_raw(pub, CF_WSH="示政办罚[2026]14号"))
    db.session.commit()
    assert rec.decision_key == "示政办罚〔2026〕14号"
    assert find_record(pub.agency, Kind.PENALTY, "示政办罚（2026）14号").id == rec.id


def test_staff_list_finds_any_variant(pub, client, login):
    save(pub, penalty_raw(pub, CF_WSH=STORED))
    db.session.commit()
    login(client, pub.clerk)
    page = client.get("/staff/publicity/", query_string={"q": "示政办罚[2026]13号"}).get_data(as_text=True)
    assert STORED in page


def test_import_of_another_variant_updates_instead_of_duplicating(pub, en):
    save(pub, penalty_raw(pub, CF_WSH=STORED))
    db.session.commit()
    job = run_import(pub, workbook([penalty_raw(pub, CF_WSH="示政办罚[2026]13号")]))
    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_count) == (0, 0, 1, 0)
    job = run_import(pub, workbook([penalty_raw(pub, CF_WSH="示政办罚(2026)13号", CF_NR="警告并处罚款3000元")]))
    assert (job.created_count, job.updated_count) == (0, 1)
    assert db.session.query(PublicityRecord).count() == 1


def test_one_file_repeating_a_number_in_another_variant_is_refused(pub, en):
    job = run_import(pub, workbook([penalty_raw(pub, CF_WSH=STORED), penalty_raw(pub, CF_WSH="示政办罚[2026]13号")]))
    assert (job.created_count, job.error_count) == (1, 1)
    assert db.session.get(StoredFile, job.error_file_id) is not None


def test_new_entry_by_form_with_another_variant_is_refused(pub):
    from disclosure.core.errors import DomainError

    save(pub, licensing_raw(pub, XK_WSH="示许〔2026〕5号"), "licensing")
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        from disclosure.core.timeutil import today_china
        from disclosure.publicity.operations import save_record
        from disclosure.publicity.rules import load_rules
        from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

        result = RecordValidator(
            Kind.LICENSING,
            load_rules(),
            matter_refs(pub.agency.id, Kind.LICENSING),
            organs=organ_refs(pub.agency),
            today=today_china(),
        ).validate(licensing_raw(pub, XK_WSH="示许[2026]5号"))
        save_record(pub.agency, Kind.LICENSING, result, channel="form", new_entry=True)
    assert refused.value.field == "XK_WSH"


def test_api_batch_repeating_a_number_in_another_variant_rejects_the_second(pub, client):
    from disclosure.api import issue_token

    _token, secret = issue_token(pub.agency, name="执法系统", scopes=["publicity:write"])
    db.session.commit()
    resp = client.post(
        "/api/v1/publicity/penalties",
        json={"records": [penalty_raw(pub, CF_WSH=STORED), penalty_raw(pub, CF_WSH="示政办罚[2026]13号")]},
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )
    assert [r["status"] for r in resp.get_json()["results"]] == ["created", "rejected"]


def test_the_migration_backfills_the_key_of_stored_records(pub):
    """publicity_0004 gives records stored before it their key, so old numbers are found by any variant."""
    import importlib.util
    from pathlib import Path

    from sqlalchemy import text

    rec = save(pub, penalty_raw(pub, CF_WSH="示政办罚(2025)9号"))
    db.session.commit()
    db.session.execute(text("UPDATE publicity_records SET decision_key = ''"))
    db.session.commit()
    path = Path(__file__).parents[2] / "migrations" / "versions" / "publicity_0004_decision_key.py"
    spec = importlib.util.spec_from_file_location("publicity_0004", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.backfill(db.session.connection())
    db.session.commit()
    assert find_record(pub.agency, Kind.PENALTY, "示政办罚〔2025〕9号").id == rec.id

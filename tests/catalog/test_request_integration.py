"""条例 Art. 44 and Art. 36(1) between requests and the catalogue (issue 11 §6): a proactive-disclosure candidate
becomes a catalogue draft in one action, linked to every request that asked for it; a requested item already
published is answered as 已主动公开 with the entry's title, index number and public address."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.catalog.conftest import entry_input, in_english
from tests.factories import application_input


@pytest.fixture
def req(cat, make_staff, make_applicant):
    """The catalogue agency also handles requests: its handler, and three citizens."""
    from disclosure.accounts.roles import Role

    dept = cat.agency.departments[0]
    return SimpleNamespace(
        handler=make_staff(cat.agency, [Role.HANDLER], department=dept),
        department=dept,
        citizens=[make_applicant(), make_applicant(), make_applicant()],
    )


def _file(cat, req, citizen, *items):
    """A request filed online and confirmed by the office."""
    from disclosure.applications import operations as ops
    from disclosure.applications.operations import ItemInput
    from disclosure.extensions import db

    data = application_input(applicant_name=citizen.name, email=citizen.email, items=[ItemInput(*i) for i in items])
    case = ops.file_online(citizen, cat.agency, data)
    ops.confirm(case, cat.registrar)
    db.session.commit()
    return case


def _in_handling(cat, req, case):
    from disclosure.applications import operations as ops
    from disclosure.extensions import db

    ops.assign(case, cat.registrar, department=req.department, handler=req.handler)
    ops.start_handling(case, req.handler)
    db.session.commit()
    return case


ASKED = ("2025年道路维修资金使用情况", "测财〔2025〕3号")


def _two_requests(cat, req):
    first = _file(cat, req, req.citizens[0], ASKED)
    second = _file(cat, req, req.citizens[1], ("道路维修资金", "测财[2025]3号"), ("其他信息", ""))
    return first, second


# --- Art. 44: a candidate becomes a catalogue draft ----------------------------------------------------------


def test_candidate_becomes_a_draft_linked_to_every_request(cat, req):
    from disclosure.applications.operations import proactive
    from disclosure.catalog import linked_entries
    from disclosure.catalog.operations.requests import requests_of
    from disclosure.extensions import db

    first, second = _two_requests(cat, req)
    (candidate,) = proactive.candidates(cat.agency.id)
    assert candidate.applicants == 2 and candidate.entries == []

    result = proactive.draft_from_candidate(cat.agency, cat.editor, candidate.fingerprint)
    db.session.commit()
    entry = result.entry
    assert result.created and result.linked == 2
    assert entry.state == "draft" and entry.source == "request" and entry.agency_id == cat.agency.id
    assert entry.title == ASKED[0] and entry.document_number == "测财〔2025〕3号"
    assert entry.attribute == "proactive" and entry.category == "art20_15" and entry.made_on is not None
    assert "第四十四条" in entry.summary and first.reference in entry.summary and second.reference in entry.summary
    assert [c.reference for c in requests_of(entry)] == [first.reference, second.reference]
    assert {(link.application_id, link.item_id) for link in linked_entries(application_ids=[first.id, second.id])} == {
        (first.id, first.items[0].id),
        (second.id, second.items[0].id),
    }
    assert [e.entry_id for e in proactive.candidates(cat.agency.id)[0].entries] == [entry.id]
    assert [e.action for e in entry.audit_events()][-1] == "catalog.requests_linked"

    # Again: nothing is drafted twice; a later request for the same information joins the same entry.
    again = proactive.draft_from_candidate(cat.agency, cat.editor, candidate.fingerprint)
    assert (again.entry.id, again.created, again.linked) == (entry.id, False, 0)
    third = _file(cat, req, req.citizens[2], ("道路维修资金使用情况", "测财（2025）3号"))
    later = proactive.draft_from_candidate(cat.agency, cat.head, candidate.fingerprint)
    db.session.commit()
    assert (later.entry.id, later.created, later.linked) == (entry.id, False, 1)
    assert [c.reference for c in requests_of(entry)][-1] == third.reference


def test_a_number_the_catalogue_already_has_is_linked_not_drafted_again(cat, req, publish_entry):
    from disclosure.applications.operations import proactive
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    published = publish_entry(document_number="测财〔2025〕3号", title="关于2025年道路维修资金使用情况的公告")
    _two_requests(cat, req)
    (candidate,) = proactive.candidates(cat.agency.id)
    result = proactive.draft_from_candidate(cat.agency, cat.editor, candidate.fingerprint)
    assert (result.entry.id, result.created, result.linked) == (published.id, False, 2)
    assert db.session.query(Entry).count() == 1


def test_drafting_refuses_bad_input_and_other_roles(cat, req, make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.applications.operations import proactive
    from disclosure.core.errors import DomainError, NotAllowed

    _two_requests(cat, req)
    (candidate,) = proactive.candidates(cat.agency.id)
    for bad in ("", "xyz", "0" * 63, candidate.fingerprint.upper() + "'"):
        with pytest.raises(DomainError):
            proactive.draft_from_candidate(cat.agency, cat.editor, bad)
    with pytest.raises(DomainError):  # well formed, but nobody asked this agency for it
        proactive.draft_from_candidate(cat.agency, cat.editor, "0" * 64)
    with pytest.raises(DomainError):  # another agency's requests are not this agency's candidates
        other = make_agency()
        proactive.draft_from_candidate(other, make_staff(other, [Role.CATALOG_EDITOR]), candidate.fingerprint)
    with pytest.raises(NotAllowed):
        proactive.draft_from_candidate(cat.agency, req.handler, candidate.fingerprint)
    with pytest.raises(NotAllowed):
        proactive.draft_from_candidate(cat.agency, make_staff(cat.other, [Role.CATALOG_EDITOR]), candidate.fingerprint)


def test_candidates_page_drafts_in_one_action_and_both_pages_show_the_link(cat, req, client, login):
    from disclosure.applications.operations import proactive
    from disclosure.catalog.models import Entry
    from disclosure.extensions import db

    first, second = _two_requests(cat, req)
    fingerprint = proactive.candidates(cat.agency.id)[0].fingerprint
    login(client, cat.registrar)  # the office sees the candidates but does not draft catalogue entries
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/staff/applications/candidates").get_data(as_text=True)
    assert fingerprint in page and "Create catalogue draft" not in page
    assert client.post("/staff/applications/candidates/draft", data={"fingerprint": fingerprint}).status_code == 403
    client.post("/logout")

    login(client, cat.editor)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get("/staff/applications/candidates").get_data(as_text=True)
    assert "Create catalogue draft" in page
    resp = client.post("/staff/applications/candidates/draft", data={"fingerprint": fingerprint})
    assert resp.status_code == 302
    entry = db.session.execute(db.select(Entry)).scalar_one()
    assert resp.headers["Location"].endswith(f"/staff/catalog/entries/{entry.id}")
    page = client.get(f"/staff/catalog/entries/{entry.id}").get_data(as_text=True)
    assert 'id="requests"' in page and first.reference in page and second.reference in page
    listing = client.get("/staff/applications/candidates").get_data(as_text=True)
    assert "Link new requests to the entry" in listing and ASKED[0] in listing

    resp = client.post("/staff/applications/candidates/draft", data={"fingerprint": "not-a-fingerprint"})
    assert resp.status_code == 302
    assert "Choose a candidate from the list." in client.get("/staff/applications/candidates").get_data(as_text=True)
    assert db.session.query(Entry).count() == 1
    client.post("/logout")

    login(client, cat.registrar)
    with client.session_transaction() as s:
        s["lang"] = "en"
    case_page = client.get(f"/staff/applications/{first.id}").get_data(as_text=True)
    assert 'id="catalog-links"' in case_page and f"/staff/catalog/entries/{entry.id}" in case_page


# --- Art. 36(1): answered as already proactively disclosed --------------------------------------------------


@pytest.fixture
def published(cat, publish_entry):
    return publish_entry(document_number="测政办发〔2026〕5号")


def _decide(item, handler, **kw):
    from disclosure.applications.operations import proactive

    kw.setdefault("outcome", "")
    return proactive.decide_item(item, handler, **kw)


@pytest.mark.parametrize("typed", ["测政办发[2026]5号", "测政办发（2026）5号", "测政办发﹝2026﹞5号", "index"])
def test_item_answered_with_the_public_entry(cat, req, published, app, typed):
    from disclosure.catalog.operations.requests import requests_of
    from disclosure.extensions import db

    case = _in_handling(cat, req, _file(cat, req, req.citizens[0], ("2026年政务公开工作通知", "")))
    item = case.items[0]
    text = published.index_number if typed == "index" else typed
    _decide(item, req.handler, public_entry=text)
    db.session.commit()
    assert item.outcome == "already_public"
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert published.index_number in item.public_location and published.title in item.public_location
    assert f"{base}/catalog/entries/{published.index_number}" in item.public_location
    assert "测政办发〔2026〕5号" in item.public_location
    assert [c.id for c in requests_of(published)] == [case.id]
    # The reply letter quotes it as where to obtain the information.
    from disclosure.applications.letters import reply_context

    assert [i.public_location for i in reply_context(case).items] == [item.public_location]


def test_lookup_refuses_what_cannot_be_cited(cat, req, published, publish_entry, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.catalog.operations import entries as ops
    from disclosure.core.errors import DomainError, field_errors
    from disclosure.extensions import db

    recorded = publish_entry(
        document_number="测政办发〔2026〕9号", attribute="on_request", attribute_basis="other", attribute_reason="内部"
    )
    foreign = ops.create_entry(cat.other, entry_input(document_number="他局发〔2026〕1号"), actor=None)
    db.session.commit()
    case = _in_handling(cat, req, _file(cat, req, req.citizens[0], ("某信息", "")))
    item = case.items[0]
    for text, words in (
        ("测政办发〔2026〕9号", "not public"),
        (recorded.index_number, "not public"),
        ("他局发〔2026〕1号", "No public entry"),
        ("测政办发〔2026〕77号", "No public entry"),
        ("x" * 81, "At most"),
    ):
        with pytest.raises(DomainError) as exc:
            _decide(item, req.handler, public_entry=text)
        assert set(field_errors(exc.value)) == {"public_entry"}
        assert words in in_english(exc.value.message), text
    with pytest.raises(DomainError) as exc:  # an entry answers only 已主动公开
        _decide(item, req.handler, public_entry=published.index_number, outcome="granted")
    assert set(field_errors(exc.value)) == {"public_entry"}
    with pytest.raises(DomainError):  # only the assigned handler decides (checked before any look-up)
        _decide(item, make_staff(cat.agency, [Role.HANDLER]), public_entry=published.index_number)
    assert item.outcome is None and foreign.state == "draft"


def test_withdrawn_entry_cannot_be_cited_and_a_changed_answer_drops_the_link(cat, req, published, publish_entry):
    from disclosure.catalog.operations import entries as ops
    from disclosure.catalog.operations.requests import requests_of
    from disclosure.core.errors import DomainError
    from disclosure.extensions import db

    case = _in_handling(cat, req, _file(cat, req, req.citizens[0], ("通知", "")))
    item = case.items[0]
    _decide(item, req.handler, public_entry="测政办发〔2026〕5号")
    assert [c.id for c in requests_of(published)] == [case.id]
    other = publish_entry(document_number="测政办发〔2026〕6号", title="另一份通知")
    _decide(item, req.handler, public_entry=other.index_number)
    assert requests_of(published) == [] and [c.id for c in requests_of(other)] == [case.id]
    _decide(item, req.handler, outcome="granted")
    assert requests_of(other) == [] and item.outcome == "granted"
    ops.act(published, "withdraw", actor=cat.head, reason="内容有误")
    db.session.commit()
    with pytest.raises(DomainError):
        _decide(item, req.handler, public_entry="测政办发〔2026〕5号")


def test_decision_form_fills_the_location_and_shows_errors_beside_the_field(cat, req, published, client, login):
    from disclosure.applications.models import Application
    from disclosure.extensions import db

    case = _in_handling(cat, req, _file(cat, req, req.citizens[0], ("通知", "")))
    item_id = case.items[0].id
    login(client, req.handler)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert f'name="item{item_id}-public_entry"' in page

    def post(text):
        version = db.session.get(Application, case.id).version
        return client.post(
            f"/staff/applications/{case.id}/act/decide_item",
            data={
                "prefix": f"item{item_id}",
                f"item{item_id}-item_id": item_id,
                f"item{item_id}-outcome": "already_public",
                f"item{item_id}-public_entry": text,
                f"item{item_id}-version": version,
            },
        )

    assert post("测政办发〔2026〕77号").status_code == 302
    page = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert "No public entry of this agency" in page
    assert db.session.get(Application, case.id).items[0].outcome is None
    assert post("测政办发[2026]5号").status_code == 302
    db.session.expire_all()
    item = db.session.get(Application, case.id).items[0]
    assert item.outcome == "already_public" and published.index_number in item.public_location
    page = client.get(f"/staff/applications/{case.id}").get_data(as_text=True)
    assert 'id="catalog-links"' in page and "public page" in page

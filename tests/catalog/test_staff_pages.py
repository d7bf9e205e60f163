"""The catalogue's staff workspace: the list and its filters, the entry form, the entry page and its actions per
role, the legality review, old versions, the workbench panel."""

from __future__ import annotations

import re

from disclosure.accounts.roles import Role
from disclosure.catalog.models import Entry, EntryReview, Genre, Theme
from disclosure.catalog.operations import entries as ops
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from tests.catalog.conftest import entry_input, field_errors


def _draft(cat, **overrides):
    entry = ops.create_entry(cat.agency, entry_input(**overrides), actor=cat.editor)
    db.session.commit()
    return entry


def test_list_shows_own_and_joint_entries_only(cat, en, use, make_staff):
    mine = _draft(cat, title="本机关的通知")
    joint = ops.create_entry(
        cat.other,
        entry_input(title="联合发文的通知", document_number="他办发〔2026〕1号", issuer_ids=[cat.agency.id]),
        actor=make_staff(cat.other, [Role.CATALOG_EDITOR]),
    )
    foreign = ops.create_entry(
        cat.other,
        entry_input(title="别的机关的通知", document_number="他办发〔2026〕2号"),
        actor=make_staff(cat.other, [Role.CATALOG_EDITOR]),
    )
    db.session.commit()
    use(cat.secrecy)
    html = en.get("/staff/catalog/").get_data(as_text=True)
    assert mine.title in html and joint.title in html and foreign.title not in html
    assert en.get(f"/staff/catalog/entries/{joint.id}").status_code == 200
    assert en.get(f"/staff/catalog/entries/{foreign.id}").status_code == 404
    # a joint issuer sees the entry but cannot act on it: only the lead agency's staff do
    use(cat.editor)
    assert en.get(f"/staff/catalog/entries/{joint.id}/edit").status_code == 403
    assert en.post(f"/staff/catalog/entries/{joint.id}/act/submit").status_code == 403


def test_list_filters(cat, en, use, publish_entry):
    draft = _draft(cat, title="规划草稿", document_number="测政办发〔2026〕9号", category="art20_3")
    published = publish_entry(title="已经公开的通知", document_number="测政办发〔2026〕10号")
    use(cat.editor)

    def titles(**args):
        html = en.get("/staff/catalog/", query_string=args).get_data(as_text=True)
        return {t for t in (draft.title, published.title) if t in html}

    assert titles() == {draft.title, published.title}
    assert titles(state="draft") == {draft.title}
    assert titles(category="art20_3") == {draft.title}
    assert titles(q="测政办发[2026]10号") == {published.title}  # any bracket variant
    assert titles(q=published.index_number) == {published.title}
    assert titles(q="草稿") == {draft.title}
    assert titles(year="2026") == {draft.title, published.title}
    assert titles(year="1990") == set()
    assert titles(mine="y") == {draft.title}  # the editor submits drafts
    html = en.get("/staff/catalog/", query_string={"year": "abcd", "state": "<script>"}).get_data(as_text=True)
    assert "Enter a year such as" in html


def test_timeliness_badge_and_filter(cat, en, use):
    overdue = _draft(cat, title="逾期的通知", made_on="2026-01-05", document_number="测〔2026〕1号")
    fresh = _draft(cat, title="新的通知", made_on=today_china().isoformat(), document_number="测〔2026〕2号")
    use(cat.editor)
    html = en.get("/staff/catalog/", query_string={"timeliness": "overdue"}).get_data(as_text=True)
    assert overdue.title in html and fresh.title not in html
    assert 'data-timeliness="overdue"' in html
    page = en.get(f"/staff/catalog/entries/{overdue.id}").get_data(as_text=True)
    assert 'data-timeliness="overdue"' in page


def test_new_entry_reports_every_error_beside_its_field_and_keeps_input(cat, en, use):
    use(cat.editor)
    assert en.get("/staff/catalog/new").status_code == 200
    data = entry_input(title="", made_on="2026-13-40", attribute="not_disclosed", attribute_basis="", category="")
    data["summary"] = "保留我输入的内容"
    resp = en.post("/staff/catalog/new", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    errors = field_errors(html)
    assert set(errors) >= {"title", "made_on", "attribute_basis", "category"}
    assert "保留我输入的内容" in html
    assert html.count("autofocus") == 1 and 'lang="en"' in html
    assert db.session.execute(db.select(Entry)).first() is None


def test_new_entry_saved_and_edited_with_version_check(cat, en, use, make_agency):
    partner = make_agency()
    use(cat.editor)
    theme = db.session.execute(db.select(Theme).where(Theme.name == "政务公开")).scalar_one()
    data = entry_input(issuer_ids=[str(partner.id)], doc_kind="normative", category="art20_1")
    data.update(registration_number="CSGS-2026-1", in_force_on="2026-04-01", valid_until="2031-03-31")
    resp = en.post("/staff/catalog/new", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    entry = db.session.execute(db.select(Entry)).scalar_one()
    assert entry.theme_id == theme.id and entry.registration_number == "CSGS-2026-1"
    assert {i.agency_id for i in entry.issuers} == {cat.agency.id, partner.id}
    form = en.get(f"/staff/catalog/entries/{entry.id}/edit").get_data(as_text=True)
    assert "CSGS-2026-1" in form and f'value="{entry.version}"' in form
    stale = dict(data, title="改过的标题", version=str(entry.version))
    assert en.post(f"/staff/catalog/entries/{entry.id}/edit", data=stale).status_code == 302
    again = en.post(f"/staff/catalog/entries/{entry.id}/edit", data=dict(stale, title="又改了"))
    assert again.status_code == 409
    assert "Someone else changed this entry" in again.get_data(as_text=True)
    assert "又改了" in again.get_data(as_text=True)  # nothing typed is lost
    assert db.session.get(Entry, entry.id).title == "改过的标题"


def test_duplicate_document_number_refused_beside_the_field(cat, en, use):
    _draft(cat)
    use(cat.editor)
    resp = en.post("/staff/catalog/new", data=entry_input(document_number="测政办发[2026]5号"))
    assert resp.status_code == 400
    assert "already in the catalogue" in field_errors(resp.get_data(as_text=True))["document_number"]


def test_only_editors_create_and_edit(cat, en, use):
    entry = _draft(cat)
    for user in (cat.registrar, cat.secrecy, cat.legal, cat.admin):
        use(user)
        assert en.get("/staff/catalog/new").status_code == 403
        assert en.get(f"/staff/catalog/entries/{entry.id}/edit").status_code == 403
        assert en.get(f"/staff/catalog/entries/{entry.id}").status_code == 200


def _buttons(html: str) -> set[str]:
    return set(re.findall(r'data-trigger="(\w+)"', html))


def test_each_role_sees_and_may_do_exactly_what_the_workflow_allows(cat, en, use):
    entry = _draft(cat, doc_kind="normative", category="art20_1")
    url = f"/staff/catalog/entries/{entry.id}"

    def page_as(user):
        use(user)
        return en.get(url).get_data(as_text=True)

    assert _buttons(page_as(cat.editor)) == {"submit", "abandon"}
    assert _buttons(page_as(cat.registrar)) == set()
    assert en.post(f"{url}/act/submit").status_code == 403
    use(cat.editor)
    assert en.post(f"{url}/act/submit", data={"submit-version": str(entry.version)}).status_code == 302
    assert _buttons(page_as(cat.registrar)) == {"confirm_attribute", "return_attribute"}
    assert _buttons(page_as(cat.editor)) == {"abandon"}  # an editor may still abandon a draft under review
    assert en.post(f"{url}/act/confirm_attribute").status_code == 403
    use(cat.registrar)
    assert en.post(f"{url}/act/confirm_attribute").status_code == 302
    # the secrecy reviewer returns it once: the comment is required, beside its field
    assert _buttons(page_as(cat.secrecy)) == {"pass_secrecy", "return_secrecy"}
    resp = en.post(f"{url}/act/return_secrecy", data={"return_secrecy-comment": "  "})
    assert resp.status_code == 400
    assert field_errors(resp.get_data(as_text=True))["return_secrecy-comment"] == "Say why the entry is returned."
    assert en.post(f"{url}/act/return_secrecy", data={"return_secrecy-comment": "第三条表述需修改"}).status_code == 302
    assert db.session.get(Entry, entry.id).state == "draft"
    use(cat.editor)
    en.post(f"{url}/act/submit")
    use(cat.registrar)
    en.post(f"{url}/act/confirm_attribute")
    use(cat.secrecy)
    en.post(f"{url}/act/pass_secrecy")
    # the office head cannot publish a normative document before its legality review
    head_page = page_as(cat.head)
    assert _buttons(head_page) == {"return_approval", "abandon"}  # no publish button before the review
    assert "approved only after it" in head_page
    resp = en.post(f"{url}/act/publish")
    assert resp.status_code == 400
    assert "legality review" in resp.get_data(as_text=True)
    assert en.post(f"{url}/legality", data={"reviewer_name": "x"}).status_code == 403
    legal_page = page_as(cat.legal)
    assert 'id="legality-form"' in legal_page
    resp = en.post(f"{url}/legality", data={"reviewer_name": "", "reviewed_on": "2026-02-30", "opinion": ""})
    assert resp.status_code == 400
    assert set(field_errors(resp.get_data(as_text=True))) >= {"reviewer_name", "reviewed_on", "opinion"}
    ok = {"reviewer_name": "法规科 王某", "reviewed_on": today_china().isoformat(), "opinion": "合法"}
    assert en.post(f"{url}/legality", data=ok).status_code == 302
    use(cat.head)
    assert en.post(f"{url}/act/publish", data={"publish-comment": "同意"}).status_code == 302
    entry = db.session.get(Entry, entry.id)
    assert entry.state == "published" and entry.index_number
    steps = [(r.step, r.decision) for r in db.session.execute(db.select(EntryReview)).scalars()]
    assert ("secrecy", "returned") in steps and ("legality", "passed") in steps
    page = page_as(cat.head)
    assert _buttons(page) == {"revise", "withdraw"}
    for words in ("Submitted for attribute review", "Returned by the secrecy reviewer", "Legality review recorded"):
        assert words in page
    assert "第三条表述需修改" in page


def test_withdraw_needs_a_reason_and_revise_keeps_the_old_version(cat, en, use, publish_entry):
    entry = publish_entry()
    url = f"/staff/catalog/entries/{entry.id}"
    use(cat.head)
    resp = en.post(f"{url}/act/withdraw", data={"withdraw-reason": ""})
    assert resp.status_code == 400
    assert field_errors(resp.get_data(as_text=True))["withdraw-reason"] == "Give the reason."
    use(cat.editor)
    assert en.post(f"{url}/act/revise").status_code == 302
    data = entry_input(title="修订后的标题", version=str(db.session.get(Entry, entry.id).version))
    assert en.post(f"{url}/edit", data=data).status_code == 302
    page = en.get(url).get_data(as_text=True)
    assert "stays public until the new one is published" in page
    old = en.get(f"{url}/versions/1")
    assert old.status_code == 200 and "关于做好2026年政务公开工作的通知" in old.get_data(as_text=True)
    assert en.get(f"{url}/versions/2").status_code == 404


def test_abandon_needs_a_reason(cat, en, use):
    entry = _draft(cat)
    use(cat.editor)
    url = f"/staff/catalog/entries/{entry.id}"
    assert en.post(f"{url}/act/abandon", data={"abandon-reason": ""}).status_code == 400
    assert en.post(f"{url}/act/abandon", data={"abandon-reason": "重复起草"}).status_code == 302
    assert db.session.get(Entry, entry.id).state == "abandoned"
    assert en.post(f"{url}/act/no_such_step").status_code == 404


def test_workbench_panel_counts_overdue_and_waiting(cat, en, use):
    _draft(cat, made_on="2026-01-05")
    use(cat.editor)
    html = en.get("/staff/").get_data(as_text=True)
    assert "Government information catalogue" in html
    assert re.search(r"Overdue for publication \(Art\. 26\)</a>: <strong>1</strong>", html)
    assert re.search(r"Waiting for me</a>: <strong>1</strong>", html)


def test_history_and_deactivated_choices(cat, en, use):
    genre = db.session.execute(db.select(Genre).where(Genre.name == "通知")).scalar_one()
    genre.active = False
    db.session.commit()
    use(cat.editor)
    resp = en.post("/staff/catalog/new", data=entry_input())
    assert resp.status_code == 400
    assert field_errors(resp.get_data(as_text=True))["genre_id"] == "Choose a genre from the list."


def test_ids_beyond_a_database_integer_are_refused_beside_their_fields(cat, en, use):
    use(cat.editor)
    huge = "9223372036854775808"
    data = entry_input(theme_id=huge, genre_id="-1", department_id=huge, issuer_ids=[huge])
    resp = en.post("/staff/catalog/new", data=data)
    assert resp.status_code == 400
    errors = field_errors(resp.get_data(as_text=True))
    assert errors["theme_id"] == errors["genre_id"] == errors["department_id"] == "Choose a value from the list."
    assert errors["issuer_ids"] == "Choose the joint issuers from the list."

"""Catalogue administration: an agency's settings (its administrator) and the deployment's themes and genres (the
system administrator)."""

from __future__ import annotations

import pytest

from disclosure.accounts.roles import Role
from disclosure.catalog.models import CatalogSettings, Genre, Theme
from disclosure.catalog.operations import entries as ops
from disclosure.extensions import db
from tests.catalog.conftest import entry_input, field_errors


@pytest.fixture
def sysadmin(cat, make_staff):
    return make_staff(cat.agency, [Role.SYS_ADMIN])


GOOD = {
    "index_format": "{org}-{year}{month}-{serial:04d}",
    "publish_due_days": "15",
    "interpretation_due_days": "3",
    "validity_years": "5",
    "provisional_validity_years": "2",
    "review_months_before_expiry": "6",
    "list_on_request_entries": "y",
}


def test_settings_page_previews_the_next_index_number(cat, en, use):
    use(cat.admin)
    html = en.get("/admin/catalog/settings").get_data(as_text=True)
    assert f"{cat.agency.org_code}/" in html and "-00001" in html
    assert en.get("/admin/catalog/settings").status_code == 200


def test_settings_report_every_error_at_once(cat, en, use):
    use(cat.admin)
    data = dict(
        GOOD,
        index_format="{org}/{year}",
        publish_due_days="0",
        interpretation_due_days="abc",
        validity_years="3",
        provisional_validity_years="4",
        review_months_before_expiry="99999999999999999999999",
    )
    resp = en.post("/admin/catalog/settings", data=data)
    assert resp.status_code == 400
    errors = field_errors(resp.get_data(as_text=True))
    assert set(errors) == {
        "index_format",
        "publish_due_days",
        "interpretation_due_days",
        "provisional_validity_years",
        "review_months_before_expiry",
    }
    assert "{serial}" in errors["index_format"]
    assert "{org}/{year}" in resp.get_data(as_text=True)  # what was typed stays
    assert (
        db.session.get(CatalogSettings, cat.agency.id) is None or ops.settings_for(cat.agency.id).publish_due_days == 20
    )


def test_settings_saved_audited_and_used(cat, en, use, publish_entry):
    use(cat.admin)
    version = ops.settings_for(cat.agency.id).version
    db.session.commit()
    resp = en.post("/admin/catalog/settings", data=dict(GOOD, version=str(version)))
    assert resp.status_code == 302
    db.session.expire_all()
    row = ops.settings_for(cat.agency.id)
    assert row.publish_due_days == 15 and row.index_format == GOOD["index_format"]
    assert [e.action for e in row.audit_events()] == ["catalog.settings"]
    entry = publish_entry()
    assert entry.index_number == f"{cat.agency.org_code}-202603-0001"
    stale = en.post("/admin/catalog/settings", data=dict(GOOD, version=str(version), publish_due_days="18"))
    assert stale.status_code == 400 and "Someone else changed" in stale.get_data(as_text=True)


def test_settings_only_for_agency_administrators(cat, en, use):
    for user in (cat.editor, cat.head, cat.registrar):
        use(user)
        assert en.get("/admin/catalog/settings").status_code == 403


def test_themes_add_rename_deactivate_reorder_delete(cat, en, use, sysadmin):
    use(sysadmin)
    assert "综合政务" in en.get("/admin/catalog/themes").get_data(as_text=True)
    top = db.session.execute(db.select(Theme).where(Theme.name == "综合政务")).scalar_one()
    # a second-level theme under a first-level one
    resp = en.post("/admin/catalog/themes", data={"new-name": "数据开放", "new-parent_id": str(top.id)})
    assert resp.status_code == 302
    theme = db.session.execute(db.select(Theme).where(Theme.name == "数据开放")).scalar_one()
    assert theme.parent_id == top.id
    # the same name twice under one parent, a third level, an empty name: refused beside the field
    resp = en.post("/admin/catalog/themes", data={"new-name": "数据开放", "new-parent_id": str(top.id)})
    assert resp.status_code == 400 and field_errors(resp.get_data(as_text=True)) == {
        "new-name": "This name is in the list already."
    }
    resp = en.post("/admin/catalog/themes", data={"new-name": "", "new-parent_id": str(theme.id)})
    assert set(field_errors(resp.get_data(as_text=True))) == {"new-name", "new-parent_id"}
    # rename, move and deactivate
    p = f"row{theme.id}"
    resp = en.post(f"/admin/catalog/themes/{theme.id}", data={f"{p}-name": "政务数据开放", f"{p}-position": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    theme = db.session.get(Theme, theme.id)
    assert (theme.name, theme.position, theme.active) == ("政务数据开放", 1, False)
    # an inactive theme is not offered for new entries
    use(cat.editor)
    assert "政务数据开放" not in en.get("/staff/catalog/new").get_data(as_text=True)
    use(sysadmin)
    theme_id = theme.id
    assert en.post(f"/admin/catalog/themes/{theme_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Theme, theme_id) is None


def test_a_theme_or_genre_in_use_is_never_deleted(cat, en, use, sysadmin):
    entry = ops.create_entry(cat.agency, entry_input(), actor=cat.editor)
    db.session.commit()
    use(sysadmin)
    resp = en.post(f"/admin/catalog/genres/{entry.genre_id}/delete")
    assert resp.status_code == 302  # refused: the message is flashed on the list
    assert db.session.get(Genre, entry.genre_id) is not None
    assert "deactivate it instead" in en.get("/admin/catalog/genres").get_data(as_text=True)
    parent = db.session.get(Theme, entry.theme_id).parent_id
    en.post(f"/admin/catalog/themes/{parent}/delete")
    assert db.session.get(Theme, parent) is not None


def test_genres_for_system_administrators_only(cat, en, use, sysadmin):
    use(cat.admin)
    assert en.get("/admin/catalog/genres").status_code == 403
    assert en.post("/admin/catalog/genres", data={"new-name": "专题简报"}).status_code == 403
    use(sysadmin)
    assert en.post("/admin/catalog/genres", data={"new-name": "专题简报", "new-position": "x"}).status_code == 400
    assert en.post("/admin/catalog/genres", data={"new-name": "专题简报"}).status_code == 302
    genre = db.session.execute(db.select(Genre).where(Genre.name == "专题简报")).scalar_one()
    last = db.session.execute(db.select(db.func.max(Genre.position))).scalar_one()
    assert genre.position == last and genre.active
    assert en.post("/admin/catalog/genres/987654").status_code == 404

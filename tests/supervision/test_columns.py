"""Column-update monitoring (栏目更新; issue 14 §1; proactive-china §1.7, §2.8): each column's status on fixed days
against hand-built catalogues, the site-level single-veto thresholds of 国办秘函〔2019〕19号, joint documents,
withdrawals and new versions, the supervisor's and the administrator's settings with their audit, bad input,
who sees which agency's columns, the figures, and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.supervision.builders.columns import build, publish
from tests.supervision.conftest import in_english

D = dt.date

APPLICABLE = [  # every column of a city bureau (not the township items)
    "art20_1",
    "art20_2",
    "art20_3",
    "art20_4",
    "art20_5",
    "art20_6",
    "art20_7",
    "art20_8",
    "art20_9",
    "art20_10",
    "art20_11",
    "art20_12",
    "art20_13",
    "art20_14",
    "art20_15",
    "art21_city",
]


def states(agency, day):
    from disclosure.supervision.columns import monitor

    return monitor.for_agency(agency.id, day)


def by_category(result):
    return {c.category: c for c in result.columns}


# --- Statuses on fixed days ------------------------------------------------------------------------------------


def test_a_news_column_is_up_to_date_then_due_soon_then_overdue(tree):
    from disclosure.supervision.columns.rules import Status

    publish(tree.bureau, "art20_11", D(2025, 3, 1))  # 动态-like: 14 days (19号), due soon past 80 % (11.2 days)
    expected = {
        D(2025, 3, 1): (0, Status.OK),
        D(2025, 3, 12): (11, Status.OK),
        D(2025, 3, 13): (12, Status.WARNING),
        D(2025, 3, 15): (14, Status.WARNING),  # 14 days is still within two weeks
        D(2025, 3, 16): (15, Status.OVERDUE),
    }
    for day, (days, status) in expected.items():
        column = by_category(states(tree.bureau, day))["art20_11"]
        assert (column.days_since, column.status, column.long_stale) == (days, status, False), day
        assert column.last_on == D(2025, 3, 1)


def test_blank_static_irregular_and_long_stale_columns(tree):
    from disclosure.supervision.columns.rules import Status

    publish(tree.bureau, "art20_2", D(2020, 5, 6))  # static: never due
    publish(tree.bureau, "art20_12", D(2021, 1, 1))  # irregular, no gap: never due
    publish(tree.bureau, "art20_1", D(2024, 1, 1))  # 政策文件: 183 days
    publish(tree.bureau, "art20_15", D(2024, 11, 1))  # 通知公告: 183 days
    publish(tree.bureau, "art20_7", D(2025, 6, 1))  # after the day asked for: does not count yet
    columns = by_category(states(tree.bureau, D(2025, 3, 16)))
    assert columns["art20_2"].status is Status.OK and columns["art20_2"].days_since == 1775
    assert columns["art20_12"].status is Status.OK
    assert columns["art20_1"].status is Status.OVERDUE and columns["art20_1"].long_stale  # 440 days > 365
    assert columns["art20_15"].status is Status.OK  # 135 days: 135 × 100 ≤ 183 × 80
    assert columns["art20_7"].status is Status.BLANK and columns["art20_7"].last is None
    assert columns["art21_township"].status is Status.NOT_APPLICABLE  # a city bureau has no township column
    assert columns["art21_city"].status is Status.BLANK
    assert {c for c, s in columns.items() if s.status is Status.BLANK} == set(APPLICABLE) - {
        "art20_1",
        "art20_2",
        "art20_12",
        "art20_15",
    }
    # Overdue but not yet long stale: a quarterly column 100 days after its last update.
    publish(tree.bureau2, "art20_4", D(2025, 1, 1))
    column = by_category(states(tree.bureau2, D(2025, 4, 11)))["art20_4"]
    assert (column.status, column.long_stale, column.days_since) == (Status.OVERDUE, False, 100)


def test_a_township_has_the_township_column_and_not_the_city_one(tree, make_agency):
    from disclosure.supervision.columns.rules import Status

    town = make_agency(full_name="测试市某某镇人民政府", short_name="某某镇")
    by_code = make_agency(full_name="测试市某街道", short_name="某街道", division_code="330102001")
    for agency in (town, by_code):
        columns = by_category(states(agency, D(2025, 3, 1)))
        assert columns["art21_township"].status is Status.BLANK
        assert columns["art21_city"].status is Status.NOT_APPLICABLE


# --- The site-level single-veto thresholds (19号) ----------------------------------------------------------------


def test_five_overdue_columns_fail_the_site_and_four_do_not(tree):
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.rules import Flag, Status

    old, fresh = D(2025, 1, 2), D(2025, 4, 1)
    late = {"art20_4", "art20_9", "art20_10", "art20_13", "art20_11"}  # quarterly ×4 (92 days) and news (14)
    for category in APPLICABLE:
        publish(tree.bureau, category, old if category in late else fresh)
    result = states(tree.bureau, D(2025, 4, 10))
    assert {c.category for c in result.overdue} == late
    assert result.blank == [] and result.long_stale == []
    assert result.flags == [Flag.OVERDUE]

    data = operations.agency_input(tree.bureau)
    data["art20_13_applies"] = False  # the supervisor: a bureau without inspections
    operations.save_agency_columns(tree.bureau, data, actor=tree.supervisor)
    result = states(tree.bureau, D(2025, 4, 10))
    assert len(result.overdue) == 4 and result.flags == []
    assert by_category(result)["art20_13"].status is Status.NOT_APPLICABLE


def test_five_blank_columns_fail_the_site_and_four_do_not(tree):
    from disclosure.supervision.columns.rules import Flag

    day = D(2025, 6, 2)
    for category in APPLICABLE[:11]:
        publish(tree.bureau2, category, day)
    result = states(tree.bureau2, day)
    assert len(result.blank) == 5 and result.flags == [Flag.BLANK]
    publish(tree.bureau2, APPLICABLE[11], day)
    assert states(tree.bureau2, day).flags == []


def test_ten_long_stale_columns_fail_the_site_and_the_threshold_is_data(tree, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.rules import Flag

    for category in APPLICABLE:
        publish(tree.bureau, category, D(2023, 1, 2))
    result = states(tree.bureau, D(2024, 2, 6))  # 400 days later
    assert len(result.long_stale) == 13  # every column with a gap (not 2, 8, 12)
    assert result.flags == [Flag.OVERDUE, Flag.LONG_STALE, Flag.QUIET]
    admin = make_staff(tree.office, roles=[Role.SYS_ADMIN])
    data = operations.defaults_input()
    data.update(long_stale_columns="14", overdue_columns="14")
    operations.save_defaults(data, actor=admin)
    assert states(tree.bureau, D(2024, 2, 6)).flags == [Flag.QUIET]


def test_no_update_at_all_in_two_weeks_fails_the_site(tree):
    from disclosure.supervision.columns.rules import Flag

    assert states(tree.office, D(2025, 3, 1)).flags == [Flag.BLANK, Flag.QUIET]  # never published anything
    publish(tree.bureau2, "art20_8", D(2025, 3, 1))  # an irregular column: only the site check reads it
    for category in APPLICABLE[:12]:
        if category != "art20_8":
            publish(tree.bureau2, category, D(2024, 12, 31))
    assert Flag.QUIET not in states(tree.bureau2, D(2025, 3, 15)).flags  # 14 days
    assert Flag.QUIET in states(tree.bureau2, D(2025, 3, 16)).flags  # 15 days
    assert states(tree.bureau2, D(2025, 3, 16)).last_any == D(2025, 3, 1)


# --- What counts as an update -------------------------------------------------------------------------------------


def test_a_joint_document_updates_the_column_of_each_issuer(tree):
    from disclosure.catalog.operations import entries as ops
    from disclosure.extensions import db
    from disclosure.supervision.columns.rules import Status

    entry = publish(tree.bureau, "art20_1", D(2025, 5, 6), issuers=[tree.bureau2])
    db.session.commit()
    for agency in (tree.bureau, tree.bureau2):
        column = by_category(states(agency, D(2025, 5, 8)))["art20_1"]
        assert (column.last_on, column.last.entry_id, column.days_since) == (D(2025, 5, 6), entry.id, 2)
    assert by_category(states(tree.office, D(2025, 5, 8)))["art20_1"].status is Status.BLANK

    ops.act(entry, "withdraw", actor=tree.head, reason="内容有误，撤回。", today=D(2025, 5, 9))
    for agency in (tree.bureau, tree.bureau2):  # withdrawn: no longer public, the column is blank again
        assert by_category(states(agency, D(2025, 5, 10)))["art20_1"].status is Status.BLANK


def test_a_joint_issuer_counts_once_the_published_version_names_it(tree):
    from disclosure.catalog.operations import entries as ops
    from disclosure.supervision.columns.rules import Status

    entry = publish(tree.bureau, "art20_5", D(2025, 5, 6), issuers=[tree.bureau2])
    ops.act(entry, "revise", actor=None, today=D(2025, 5, 7))
    data = {
        "title": entry.title,
        "made_on": "2025-05-06",
        "category": "art20_5",
        "attribute": "proactive",
        "issuer_ids": [tree.bureau2.id, tree.office.id],
    }
    ops.update_entry(entry, data, actor=None, expected_version=None)  # a third issuer, not yet published
    assert by_category(states(tree.office, D(2025, 5, 8)))["art20_5"].status is Status.BLANK
    assert by_category(states(tree.bureau2, D(2025, 5, 8)))["art20_5"].last_on == D(2025, 5, 6)
    ops.act(entry, "publish_generated", actor=None, today=D(2025, 5, 8))
    for agency in (tree.bureau, tree.bureau2, tree.office):
        assert by_category(states(agency, D(2025, 5, 8)))["art20_5"].last_on == D(2025, 5, 8)


def test_the_latest_entry_and_a_new_version_update_the_column(tree):
    from disclosure.catalog.operations import entries as ops

    first = publish(tree.bureau, "art20_15", D(2025, 1, 6), title="关于第一季度工作的通知")
    second = publish(tree.bureau, "art20_15", D(2025, 2, 3), title="关于第二季度工作的通知")
    column = by_category(states(tree.bureau, D(2025, 2, 10)))["art20_15"]
    assert (column.last.entry_id, column.last.title, column.last_on) == (
        second.id,
        "关于第二季度工作的通知",
        D(2025, 2, 3),
    )
    assert column.last.index_number == second.index_number
    ops.act(first, "revise", actor=None, today=D(2025, 3, 3))
    ops.act(first, "publish_generated", actor=None, today=D(2025, 3, 3))  # its second version
    column = by_category(states(tree.bureau, D(2025, 3, 4)))["art20_15"]
    assert (column.last.entry_id, column.last_on) == (first.id, D(2025, 3, 3))


def test_an_entry_not_disclosed_proactively_updates_no_column(tree):
    from disclosure.catalog.operations import entries as ops
    from disclosure.supervision.columns.rules import Status

    data = {
        "title": "内部工作方案",
        "made_on": "2025-03-03",
        "category": "art20_3",
        "attribute": "on_request",
        "attribute_basis": "other",
        "attribute_reason": "过程性信息。",
    }
    entry = ops.create_entry(tree.bureau, data, actor=None, source="api")
    ops.act(entry, "import_recorded", actor=None, today=D(2025, 3, 3))
    assert by_category(states(tree.bureau, D(2025, 3, 4)))["art20_3"].status is Status.BLANK


# --- Settings: the supervisor's per agency, the administrator's defaults ---------------------------------------


def test_the_supervisor_overrides_an_agency_and_resetting_keeps_no_row(tree):
    from disclosure.core.audit import events_for
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnSetting
    from disclosure.supervision.columns.rules import Status, UpdateClass

    publish(tree.bureau, "art20_7", D(2025, 1, 10))
    assert by_category(states(tree.bureau, D(2025, 3, 1)))["art20_7"].status is Status.OK  # yearly
    data = operations.agency_input(tree.bureau)
    data.update(art20_7_class="monthly", art20_7_gap="")
    changes = operations.save_agency_columns(tree.bureau, data, actor=tree.supervisor)
    db.session.commit()
    assert changes == {
        "art20_7": (
            {"update_class": "yearly", "max_gap_days": None, "applies": True},
            {"update_class": "monthly", "max_gap_days": None, "applies": True},
        )
    }
    column = by_category(states(tree.bureau, D(2025, 3, 1)))["art20_7"]
    assert (column.rule.update_class, column.rule.gap_days, column.custom) == (UpdateClass.MONTHLY, 31, True)
    assert column.status is Status.OVERDUE  # 50 days
    assert by_category(states(tree.bureau2, D(2025, 3, 1)))["art20_7"].custom is False  # only this agency
    (event,) = events_for("supervision_column_settings", tree.bureau.id)
    assert (event.action, event.actor_id, event.agency_id) == (
        "supervision.columns.agency",
        tree.supervisor.id,
        tree.bureau.id,
    )
    assert event.after == {"art20_7": {"update_class": "monthly", "max_gap_days": None, "applies": True}}

    assert (
        operations.save_agency_columns(tree.bureau, operations.agency_input(tree.bureau), actor=tree.supervisor) == {}
    )
    assert len(events_for("supervision_column_settings", tree.bureau.id)) == 1  # nothing changed, nothing logged
    data.update(art20_7_class="yearly")
    operations.save_agency_columns(tree.bureau, data, actor=tree.supervisor)
    db.session.commit()
    assert db.session.execute(db.select(ColumnSetting)).scalars().all() == []  # back to the default: no row


def test_the_administrators_defaults_reach_agencies_that_kept_them(tree, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.core.audit import events_for
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.rules import Status

    admin = make_staff(tree.office, roles=[Role.SYS_ADMIN])
    data = operations.agency_input(tree.bureau2)
    data["art20_11_gap"] = "30"
    operations.save_agency_columns(tree.bureau2, data, actor=tree.supervisor)
    defaults = operations.defaults_input()
    defaults.update(art20_11_class="weekly", art20_11_gap="", warning_percent="50")
    operations.save_defaults(defaults, actor=admin)
    db.session.commit()
    for agency in (tree.bureau, tree.bureau2):
        publish(agency, "art20_11", D(2025, 3, 1))
    bureau = by_category(states(tree.bureau, D(2025, 3, 5)))["art20_11"]
    own = by_category(states(tree.bureau2, D(2025, 3, 5)))["art20_11"]
    assert (bureau.rule.gap_days, bureau.status) == (7, Status.WARNING)  # 4 days > 50 % of 7
    assert (own.rule.gap_days, own.status) == (30, Status.OK)  # the supervisor's own gap stays
    (event,) = events_for("supervision_column_defaults", "deployment")
    assert event.after == {
        "art20_11": {"update_class": "weekly", "max_gap_days": None},
        "warning_percent": 50,
    }
    assert event.actor_id == admin.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("art20_1_class", "fortnightly", "Choose an update class from the list."),
        ("art20_1_gap", "-3", "The maximum gap cannot be negative."),
        ("art20_1_gap", "0", "The maximum gap is at least one day."),
        (
            "art20_1_gap",
            "two weeks",
            "Enter the maximum gap as a whole number of days, or leave it empty for the class's own.",
        ),
        (
            "art20_1_gap",
            "9223372036854775808",
            "Enter the maximum gap as a whole number of days, or leave it empty for the class's own.",
        ),
        ("art20_1_gap", "3661", "The maximum gap may be at most 3660 days (ten years)."),
        ("art20_2_gap", "30", "A static column is never due: leave its maximum gap empty."),
    ],
)
def test_bad_column_input_is_refused_beside_its_field_and_nothing_changes(tree, field, value, message):
    from disclosure.core.errors import FieldErrors
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnSetting

    data = operations.agency_input(tree.bureau)
    data.update({"art20_7_class": "monthly", field: value})  # a good change beside the bad one
    with pytest.raises(FieldErrors) as caught:
        operations.save_agency_columns(tree.bureau, data, actor=tree.supervisor)
    assert {k: in_english(v) for k, v in caught.value.errors.items()} == {field: message}
    assert db.session.execute(db.select(ColumnSetting)).scalars().all() == []


def test_bad_defaults_are_refused_all_at_once(tree, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.core.errors import FieldErrors
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnDefault, ColumnThreshold

    admin = make_staff(tree.office, roles=[Role.SYS_ADMIN])
    data = operations.defaults_input()
    data.update(art20_3_class="", art20_3_gap="-1", overdue_columns="0", warning_percent="100", quiet_days="x")
    with pytest.raises(FieldErrors) as caught:
        operations.save_defaults(data, actor=admin)
    assert {k: in_english(v) for k, v in caught.value.errors.items()} == {
        "art20_3_class": "Choose an update class from the list.",
        "art20_3_gap": "The maximum gap cannot be negative.",
        "overdue_columns": "Enter a whole number from 1 to 1000.",
        "quiet_days": "Enter a whole number from 1 to 366.",
        "warning_percent": "Enter a whole number from 1 to 99.",
    }
    assert db.session.execute(db.select(ColumnDefault)).all() == []
    assert db.session.execute(db.select(ColumnThreshold)).all() == []


def test_only_the_agencys_supervisor_may_change_its_columns(tree):
    from disclosure.core.errors import NotAllowed
    from disclosure.supervision.columns import operations

    for actor in (tree.head, tree.outsider_head, tree.admin):
        with pytest.raises(NotAllowed):
            operations.save_agency_columns(tree.bureau, operations.agency_input(tree.bureau), actor=actor)
    with pytest.raises(NotAllowed):
        operations.save_agency_columns(tree.outsider, operations.agency_input(tree.outsider), actor=tree.supervisor)
    with pytest.raises(NotAllowed):
        operations.save_defaults(operations.defaults_input(), actor=tree.supervisor)


# --- Pages and access ----------------------------------------------------------------------------------------


def test_the_agency_page_shows_flags_and_statuses_in_words(tree, use):
    import re

    publish(tree.bureau, "art20_11", D(2025, 3, 1), title="民生工作动态")
    client = use(tree.head)
    page = client.get("/staff/supervision/columns?day=2025-03-16")  # an office head sees their own agency
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    row = re.search(r'<tr id="column-art20_11".*?</tr>', html, re.S).group(0)
    assert "2025-03-01" in row and "民生工作动态" in row and ">15<" in row and "Overdue" in row
    assert "Real time" in row and "14 days" in row
    blank = re.search(r'<tr id="column-art20_7".*?</tr>', html, re.S).group(0)
    assert "Blank" in blank and "never" in blank
    assert 'data-vetoed="1"' in html and "Fails: single veto" in html
    assert "Too many blank columns" in html and "No update at all within the last days" in html
    assert "Change the update classes" not in html  # an office head does not edit


def test_who_sees_which_agencys_columns(tree, use):
    client = use(tree.supervisor)
    overview = client.get("/staff/supervision/columns")
    html = overview.get_data(as_text=True)
    assert overview.status_code == 200
    for agency in (tree.office, tree.bureau, tree.bureau2):
        assert f'data-agency="{agency.id}"' in html
    assert f'data-agency="{tree.outsider.id}"' not in html
    page = client.get(f"/staff/supervision/columns?agency={tree.bureau.id}")
    assert page.status_code == 200 and "Change the update classes" in page.get_data(as_text=True)
    assert client.get(f"/staff/supervision/columns?agency={tree.outsider.id}").status_code == 404

    client = use(tree.outsider_head)
    assert client.get(f"/staff/supervision/columns?agency={tree.outsider.id}").status_code == 200
    for agency in (tree.office, tree.bureau, tree.bureau2):
        assert client.get(f"/staff/supervision/columns?agency={agency.id}").status_code == 404
    assert tree.bureau.short_name not in client.get("/staff/supervision/columns").get_data(as_text=True)

    client = use(tree.head)
    assert client.get(f"/staff/supervision/columns?agency={tree.bureau2.id}").status_code == 404
    assert client.get(f"/staff/supervision/columns/frequencies?agency={tree.bureau.id}").status_code == 403

    client = use(tree.handler)
    assert client.get("/staff/supervision/columns").status_code == 403
    assert client.get(f"/staff/supervision/columns?agency={tree.bureau.id}").status_code == 403

    client = use(tree.supervisor)
    assert client.get(f"/staff/supervision/columns/frequencies?agency={tree.outsider.id}").status_code == 404
    assert client.get("/admin/supervision/columns").status_code == 403


def test_bad_query_values_are_a_message_or_a_404(tree, use):
    client = use(tree.supervisor)
    for value in ("abc", "9223372036854775808", "-1", "0"):
        assert client.get(f"/staff/supervision/columns?agency={value}").status_code == 404
    page = client.get(f"/staff/supervision/columns?agency={tree.bureau.id}&day=2025-02-30")
    assert page.status_code == 400 and "Enter the day as YYYY-MM-DD." in page.get_data(as_text=True)
    page = client.get("/staff/supervision/columns?day=2999-01-01")
    assert page.status_code == 400 and "Enter a day that is not in the future." in page.get_data(as_text=True)
    assert client.get(f"/staff/supervision/columns/frequencies?agency={2**70}").status_code == 404


def test_the_supervisor_edits_an_agencys_classes_on_the_page(tree, use):
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnSetting

    client = use(tree.supervisor)
    url = f"/staff/supervision/columns/frequencies?agency={tree.bureau.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'name="art20_1_gap"' in page.get_data(as_text=True)
    data = {k: v for k, v in operations.agency_input(tree.bureau).items() if v is not False}
    data = {k: ("y" if v is True else v) for k, v in data.items()}
    bad = {**data, "art20_7_class": "monthly", "art20_9_gap": "-5", "art20_2_gap": "7"}
    page = client.post(url, data=bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert '<p class="error" id="art20_9_gap-error">The maximum gap cannot be negative.</p>' in html
    assert (
        '<p class="error" id="art20_2_gap-error">A static column is never due: leave its maximum gap empty.</p>' in html
    )
    assert '<option selected value="monthly">' in html  # what was typed stays
    assert db.session.execute(db.select(ColumnSetting)).scalars().all() == []
    page = client.post(url, data={**data, "art20_7_class": "monthly", "art20_9_gap": "45"})
    assert page.status_code == 302
    rows = {
        r.category: (r.update_class, r.max_gap_days) for r in db.session.execute(db.select(ColumnSetting)).scalars()
    }
    assert rows == {"art20_7": ("monthly", None), "art20_9": ("quarterly", 45)}
    page = client.get(url)
    assert "Column update settings changed" in page.get_data(as_text=True)  # the history


def test_the_frequencies_form_needs_its_csrf_token(tree, use, app):
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnSetting

    client = use(tree.supervisor)  # logged in first: the login form has its own token
    data = {k: ("y" if v is True else v) for k, v in operations.agency_input(tree.bureau).items() if v is not False}
    data["art20_7_class"] = "monthly"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.post(f"/staff/supervision/columns/frequencies?agency={tree.bureau.id}", data=data)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert page.status_code == 400
    assert db.session.execute(db.select(ColumnSetting)).scalars().all() == []


def test_the_administrator_edits_the_defaults_on_the_page(tree, use, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db
    from disclosure.supervision.columns import operations
    from disclosure.supervision.columns.models import ColumnThreshold

    client = use(make_staff(tree.office, roles=[Role.SYS_ADMIN]))
    page = client.get("/admin/supervision/columns")
    assert page.status_code == 200 and "(a guess)" in page.get_data(as_text=True)
    data = operations.defaults_input()
    page = client.post("/admin/supervision/columns", data={**data, "blank_columns": "-2"})
    assert page.status_code == 400
    assert '<p class="error" id="blank_columns-error">Enter a whole number from 1 to 1000.</p>' in page.get_data(
        as_text=True
    )
    assert client.post("/admin/supervision/columns", data={**data, "blank_columns": "6"}).status_code == 302
    assert [(r.key, r.value) for r in db.session.execute(db.select(ColumnThreshold)).scalars()] == [
        ("blank_columns", 6)
    ]


# --- Figures ---------------------------------------------------------------------------------------------------


def test_the_figures_count_what_they_list(tree):
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY, Scope

    today = D(2025, 6, 30)
    build(tree, today)
    scope = Scope((tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id), periods.year(2025), today)
    keys = ("columns.overdue", "columns.blank", "columns.long_stale", "columns.vetoes")
    for key in keys:
        measure = REGISTRY.measures[key]
        assert (measure.area, measure.now, measure.lower_is_better) == ("columns", True, True)
        counts = measure.count(scope)
        items = measure.items(scope, None, 0)
        assert sum(counts.values()) == len(items), key
        for agency_id, n in counts.items():
            assert len([i for i in items if i.agency_id == agency_id]) == n
            assert all(f"/staff/supervision/columns?agency={i.agency_id}" in i.url for i in items)
        assert measure.items(scope, 2, 1) == items[1:3]
    overdue = REGISTRY.measures["columns.overdue"]
    assert overdue.count(scope) == {tree.bureau.id: 3}  # art20_1, art20_4 (its own 60 days), art20_11
    assert [i.reference for i in overdue.items(scope.only(tree.bureau.id), None, 0)] == [
        "第二十条第（一）项",
        "第二十条第（四）项",
        "第二十条第（十一）项",
    ]
    assert REGISTRY.measures["columns.long_stale"].count(scope) == {tree.bureau.id: 1}
    blank = REGISTRY.measures["columns.blank"].count(scope)
    # bureau: 16 applicable − art20_13 − 6 with entries; bureau2: 16 − 2 (art20_9 withdrawn); outsider 16 − 1
    assert blank == {tree.office.id: 16, tree.bureau.id: 9, tree.bureau2.id: 14, tree.outsider.id: 15}
    assert REGISTRY.measures["columns.vetoes"].count(scope) == {a: 1 for a in blank}  # all blank ≥ 5


# --- Demo data ---------------------------------------------------------------------------------------------------


def test_the_demo_supervisor_adjusts_the_finance_bureau_once(make_agency, make_staff):
    from disclosure.accounts.roles import Role
    from disclosure.core.audit import events_for
    from disclosure.extensions import db
    from disclosure.supervision.columns import demo
    from disclosure.supervision.columns.rules import Status

    office = make_agency(slug="demo-gov", full_name="示例市人民政府办公室", short_name="示例市政府办")
    bureau = make_agency(slug="demo-finance", full_name="示例市财政局", short_name="示例市财政局")
    bureau.parent_id = office.id
    db.session.commit()
    make_staff(office, roles=[Role.SUPERVISOR], email=demo.SUPERVISOR)
    demo.load()
    db.session.commit()
    demo.load()
    db.session.commit()
    (event,) = events_for("supervision_column_settings", bureau.id)
    assert set(event.after) == {"art20_4", "art20_7", "art20_10", "art20_13", "art21_city"}
    columns = by_category(states(bureau, D(2025, 1, 1)))
    assert columns["art20_7"].rule.gap_days == 31 and columns["art20_10"].status is Status.NOT_APPLICABLE

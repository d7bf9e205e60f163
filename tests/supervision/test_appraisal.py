"""Public appraisal (社会评议, issue 14 §4; 条例 Art. 50(4)): the anonymous satisfaction survey on the public platform
(valid answers, every bad field at once, the honeypot, the rate limit and the daily ceiling per address, a closed
survey), its anonymity (no address, account or name kept), the figures per agency and period with the applicants'
ratings, who sees them, the measures of the dashboard, the annual report's suggestion and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select

from disclosure.core.audit import AuditEvent
from disclosure.extensions import db
from disclosure.supervision import periods
from disclosure.supervision.appraisal import aggregate, operations
from disclosure.supervision.appraisal.models import AppraisalSettings, SurveyAnswer, SurveyResponse
from tests.supervision.builders.appraisal import answer, open_survey, rated_case

TODAY = dt.date(2026, 11, 16)
ADDRESS = "203.0.113.9"


@pytest.fixture
def request_ctx(app_ctx):
    """Operations raise translated messages and items link with url_for: give them a request (read in English)."""
    with app_ctx.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def opened(tree):
    """The first bureau's survey is open."""
    open_survey(tree.bureau, tree.admin)
    db.session.commit()
    return tree.bureau


def _responses() -> list[SurveyResponse]:
    db.session.commit()  # end the test's transaction: read what the requests committed
    return list(db.session.execute(select(SurveyResponse).order_by(SurveyResponse.id)).scalars())


def _post(client, agency, *, address=ADDRESS, **fields):
    data = {"overall": "4", "finding": "5", "timeliness": "", "clarity": "3", "comment": "解读写得很清楚。"}
    data.update(fields)
    return client.post(f"/supervision/appraisal/{agency.slug}", data=data, environ_base={"REMOTE_ADDR": address})


# --- the survey -------------------------------------------------------------------------------------------------


def test_a_visitor_answers_the_survey_and_is_thanked(opened, en):
    page = en.get(f"/supervision/appraisal/{opened.slug}").get_data(as_text=True)
    assert "Overall, how satisfied are you" in page and "Very dissatisfied" in page and "No answer" in page
    assert 'name="reference_code"' in page and 'aria-hidden="true"' in page  # the honeypot, hidden from people
    resp = _post(en, opened)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/supervision/appraisal/{opened.slug}/thanks")
    thanks = en.get(resp.headers["Location"]).get_data(as_text=True)
    assert "were received" in thanks and "anonymously" in thanks
    (r,) = _responses()
    assert (r.agency_id, r.overall, r.comment) == (opened.id, 4, "解读写得很清楚。")
    assert {a.question: a.score for a in r.answers} == {"finding": 5, "clarity": 3}  # timeliness left out
    assert r.score("timeliness") is None and r.score("overall") == 4


def test_every_bad_field_is_shown_at_once_and_what_was_typed_stays(opened, en):
    long = "很" * 1001
    resp = _post(en, opened, overall="9", finding="abc", timeliness="0", clarity="9223372036854775808", comment=long)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="overall-error"' in html and "Choose one of the five answers." in html
    for name in ("finding", "timeliness", "clarity"):
        assert f'id="{name}-error"' in html, name
    assert html.count("Choose one of the five answers, or no answer.") >= 3
    assert 'id="comment-error"' in html and "The comment has 1001 characters; it may have at most 1000." in html
    assert long in html  # the comment typed is not lost
    assert _responses() == []
    # no overall answer at all
    html = _post(en, opened, overall="").get_data(as_text=True)
    assert "Choose how satisfied you are overall." in html and _responses() == []


def test_the_honeypot_thanks_a_bot_and_keeps_nothing(opened, en):
    resp = _post(en, opened, reference_code="http://spam.example")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/thanks")
    assert _responses() == []


def test_a_closed_survey_takes_no_answer(tree, en):
    page = en.get(f"/supervision/appraisal/{tree.bureau.slug}").get_data(as_text=True)
    assert "not open at present" in page and 'id="survey-form"' not in page
    resp = _post(en, tree.bureau)
    assert resp.status_code == 400 and "Nothing was recorded." in resp.get_data(as_text=True)
    assert _responses() == []
    assert en.get("/supervision/appraisal/no-such-agency").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(opened, en, csrf_enabled):
    resp = _post(en, opened)
    assert resp.status_code == 400 and "The form has expired" in resp.get_data(as_text=True)
    assert _responses() == []


def test_a_form_sent_twice_is_one_response(opened, en):
    key = operations.new_submission_key()
    assert _post(en, opened, submission_key=key).status_code == 302
    assert _post(en, opened, submission_key=key).status_code == 302
    assert len(_responses()) == 1


def test_an_address_has_a_daily_ceiling_per_survey(opened, request_ctx, app):
    ceiling = operations.DAILY_PER_ADDRESS
    for _ in range(ceiling):
        answer(opened, TODAY, overall=5, address=ADDRESS)
    with pytest.raises(operations.DomainError) as refused:
        answer(opened, TODAY, overall=5, address=ADDRESS)
    assert "at most 5 answers a day from one address" in str(refused.value.message)
    answer(opened, TODAY, overall=5, address="203.0.113.10")  # another address
    answer(opened, TODAY + dt.timedelta(days=1), overall=5, address=ADDRESS)  # the next day
    assert len(_responses()) == ceiling + 2


def test_floods_are_rate_limited_per_address(opened, app):
    from disclosure import create_app
    from disclosure.extensions import limiter

    limited = create_app(
        {
            **app.config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "APPRAISAL_DAILY_PER_ADDRESS": 100,
        }
    )
    try:
        client = limited.test_client()
        with client.session_transaction() as s:
            s["lang"] = "en"
        statuses = [_post(client, opened).status_code for _ in range(6)]
        assert statuses == [302] * 5 + [429]
        assert "Too many attempts" in _post(client, opened).get_data(as_text=True)
        assert _post(client, opened, address="203.0.113.77").status_code == 302  # another address is not held up
        assert client.get(f"/supervision/appraisal/{opened.slug}").status_code == 200  # reading is not limited
    finally:
        limiter.reset()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]  # the extension object is shared by both apps
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
    assert len(_responses()) == 6


def test_the_survey_keeps_no_address_account_or_name(opened, tree, make_applicant, login, en, app):
    citizen = make_applicant(name="实名甲")
    login(en, citizen)
    events = db.session.execute(select(func.count(AuditEvent.id))).scalar()
    assert _post(en, opened, comment="").status_code == 302
    (r,) = _responses()
    # nothing in the response names the sender: no address, no account, no name; no audit event (it would)
    columns = {c.name for c in inspect(SurveyResponse).columns}
    assert columns == {"id", "agency_id", "submitted_on", "overall", "comment", "client_hash", "submission_key"}
    values = [str(getattr(r, c)) for c in columns]
    assert not any(ADDRESS in v or str(citizen.id) == v or "实名甲" in v for v in values if v != str(r.id))
    assert db.session.execute(select(func.count(AuditEvent.id))).scalar() == events
    assert not db.session.execute(select(AuditEvent).where(AuditEvent.ip_address == ADDRESS)).first()
    # the hash is keyed and changes with the day and the survey: nothing links answers across them
    with app.test_request_context("/"):
        same = operations.client_hash(ADDRESS, opened.id, r.submitted_on)
        assert r.client_hash == same and len(same) == 64 and ADDRESS not in same
        assert operations.client_hash(ADDRESS, opened.id, r.submitted_on + dt.timedelta(days=1)) != same
        assert operations.client_hash(ADDRESS, tree.bureau2.id, r.submitted_on) != same


# --- the figures ------------------------------------------------------------------------------------------------


@pytest.fixture
def answered(tree, request_ctx):
    """Answers to the bureau in November, October and January 2026, to the second bureau in November, to the
    outsider in November; ratings of replies at the bureau in November (satisfied) and October (not)."""
    for agency in (tree.bureau, tree.bureau2, tree.outsider):
        open_survey(agency, tree.supervisor)
    nov, oct_, jan = dt.date(2026, 11, 3), dt.date(2026, 10, 20), dt.date(2026, 1, 5)
    answer(tree.bureau, nov, overall=5, address="a", finding="4", comment="很方便")
    answer(tree.bureau, nov, overall=4, address="b", finding="2", clarity="3")
    answer(tree.bureau, nov, overall=2, address="c")
    answer(tree.bureau, oct_, overall=3, address="a", timeliness="5")
    answer(tree.bureau, jan, overall=1, address="a")
    answer(tree.bureau2, nov, overall=5, address="a", finding="5")
    answer(tree.outsider, nov, overall=5, address="a")
    rated_case(tree.bureau, satisfied=True, on=nov, comment="答复及时")
    rated_case(tree.bureau, satisfied=False, on=oct_, comment="答复太慢")
    db.session.commit()
    return tree


def test_figures_per_agency_and_period(answered):
    t = answered
    ids = [t.bureau.id, t.bureau2.id]
    month = periods.month(2026, 11)
    rows = aggregate.appraisal(ids, month.start, month.end)
    b = rows[t.bureau.id]
    assert (b.responses, b.satisfied, b.satisfied_share) == (3, 2, 66.7)
    assert b.mean("overall") == round(11 / 3, 2) and b.mean("finding") == 3.0 and b.mean("clarity") == 3.0
    assert b.mean("timeliness") is None and b.answered.get("timeliness", 0) == 0
    assert (b.ratings, b.ratings_satisfied, b.ratings_share) == (1, 1, 100.0)
    assert (rows[t.bureau2.id].responses, rows[t.bureau2.id].satisfied) == (1, 1)
    total = aggregate.combined(rows.values())
    assert (total.responses, total.satisfied, total.satisfied_share) == (4, 3, 75.0)
    assert total.mean("finding") == round((4 + 2 + 5) / 3, 2)  # weighted by the answers, not by agency
    quarter = periods.quarter(2026, 4)
    b = aggregate.appraisal(ids, quarter.start, quarter.end)[t.bureau.id]
    assert (b.responses, b.satisfied, b.mean("timeliness"), b.ratings, b.ratings_satisfied) == (4, 2, 5.0, 2, 1)
    assert b.ratings_share == 50.0
    year = periods.year(2026)
    b = aggregate.appraisal(ids, year.start, year.end)[t.bureau.id]
    assert (b.responses, b.satisfied, b.satisfied_share) == (5, 2, 40.0)
    custom = periods.custom(dt.date(2026, 10, 21), dt.date(2026, 11, 2))
    b = aggregate.appraisal(ids, custom.start, custom.end)[t.bureau.id]
    assert (b.responses, b.ratings, b.satisfied_share, b.mean("overall")) == (0, 0, None, None)
    # the outsider is never counted unless asked for
    assert t.outsider.id not in aggregate.appraisal(ids, year.start, year.end)


def test_a_rating_counts_on_its_beijing_day(answered):
    from disclosure import applications
    from disclosure.applications.models import Rating
    from disclosure.core.timeutil import CHINA_TZ

    t = answered
    rating = db.session.execute(select(Rating).where(Rating.satisfied.is_(True))).scalar_one()
    # 00:30 on 1 December in Beijing is still 30 November in UTC
    rating.created_at = dt.datetime(2026, 12, 1, 0, 30, tzinfo=CHINA_TZ)
    db.session.commit()
    nov, dec = periods.month(2026, 11), periods.month(2026, 12)
    assert applications.rating_counts([t.bureau.id], nov.start, nov.end) == {}
    assert applications.rating_counts([t.bureau.id], dec.start, dec.end)[t.bureau.id].total == 1
    (ref,) = applications.ratings([t.bureau.id], dec.start, dec.end)
    assert ref.rated_on == dt.date(2026, 12, 1) and ref.satisfied and ref.comment == "答复及时"
    assert ref.staff_url.endswith(f"/staff/applications/{ref.case_id}")


def test_the_measures_count_what_they_list(answered):
    from disclosure.supervision.measures import REGISTRY, Scope, counts

    t = answered
    scope = Scope((t.office.id, t.bureau.id, t.bureau2.id), periods.quarter(2026, 4), TODAY)
    expected = {
        "appraisal.responses": {t.bureau.id: 4, t.bureau2.id: 1},
        "appraisal.responses_satisfied": {t.bureau.id: 2, t.bureau2.id: 1},
        "appraisal.ratings": {t.bureau.id: 2},
        "appraisal.ratings_satisfied": {t.bureau.id: 1},
    }
    got = counts(["appraisal.satisfied_share", "appraisal.ratings_satisfied_share"], scope)
    assert got == expected
    for key, per_agency in expected.items():
        measure = REGISTRY.measures[key]
        items = measure.items(scope, None, 0)
        assert len(items) == sum(per_agency.values()), key
        assert measure.items(scope, 1, 1) == items[1:2], key
        for agency_id, n in per_agency.items():
            assert len(measure.items(scope.only(agency_id), None, 0)) == n, key
    (first, *_rest) = REGISTRY.measures["appraisal.responses"].items(scope.only(t.bureau2.id), None, 0)
    assert first.url.endswith(f"/staff/supervision/appraisal/responses/{_responses()[5].id}")
    assert first.title == "Very satisfied" and first.on == dt.date(2026, 11, 3)
    ratio = REGISTRY.ratios["appraisal.satisfied_share"]
    assert ratio.value(3, 5) == 60.0


def test_the_builder_gives_every_measure_its_records(tree, request_ctx):
    from disclosure.supervision.measures import REGISTRY, Measure, Scope
    from tests.supervision.builders.appraisal import build

    build(tree, TODAY)
    ids = (tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id)
    for period in (
        periods.month(2026, 11),
        periods.quarter(2026, 4),
        periods.year(2026),
        periods.custom(dt.date(2025, 10, 1), TODAY),
    ):
        scope = Scope(ids, period, TODAY)
        for measure in REGISTRY.in_area("appraisal"):
            if not isinstance(measure, Measure):
                continue
            per_agency = measure.count(scope)
            assert len(measure.items(scope, None, 0)) == sum(per_agency.values()), (measure.key, period)
            for agency_id in ids:
                assert len(measure.items(scope.only(agency_id), None, 0)) == per_agency.get(agency_id, 0)
    year = REGISTRY.measures["appraisal.responses"].count(Scope(ids, periods.year(2026), TODAY))
    assert year == {a: 6 for a in ids}  # the answer 380 days back is in 2025
    ratings = REGISTRY.measures["appraisal.ratings"].count(Scope(ids, periods.year(2026), TODAY))
    assert ratings == {tree.bureau.id: 2, tree.outsider.id: 1}


# --- the staff pages ----------------------------------------------------------------------------------------------


def _row(html: str, agency_id) -> str:
    start = html.index(f'data-agency="{agency_id}"')
    return html[start : html.index("</tr>", start)]


def test_a_supervisor_sees_the_tree_and_an_office_head_their_own_agency(answered, use):
    t = answered
    client = use(t.supervisor)
    html = client.get("/staff/supervision/appraisal/?period=quarter&year=2026&quarter=4").get_data(as_text=True)
    assert "Public appraisal" in html
    bureau = _row(html, t.bureau.id)
    assert ">4</a>" in bureau and "50.0 %" in bureau and ">2</a>" in bureau
    assert f'data-agency="{t.bureau2.id}"' in html and f'data-agency="{t.office.id}"' in html
    assert f'data-agency="{t.outsider.id}"' not in html
    assert ">5</a>" in _row(html, "total")
    # the drill-downs list the responses with their comments, and the ratings with theirs, linked to the case
    responses = client.get(
        f"/staff/supervision/appraisal/responses?agency={t.bureau.id}&period=month&year=2026&month=11"
    ).get_data(as_text=True)
    assert "3 responses in 2026-11." in responses and "很方便" in responses
    ratings = client.get(
        f"/staff/supervision/appraisal/ratings?agency={t.bureau.id}&period=year&year=2026&satisfied=0"
    ).get_data(as_text=True)
    assert "1 rating in Year 2026." in ratings and "答复太慢" in ratings and "答复及时" not in ratings
    assert client.get(f"/staff/supervision/appraisal/?agency={t.outsider.id}").status_code == 404

    head = use(t.head)
    html = head.get("/staff/supervision/appraisal/?period=year&year=2026").get_data(as_text=True)
    assert f'data-agency="{t.bureau.id}"' in html and f'data-agency="{t.bureau2.id}"' not in html
    assert head.get(f"/staff/supervision/appraisal/?agency={t.bureau2.id}").status_code == 404
    assert head.get(f"/staff/supervision/appraisal/responses?agency={t.bureau2.id}").status_code == 404
    theirs = db.session.execute(select(SurveyResponse.id).where(SurveyResponse.agency_id == t.bureau2.id)).scalar()
    assert head.get(f"/staff/supervision/appraisal/responses/{theirs}").status_code == 404
    mine = db.session.execute(
        select(SurveyResponse.id).where(SurveyResponse.agency_id == t.bureau.id, SurveyResponse.comment != "")
    ).scalar()
    page = head.get(f"/staff/supervision/appraisal/responses/{mine}").get_data(as_text=True)
    assert "很方便" in page and "Very satisfied" in page

    assert use(t.handler).get("/staff/supervision/appraisal/").status_code == 403
    outsider = use(t.outsider_head).get("/staff/supervision/appraisal/?period=year&year=2026").get_data(as_text=True)
    assert f'data-agency="{t.outsider.id}"' in outsider and f'data-agency="{t.bureau.id}"' not in outsider


def test_a_period_out_of_order_is_a_message_beside_its_field(tree, use):
    client = use(tree.supervisor)
    resp = client.get("/staff/supervision/appraisal/?period=custom&from=2026-05-01&to=2026-04-01")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="to-error"' in html
    assert "The end of the period comes before its start." in html and 'id="appraisal-table"' not in html
    resp = client.get("/staff/supervision/appraisal/ratings?period=month&year=2026&month=13")
    assert resp.status_code == 400 and "Choose a month from 1 to 12." in resp.get_data(as_text=True)


def test_comments_are_never_public(opened, client, request_ctx):
    answer(opened, TODAY, overall=5, comment="很方便")
    db.session.commit()
    for url in (f"/supervision/appraisal/{opened.slug}", f"/supervision/appraisal/{opened.slug}/thanks"):
        assert "很方便" not in client.get(url).get_data(as_text=True)
    assert client.get("/staff/supervision/appraisal/responses").status_code == 302  # to the login


def test_the_agency_administrator_opens_the_survey_and_the_platform_links_it(tree, use, client):
    platform = f"/catalog/{tree.bureau.slug}/"
    admin = use(tree.admin)
    assert admin.get("/admin/supervision/appraisal").status_code == 200
    assert 'id="appraisal-survey"' not in client.get(platform).get_data(as_text=True)
    resp = admin.post("/admin/supervision/appraisal", data={"survey_open": "y"})
    assert resp.status_code == 302
    assert db.session.get(AppraisalSettings, tree.bureau.id).survey_open
    (event,) = db.session.execute(select(AuditEvent).where(AuditEvent.action == "appraisal.settings")).scalars()
    assert event.agency_id == tree.bureau.id and event.after == {"survey_open": True}
    assert 'id="appraisal-survey"' in client.get(platform).get_data(as_text=True)
    admin.post("/admin/supervision/appraisal", data={})
    db.session.expire_all()
    assert not db.session.get(AppraisalSettings, tree.bureau.id).survey_open
    assert use(tree.head).get("/admin/supervision/appraisal").status_code == 403


# --- the annual report ---------------------------------------------------------------------------------------------


def test_the_annual_report_offers_the_years_figures_as_a_suggestion(answered, use):
    from disclosure.reports import operations as reports
    from disclosure.reports.operations import settings as settings_ops
    from disclosure.supervision import appraisal_figures, appraisal_sentence

    t = answered
    figures = appraisal_figures(t.bureau.id, 2026)
    assert (figures["responses"], figures["satisfied"], figures["satisfied_share"]) == (5, 2, 40.0)
    assert (figures["ratings"], figures["ratings_satisfied"], figures["ratings_share"]) == (2, 1, 50.0)
    overall = next(q for q in figures["questions"] if q["key"] == "overall")
    assert overall == {"key": "overall", "zh": "总体评价", "answered": 5, "mean": 3.0}
    sentence = appraisal_sentence(figures)
    assert sentence == (
        "社会评议方面，本年度通过政府信息公开平台开展满意度调查，收到评价5份，其中“满意”和“非常满意”2份，"
        "满意率40.0%；申请人对依申请公开答复作出评价2件，其中满意1件，满意率50.0%。"
    )
    assert appraisal_sentence(appraisal_figures(t.bureau.id, 2025)) == ""
    report = reports.start_report(t.bureau, 2026, t.head, today=TODAY)
    db.session.commit()
    assert sentence not in report.overview + report.problems + report.other_matters  # a suggestion only
    page = f"/staff/reports/{report.id}"
    # Art. 50(4) speaks of people's governments: a department's report is not offered the sentence.
    assert 'id="appraisal-suggestion"' not in use(t.head).get(page).get_data(as_text=True)
    settings_ops.save_settings(t.bureau.id, t.admin, agency_kind="government")
    db.session.commit()
    html = use(t.head).get(page).get_data(as_text=True)
    aside = html[html.index('id="appraisal-suggestion"') :]
    assert sentence in aside[: aside.index("</div>")]


# --- the demo -------------------------------------------------------------------------------------------------------


def test_the_demo_answers_are_entered_once(make_agency, make_staff, request_ctx):
    from disclosure.accounts.roles import Role
    from disclosure.supervision.appraisal import demo

    gov = make_agency(slug="demo-gov")
    finance = make_agency(slug="demo-finance")
    for agency in (gov, finance):
        make_staff(agency, roles=[Role.AGENCY_ADMIN], email=f"agency-admin@{agency.slug}.example.cn")
    demo.load({"agencies": [gov, finance]})
    db.session.commit()
    counted = dict(
        db.session.execute(
            select(SurveyResponse.agency_id, func.count(SurveyResponse.id)).group_by(SurveyResponse.agency_id)
        ).all()
    )
    assert counted == {gov.id: 26, finance.id: 14}
    assert operations.survey_open(gov.id) and operations.survey_open(finance.id)
    answers = db.session.execute(select(func.count()).select_from(SurveyAnswer)).scalar()
    demo.load({"agencies": [gov, finance]})
    db.session.commit()
    assert db.session.execute(select(func.count(SurveyResponse.id))).scalar() == 40
    assert db.session.execute(select(func.count()).select_from(SurveyAnswer)).scalar() == answers

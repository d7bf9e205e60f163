"""Public appraisal's operations (社会评议, issue 14 §4): an agency opens or closes its satisfaction survey, and an
anonymous visitor answers it. Each only flushes; the request boundary commits.

The survey is anonymous by design: no account is linked even when the visitor is signed in, no name, contact or
address is asked or kept. So a response writes no audit event — an event keeps the actor and the address of the
request (`core.audit.record`), which is exactly what must not be kept — and staff never change a response, so there
is nothing to trace. Floods are held back twice: by the rate limiter in front of the form (per address, in memory)
and here, by a daily ceiling per address and agency counted on a salted hash of the address with the day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from disclosure.accounts.models import Agency, User
from disclosure.core import audit
from disclosure.core.errors import DomainError, FieldErrors
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.supervision.appraisal.models import AppraisalSettings, SurveyAnswer, SurveyResponse
from disclosure.supervision.appraisal.questions import ASPECTS, MAX_COMMENT, OVERALL
from disclosure.web.params import parse_int

DAILY_PER_ADDRESS = 5  # responses a day from one address to one agency's survey (APPRAISAL_DAILY_PER_ADDRESS)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEY = re.compile(r"[A-Za-z0-9_-]{16,40}")

CLOSED = _l("This agency's satisfaction survey is not open at present. Nothing was recorded.")


def settings_for(agency_id: int) -> AppraisalSettings:
    """The agency's survey setting (closed until its administrator opens it; a default is not added)."""
    return db.session.get(AppraisalSettings, agency_id) or AppraisalSettings(agency_id=agency_id, survey_open=False)


def survey_open(agency_id: int) -> bool:
    return bool(settings_for(agency_id).survey_open)


def save_settings(agency: Agency, *, survey_open: bool, actor: User) -> AppraisalSettings:
    """Open or close the agency's survey on the public platform (an agency setting, audited)."""
    row = db.session.get(AppraisalSettings, agency.id)
    if row is None:
        row = AppraisalSettings(agency_id=agency.id, survey_open=False)
        db.session.add(row)
    before = audit.snapshot(row, ("survey_open",))
    row.survey_open = bool(survey_open)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(row, ("survey_open",)))
    if new:
        row.log("appraisal.settings", before=old, after=new, actor=actor)
    return row


def new_submission_key() -> str:
    return secrets.token_urlsafe(18)


def client_hash(address: str | None, agency_id: int, day: dt.date) -> str:
    """A keyed hash (HMAC-SHA256 with the application's secret key) of the sender's address with the day and the
    agency: the same address on the same day to the same survey gives the same hash, and nothing else can be
    read from it or linked through it."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"appraisal|{day.isoformat()}|{agency_id}|{address or '?'}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _score(raw: Any) -> int | None:
    return parse_int(raw if isinstance(raw, str) else "" if raw is None else str(raw), min=1, max=5)


def _clean(text: Any) -> str:
    return _CONTROL.sub("", str(text or "").replace("\r\n", "\n")).strip()


def submit_response(
    agency: Agency,
    data: Mapping[str, Any],
    *,
    address: str | None,
    today: dt.date | None = None,
) -> tuple[SurveyResponse, bool]:
    """Record one answer to the agency's survey; returns (response, created). Every input problem is reported at
    once by field; a form sent twice (its submission key already used) returns the first response, not a second.
    Refused when the survey is closed and when the address has reached the day's ceiling for this survey."""
    today = today or today_china()
    if not agency.active or not survey_open(agency.id):
        raise DomainError(CLOSED)
    key = str(data.get("submission_key") or "").strip()
    key = key if _KEY.fullmatch(key) else None
    if key is not None:
        earlier = db.session.execute(
            select(SurveyResponse).where(SurveyResponse.submission_key == key)
        ).scalar_one_or_none()
        if earlier is not None and earlier.agency_id == agency.id:
            return earlier, False
        if earlier is not None:
            key = None
    errors: dict[str, object] = {}
    overall_raw = str(data.get(OVERALL.key) or "").strip()
    overall = _score(overall_raw)
    if not overall_raw:
        errors[OVERALL.key] = _l("Choose how satisfied you are overall.")
    elif overall is None:
        errors[OVERALL.key] = _l("Choose one of the five answers.")
    scores: dict[str, int] = {}
    for question in ASPECTS:
        raw = str(data.get(question.key) or "").strip()
        if not raw:
            continue  # an aspect may be left out
        score = _score(raw)
        if score is None:
            errors[question.key] = _l("Choose one of the five answers, or no answer.")
        else:
            scores[question.key] = score
    comment = _clean(data.get("comment"))
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _l(
            "The comment has %(n)s characters; it may have at most %(max)s.", n=len(comment), max=MAX_COMMENT
        )
    if errors:
        raise FieldErrors(errors)
    digest = client_hash(address, agency.id, today)
    ceiling = int(current_app.config.get("APPRAISAL_DAILY_PER_ADDRESS", DAILY_PER_ADDRESS))
    sent_today = db.session.execute(
        select(func.count(SurveyResponse.id)).where(
            SurveyResponse.agency_id == agency.id,
            SurveyResponse.submitted_on == today,
            SurveyResponse.client_hash == digest,
        )
    ).scalar_one()
    if sent_today >= ceiling:
        raise DomainError(
            _l(
                "This survey takes at most %(n)s answers a day from one address, and yours has sent them. Thank "
                "you; nothing more was recorded today.",
                n=ceiling,
            )
        )
    response = SurveyResponse(
        agency_id=agency.id,
        submitted_on=today,
        overall=overall,
        comment=comment,
        client_hash=digest,
        submission_key=key,
        answers=[SurveyAnswer(question=k, score=v) for k, v in scores.items()],
    )
    try:
        with db.session.begin_nested():  # the same form sent twice at once: the second finds the first
            db.session.add(response)
    except IntegrityError:
        earlier = db.session.execute(select(SurveyResponse).where(SurveyResponse.submission_key == key)).scalar_one()
        return earlier, False
    return response, True

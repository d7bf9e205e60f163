"""What an agency tells the public about requests (条例 Arts. 30, 33, 42; 国办函〔2020〕109号): the statutory time
limits, exactly those `deadlines` computes with, and the fees with the agency's fee settings. Read by the
disclosure guide (catalogue, issue 11 §4) through the package door, so the guide never states other numbers than
the cases run on."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from disclosure.applications import deadlines
from disclosure.applications.fees import DEFAULT_SCHEDULE, FeeSchedule
from disclosure.applications.queries import settings_for


def fee_schedule() -> FeeSchedule:
    """The deployment's fee bands (`APPLICATION_FEE_SCHEDULE`, else the 109号 defaults)."""
    return current_app.config.get("APPLICATION_FEE_SCHEDULE") or DEFAULT_SCHEDULE


@dataclass(frozen=True)
class RequestTerms:
    reply_days: int  # Art. 33 para 1
    extension_days: int  # Art. 33 para 2: at most, once
    supplement_notice_days: int  # Art. 30: the supplementation notice goes out within
    fees: FeeSchedule
    fee_wait_pauses_clock: bool  # the agency's setting: the wait for a notified fee is not counted
    fee_waiver_allowed: bool  # the agency's setting: the office head may reduce or waive a fee
    fee_payment_instructions: str  # the agency's setting: how to pay (109号 Art. 6)


def request_terms(agency_id: int) -> RequestTerms:
    settings = settings_for(agency_id)
    return RequestTerms(
        reply_days=deadlines.REPLY_DAYS,
        extension_days=deadlines.MAX_EXTENSION_DAYS,
        supplement_notice_days=deadlines.SUPPLEMENT_NOTICE_DAYS,
        fees=fee_schedule(),
        fee_wait_pauses_clock=bool(settings.fee_wait_pauses_clock),
        fee_waiver_allowed=bool(settings.fee_waiver_allowed),
        fee_payment_instructions=settings.fee_payment_instructions or "",
    )

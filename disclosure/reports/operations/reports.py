"""Operations on annual reports: start a year's draft (sections pre-filled with what the system knows), edit the
sections and the hand-entered figures, move it through `workflows.report`, freeze it when published, correct it
as a new version. One verb per change, `flush()` only; every change logs through `report.log`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure import applications, catalog, participation
from disclosure.accounts.models import Agency, User
from disclosure.accounts.roles import Role
from disclosure.core import audit, storage
from disclosure.core.errors import Conflict, DomainError, FieldErrors, NotAllowed
from disclosure.core.timeutil import today_china, utcnow
from disclosure.extensions import db
from disclosure.reports import rendering
from disclosure.reports.checks import blocking
from disclosure.reports.compute import Period, compute
from disclosure.reports.grid import CATALOG_KEYS, TEXT_SECTIONS
from disclosure.reports.models import AnnualReport
from workflows.report import WORKFLOW, Facts, States, TransitionRefused

SECTION_MAX = 20000
SOURCE_MAX = 300
FEES_MAX = Decimal("1000000000000")  # 1 万亿元: beyond any agency's fees
COERCION_MAX = 10_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FIGURE_FIELDS = ("coercion_decisions", "coercion_source", "fees_yuan", "fees_source", "cross_year_explanation")

REFUSALS = {
    "state": _l("This report cannot do that in its present state."),
    "role": _l("Your role may not do that to this report."),
    "checks_pass": _l("The report's checks fail: fix the data they name first."),
    "has_comment": _l("Say why the report goes back."),
    "has_frozen_copy": _l("The report could not be frozen."),
}
CONFLICT = _l(
    "Someone else changed this report while you were working on it. Nothing was overwritten: review the current "
    "version and try again."
)


def _clean(text: str | None, limit: int) -> str:
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()[: limit + 1]


def check_version(report: AnnualReport, expected: int | None) -> None:
    if expected is not None and int(expected) != report.version:
        raise Conflict(CONFLICT)


def actors_for(user: User | None) -> set[str]:
    if user is None:
        return {"system"}
    return {r for r in (Role.REGISTRAR.value, Role.OFFICE_HEAD.value) if user.has_role(r)}


def _next_state(report: AnnualReport, trigger: str, user: User | None, facts: Facts) -> States:
    try:
        return WORKFLOW.fire(report.state, trigger, facts, actors_for(user))
    except TransitionRefused as exc:
        message = REFUSALS.get(exc.reason, REFUSALS["state"])
        raise (NotAllowed(message) if exc.reason == "role" else DomainError(message)) from None


def _fire(report: AnnualReport, trigger: str, user: User | None, facts: Facts) -> None:
    report.state = _next_state(report, trigger, user, facts).value


# --- Reading ------------------------------------------------------------------------------------------------------


def versions(agency_id: int, year: int) -> list[AnnualReport]:
    return list(
        db.session.execute(
            select(AnnualReport)
            .where(AnnualReport.agency_id == agency_id, AnnualReport.year == year)
            .order_by(AnnualReport.number)
        ).scalars()
    )


def reports_of(agency_id: int) -> list[AnnualReport]:
    return list(
        db.session.execute(
            select(AnnualReport)
            .where(AnnualReport.agency_id == agency_id)
            .order_by(AnnualReport.year.desc(), AnnualReport.number.desc())
        ).scalars()
    )


def published_reports(agency_id: int) -> list[AnnualReport]:
    """What the public platform lists: every published version (the superseded ones marked), newest first."""
    return list(
        db.session.execute(
            select(AnnualReport)
            .where(
                AnnualReport.agency_id == agency_id,
                AnnualReport.state.in_([States.PUBLISHED.value, States.SUPERSEDED.value]),
            )
            .order_by(AnnualReport.year.desc(), AnnualReport.number.desc())
        ).scalars()
    )


def numbers_of(report: AnnualReport) -> dict:
    """A frozen report's stored numbers; a working version's numbers computed now."""
    if report.is_frozen:
        return report.frozen_numbers
    return compute(report.agency, report.year, report, previous_valid=_previous_valid(report))


def _previous_valid(report: AnnualReport) -> dict | None:
    """现行有效 of last year as published (the cross-year check compares with what was reported)."""
    last = db.session.execute(
        select(AnnualReport)
        .where(
            AnnualReport.agency_id == report.agency_id,
            AnnualReport.year == report.year - 1,
            AnnualReport.state == States.PUBLISHED.value,
        )
        .limit(1)
    ).scalar_one_or_none()
    if last is None:
        return None
    t2 = last.frozen_numbers["table2"]
    return {k: t2[k]["valid"] for k in CATALOG_KEYS}


# --- Starting a draft ------------------------------------------------------------------------------------------


def proactive_sentence(figures: dict) -> str:
    """Section 一's sentence on proactive disclosure, as real reports write it, from `catalog.yearly_figures`."""
    late = figures["late_interpretations"]
    timeliness = f"其中{late}篇未在规定时限内发布" if late else "均在规定时限内发布"
    sentence = (
        f"主动公开方面，本年度主动公开政府信息{figures['published']}条，其中规章{figures['regulations']}件、"
        f"行政规范性文件{figures['normative']}件；发布政策解读{figures['interpretations']}篇"
    )
    if figures["interpretations"]:
        sentence += f"，{timeliness}"
    withdrawn = figures["withdrawn"]
    sentence += f"；撤回已公开政府信息{withdrawn}条。" if withdrawn else "。"
    return sentence


def participation_sentence(figures: dict) -> str:
    """Section 一's sentence on public participation (意见征集), from `participation.participation_figures`; empty in
    a year without consultations or comments."""
    if not figures["consultations_held"] and not figures["comments_received"]:
        return ""
    sentence = (
        f"公众参与方面，本年度公开征集意见{figures['consultations_held']}次，"
        f"收到意见建议{figures['comments_received']}条"
    )
    if figures["feedback_published"]:
        sentence += (
            f"，发布意见采纳情况反馈{figures['feedback_published']}次，其中采纳{figures['adopted']}条、"
            f"部分采纳{figures['partly_adopted']}条"
        )
    if figures["hearings_held"]:
        sentence += f"，举行听证会、座谈会{figures['hearings_held']}场"
    return sentence + "。"


def prefill(agency: Agency, year: int) -> dict[str, str]:
    """Sections 一 and 六 pre-filled with facts the system knows; the office rewrites them."""
    numbers = compute(agency, year)
    t2, t3 = numbers["table2"], numbers["table3"]
    period = Period(year)
    fees, _cases = applications.fees_collected(agency.id, period.start, period.end)
    overview = (
        f"{year}年，{agency.full_name}认真贯彻落实《中华人民共和国政府信息公开条例》。"
        f"{proactive_sentence(catalog.yearly_figures(agency.id, year))}"
        f"{participation_sentence(participation.participation_figures(agency.id, year))}"
        f"现行有效规章{t2['regulations']['valid']}件、行政规范性文件{t2['normative_documents']['valid']}件；"
        f"本年度作出行政许可决定{t2['licensing']['decisions']}件、行政处罚决定{t2['penalty']['decisions']}件。"
        f"依申请公开方面，本年度新收政府信息公开申请{t3['new']['total']}件，上年结转{t3['carried_in']['total']}件，"
        f"办结{t3['total']['total']}件，结转下年度继续办理{t3['carried_out']['total']}件。"
    )
    other = f"本年度共收取信息处理费{format(fees.normalize(), 'f')}元。" if fees else "本年度未收取信息处理费。"
    return {"overview": overview, "problems": "", "other_matters": other}


def start_report(agency: Agency, year: int, user: User, *, today: dt.date | None = None) -> AnnualReport:
    today = today or today_china()
    if not isinstance(year, int) or not 2008 <= year <= today.year:
        raise DomainError(_l("Choose a year between 2008 and this year."), field="year")
    if not actors_for(user):
        raise NotAllowed(REFUSALS["role"])
    if versions(agency.id, year):
        raise DomainError(_l("A report for this year already exists: open it."), field="year")
    report = AnnualReport(agency_id=agency.id, year=year, number=1, state=States.DRAFT.value, **prefill(agency, year))
    report.agency = agency
    db.session.add(report)
    db.session.flush()
    report.log("annual_report.started", after={"year": year, "number": 1}, actor=user)
    return report


# --- Editing ------------------------------------------------------------------------------------------------------


def _editable(report: AnnualReport, user: User) -> None:
    if report.state != States.DRAFT.value:
        raise DomainError(_l("Only a draft can be edited: the report was submitted. Ask the office head to return it."))
    if not actors_for(user):
        raise NotAllowed(REFUSALS["role"])


def save_sections(report: AnnualReport, user: User, data: dict, *, expected_version: int | None = None) -> None:
    """Sections 一, 五 and 六 (plain text; paragraphs by line). Every problem is reported at once."""
    check_version(report, expected_version)
    _editable(report, user)
    errors, values = {}, {}
    for name in TEXT_SECTIONS:
        text = _clean(data.get(name), SECTION_MAX)
        if len(text) > SECTION_MAX:
            errors[name] = _l("At most %(n)s characters.", n=SECTION_MAX)
        values[name] = text
    if errors:
        raise FieldErrors(errors)
    before = audit.snapshot(report, TEXT_SECTIONS)
    for name, text in values.items():
        setattr(report, name, text)
    report.log("annual_report.sections_saved", before=before, after=audit.snapshot(report, TEXT_SECTIONS), actor=user)
    db.session.flush()


def parse_yuan(raw) -> Decimal | None:
    """Yuan with at most 2 decimals (fen); None when empty; ValueError otherwise."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    if not re.fullmatch(r"\d{1,13}(\.\d{1,2})?", text):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def save_figures(report: AnnualReport, user: User, data: dict, *, expected_version: int | None = None) -> None:
    """Table 2's figures no module records (行政强制 decisions, 行政事业性收费 in yuan), each with its source, and the
    explanation of the cross-year difference."""
    check_version(report, expected_version)
    _editable(report, user)
    errors = {}
    raw = str(data.get("coercion_decisions") or "").strip()
    coercion = None
    if raw:
        if not raw.isdigit() or int(raw) > COERCION_MAX:
            errors["coercion_decisions"] = _l("A whole number of decisions, 0 or more.")
        else:
            coercion = int(raw)
    try:
        fees = parse_yuan(data.get("fees_yuan"))
        if fees is not None and fees > FEES_MAX:
            raise ValueError(fees)
    except ValueError:
        errors["fees_yuan"] = _l("An amount in yuan, 0 or more, with at most two decimals (e.g. 59490886.67).")
        fees = None
    sources = {}
    for name, figure in (("coercion_source", coercion), ("fees_source", fees)):
        text = _clean(data.get(name), SOURCE_MAX)
        if len(text) > SOURCE_MAX:
            errors[name] = _l("At most %(n)s characters.", n=SOURCE_MAX)
        elif figure is not None and not text:
            errors[name] = _l("Name the source of this figure (the register or the finance office's statement).")
        sources[name] = text
    explanation = _clean(data.get("cross_year_explanation"), 4000)
    if len(explanation) > 4000:
        errors["cross_year_explanation"] = _l("At most %(n)s characters.", n=4000)
    if errors:
        raise FieldErrors(errors)
    before = audit.snapshot(report, FIGURE_FIELDS)
    report.coercion_decisions, report.fees_yuan = coercion, fees
    report.coercion_source, report.fees_source = sources["coercion_source"], sources["fees_source"]
    report.cross_year_explanation = explanation
    report.log("annual_report.figures_saved", before=before, after=audit.snapshot(report, FIGURE_FIELDS), actor=user)
    db.session.flush()


# --- The workflow -------------------------------------------------------------------------------------------------


def _checks_pass(report: AnnualReport) -> tuple[bool, list[dict]]:
    checks = numbers_of(report)["checks"]
    return not blocking(checks), checks


def _sections_written(report: AnnualReport) -> None:
    empty = {n: _l("Write this section before submitting.") for n in TEXT_SECTIONS if not getattr(report, n).strip()}
    if empty:
        raise FieldErrors(empty)


def submit(report: AnnualReport, user: User, *, expected_version: int | None = None) -> None:
    check_version(report, expected_version)
    ok, _checks = _checks_pass(report)
    _fire(report, "submit", user, Facts(checks_pass=ok))
    _sections_written(report)
    report.submitted_at = utcnow()
    report.return_comment = ""
    report.log("annual_report.submitted", after={"state": report.state}, actor=user)
    db.session.flush()


def approve(report: AnnualReport, head: User, *, expected_version: int | None = None) -> None:
    """The office head approves; the checks are run again (the data may have changed since submission)."""
    check_version(report, expected_version)
    ok, _checks = _checks_pass(report)
    _fire(report, "approve", head, Facts(checks_pass=ok))
    report.approved_at = utcnow()
    report.log("annual_report.approved", after={"state": report.state}, actor=head)
    db.session.flush()


def return_report(report: AnnualReport, head: User, comment: str, *, expected_version: int | None = None) -> None:
    check_version(report, expected_version)
    comment = _clean(comment, 4000)
    try:
        _fire(report, "return_report", head, Facts(has_comment=bool(comment)))
    except DomainError as exc:
        if not comment and exc.message == REFUSALS["has_comment"]:
            raise DomainError(REFUSALS["has_comment"], field="comment") from None
        raise
    report.return_comment = comment[:4000]
    report.log("annual_report.returned", after={"state": report.state}, reason=comment, actor=head)
    db.session.flush()


def canonical_json(numbers: dict) -> bytes:
    return json.dumps(numbers, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def frozen_content(report: AnnualReport, today: dt.date) -> dict:
    """Everything the published report shows, computed once: the numbers, the sections, the sources, the
    correction and what it changed."""
    numbers = compute(report.agency, report.year, report, previous_valid=_previous_valid(report))
    content = {
        **numbers,
        "agency_name": report.agency.full_name,
        "number": report.number,
        "published_on": today.isoformat(),
        "sections": {name: getattr(report, name) for name in TEXT_SECTIONS},
        "sources": {"coercion": report.coercion_source, "fees": report.fees_source},
        "fees_yuan": None if report.fees_yuan is None else format(report.fees_yuan, "f"),
    }
    if report.supersedes is not None:
        content["correction"] = {
            "reason": report.correction_reason,
            "supersedes": report.supersedes.number,
            "changes": changes(report.supersedes.frozen_numbers, content),
        }
    return content


def publish(report: AnnualReport, head: User, *, expected_version: int | None = None, today: dt.date | None = None):
    """Freeze and publish: the numbers (canonical JSON) and the PDF are stored with their SHA-256 and never
    recomputed; a correction supersedes the version it corrects."""
    check_version(report, expected_version)
    today = today or today_china()
    try:  # refuse before rendering anything
        WORKFLOW.fire(report.state, "publish", Facts(has_frozen_copy=True), actors_for(head))
    except TransitionRefused as exc:
        raise (NotAllowed if exc.reason == "role" else DomainError)(
            REFUSALS.get(exc.reason, REFUSALS["state"])
        ) from None
    content = frozen_content(report, today)
    if blocking(content["checks"]):
        raise DomainError(REFUSALS["checks_pass"])
    pdf = rendering.report_pdf(content)
    stored = storage.store(
        pdf,
        original_name=f"{report.agency.slug}-{report.year}-annual-report-v{report.number}.pdf",
        content_type="application/pdf",
        agency_id=report.agency_id,
        uploaded_by_id=head.id,
    )
    db.session.flush()  # the stored file's id
    report.frozen_numbers = content
    report.numbers_sha256 = hashlib.sha256(canonical_json(content)).hexdigest()
    report.pdf_file_id = stored.id
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    frozen = bool(report.frozen_numbers and report.numbers_sha256 and report.pdf_file_id and report.pdf_sha256)
    _fire(report, "publish", head, Facts(has_frozen_copy=frozen))
    report.published_at = utcnow()
    report.published_on = today
    if report.supersedes is not None and report.supersedes.state == States.PUBLISHED.value:
        old = report.supersedes
        _fire(old, "supersede", None, Facts())
        old.log("annual_report.superseded", after={"by": report.number}, reason=report.correction_reason, actor=head)
    report.log(
        "annual_report.published",
        after={"numbers_sha256": report.numbers_sha256, "pdf_sha256": report.pdf_sha256},
        actor=head,
    )
    db.session.flush()


def start_correction(report: AnnualReport, user: User, reason: str) -> AnnualReport:
    """A published report is corrected by a new version (a draft copying its texts and figures) that says why."""
    reason = _clean(reason, 4000)
    if report.state != States.PUBLISHED.value:
        raise DomainError(_l("Only the published version can be corrected."))
    if not actors_for(user):
        raise NotAllowed(REFUSALS["role"])
    if not reason:
        raise DomainError(_l("Say what is corrected and why."), field="reason")
    latest = db.session.execute(
        select(func.max(AnnualReport.number)).where(
            AnnualReport.agency_id == report.agency_id, AnnualReport.year == report.year
        )
    ).scalar_one()
    if latest != report.number:
        raise DomainError(_l("A correction of this report is already under way: open it."))
    new = AnnualReport(
        agency_id=report.agency_id,
        year=report.year,
        number=report.number + 1,
        state=States.DRAFT.value,
        supersedes_id=report.id,
        correction_reason=reason,
        **{n: getattr(report, n) for n in (*TEXT_SECTIONS, *FIGURE_FIELDS)},
    )
    new.agency, new.supersedes = report.agency, report
    db.session.add(new)
    db.session.flush()
    new.log("annual_report.correction_started", after={"number": new.number}, reason=reason, actor=user)
    return new


def changes(old: dict, new: dict) -> list[dict]:
    """What a correction changed: every figure of tables 2–4 and every section that differs."""
    out = []
    for table in ("table2", "table3", "table4"):
        for row, cells in new[table].items():
            for col, value in cells.items():
                before = old.get(table, {}).get(row, {}).get(col)
                if before != value:
                    out.append({"where": f"{table}.{row}.{col}", "before": before, "after": value})
    for name, text in new.get("sections", {}).items():
        if old.get("sections", {}).get(name) != text:
            out.append({"where": f"sections.{name}", "before": None, "after": None})
    return out

"""Public pages: consultations open across agencies and per agency (with days left), closed ones with their
feedback, the consultation page with its draft, explanation, comment form and published comments, the
commenter's status page, the list of major decisions and the Atom feed. No commenter's name, contact or ID number
is read here."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import as_utc, today_china, utcnow
from disclosure.extensions import db, limiter
from disclosure.participation.articles import split_articles
from disclosure.participation.forms import CommentForm
from disclosure.participation.models import Consultation
from disclosure.participation.operations import comments as cops
from disclosure.participation.operations import feedback as fops
from disclosure.participation.operations.consultations import settings_for
from disclosure.participation.operations.links import entry_link
from disclosure.participation.periods import days_left
from disclosure.participation.views.common import public_bp
from disclosure.web.access import public
from disclosure.web.forms import choices, show_errors
from disclosure.web.paging import paginate
from workflows.consultation import States

ATOM_NS = "http://www.w3.org/2005/Atom"
VISIBLE = (
    States.OPEN.value,
    States.CLOSED.value,
    States.FEEDBACK_DRAFTED.value,
    States.FEEDBACK_APPROVED.value,
    States.FEEDBACK_PUBLISHED.value,
    States.CONCLUDED.value,
)
CLOSED = VISIBLE[1:]


def _visible(c: Consultation | None) -> bool:
    if c is None:
        return False
    return c.state in VISIBLE or (c.state == States.WITHDRAWN.value and c.opened_at is not None)


def public_consultation(cid: int) -> Consultation:
    c = db.session.get(Consultation, cid) if 0 < cid < 2**31 else None
    if not _visible(c):
        abort(404)
    return c


def _agency_or_404(slug: str) -> Agency:
    agency = db.session.execute(select(Agency).where(Agency.slug == slug[:40])).scalar_one_or_none()
    if agency is None or not agency.active:
        abort(404)
    return agency


def _open_query(agency_id: int | None = None):
    q = select(Consultation).where(Consultation.state == States.OPEN.value)
    if agency_id is not None:
        q = q.where(Consultation.agency_id == agency_id)
    return q.order_by(Consultation.closes_on, Consultation.id)


def _closed_query(agency_id: int | None = None):
    q = select(Consultation).where(Consultation.state.in_(CLOSED))
    if agency_id is not None:
        q = q.where(Consultation.agency_id == agency_id)
    return q.order_by(Consultation.closes_on.desc(), Consultation.id.desc())


def _listing_context() -> dict:
    agencies = {a.id: a for a in db.session.execute(select(Agency)).scalars()}
    return {"agencies": agencies, "today": today_china(), "days_left": days_left}


def _rate_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or "?"


@public_bp.route("/")
@public
def index():
    open_now = list(db.session.execute(_open_query()).scalars())
    recent = list(db.session.execute(_closed_query().limit(10)).scalars())
    return render_template(
        "participation/public/index.html", open_now=open_now, recent=recent, agency=None, **_listing_context()
    )


@public_bp.route("/closed")
@public
def closed():
    page = paginate(_closed_query(), per_page=30)
    return render_template("participation/public/closed.html", page=page, agency=None, **_listing_context())


@public_bp.route("/a/<slug>/")
@public
def agency_index(slug: str):
    agency = _agency_or_404(slug)
    open_now = list(db.session.execute(_open_query(agency.id)).scalars())
    recent = list(db.session.execute(_closed_query(agency.id).limit(50)).scalars())
    return render_template(
        "participation/public/index.html", open_now=open_now, recent=recent, agency=agency, **_listing_context()
    )


@public_bp.route("/matters")
@public
def matters():
    slug = request.args.get("agency", "")[:40]
    agency = _agency_or_404(slug) if slug else None
    agencies = [agency] if agency else list(db.session.execute(select(Agency).order_by(Agency.id)).scalars())
    lists = []
    for a in agencies:
        items = fops.matters_for(a.id)
        if items:
            lists.append((a, items, fops.matter_consultations([m.id for m in items])))
    return render_template("participation/public/matters.html", lists=lists, agency=agency, visible=VISIBLE)


def _comment_form(c: Consultation, form: CommentForm | None = None) -> CommentForm:
    form = form or CommentForm()
    articles = [a for a in split_articles(c.draft_html) if a.number > 0]
    form.article.choices = choices([("0", _("The whole draft")), *((str(a.number), a.label) for a in articles)])
    if not form.submission_key.data:
        form.submission_key.data = cops.new_submission_key()
    if (
        request.method == "GET"
        and request.args.get("article", "").isascii()
        and request.args.get("article", "").isdigit()
    ):
        form.article.data = request.args["article"][:6]
    return form


def _page(c: Consultation, form: CommentForm, status: int = 200):
    agency = db.session.get(Agency, c.agency_id)
    comments = cops.public_comments(c)
    answers = {cm.id: cops.public_answer(cm) for cm in comments}
    rows = fops.report_rows(c) if c.answers_published_at else []
    events = [e for e in c.events if e.materials_published_at is not None]
    return render_template(
        "participation/public/consultation.html",
        c=c,
        agency=agency,
        articles=split_articles(c.draft_html),
        form=form,
        accepting=cops.accepts_comments(c),
        settings=settings_for(c.agency_id),
        comments=comments,
        answers=answers,
        rows=rows,
        events=events,
        today=today_china(),
        days_left=days_left,
        closing=cops.closing_text(c),
        feedback=entry_link(c.feedback_entry_id),
        final=entry_link(c.final_entry_id),
        now=utcnow(),
        as_utc=as_utc,
    ), status


@public_bp.route("/c/<int:cid>")
@public
def consultation(cid: int):
    c = public_consultation(cid)
    return _page(c, _comment_form(c))


@public_bp.route("/c/<int:cid>/comment", methods=["POST"])
@public
@limiter.limit("10/minute;60/hour", key_func=_rate_key)
@limiter.limit("30/minute;300/hour")
def comment(cid: int):
    c = public_consultation(cid)
    form = _comment_form(c, CommentForm())
    if not form.validate_on_submit():
        return _page(c, form, 400)
    data = {k: form[k].data for k in ("submission_key", "article", "paragraph", "body", "submitter_type")}
    data.update({k: form[k].data for k in ("name", "email", "phone", "id_number")})
    upload = form.attachment.data
    if upload is not None and getattr(upload, "filename", ""):
        data["attachment"] = (upload.read(), upload.filename)
    try:
        cm, created = cops.submit_comment(c, data, user=current_user if current_user.is_authenticated else None)
    except DomainError as exc:
        for message in show_errors(form, exc, default="body"):
            flash(message, "error")
        return _page(c, form, 400)
    if not created:
        flash(_("This form was already sent: your comment was received once."), "info")
    return redirect(url_for("participation_public.status", key=cm.access_key, new=1 if created else None))


@public_bp.route("/comments/<key>")
@public
def status(key: str):
    """The commenter's receipt and status page, reached through the secret link of the receipt."""
    cm = cops.by_access_key(key[:64])
    if cm is None:
        abort(404)
    c = cm.consultation
    return render_template(
        "participation/public/status.html",
        cm=cm,
        c=c,
        answer=cops.public_answer(cm),
        new=request.args.get("new") == "1",
        feedback=entry_link(c.feedback_entry_id),
    )


@public_bp.route("/feed.atom")
@public
def feed():
    """The newest consultations: opened, extended, closed or with their feedback published."""
    rows = list(
        db.session.execute(
            select(Consultation)
            .where(Consultation.state.in_(VISIBLE))
            .order_by(Consultation.updated_at.desc(), Consultation.id.desc())
            .limit(50)
        ).scalars()
    )
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    self_url = url_for("participation_public.feed", _external=True)
    sub(root, "title", "公开征求意见 · Public consultations")
    sub(root, "id", self_url)
    sub(root, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(root, "link", rel="alternate", href=url_for("participation_public.index", _external=True), type="text/html")
    newest = max((as_utc(c.updated_at) for c in rows), default=None)
    sub(root, "updated", (newest or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ"))
    sub(sub(root, "author"), "name", "disclosure")
    agencies = {a.id: a for a in db.session.execute(select(Agency)).scalars()}
    for c in rows:
        item = sub(root, "entry")
        url = url_for("participation_public.consultation", cid=c.id, _external=True)
        sub(item, "title", c.title)
        sub(item, "id", url)
        sub(item, "link", rel="alternate", href=url, type="text/html")
        sub(item, "updated", as_utc(c.updated_at).strftime("%Y-%m-%dT%H:%M:%SZ"))
        sub(sub(item, "author"), "name", agencies[c.agency_id].full_name if c.agency_id in agencies else "")
        lines = [f"征求意见期限：{c.closes_on.isoformat()} 24:00 截止。"]
        for ext in c.extensions or []:
            lines.append(f"已延长至{ext.get('to', '')}，理由：{ext.get('reason', '')}")
        if c.shortened_reason:
            lines.append(f"缩短征求意见期限的理由：{c.shortened_reason}")
        if c.answers_published_at:
            lines.append("意见采纳情况已公布。")
        sub(item, "summary", " ".join([c.summary, *lines]).strip())
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    resp = Response(data, mimetype="application/atom+xml")
    resp.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return resp

"""The public site: search, the latest list, record pages, the export of a search and the published catalogues."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from sqlalchemy import func, select

from disclosure.accounts.models import Agency
from disclosure.core.timeutil import today_china
from disclosure.extensions import db, limiter
from disclosure.publicity import export as export_mod
from disclosure.publicity import search as search_mod
from disclosure.publicity.fields import FIELDS, Kind
from disclosure.publicity.masking import public_value
from disclosure.publicity.models import CatalogueStatus, CatalogueVersion, PublicityRecord, RecordStatus
from disclosure.publicity.rules import load_rules
from disclosure.publicity.views.common import XLSX, date_arg, id_arg, page_arg, public_bp
from disclosure.web.access import public
from disclosure.web.downloads import content_disposition, send_download


def _public_record_or_404(record_id: int) -> PublicityRecord:
    """Published records, and withdrawn ones (whose reason must stay visible, 处罚法 Art. 48)."""
    rec = db.session.get(PublicityRecord, record_id)
    if rec is None or rec.status not in (RecordStatus.PUBLISHED, RecordStatus.WITHDRAWN) or rec.published_at is None:
        abort(404)
    return rec


@public_bp.route("/")
@public
def search():
    q = request.args.get("q", "").strip()[:100]
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    agency_id = id_arg("agency")
    order = "date" if request.args.get("order") == "date" else "relevance"
    query = search_mod.SearchQuery(
        q=q,
        kind=kind,
        agency_id=agency_id,
        date_from=date_arg("from"),
        date_to=date_arg("to"),
        order=order,
        page=page_arg(),
    )
    searched = bool(q or kind or agency_id or query.date_from or query.date_to)
    result = search_mod.search(query) if searched else None
    agencies = (
        db.session.execute(select(Agency).where(Agency.active.is_(True)).order_by(Agency.full_name)).scalars().all()
    )
    return render_template(
        "publicity/public_search.html",
        result=result,
        query=query,
        agencies=agencies,
        latest=None if searched else search_mod.latest(int(load_rules().setting("latest_days")), limit=10),
        export_cap=export_mod.public_max_rows(),
    )


@public_bp.route("/latest")
@public
def latest():
    days = int(load_rules().setting("latest_days"))
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    return render_template(
        "publicity/public_latest.html", rows=search_mod.latest(days, limit=200, kind=kind), days=days, kind=kind
    )


@public_bp.route("/records/<int:record_id>")
@public
def public_record(record_id: int):
    rec = _public_record_or_404(record_id)
    kind = Kind(rec.kind)
    # Only the fields that have a value: a decision names one or two of the six counterpart codes, say.
    shown = [(f, v) for f in FIELDS[kind] if f.public and (v := public_value(rec, f)) not in (None, "")]
    return render_template("publicity/public_record.html", record=rec, kind=kind, shown=shown, today=today_china())


PUBLIC_EXPORT_RATE = "10/minute;60/hour"  # per address: a few requests cannot occupy every worker


def _public_export_rate() -> str:
    return current_app.config.get("PUBLICITY_PUBLIC_EXPORT_RATE", PUBLIC_EXPORT_RATE)


@public_bp.route("/export.<fmt>")
@limiter.limit(_public_export_rate)
@public
def public_export(fmt: str):
    """The public search result as CSV/XLSX, with the search page's filters, masked like the pages (rules §5.5):
    the newest records of each type up to `export.public_max_rows()`, with a last line saying when the file was
    cut. One query per type, streamed (the CSV is sent while it is written). Licensing and penalties have
    different columns: without a type, the XLSX file holds one sheet per type, and a CSV (one table) asks which
    type to download. Rate-limited per address."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    kind = request.args.get("kind") if request.args.get("kind") in ("licensing", "penalty") else None
    args = {k: v for k, v in request.args.items() if k in ("q", "agency", "from", "to")}
    if kind is None and fmt == "csv":
        return render_template("publicity/public_export_choose.html", args=args), 400
    kinds = [Kind(kind)] if kind else [Kind.LICENSING, Kind.PENALTY]
    cap = export_mod.public_max_rows()
    sheets = []
    for k in kinds:
        query = search_mod.SearchQuery(
            q=request.args.get("q", "").strip()[:100],
            kind=k.value,
            agency_id=id_arg("agency"),
            date_from=date_arg("from"),
            date_to=date_arg("to"),
            order="date",
        )
        sheets.append((KIND_SHEETS[k], k, search_mod.export_select(query, cap + 1)))
    name = KIND_SHEETS[kinds[0]] if len(kinds) == 1 else "行政许可和行政处罚"
    ascii_name = f"{kinds[0].value if len(kinds) == 1 else 'licensing-and-penalties'}-{today_china().isoformat()}"
    if fmt == "csv":
        _name, k, stmt = sheets[0]
        resp = Response(export_mod.stream_public_csv(stmt, k, cap), mimetype="text/csv")
        resp.headers["Content-Disposition"] = content_disposition("attachment", f"{name}.csv", f"{ascii_name}.csv")
        resp.headers["Cache-Control"] = "no-cache"
        return resp
    return send_download(
        export_mod.public_workbook(sheets, cap), mimetype=XLSX, name=f"{name}.xlsx", ascii_name=f"{ascii_name}.xlsx"
    )


KIND_SHEETS = {Kind.LICENSING: "行政许可", Kind.PENALTY: "行政处罚"}


@public_bp.route("/catalogues")
@public
def catalogues():
    latest_ids = (
        select(CatalogueVersion.agency_id, func.max(CatalogueVersion.number).label("n"))
        .where(CatalogueVersion.status == CatalogueStatus.APPROVED)
        .group_by(CatalogueVersion.agency_id)
        .subquery()
    )
    agencies = (
        db.session.execute(
            select(Agency).join(latest_ids, latest_ids.c.agency_id == Agency.id).order_by(Agency.short_name)
        )
        .scalars()
        .all()
    )
    return render_template("publicity/public_catalogues.html", agencies=agencies)


@public_bp.route("/catalogues/<slug>")
@public
def catalogue(slug: str):
    agency = db.session.execute(select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        abort(404)
    version = db.session.execute(
        select(CatalogueVersion)
        .where(CatalogueVersion.agency_id == agency.id, CatalogueVersion.status == CatalogueStatus.APPROVED)
        .order_by(CatalogueVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    if version is None:
        abort(404)
    items = [m for m in version.snapshot if m.get("scope") == "public" and m.get("active", True)]
    return render_template("publicity/public_catalogue.html", agency=agency, version=version, items=items)

"""Staff pages of the matter catalogue (editing, submitting for the confidentiality review, the review), the
responsibility form and the organs whose decisions the agency may publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.accounts.roles import Role
from disclosure.extensions import db
from disclosure.publicity import forms, operations
from disclosure.publicity.models import (
    CatalogueStatus,
    CatalogueVersion,
    EntrustedOrgan,
    PublicityMatter,
    Responsibility,
)
from disclosure.publicity.views.common import (
    CATALOGUE_READERS,
    MATTER_EDITORS,
    ORGAN_KEEPERS,
    REVIEWERS,
    on_form,
    own_agency,
    staff_bp,
    visible_agency_ids,
)
from disclosure.web.access import staff_object, staff_required


@staff_bp.route("/matters")
@staff_required(*CATALOGUE_READERS)
def matters():
    agency = own_agency()
    rows = db.session.execute(
        select(PublicityMatter)
        .where(PublicityMatter.agency_id == agency.id)
        .order_by(PublicityMatter.kind, PublicityMatter.code, PublicityMatter.name)
    ).scalars()
    versions = (
        db.session.execute(
            select(CatalogueVersion)
            .where(CatalogueVersion.agency_id == agency.id)
            .order_by(CatalogueVersion.number.desc())
        )
        .scalars()
        .all()
    )
    responsibility = db.session.execute(
        select(Responsibility).where(Responsibility.agency_id == agency.id)
    ).scalar_one_or_none()
    return render_template(
        "publicity/matters.html",
        matters=list(rows),
        versions=versions,
        action_form=forms.ActionForm(),
        responsibility=responsibility,
        can_edit=current_user.has_role(*MATTER_EDITORS) or current_user.is_sys_admin,
    )


@staff_bp.route("/matters/new", methods=["GET", "POST"])
@staff_bp.route("/matters/<int:matter_id>/edit", methods=["GET", "POST"])
@staff_required(*MATTER_EDITORS)
def edit_matter(matter_id: int | None = None):
    agency = own_agency()
    matter = staff_object(db.session.get(PublicityMatter, matter_id)) if matter_id else None
    form = forms.MatterForm(obj=matter)
    if form.validate_on_submit():
        saved = on_form(
            form,
            lambda: operations.save_matter(
                agency,
                {
                    "kind": form.kind.data,
                    "code": (form.code.data or "").strip(),
                    "name": form.name.data.strip(),
                    "legal_basis": form.legal_basis.data.strip(),
                    "counterpart_kinds": form.counterpart_kinds.data,
                    "scope": form.scope.data,
                    "active": form.active.data,
                },
                matter,
            ),
            field="name",
        )
        if saved is not None:
            flash(_("The matter was saved. Submit the catalogue for review to publish the change."), "success")
            return redirect(url_for(".matters"))
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/matter_form.html", form=form, matter=matter), status


@staff_bp.route("/catalogue/submit", methods=["POST"])
@staff_required(*MATTER_EDITORS)
def submit_catalogue():
    agency = own_agency()
    if forms.ActionForm().validate_on_submit():
        version = operations.submit_catalogue(agency, current_user)
        flash(
            _("Version %(n)d of the catalogue was submitted for the confidentiality review.", n=version.number),
            "success",
        )
    return redirect(url_for(".matters"))


@staff_bp.route("/catalogue/<int:version_id>", methods=["GET", "POST"])
@staff_required(*CATALOGUE_READERS)
def catalogue_version(version_id: int):
    version = staff_object(db.session.get(CatalogueVersion, version_id))
    form = forms.ReviewForm()
    may_review = current_user.is_sys_admin or current_user.has_role(*REVIEWERS)
    if request.method == "POST":
        if not may_review:
            abort(403)
        if form.validate_on_submit():
            reviewed = on_form(
                form,
                lambda: operations.review_catalogue(
                    version, current_user, approve=form.decision.data == "approve", comment=form.comment.data or ""
                ),
                field="decision",
            )
            if reviewed is not None:
                flash(_("The review was recorded."), "success")
                return redirect(url_for(".matters"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/catalogue_version.html",
        version=version,
        form=form,
        may_review=may_review and version.status == CatalogueStatus.SUBMITTED,
    ), status


@staff_bp.route("/responsibility", methods=["GET", "POST"])
@staff_required(Role.AGENCY_ADMIN, Role.CREDIT_SUPERVISOR)
def responsibility():
    agency = own_agency()
    row = db.session.execute(select(Responsibility).where(Responsibility.agency_id == agency.id)).scalar_one_or_none()
    form = forms.ResponsibilityForm(obj=row)
    if form.validate_on_submit():
        operations.save_responsibility(agency, form.data)
        flash(_("The responsibility form was saved."), "success")
        return redirect(url_for(".responsibility"))
    ids = visible_agency_ids()
    stmt = select(Responsibility, Agency).join(Agency, Agency.id == Responsibility.agency_id)
    if ids is not None:
        stmt = stmt.where(Responsibility.agency_id.in_(ids))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "publicity/responsibility.html", form=form, overview=db.session.execute(stmt.order_by(Agency.short_name)).all()
    ), status


@staff_bp.route("/organs", methods=["GET", "POST"])
@staff_bp.route("/organs/<int:organ_id>", methods=["GET", "POST"])
@staff_required(*ORGAN_KEEPERS)
def organs(organ_id: int | None = None):
    """The organs whose decisions the agency may publish besides its own (许可机关 / 处罚机关 of its records): a
    record naming any other deciding organ is refused on every channel."""
    agency = own_agency()
    organ = db.session.get(EntrustedOrgan, organ_id) if organ_id else None
    if organ_id and (organ is None or organ.agency_id != agency.id):
        abort(404)
    form = forms.EntrustedOrganForm(obj=organ)
    if form.validate_on_submit():
        saved = on_form(
            form,
            lambda: operations.save_entrusted_organ(
                agency,
                {
                    "name": form.name.data,
                    "credit_code": form.credit_code.data,
                    "basis": form.basis.data,
                    "active": form.active.data,
                },
                organ,
            ),
            field="name",
        )
        if saved is not None:
            flash(_("The organ was saved."), "success")
            return redirect(url_for(".organs"))
    rows = (
        db.session.execute(
            select(EntrustedOrgan)
            .where(EntrustedOrgan.agency_id == agency.id)
            .order_by(EntrustedOrgan.active.desc(), EntrustedOrgan.name)
        )
        .scalars()
        .all()
    )
    status = 400 if request.method == "POST" else 200
    return render_template("publicity/organs.html", form=form, organ=organ, organs=rows, agency=agency), status

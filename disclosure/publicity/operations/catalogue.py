"""Operations on the matter catalogue (matters, catalogue versions and their confidentiality review), the
organs whose decisions an agency publishes, and the responsibility form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.core import audit
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import utcnow
from disclosure.core.validators import ValidationError, validate_uscc
from disclosure.extensions import db
from disclosure.publicity.models import (
    CatalogueStatus,
    CatalogueVersion,
    EntrustedOrgan,
    PublicityMatter,
    Responsibility,
)

MATTER_FIELDS = ("kind", "code", "name", "legal_basis", "counterpart_kinds", "scope", "active")


def save_matter(agency, data: dict, matter: PublicityMatter | None = None) -> PublicityMatter:
    """Create or change a matter of the agency's catalogue; the public sees it after the next approved review."""
    duplicate = db.session.execute(
        select(PublicityMatter.id).where(
            PublicityMatter.agency_id == agency.id,
            PublicityMatter.kind == data["kind"],
            PublicityMatter.name == data["name"],
        )
    ).scalar_one_or_none()
    if duplicate is not None and (matter is None or duplicate != matter.id):
        raise DomainError(_l("The catalogue already has a matter with this name."), field="name")
    if not data.get("counterpart_kinds"):
        raise DomainError(_l("Choose at least one kind of counterpart."), field="counterpart_kinds")
    before = audit.snapshot(matter, MATTER_FIELDS) if matter else None
    if matter is None:
        matter = PublicityMatter(agency_id=agency.id)
        db.session.add(matter)
    for key in MATTER_FIELDS:
        if key in data:
            setattr(matter, key, data[key])
    db.session.flush()
    after = audit.snapshot(matter, MATTER_FIELDS)
    if before:
        before, after = audit.diff(before, after)
    matter.log("publicity.matter.save", before=before, after=after)
    return matter


def submit_catalogue(agency, user) -> CatalogueVersion:
    """Freeze the current catalogue as a new version for the confidentiality review (保密审查, 条例 Art. 17)."""
    pending = db.session.execute(
        select(CatalogueVersion.id).where(
            CatalogueVersion.agency_id == agency.id, CatalogueVersion.status == CatalogueStatus.SUBMITTED
        )
    ).first()
    if pending:
        raise DomainError(_l("A version of the catalogue is already waiting for review."))
    matters = (
        db.session.execute(
            select(PublicityMatter)
            .where(PublicityMatter.agency_id == agency.id, PublicityMatter.active.is_(True))
            .order_by(PublicityMatter.kind, PublicityMatter.code, PublicityMatter.name)
        )
        .scalars()
        .all()
    )
    if not matters:
        raise DomainError(_l("The catalogue is empty."))
    last = (
        db.session.execute(
            select(db.func.max(CatalogueVersion.number)).where(CatalogueVersion.agency_id == agency.id)
        ).scalar()
        or 0
    )
    version = CatalogueVersion(
        agency_id=agency.id,
        number=last + 1,
        status=CatalogueStatus.SUBMITTED,
        submitted_by_id=user.id,
        submitted_at=utcnow(),
        snapshot=[{**audit.snapshot(m, MATTER_FIELDS), "id": m.id} for m in matters],
    )
    db.session.add(version)
    db.session.flush()
    version.log("publicity.catalogue.submit", after={"number": version.number, "matters": len(matters)})
    return version


def review_catalogue(version: CatalogueVersion, user, *, approve: bool, comment: str) -> CatalogueVersion:
    """Record the confidentiality review; only an approved version is published."""
    if version.status != CatalogueStatus.SUBMITTED:
        raise DomainError(_l("This version has already been reviewed."))
    if not approve and not (comment or "").strip():
        raise DomainError(_l("Say why the catalogue is sent back."), field="comment")
    if version.submitted_by_id == user.id and not user.is_sys_admin:
        raise DomainError(_l("The confidentiality review must be done by someone other than the submitter."))
    version.status = CatalogueStatus.APPROVED if approve else CatalogueStatus.REJECTED
    version.reviewed_by_id, version.reviewed_at, version.review_comment = user.id, utcnow(), comment.strip()
    db.session.flush()
    version.log("publicity.catalogue.review", after={"status": version.status}, reason=version.review_comment)
    return version


ORGAN_FIELDS = ("name", "credit_code", "basis", "active")


def save_entrusted_organ(agency, data: dict, organ: EntrustedOrgan | None = None) -> EntrustedOrgan:
    """Add or change an organ whose decisions `agency` may publish (the deciding organ of its records besides
    itself); switching `active` off stops new and corrected records naming it, published ones stay."""

    name = " ".join((data.get("name") or "").split())
    if not name:
        raise DomainError(_l("Give the organ's name."), field="name")
    try:
        code = validate_uscc((data.get("credit_code") or "").strip())
    except ValidationError as exc:
        raise DomainError(exc.message, field="credit_code") from None
    if code == agency.credit_code:
        raise DomainError(
            _l("This is your agency's own credit code: its decisions may be published without an entry here."),
            field="credit_code",
        )
    clash = db.session.execute(
        select(EntrustedOrgan.id).where(EntrustedOrgan.agency_id == agency.id, EntrustedOrgan.credit_code == code)
    ).scalar_one_or_none()
    if clash is not None and (organ is None or clash != organ.id):
        raise DomainError(_l("This organ is already in the list; change it there."), field="credit_code")
    before = audit.snapshot(organ, ORGAN_FIELDS) if organ else None
    if organ is None:
        organ = EntrustedOrgan(agency_id=agency.id)
        db.session.add(organ)
    organ.name, organ.credit_code = name, code
    organ.basis = (data.get("basis") or "").strip()
    organ.active = bool(data.get("active", True))
    db.session.flush()
    after = audit.snapshot(organ, ORGAN_FIELDS)
    if before:
        before, after = audit.diff(before, after)
    organ.log("publicity.organ.save", before=before, after=after)
    return organ


RESPONSIBILITY_FIELDS = ("leader_name", "leader_title", "section_name", "person_name", "person_phone")


def save_responsibility(agency, data: dict) -> Responsibility:
    row = db.session.execute(select(Responsibility).where(Responsibility.agency_id == agency.id)).scalar_one_or_none()
    before = audit.snapshot(row, RESPONSIBILITY_FIELDS) if row else None
    if row is None:
        row = Responsibility(agency_id=agency.id)
        db.session.add(row)
    for key in RESPONSIBILITY_FIELDS:
        setattr(row, key, (data.get(key) or "").strip())
    db.session.flush()
    row.log("publicity.responsibility.save", before=before, after=audit.snapshot(row, RESPONSIBILITY_FIELDS))
    return row

"""Operations on letter settings (agency administrators). Letter issuing lives in `letters`.

Every change is audited (issue 4: "every change is audited"); operations only flush.
"""

from __future__ import annotations

import io

import filetype
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from disclosure.core import audit, storage
from disclosure.core.errors import DomainError
from disclosure.correspondence.kinds import KINDS, LetterKind
from disclosure.correspondence.models import LetterSettings
from disclosure.correspondence.paragraphs import SLOTS
from disclosure.extensions import db

SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MIN_PX, SEAL_MAX_PX = 100, 2000
SERIES = tuple(dict.fromkeys(info.series for info in KINDS.values()))
SETTINGS_FIELDS = ("letterhead", "signatory", "contact_block", "seal_file_id", "paragraphs")
AGENCY_FIELDS = ("reconsideration_body", "litigation_court", "doc_number_prefixes")


def clean_seal(data: bytes) -> bytes:
    """Check an uploaded seal image by its content (not its name or declared type) and re-encode it as PNG, so
    nothing but pixels reaches the letters: PNG or JPEG only, 100–2000 px a side, at most 2 MB."""
    if not data:
        raise DomainError(_l("The seal file is empty."), field="seal")
    if len(data) > SEAL_MAX_BYTES:
        raise DomainError(_l("The seal image may be at most 2 MB."), field="seal")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ("image/png", "image/jpeg"):
        raise DomainError(_l("The seal must be a PNG or JPEG image."), field="seal")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in ("PNG", "JPEG"):
                raise DomainError(_l("The seal must be a PNG or JPEG image."), field="seal")
            w, h = img.size
            if not (SEAL_MIN_PX <= w <= SEAL_MAX_PX and SEAL_MIN_PX <= h <= SEAL_MAX_PX):
                raise DomainError(
                    _l(
                        "The seal image must be between %(lo)s and %(hi)s pixels wide and high.",
                        lo=SEAL_MIN_PX,
                        hi=SEAL_MAX_PX,
                    ),
                    field="seal",
                )
            out = io.BytesIO()
            img.convert("RGBA").save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(_l("The seal file is damaged or not an image."), field="seal") from None
    return out.getvalue()


def _settings_row(agency) -> LetterSettings:
    row = db.session.execute(
        db.select(LetterSettings).where(LetterSettings.agency_id == agency.id)
    ).scalar_one_or_none()
    if row is None:
        row = LetterSettings(agency_id=agency.id, letterhead="", signatory="", contact_block="", paragraphs={})
        db.session.add(row)
    return row


def _clean_paragraphs(paragraphs: dict) -> dict:
    """Keep only known kinds and slots; a slot left equal to nothing stays as an explicit empty override only when
    it was submitted (an empty closing is a valid choice)."""
    out: dict[str, dict[str, str]] = {}
    for kind, slots in SLOTS.items():
        given = (paragraphs or {}).get(kind.value) or {}
        kept = {s.key: given[s.key].strip() for s in slots if isinstance(given.get(s.key), str)}
        kept = {k: v for k, v in kept.items() if v != next(s.default for s in slots if s.key == k)}
        if kept:
            out[kind.value] = kept
    return out


def update_letter_settings(
    agency,
    *,
    letterhead: str,
    signatory: str,
    contact_block: str,
    reconsideration_body: str,
    litigation_court: str,
    prefixes: dict[str, str],
    paragraphs: dict,
    seal: bytes | None = None,
    remove_seal: bool = False,
    actor=None,
) -> LetterSettings:
    """Save an agency's letter settings and remedy bodies (复议法 Art. 20 requires the body to be named) in one
    audited change."""
    if not reconsideration_body.strip():
        raise DomainError(
            _l("Name the reconsideration body: every reply letter must state it."), field="reconsideration_body"
        )
    if not litigation_court.strip():
        raise DomainError(_l("Name the court for litigation: reply letters state it."), field="litigation_court")
    for series, prefix in prefixes.items():
        if series not in SERIES:
            raise DomainError(_l("Unknown numbering series."))
        if any(ch in (prefix or "") for ch in "〔〕[]［］号"):
            raise DomainError(
                _l("A prefix must not contain brackets or 号: they are added automatically."), field=f"prefix_{series}"
            )
    row = _settings_row(agency)
    db.session.flush()
    before = audit.snapshot(row, SETTINGS_FIELDS) | audit.snapshot(agency, AGENCY_FIELDS)
    row.letterhead = letterhead.strip()
    row.signatory = signatory.strip()
    row.contact_block = contact_block.strip()
    row.paragraphs = _clean_paragraphs(paragraphs)
    if seal is not None:
        png = clean_seal(seal)
        stored = storage.store(
            png,
            original_name="seal.png",
            content_type="image/png",
            agency_id=agency.id,
            uploaded_by_id=getattr(actor, "id", None),
        )
        db.session.flush()
        row.seal_file_id = stored.id
    elif remove_seal:
        row.seal_file_id = None
    agency.reconsideration_body = reconsideration_body.strip()
    agency.litigation_court = litigation_court.strip()
    merged = dict(agency.doc_number_prefixes or {})
    for series, prefix in prefixes.items():
        if (prefix or "").strip():
            merged[series] = prefix.strip()
        else:
            merged.pop(series, None)
    agency.doc_number_prefixes = merged
    db.session.flush()
    after = audit.snapshot(row, SETTINGS_FIELDS) | audit.snapshot(agency, AGENCY_FIELDS)
    b, a = audit.diff(before, after)
    if a:
        row.log("letter_settings.updated", before=b, after=a, actor=actor)
    return row


def slot_keys() -> list[tuple[LetterKind, str]]:
    return [(kind, s.key) for kind, slots in SLOTS.items() for s in slots]

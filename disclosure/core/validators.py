"""Check-digit validators for the identifiers the system accepts (rules-china §6).

- Unified social credit code, GB 32100-2015: 18 characters, MOD 31 check character; positions 9–17 are the
  organisation code of GB 11714 with its own MOD 11 check character.
- Citizen identity number, GB 11643-1999: ISO 7064 MOD 11-2, with a real birth date that is not in the future.

Each function returns the normalised value or raises ValidationError with a translatable message.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from flask_babel import lazy_gettext as _l

from disclosure.core.timeutil import today_china

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}  # a dict look-up, not str.index: imports check 100,000s
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
ID_CHECK = "10X98765432"
# Individual businesses without a USCC: the placeholder the credit platforms accept (rules-china §5.3).
USCC_PLACEHOLDER = "00000000000000000X"


class ValidationError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_code_check(body: str) -> str:
    """Check character of an 8-character organisation-code body (GB 11714)."""
    s = sum(_org_value(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    c = 11 - s % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def uscc_check(body17: str) -> str:
    s = sum(_USCC_VALUE[c] * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - s % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Validate a unified social credit code (GB 32100-2015) and return it upper-cased."""
    code = (raw or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_l("A unified social credit code has 18 characters."))
    bad = [c for c in code if c not in _USCC_VALUE]
    if bad:
        raise ValidationError(_l("The credit code contains a character that is not allowed: %(char)s", char=bad[0]))
    if uscc_check(code[:17]) != code[17]:
        raise ValidationError(_l("The check character of the credit code is wrong."))
    body = code[8:16]
    if all(c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in body) and org_code_check(body) != code[16]:
        raise ValidationError(_l("The organisation code inside the credit code has a wrong check character."))
    return code


def org_code_from_uscc(code: str) -> str:
    """The 9-character organisation code (positions 9–17) used in catalogue index numbers (rules §8.2)."""
    return code[8:17]


class DocumentType(enum.StrEnum):
    """Identity documents an applicant may present (条例 Art. 29(1) requires proof of identity)."""

    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGNER_PR = "foreigner_pr"


DOCUMENT_TYPE_LABELS = {
    DocumentType.RESIDENT_ID: _l("Resident identity card"),
    DocumentType.PASSPORT: _l("Passport"),
    DocumentType.HK_MACAO_PERMIT: _l("Mainland travel permit for Hong Kong and Macao residents"),
    DocumentType.TAIWAN_PERMIT: _l("Mainland travel permit for Taiwan residents"),
    DocumentType.FOREIGNER_PR: _l("Foreigner's permanent residence ID card"),
}


def validate_resident_id(raw: str, *, today: dt.date | None = None) -> str:
    """Validate an 18-digit citizen identity number (GB 11643-1999) and return it normalised."""
    idno = re.sub(r"\s+", "", raw or "").upper()
    if len(idno) != 18 or not idno[:17].isdigit() or not (idno[17].isdigit() or idno[17] == "X"):
        raise ValidationError(_l("A resident identity number has 17 digits followed by a digit or X."))
    try:
        birth = dt.date(int(idno[6:10]), int(idno[10:12]), int(idno[12:14]))
    except ValueError:
        raise ValidationError(_l("The birth date inside the identity number is not a real date.")) from None
    if birth > (today or today_china()) or birth.year < 1880:
        raise ValidationError(_l("The birth date inside the identity number is not possible."))
    s = sum(int(c) * w for c, w in zip(idno[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[s % 11] != idno[17]:
        raise ValidationError(_l("The check digit of the identity number is wrong."))
    return idno


_DOC_PATTERNS = {
    DocumentType.PASSPORT: (
        re.compile(r"^[A-Z0-9]{5,17}$"),
        _l("A passport number has 5 to 17 letters or digits."),
    ),
    DocumentType.HK_MACAO_PERMIT: (
        re.compile(r"^[HM]\d{8}(\d{2})?$"),
        _l("A Hong Kong / Macao permit number is H or M followed by 8 or 10 digits."),
    ),
    DocumentType.TAIWAN_PERMIT: (
        re.compile(r"^\d{8}(\d{2})?$"),
        _l("A Taiwan permit number has 8 or 10 digits."),
    ),
    DocumentType.FOREIGNER_PR: (
        re.compile(r"^([A-Z]{3}\d{12}|9\d{17})$"),
        _l("A permanent residence ID number has 15 characters (old) or 18 digits starting with 9 (new)."),
    ),
}


def validate_document(doc_type: str, raw: str) -> str:
    """Validate an identity document number by its type."""
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationError(_l("Unknown identity document type.")) from None
    if kind is DocumentType.RESIDENT_ID:
        return validate_resident_id(raw)
    value = re.sub(r"\s+", "", raw or "").upper()
    pattern, message = _DOC_PATTERNS[kind]
    if not pattern.match(value):
        raise ValidationError(message)
    return value


def mask_resident_id(idno: str | None) -> str:
    """Hide the eight birth-date digits, as public pages must (rules §5.5): 110105********002X."""
    if not idno:
        return ""
    if len(idno) == 18:
        return idno[:6] + "*" * 8 + idno[14:]
    if len(idno) <= 4:
        return "*" * len(idno)
    return idno[:2] + "*" * (len(idno) - 4) + idno[-2:]


def mask_name(name: str | None) -> str:
    """Public pages show a person's surname only: 张** ."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def make_credit_code(prefix: str, division: str, org_body: str) -> str:
    """A credit code with correct check characters (GB 32100 / GB 11714), for demo data, tests and benchmarks."""
    body17 = prefix + division + org_body + org_code_check(org_body)
    return body17 + uscc_check(body17)

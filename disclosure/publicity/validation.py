"""Validation of one licensing or penalty record, keyed by the standard's field codes (rules-china §5.2, §6).

The same validator serves the entry form, the bulk import and the JSON API, so a record is accepted or refused
for the same reasons and with the same messages on every channel. Each error names the field code and says what
is wrong in the user's language; nothing is guessed or silently corrected except surrounding blanks.
Messages never repeat the field's name: the form shows them under the field, the API beside the field code,
and `described()` puts the name in front once where errors are listed together (error file, import page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.validators import (
    USCC_PLACEHOLDER,
    ValidationError,
    org_code_check,
    validate_document,
    validate_uscc,
)
from disclosure.extensions import db
from disclosure.publicity.fields import BY_ATTR, BY_CODE, FIELDS, NAMES, Field, FieldType, Kind, kind_prefix
from disclosure.publicity.models import EntrustedOrgan, PublicityMatter
from disclosure.publicity.rules import INDIVIDUAL_BUSINESS, LEGAL_PERSON, NATURAL_PERSON, Rules, add_months

EXTRA_MATTER = "MATTER"
EXTRA_SEVERITY = "SEVERITY"
EXTRA_SIMPLIFIED = "SIMPLIFIED"

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MULTI_SEP = re.compile(r"[;；,，、]")
_ORG_CODE_RE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
AMOUNT_MAX = Decimal("100000000")  # 1 trillion yuan, in 万元: anything larger is a unit mistake
MEMO_SIZE = 4096  # distinct cell texts remembered per field
_BLANK: tuple = (None, ())
TRUE_WORDS = {"是", "1", "true", "yes", "y", "简易", "简易程序"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "", "普通", "一般程序"}


@dataclass
class RowResult:
    values: dict[str, object] | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    content_hash: str = ""


@dataclass
class MatterRef:
    id: int
    code: str
    name: str
    counterpart_kinds: list[str]
    scope: str


@dataclass(frozen=True)
class OrganRef:
    """An organ whose decisions an agency may publish: the agency itself or one of its entrusted organs."""

    name: str
    credit_code: str


def organ_key(name: str | None) -> str:
    """A deciding organ's name as compared: without blanks, brackets full-width (（）), as names are written."""
    return "".join((name or "").split()).replace("(", "（").replace(")", "）")


_KEY_TEXT: dict[str, str] = {}


def content_digest(values: dict) -> str:
    """sha1 of `repr(tuple(values.items()))`, the digest stored records carry, written out with the keys' text
    remembered: an import computes it 100,000 times for the same 35 keys."""
    keys = _KEY_TEXT
    parts = []
    for k, v in values.items():
        prefix = keys.get(k)
        if prefix is None:
            prefix = keys[k] = f"({k!r}, "
        parts.append(f"{prefix}{v!r})")
    text = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def field_label(kind: Kind, code: str) -> str:
    """The field's name for a field code (or the extra columns' names: matter, severity, simplified)."""
    f = BY_CODE[kind].get(code)
    if f is not None:
        return f.label
    return {EXTRA_MATTER: "事项名称", EXTRA_SEVERITY: "严重程度", EXTRA_SIMPLIFIED: "简易程序"}.get(code, code)


def field_name(kind: Kind, code: str) -> str:
    """The field's name in the reader's language (for pages and messages; files keep `field_label`)."""
    label = field_label(kind, code)
    return str(NAMES.get(label, label))


def described(kind: Kind, code: str, message) -> str:
    """'行政相对人名称：必填，不能为空。' — the field named once (in the reader's language), then what is wrong."""
    if not code:
        return str(message)
    return _("%(field)s: %(message)s", field=field_name(kind, code), message=message)


def org_code_valid(code: str) -> bool:
    """GB 11714 organisation code: 8 characters and a MOD 11 check character (rules §6.1)."""

    return bool(_ORG_CODE_RE.match(code)) and org_code_check(code[:8]) == code[8]


def parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    m = _DATE_RE.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_amount(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, float):
        raw = repr(raw)
    value = Decimal(str(raw).strip().replace(",", ""))
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheet cells hold numbers like 20260105.0
    return str(raw).strip()


class RecordValidator:
    """Validates records of one kind for one agency against one snapshot of the rules."""

    def __init__(
        self,
        kind: Kind,
        rules: Rules,
        matters: list[MatterRef],
        *,
        organs: list[OrganRef],
        today: dt.date,
        default_matter_id: int | None = None,
    ):
        """`organs`: the deciding organs (许可机关 / 处罚机关) the agency may publish for, `organ_refs(agency)`."""
        self.kind = kind
        self.organs: dict[str, str] = {o.credit_code.upper(): o.name for o in organs}
        self.rules = rules
        self.today = today
        self.fields = FIELDS[kind]
        self.by_code = BY_CODE[kind]
        self.prefix = kind_prefix(kind)
        self.required = rules.required(kind)
        self.matters = matters
        self.matter_by_key: dict[str, MatterRef] = {}
        for m in matters:
            self.matter_by_key[m.name] = m
            if m.code:
                self.matter_by_key[m.code] = m
        self.default_matter = next((m for m in matters if m.id == default_matter_id), None)
        if self.default_matter is None and len(matters) == 1:
            self.default_matter = matters[0]
        self.long_term = rules.long_term
        self._uscc_cache: dict[str, str | Exception] = {}
        self._required: dict[str, tuple[tuple[str, str], ...]] = {}

        self._code_by_attr = {attr: f.code for attr, f in BY_ATTR[kind].items()}
        # Per field: the parsed value and errors of each cell text seen, so a 100,000-row file parses each
        # distinct date, code or repeated text once (bounded: names and numbers are mostly distinct).
        self._plan = {f.code: (f.attr, f, {}) for f in self.fields}
        self._attrs = tuple(f.attr for f in self.fields)
        self._position = {f.code: i for i, f in enumerate(self.fields)}
        self._categories: dict[str, set[str]] = {}

    # -- single fields -------------------------------------------------------------------------------------

    def _code(self, f: Field, text: str, errors: list) -> str | None:
        codes = self.rules.codes.get(f.code_list or "")
        if codes is None:
            errors.append((f.code, _("The code list %(name)s is empty; ask an administrator.", name=f.code_list)))
            return None
        if f.attr == "penalty_categories":
            parts = [p.strip() for p in _MULTI_SEP.split(text) if p.strip()]
            resolved = []
            for p in parts:
                v = codes.resolve(p)
                if v is None:
                    errors.append((f.code, _("%(value)s is not in the code list.", value=p)))
                    return None
                if v not in resolved:
                    resolved.append(v)
            return ";".join(resolved)
        v = codes.resolve(text)
        if v is None:
            errors.append((f.code, _("%(value)s is not in the code list.", value=text)))
        return v

    def _one(self, f: Field, raw: object, errors: list):
        if f.type is FieldType.DATE:
            try:
                return parse_date(raw)
            except (ValueError, TypeError):
                errors.append((f.code, _("%(value)s is not a date (use YYYY-MM-DD).", value=_text(raw))))
                return None
        if f.type is FieldType.AMOUNT:
            try:
                value = parse_amount(raw)
            except (InvalidOperation, ValueError):
                errors.append((f.code, _("%(value)s is not an amount in 万元.", value=_text(raw))))
                return None
            if value < 0 or value > AMOUNT_MAX:
                errors.append((f.code, _("The amount must be between 0 and 100,000,000 万元.")))
                return None
            if -int(value.as_tuple().exponent) > 6 and value != value.quantize(Decimal("0.000001")):
                errors.append((f.code, _("The amount has more than six decimals (the unit is 万元).")))
                return None
            return value
        text = _text(raw)
        if _CONTROL.search(text):
            errors.append((f.code, _("The text contains control characters.")))
            return None
        if len(text) > f.max_length:
            errors.append((f.code, _("The text is longer than %(max)d characters.", max=f.max_length)))
            return None
        if f.type is FieldType.CODE:
            return self._code(f, text, errors)
        return text

    def _uscc(self, code: str, text: str, errors: list) -> str | None:
        cached = self._uscc_cache.get(text)
        if cached is None:
            try:
                cached = validate_uscc(text)
            except ValidationError as exc:
                cached = exc
            if len(self._uscc_cache) < 10000:
                self._uscc_cache[text] = cached
        if isinstance(cached, Exception):
            errors.append((code, str(cached.message)))
            return None
        return cached

    # -- a whole record ----------------------------------------------------------------------------------

    def validate(self, raw: dict[str, object]) -> RowResult:
        errors: list[tuple[str, str]] = []
        # Every field, in field order (the digest below depends on it), then the cells the record has: a file
        # usually holds half of the standard's columns.
        values: dict[str, object] = dict.fromkeys(self._attrs)
        plan = self._plan
        for code, cell in raw.items():
            if cell is None:
                continue
            step = plan.get(code)
            if step is None:  # the matter, severity and simplified-procedure columns, read below
                continue
            attr, f, memo = step
            key = cell if cell.__class__ is str else (cell.__class__, cell)  # 1, 1.0 and True hash alike
            hit = memo.get(key)
            if hit is None:
                if cell.__class__ is str and (not cell or cell.isspace()):
                    hit = _BLANK
                else:
                    found: list[tuple[str, str]] = []
                    hit = (self._one(f, cell, found), tuple(found))
                if len(memo) < MEMO_SIZE:
                    memo[key] = hit
            values[attr] = hit[0]
            if hit[1]:
                errors.extend(hit[1])
        if errors:
            position = self._position
            errors.sort(key=lambda e: position[e[0]])  # in field order, whatever the order of the columns

        category = values.get("counterpart_category")
        meaning = (
            self.rules.codes.get("counterpart_category").meaning(category)
            if category and "counterpart_category" in self.rules.codes
            else ""
        )
        required = self._required.get(meaning)
        if required is None:
            codes = self.required | (self.rules.required_for_category(self.kind, meaning) if meaning else set())
            required = self._required[meaning] = tuple((f.code, f.attr) for f in self.fields if f.code in codes)
        missing = [(code, attr) for code, attr in required if values[attr] is None]
        if missing:
            failed = {code for code, _m in errors}  # a value that did not parse is reported as such
            for code, _attr in missing:
                if code not in failed:
                    errors.append((code, _("Required: this field is empty.")))
        p = self.prefix
        self._counterpart(values, meaning, errors, p)
        self._deciding_organ(values, errors, p)
        self._dates(values, errors, p)
        if self.kind is Kind.PENALTY:
            self._penalty(values, raw, errors)
        matter = self._matter(raw, meaning, errors)
        if errors:
            return RowResult(None, errors)
        values["matter_id"] = matter.id
        values["_scope"] = matter.scope
        # The values dict is built in field order, so its repr is stable: re-importing an unchanged row gives
        # the same digest and is recognised as unchanged without comparing columns. The decision number counts
        # in its normalised form, so 示政办罚[2026]13号 re-imports 示政办罚〔2026〕13号 unchanged.
        number = values["decision_no"]
        key = normalise_document_number(number)
        digest = content_digest(values if key == number else {**values, "decision_no": key})
        values["decision_key"] = key
        return RowResult(values, [], digest)

    def _counterpart(self, values: dict, meaning: str, errors: list, p: str) -> None:
        credit = values.get("credit_code")
        if credit:
            if credit.upper() == USCC_PLACEHOLDER:
                if meaning != INDIVIDUAL_BUSINESS:
                    errors.append(
                        (
                            f"{p}_XDR_SHXYM",
                            _("The placeholder credit code is accepted only for an individual business."),
                        )
                    )
                elif not values.get("reg_no"):
                    errors.append(
                        (
                            f"{p}_XDR_GSZC",
                            _("With the placeholder credit code, the business registration number is required."),
                        )
                    )
                values["credit_code"] = USCC_PLACEHOLDER
            elif meaning == NATURAL_PERSON:
                errors.append(
                    (f"{p}_XDR_SHXYM", _("A natural person has no credit code; give the identity document instead."))
                )
            else:
                values["credit_code"] = self._uscc(f"{p}_XDR_SHXYM", credit, errors)
        org = values.get("org_code")
        if org:
            org = org.upper().replace("-", "")
            if not org_code_valid(org):
                errors.append(
                    (
                        f"{p}_XDR_ZZJG",
                        _("The organisation code has 9 characters with a valid check character (GB 11714)."),
                    )
                )
            values["org_code"] = org
        if meaning == NATURAL_PERSON:
            for attr in ("legal_rep", "legal_rep_doc_type", "legal_rep_doc_no"):
                if values.get(attr):
                    errors.append((self._code_of(attr), _("A natural person has no legal representative.")))
        elif meaning in (LEGAL_PERSON, INDIVIDUAL_BUSINESS) and (values.get("doc_type") or values.get("doc_no")):
            errors.append((f"{p}_XDR_ZJHM", _("The identity document is given only for a natural person.")))
        self._document(values, "doc_type", "doc_no", errors)
        self._document(values, "legal_rep_doc_type", "legal_rep_doc_no", errors)
        for attr in ("deciding_agency_code", "source_code"):
            if values.get(attr):
                values[attr] = self._uscc(self._code_of(attr), values[attr], errors)

    def _deciding_organ(self, values: dict, errors: list, p: str) -> None:
        """The deciding organ (许可机关 / 处罚机关, name and credit code) is the agency itself or an organ it may
        publish for: an agency never publishes decisions under another organ's name (issue 10)."""
        name, code = values.get("deciding_agency"), values.get("deciding_agency_code")
        if not name or not code:
            return  # missing or malformed: already reported
        field = f"{p}_XKJG" if self.kind is Kind.LICENSING else f"{p}_CFJG"
        known = self.organs.get(code.upper())
        if known is None:
            errors.append(
                (
                    field,
                    _(
                        "%(name)s (credit code %(code)s) is neither this agency nor an organ it may publish for. "
                        "Enter your agency's own decisions, or ask the agency administrator to add the organ to "
                        "the organs your agency publishes for.",
                        name=name,
                        code=code,
                    ),
                )
            )
        elif organ_key(known) != organ_key(name):
            errors.append((field, _("The organ with credit code %(code)s is named %(name)s.", code=code, name=known)))

    def _document(self, values: dict, type_attr: str, no_attr: str, errors: list) -> None:
        doc_type, doc_no = values.get(type_attr), values.get(no_attr)
        if doc_no and not doc_type:
            errors.append((self._code_of(type_attr), _("Give the document type of the document number.")))
        elif doc_type and not doc_no:
            errors.append((self._code_of(no_attr), _("Give the document number of the document type.")))
        elif doc_type and doc_no:
            meaning = self.rules.codes["document_type"].meaning(doc_type)
            try:
                values[no_attr] = validate_document(meaning, doc_no) if meaning else doc_no.upper()
            except ValidationError as exc:
                errors.append((self._code_of(no_attr), str(exc.message)))

    def _dates(self, values: dict, errors: list, p: str) -> None:
        decided = values.get("decision_date")
        if decided and decided > self.today:
            errors.append((f"{p}_JDRQ", _("The decision date cannot be in the future.")))
        for attr in ("valid_from", "valid_to", "penalty_valid_until", "publicity_end", "decision_date"):
            d = values.get(attr)
            if d and (d.year < 1949 or d > self.long_term):
                errors.append(
                    (self._code_of(attr), _("The date must be between 1949-10-01 and %(max)s.", max=self.long_term))
                )
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and start > end:
            errors.append((f"{p}_YXQZI", _("The validity end is before its start.")))
        for attr in ("penalty_valid_until", "publicity_end"):
            d = values.get(attr)
            if d and decided and d < decided:
                errors.append((self._code_of(attr), _("The date is before the decision date.")))

    def _penalty(self, values: dict, raw: dict, errors: list) -> None:
        joined = values.get("penalty_categories") or ""
        meanings = self._categories.get(joined)
        if meanings is None:
            cats = [c for c in joined.split(";") if c]
            meanings = {self.rules.codes["penalty_category"].meaning(c) for c in cats} if cats else set()
            self._categories[joined] = meanings
        failed = {code for code, _m in errors}
        if "fine" in meanings and values.get("fine_amount") is None and "CF_NR_FK" not in failed:
            errors.append(("CF_NR_FK", _("A fine was imposed: give the fine amount in 万元.")))
        if "confiscation" in meanings and values.get("confiscated_amount") is None and "CF_NR_WFFF" not in failed:
            errors.append(("CF_NR_WFFF", _("Something was confiscated: give the amount in 万元.")))
        if "licence_action" in meanings and not values.get("suspended_licence"):
            errors.append(("CF_NR_ZKDX", _("A licence was suspended or revoked: name it and its number.")))
        simplified_raw = _text(raw.get(EXTRA_SIMPLIFIED)).lower()
        if simplified_raw in TRUE_WORDS:
            values["simplified_procedure"] = True
        elif simplified_raw in FALSE_WORDS:
            values["simplified_procedure"] = False
        else:
            errors.append((EXTRA_SIMPLIFIED, _("Simplified procedure: answer 是 or 否.")))
        sev_raw = _text(raw.get(EXTRA_SEVERITY))
        severity = None
        if sev_raw:
            severity = self.rules.codes.get("severity").resolve(sev_raw) if "severity" in self.rules.codes else None
            if severity is None:
                errors.append((EXTRA_SEVERITY, _("Severity must be 轻微, 一般 or 严重.")))
        # 《信用修复管理办法》 (2026): simplified-procedure penalties, warnings and public criticism are minor.
        if values.get("simplified_procedure") or (meanings and meanings <= {"warning", "criticism"}):
            if severity not in (None, "minor"):
                errors.append(
                    (EXTRA_SEVERITY, _("A simplified-procedure penalty, a warning or a public criticism is minor."))
                )
            severity = "minor"
        values["severity"] = severity = severity or "general"
        end, decided = values.get("publicity_end"), values.get("decision_date")
        if end and decided and end >= decided:
            period = self.rules.period(severity, decided)
            if period is not None and period[0]:
                earliest = add_months(decided, period[1])
                if end < earliest:
                    errors.append(
                        (
                            "CF_GSJZQ",
                            _(
                                "The publicity cannot end before the minimum period of its severity, %(date)s.",
                                date=earliest.isoformat(),
                            ),
                        )
                    )

    def _matter(self, raw: dict, meaning: str, errors: list) -> MatterRef | None:
        key = _text(raw.get(EXTRA_MATTER))
        matter = self.matter_by_key.get(key) if key else self.default_matter
        if matter is None:
            if key:
                errors.append((EXTRA_MATTER, _("The matter %(name)s is not in this agency's catalogue.", name=key)))
            elif not self.matters:
                errors.append((EXTRA_MATTER, _("This agency's catalogue has no matter of this kind yet.")))
            else:
                errors.append((EXTRA_MATTER, _("Name the matter of the agency's catalogue this decision belongs to.")))
            return None
        if meaning and matter.counterpart_kinds and meaning not in matter.counterpart_kinds:
            errors.append(
                (EXTRA_MATTER, _("The matter %(name)s does not apply to this kind of counterpart.", name=matter.name))
            )
        return matter

    def _code_of(self, attr: str) -> str:
        return self._code_by_attr[attr]


def organ_refs(agency) -> list[OrganRef]:
    """The deciding organs `agency` may publish for: itself, then its active entrusted organs."""

    entrusted = db.session.execute(
        db.select(EntrustedOrgan.name, EntrustedOrgan.credit_code).where(
            EntrustedOrgan.agency_id == agency.id, EntrustedOrgan.active.is_(True)
        )
    ).all()
    return [OrganRef(agency.full_name, agency.credit_code), *(OrganRef(n, c) for n, c in entrusted)]


def matter_refs(agency_id: int, kind: Kind) -> list[MatterRef]:
    rows = db.session.execute(
        db.select(PublicityMatter).where(
            PublicityMatter.agency_id == agency_id, PublicityMatter.kind == kind.value, PublicityMatter.active.is_(True)
        )
    ).scalars()
    return [MatterRef(m.id, m.code, m.name, list(m.counterpart_kinds or []), m.scope) for m in rows]

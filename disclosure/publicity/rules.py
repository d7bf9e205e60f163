"""The administrator-editable data behind the 双公示 rules (everything marked ⚠ in rules-china §5).

`DEFAULT_*` seed the tables (migration and `disclosure publicity seed`); code paths read the tables through
`load_rules()`, which takes one snapshot per request, import or API batch so that a 100,000-row import reads the
code lists once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import g, has_app_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from disclosure.extensions import db
from disclosure.publicity.fields import FIELDS, Kind
from disclosure.publicity.models import PublicityCode, PublicityPeriod, PublicitySetting

# Meanings that rules depend on. The values and labels are data; the meanings are what code checks.
LEGAL_PERSON = "legal_person"
NATURAL_PERSON = "natural_person"
INDIVIDUAL_BUSINESS = "individual_business"

DEFAULT_CODES: dict[str, list[tuple[str, str, str | None]]] = {
    # (value, label, meaning)
    "counterpart_category": [
        ("法人及非法人组织", "法人及非法人组织", LEGAL_PERSON),
        ("自然人", "自然人", NATURAL_PERSON),
        ("个体工商户", "个体工商户", INDIVIDUAL_BUSINESS),
    ],
    "document_type": [
        ("身份证", "身份证", "resident_id"),
        ("护照号", "护照号", "passport"),
        ("港澳居民来往内地通行证", "港澳居民来往内地通行证", "hk_macao_permit"),
        ("台湾居民来往大陆通行证", "台湾居民来往大陆通行证", "taiwan_permit"),
        ("外国人永久居留身份证", "外国人永久居留身份证", "foreigner_pr"),
    ],
    "licence_category": [
        ("普通", "普通", None),
        ("特许", "特许", None),
        ("认可", "认可", None),
        ("核准", "核准", None),
        ("登记", "登记", None),
        ("其他", "其他（需注明）", None),
    ],
    "licence_state": [("1", "有效", "valid"), ("2", "无效", "invalid")],
    # 处罚法 (2021) Art. 9 superset of the v2.0 list (rules §5.3).
    "penalty_category": [
        ("警告", "警告", "warning"),
        ("通报批评", "通报批评", "criticism"),
        ("罚款", "罚款", "fine"),
        ("没收违法所得", "没收违法所得", "confiscation"),
        ("没收非法财物", "没收非法财物", "confiscation"),
        ("暂扣许可证件", "暂扣许可证件", "licence_action"),
        ("降低资质等级", "降低资质等级", None),
        ("吊销许可证件", "吊销许可证件", "licence_action"),
        ("限制开展生产经营活动", "限制开展生产经营活动", None),
        ("责令停产停业", "责令停产停业", None),
        ("责令关闭", "责令关闭", None),
        ("限制从业", "限制从业", None),
        ("行政拘留", "行政拘留", None),
        ("暂扣或者吊销许可证", "暂扣或者吊销许可证", "licence_action"),
        ("暂扣或者吊销执照", "暂扣或者吊销执照", "licence_action"),
        ("其他", "其他", None),
    ],
    "severity": [("minor", "轻微", "minor"), ("general", "一般", "general"), ("serious", "严重", "serious")],
}

# The default code values in the reader's language (their zh_CN translations are the default labels). The values
# and labels stay data: an administrator's own label or value is shown as it is.
CODE_NAMES = {
    ("counterpart_category", "法人及非法人组织"): _l("Legal person or unincorporated organisation"),
    ("counterpart_category", "自然人"): _l("Natural person"),
    ("counterpart_category", "个体工商户"): _l("Individual business"),
    ("document_type", "身份证"): _l("Identity card"),
    ("document_type", "护照号"): _l("Passport number"),
    ("document_type", "港澳居民来往内地通行证"): _l("Mainland travel permit for Hong Kong and Macao residents"),
    ("document_type", "台湾居民来往大陆通行证"): _l("Mainland travel permit for Taiwan residents"),
    ("document_type", "外国人永久居留身份证"): _l("Foreign permanent resident identity card"),
    ("licence_category", "普通"): _l("Ordinary"),
    ("licence_category", "特许"): _l("Franchise"),
    ("licence_category", "认可"): _l("Recognition"),
    ("licence_category", "核准"): _l("Approval"),
    ("licence_category", "登记"): _l("Registration"),
    ("licence_category", "其他"): _l("Other (specify)"),
    ("licence_state", "1"): _l("Valid"),
    ("licence_state", "2"): _l("Invalid"),
    ("penalty_category", "警告"): _l("Warning"),
    ("penalty_category", "通报批评"): _l("Public criticism"),
    ("penalty_category", "罚款"): _l("Fine"),
    ("penalty_category", "没收违法所得"): _l("Confiscation of illegal gains"),
    ("penalty_category", "没收非法财物"): _l("Confiscation of illegal property"),
    ("penalty_category", "暂扣许可证件"): _l("Suspension of a licence"),
    ("penalty_category", "降低资质等级"): _l("Lowering of a qualification grade"),
    ("penalty_category", "吊销许可证件"): _l("Revocation of a licence"),
    ("penalty_category", "限制开展生产经营活动"): _l("Restriction of production and business activities"),
    ("penalty_category", "责令停产停业"): _l("Order to suspend production or business"),
    ("penalty_category", "责令关闭"): _l("Order to close"),
    ("penalty_category", "限制从业"): _l("Restriction from practising"),
    ("penalty_category", "行政拘留"): _l("Administrative detention"),
    ("penalty_category", "暂扣或者吊销许可证"): _l("Suspension or revocation of a permit"),
    ("penalty_category", "暂扣或者吊销执照"): _l("Suspension or revocation of a business licence"),
    ("penalty_category", "其他"): _l("Other"),
    ("severity", "minor"): _l("Minor"),
    ("severity", "general"): _l("General"),
    ("severity", "serious"): _l("Serious"),
}
_DEFAULT_LABELS = {(name, value): label for name, values in DEFAULT_CODES.items() for value, label, _m in values}


def code_text(list_name: str, value: str | None, label: str | None = None) -> str:
    """A code value as the reader reads it: a default value in their language (unless an administrator gave it
    another label), any other value by its `label`, else as stored. Several values (处罚类别 "警告;罚款") each."""
    if not value:
        return ""
    if list_name == "penalty_category" and ";" in value:
        return gettext("; ").join(code_text(list_name, v) for v in value.split(";") if v)
    name = CODE_NAMES.get((list_name, value))
    if name is not None and label in (None, _DEFAULT_LABELS.get((list_name, value))):
        return str(name)
    return label or value


DEFAULT_PERIODS = [
    # (severity, effective_from, published, min_months, max_months, basis)
    ("minor", dt.date(2019, 7, 1), False, 0, 0, "发改办财金〔2019〕527号"),
    ("general", dt.date(2019, 7, 1), True, 3, 12, "发改办财金〔2019〕527号"),
    ("serious", dt.date(2019, 7, 1), True, 6, 36, "发改办财金〔2019〕527号"),
    ("minor", dt.date(2026, 4, 1), False, 0, 3, "《信用修复管理办法》(2026-04-01)"),
    ("general", dt.date(2026, 4, 1), True, 3, 12, "《信用修复管理办法》(2026-04-01)"),
    ("serious", dt.date(2026, 4, 1), True, 12, 36, "《信用修复管理办法》(2026-04-01)"),
]

DEFAULT_SETTINGS: dict[str, object] = {
    "due_working_days": 7,  # rules §5.1
    "withdraw_working_days": 3,  # 处罚法 Arts. 48, 85
    "latest_days": 10,
    "long_term_date": "2099-12-31",  # ⚠ "长期" sentinel
    "required_fields.licensing": [f.code for f in FIELDS[Kind.LICENSING] if f.required],
    "required_fields.penalty": [f.code for f in FIELDS[Kind.PENALTY] if f.required],
    # Field-code suffixes required per counterpart category (⚠ rules §5.2), prefixed with XK_/CF_.
    "required_by_category": {
        LEGAL_PERSON: ["XDR_SHXYM", "FRDB"],
        NATURAL_PERSON: ["XDR_ZJLX", "XDR_ZJHM"],
        INDIVIDUAL_BUSINESS: ["XDR_SHXYM"],
    },
    # Optional fields whose completeness the dashboard measures.
    "completeness_fields": ["XDR_GSZC", "XDR_ZZJG", "FRDB", "XKZS", "XKBH", "NR_ZKDX", "GSJZQ", "BZ"],
}

SETTING_LABELS = {
    "due_working_days": "公示时限（工作日）",
    "withdraw_working_days": "撤下时限（工作日）",
    "latest_days": "最新公示天数",
    "long_term_date": "长期有效日期",
}


@dataclass
class CodeList:
    by_value: dict[str, str] = field(default_factory=dict)  # value -> meaning ("" if none)
    by_label: dict[str, str] = field(default_factory=dict)  # label -> value
    labels: dict[str, str] = field(default_factory=dict)  # value -> label

    def resolve(self, raw: str) -> str | None:
        """The stored value for a value or label typed by a person (None if unknown)."""
        if raw in self.by_value:
            return raw
        return self.by_label.get(raw)

    def meaning(self, value: str | None) -> str:
        return self.by_value.get(value or "", "")


@dataclass
class Rules:
    codes: dict[str, CodeList]
    settings: dict[str, object]
    periods: list[tuple[str, dt.date, bool, int, int, str]]

    def setting(self, key: str):
        return self.settings.get(key, DEFAULT_SETTINGS.get(key))

    def required(self, kind: Kind) -> set[str]:
        return set(self.setting(f"required_fields.{kind.value}") or [])

    def required_for_category(self, kind: Kind, meaning: str) -> set[str]:
        prefix = "XK" if kind is Kind.LICENSING else "CF"
        return {f"{prefix}_{s}" for s in (self.setting("required_by_category") or {}).get(meaning, [])}

    @property
    def long_term(self) -> dt.date:
        return dt.date.fromisoformat(str(self.setting("long_term_date")))

    def period(self, severity: str, decided: dt.date) -> tuple[bool, int, int, str] | None:
        """(published, min months, max months, basis) in force on the decision date (rules §5.4)."""
        best = None
        for sev, since, published, lo, hi, basis in self.periods:
            if sev == severity and since <= decided and (best is None or since > best[0]):
                best = (since, published, lo, hi, basis)
        return None if best is None else best[1:]


def load_rules() -> Rules:
    codes: dict[str, CodeList] = {}
    rows = db.session.execute(
        db.select(PublicityCode).where(PublicityCode.active.is_(True)).order_by(PublicityCode.sort_order)
    ).scalars()
    for row in rows:
        cl = codes.setdefault(row.list_name, CodeList())
        cl.by_value[row.value] = row.meaning or ""
        cl.by_label.setdefault(row.label, row.value)
        cl.labels[row.value] = row.label
    settings = {s.key: s.value for s in db.session.execute(db.select(PublicitySetting)).scalars()}
    periods = [
        (p.severity, p.effective_from, p.published, p.min_months, p.max_months, p.basis)
        for p in db.session.execute(db.select(PublicityPeriod)).scalars()
    ]
    return Rules(codes=codes, settings=settings, periods=periods)


def long_term_date() -> dt.date:
    """The "长期" sentinel (⚠ rules §5.2: 2099-12-31 by default), read once per request from the settings."""

    if has_app_context() and "publicity_long_term" in g:
        return g.publicity_long_term
    row = db.session.get(PublicitySetting, "long_term_date")
    value = dt.date.fromisoformat(str(row.value if row else DEFAULT_SETTINGS["long_term_date"]))
    if has_app_context():
        g.publicity_long_term = value
    return value


def display_date(value) -> str:
    """A date as pages show it: ISO, or 长期 (long-term) for the long-term sentinel; the one place that decides."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        value = value.date()
    if value == long_term_date():
        return gettext("long-term")
    return value.isoformat()


def seed_rows() -> tuple[list[dict], list[dict], list[dict]]:
    """Rows for the code, period and setting tables (used by the migration and the seed command)."""
    codes = [
        {"list_name": name, "value": v, "label": label, "meaning": meaning, "active": True, "sort_order": i}
        for name, values in DEFAULT_CODES.items()
        for i, (v, label, meaning) in enumerate(values)
    ]
    periods = [
        {"severity": s, "effective_from": since, "published": pub, "min_months": lo, "max_months": hi, "basis": basis}
        for s, since, pub, lo, hi, basis in DEFAULT_PERIODS
    ]
    settings = [{"key": k, "value": v} for k, v in DEFAULT_SETTINGS.items()]
    return codes, periods, settings


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (2026-01-31 + 1 month = 2026-02-28)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def ensure_defaults() -> int:
    """Add the default code values, periods and settings that are missing; existing rows are kept (flushes)."""

    codes, periods, settings = seed_rows()
    have_codes = {tuple(r) for r in db.session.execute(db.select(PublicityCode.list_name, PublicityCode.value))}
    have_periods = {
        tuple(r) for r in db.session.execute(db.select(PublicityPeriod.severity, PublicityPeriod.effective_from))
    }
    have_settings = set(db.session.execute(db.select(PublicitySetting.key)).scalars())
    new = [PublicityCode(**r) for r in codes if (r["list_name"], r["value"]) not in have_codes]
    new += [PublicityPeriod(**r) for r in periods if (r["severity"], r["effective_from"]) not in have_periods]
    new += [PublicitySetting(**r) for r in settings if r["key"] not in have_settings]
    db.session.add_all(new)
    db.session.flush()
    return len(new)

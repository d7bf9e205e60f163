"""The fields of the national 双公示 data standard v2.0 (rules-china §5.2), keyed by their field codes.

One table drives entry forms, imports (headers in Chinese names or in codes), the JSON API, validation and the
credit-platform export, so a field is described once. `attr` is the column of `PublicityRecord`.
The mandatory flags of the standard are ⚠ (rules §5.2): the defaults here seed the administrator-editable
setting `required_fields.<kind>` and are never consulted directly by validation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


class Kind(enum.StrEnum):
    LICENSING = "licensing"  # 行政许可
    PENALTY = "penalty"  # 行政处罚


class FieldType(enum.StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"  # 万元, up to six decimals
    CODE = "code"  # a value from an administrator-editable code list


@dataclass(frozen=True)
class Field:
    code: str
    label: str  # the standard's Chinese field name, used verbatim in templates and exports
    attr: str
    type: FieldType = FieldType.TEXT
    max_length: int = 200
    code_list: str | None = None
    required: bool = False  # default of the required_fields setting (⚠)
    public: bool = True  # shown on public pages and in public exports (masked where personal)

    @property
    def name(self):
        """The field's name in the reader's language, for pages and messages (its Chinese translation is the
        standard's name); files in the national template keep `label`."""
        return NAMES.get(self.label, self.label)


# The standard's field names as message ids (English), translated back to them in zh_CN.
NAMES = {
    "行政相对人名称": _l("Counterpart name"),
    "行政相对人类别": _l("Counterpart category"),
    "行政相对人代码_1（统一社会信用代码）": _l("Counterpart code 1 (unified social credit code)"),
    "行政相对人代码_2（工商注册号）": _l("Counterpart code 2 (business registration number)"),
    "行政相对人代码_3（组织机构代码）": _l("Counterpart code 3 (organisation code)"),
    "行政相对人代码_4（税务登记号）": _l("Counterpart code 4 (tax registration number)"),
    "行政相对人代码_5（事业单位证书号）": _l("Counterpart code 5 (public institution certificate number)"),
    "行政相对人代码_6（社会组织登记证号）": _l("Counterpart code 6 (social organisation registration number)"),
    "法定代表人": _l("Legal representative"),
    "法定代表人证件类型": _l("Legal representative's document type"),
    "法定代表人证件号码": _l("Legal representative's document number"),
    "证件类型": _l("Counterpart's document type"),
    "证件号码": _l("Counterpart's document number"),
    "行政许可决定文书名称": _l("Name of the licensing decision document"),
    "行政许可决定文书号": _l("Licensing decision number"),
    "许可类别": _l("Licence category"),
    "许可证书名称": _l("Licence certificate name"),
    "许可编号": _l("Licence number"),
    "许可内容": _l("Licence content"),
    "许可决定日期": _l("Licensing decision date"),
    "有效期自": _l("Valid from"),
    "有效期至": _l("Valid until"),
    "许可机关": _l("Licensing authority"),
    "许可机关统一社会信用代码": _l("Licensing authority's credit code"),
    "当前状态": _l("Current state"),
    "数据来源单位": _l("Data source"),
    "数据来源单位统一社会信用代码": _l("Data source's credit code"),
    "备注": _l("Remarks"),
    "行政处罚决定书文号": _l("Penalty decision number"),
    "违法行为类型": _l("Type of violation"),
    "违法事实": _l("Facts of the violation"),
    "处罚依据": _l("Legal basis of the penalty"),
    "处罚类别": _l("Penalty category"),
    "处罚内容": _l("Penalty content"),
    "罚款金额（万元）": _l("Fine (10,000 yuan)"),
    "没收违法所得、没收非法财物的金额（万元）": _l("Confiscated illegal gains and property (10,000 yuan)"),
    "暂扣或吊销证照名称及编号": _l("Licence suspended or revoked, with its number"),
    "处罚决定日期": _l("Penalty decision date"),
    "处罚有效期": _l("Penalty valid until"),
    "公示截止期": _l("End of the publicity period"),
    "处罚机关": _l("Penalty authority"),
    "处罚机关统一社会信用代码": _l("Penalty authority's credit code"),
    # The columns this system adds beside the standard.
    "事项名称": _l("Matter"),
    "严重程度": _l("Severity"),
    "简易程序": _l("Simplified procedure"),
}


def _counterpart(prefix: str) -> list[Field]:
    p = prefix
    return [
        Field(f"{p}_XDR_MC", "行政相对人名称", "counterpart_name", required=True),
        Field(
            f"{p}_XDR_LB",
            "行政相对人类别",
            "counterpart_category",
            FieldType.CODE,
            20,
            code_list="counterpart_category",
            required=True,
        ),
        Field(f"{p}_XDR_SHXYM", "行政相对人代码_1（统一社会信用代码）", "credit_code", max_length=18),
        Field(f"{p}_XDR_GSZC", "行政相对人代码_2（工商注册号）", "reg_no", max_length=50),
        Field(f"{p}_XDR_ZZJG", "行政相对人代码_3（组织机构代码）", "org_code", max_length=9),
        Field(f"{p}_XDR_SWDJ", "行政相对人代码_4（税务登记号）", "tax_no", max_length=50),
        Field(f"{p}_XDR_SYDW", "行政相对人代码_5（事业单位证书号）", "institution_no", max_length=50),
        Field(f"{p}_XDR_SHZZ", "行政相对人代码_6（社会组织登记证号）", "social_org_no", max_length=50),
        Field(f"{p}_FRDB", "法定代表人", "legal_rep", max_length=50),
        Field(
            f"{p}_FR_ZJLX",
            "法定代表人证件类型",
            "legal_rep_doc_type",
            FieldType.CODE,
            40,
            code_list="document_type",
            public=False,
        ),
        # Legal representatives' ID numbers are never public (rules §5.5).
        Field(f"{p}_FR_ZJHM", "法定代表人证件号码", "legal_rep_doc_no", max_length=64, public=False),
        Field(f"{p}_XDR_ZJLX", "证件类型", "doc_type", FieldType.CODE, 40, code_list="document_type"),
        Field(f"{p}_XDR_ZJHM", "证件号码", "doc_no", max_length=64),
    ]


LICENSING_FIELDS: tuple[Field, ...] = (
    *_counterpart("XK"),
    Field("XK_XKWS", "行政许可决定文书名称", "document_name", max_length=64, required=True),
    Field("XK_WSH", "行政许可决定文书号", "decision_no", max_length=64, required=True),
    Field("XK_XKLB", "许可类别", "licence_category", FieldType.CODE, 40, code_list="licence_category", required=True),
    Field("XK_XKZS", "许可证书名称", "certificate_name", max_length=64),
    Field("XK_XKBH", "许可编号", "licence_no", max_length=64),
    Field("XK_NR", "许可内容", "content", max_length=4000, required=True),
    Field("XK_JDRQ", "许可决定日期", "decision_date", FieldType.DATE, required=True),
    Field("XK_YXQZ", "有效期自", "valid_from", FieldType.DATE, required=True),
    Field("XK_YXQZI", "有效期至", "valid_to", FieldType.DATE, required=True),
    Field("XK_XKJG", "许可机关", "deciding_agency", required=True),
    Field("XK_XKJGDM", "许可机关统一社会信用代码", "deciding_agency_code", max_length=18, required=True),
    Field("XK_ZT", "当前状态", "licence_state", FieldType.CODE, 4, code_list="licence_state", required=True),
    Field("XK_LYDW", "数据来源单位", "source_name", required=True),
    Field("XK_LYDWDM", "数据来源单位统一社会信用代码", "source_code", max_length=18, required=True),
    Field("BZ", "备注", "remarks", max_length=512),
)

PENALTY_FIELDS: tuple[Field, ...] = (
    *_counterpart("CF"),
    Field("CF_WSH", "行政处罚决定书文号", "decision_no", max_length=64, required=True),
    Field("CF_WFXW", "违法行为类型", "violation_type", max_length=2000, required=True),
    Field("CF_SY", "违法事实", "facts", max_length=4000, required=True),
    Field("CF_YJ", "处罚依据", "basis", max_length=2000, required=True),
    Field(
        "CF_CFLB", "处罚类别", "penalty_categories", FieldType.CODE, 200, code_list="penalty_category", required=True
    ),
    Field("CF_NR", "处罚内容", "content", max_length=4000, required=True),
    Field("CF_NR_FK", "罚款金额（万元）", "fine_amount", FieldType.AMOUNT),
    Field("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）", "confiscated_amount", FieldType.AMOUNT),
    Field("CF_NR_ZKDX", "暂扣或吊销证照名称及编号", "suspended_licence", max_length=200),
    Field("CF_JDRQ", "处罚决定日期", "decision_date", FieldType.DATE, required=True),
    Field("CF_YXQ", "处罚有效期", "penalty_valid_until", FieldType.DATE, required=True),
    Field("CF_GSJZQ", "公示截止期", "publicity_end", FieldType.DATE),
    Field("CF_CFJG", "处罚机关", "deciding_agency", required=True),
    Field("CF_CFJGDM", "处罚机关统一社会信用代码", "deciding_agency_code", max_length=18, required=True),
    Field("CF_SJLY", "数据来源单位", "source_name", required=True),
    Field("CF_SJLYDM", "数据来源单位统一社会信用代码", "source_code", max_length=18, required=True),
    Field("BZ", "备注", "remarks", max_length=512),
)

# Columns this system adds beside the standard (not sent to the credit platform).
EXTRA_COLUMNS = {
    "penalty": (
        ("SEVERITY", "严重程度", "severity"),
        ("SIMPLIFIED", "简易程序", "simplified_procedure"),
    ),
}

FIELDS: dict[Kind, tuple[Field, ...]] = {Kind.LICENSING: LICENSING_FIELDS, Kind.PENALTY: PENALTY_FIELDS}
BY_CODE: dict[Kind, dict[str, Field]] = {k: {f.code: f for f in fs} for k, fs in FIELDS.items()}
BY_ATTR: dict[Kind, dict[str, Field]] = {k: {f.attr: f for f in fs} for k, fs in FIELDS.items()}


def header_map(kind: Kind) -> dict[str, str]:
    """Header text (field code or Chinese name, as the national template has either) -> field code.

    Chinese names are also matched without the bracketed explanation (行政相对人代码_1) and with ASCII brackets,
    because spreadsheets in circulation vary.
    """
    out: dict[str, str] = {}
    for f in FIELDS[kind]:
        out[f.code] = f.code
        out[f.code.lower()] = f.code
        out[f.label] = f.code
        out[f.label.replace("（", "(").replace("）", ")")] = f.code
        if "（" in f.label:
            out[f.label.split("（", 1)[0]] = f.code
    for code, label, _attr in EXTRA_COLUMNS.get(kind.value, ()):
        out[code] = code
        out[code.lower()] = code
        out[label] = code
    return out


def kind_prefix(kind: Kind) -> str:
    return "XK" if kind is Kind.LICENSING else "CF"

"""The grid of the annual report as the format draws it (国办公开办函〔2021〕30号, rules-china §3): row keys, column
keys and the Chinese labels the report prints (report content, not interface text)."""

from __future__ import annotations

from disclosure.accounts.roles import ApplicantCategory
from disclosure.correspondence import OUTCOMES

CATEGORIES = tuple(c.value for c in ApplicantCategory)  # 自然人 … 其他: the six columns of table 3
COLUMNS = (*CATEGORIES, "total")
COLUMN_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
# (key, label, indent) in printing order; a key of None is a heading row without figures.
TABLE3_ROWS: tuple[tuple[str | None, str, int], ...] = (
    ("new", "一、本年新收政府信息公开申请数量", 0),
    ("carried_in", "二、上年结转政府信息公开申请数量", 0),
    (None, "三、本年度办理结果", 0),
    ("granted", "（一）予以公开", 1),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    (None, "（三）不予公开", 1),
    ("deny_secret", "1.属于国家秘密", 2),
    ("deny_law", "2.其他法律行政法规禁止公开", 2),
    ("deny_safety", "3.危及“三安全一稳定”", 2),
    ("deny_third_party", "4.保护第三方合法权益", 2),
    ("deny_internal", "5.属于三类内部事务信息", 2),
    ("deny_process", "6.属于四类过程性信息", 2),
    ("deny_case_file", "7.属于行政执法案卷", 2),
    ("deny_query", "8.属于行政查询事项", 2),
    (None, "（四）无法提供", 1),
    ("na_not_held", "1.本机关不掌握相关政府信息", 2),
    ("na_need_create", "2.没有现成信息需要另行制作", 2),
    ("na_unclear", "3.补正后申请内容仍不明确", 2),
    (None, "（五）不予处理", 1),
    ("np_petition", "1.信访举报投诉类申请", 2),
    ("np_repeat", "2.重复申请", 2),
    ("np_publication", "3.要求提供公开出版物", 2),
    ("np_mass", "4.无正当理由大量反复申请", 2),
    ("np_confirm", "5.要求行政机关确认或重新出具已获取信息", 2),
    (None, "（六）其他处理", 1),
    ("oth_no_supplement", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("oth_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("oth_other", "3.其他", 2),
    ("total", "（七）总计", 1),
    ("carried_out", "四、结转下年度继续办理", 0),
)
ROW_KEYS = tuple(k for k, _label, _indent in TABLE3_ROWS if k is not None)
OUTCOME_ROWS = ROW_KEYS[2:-2]
ROW_LABELS = {k: label for k, label, _indent in TABLE3_ROWS if k is not None}
# A withdrawn request, or one closed for a reason the format names nowhere, is counted under （六）其他处理 3.其他.
WITHDRAWN_ROW = "oth_other"
# Outcome values per row of table 3 (from correspondence's outcome table).
OUTCOMES_BY_ROW: dict[str, tuple[str, ...]] = {
    row: tuple(o.value for o, info in OUTCOMES.items() if info.report_row == row) for row in OUTCOME_ROWS
}
KNOWN_OUTCOMES = tuple(o.value for o in OUTCOMES)

TABLE2_BLOCKS = (
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (("regulations", "规章"), ("normative_documents", "行政规范性文件")),
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),)),
    ("第二十条第（六）项", ("本年处理决定数量",), (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),)),
)
# The rows of table 2 by key, as the report prints them.
TABLE2_ROW_LABELS = {key: label for _header, _measures, rows in TABLE2_BLOCKS for key, label in rows}
CATALOG_KEYS = {"regulations": "regulation", "normative_documents": "normative"}
CATALOG_MEASURES = ("made", "repealed", "valid")

REMEDY_BLOCKS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
# The blocks of table 4 as the report heads them (行政诉讼 above its two kinds).
REMEDY_BLOCK_LABELS = {
    "reconsideration": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_reconsideration": "复议后起诉",
}
REMEDY_RESULTS = ("upheld", "corrected", "other", "pending")
REMEDY_RESULT_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
SECTION_TITLES = (
    ("overview", "一、总体情况"),
    ("table2", "二、主动公开政府信息情况"),
    ("table3", "三、收到和处理政府信息公开申请情况"),
    ("table4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
TEXT_SECTIONS = ("overview", "problems", "other_matters")

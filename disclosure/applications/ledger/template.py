"""The empty ledger workbook staff download and fill: the Chinese header row the importer looks for, a note on
each column, drop-down lists for the columns with fixed words (kept on a hidden sheet) and a sheet 填写说明."""

from __future__ import annotations

from flask_babel import gettext as _

from disclosure.applications.ledger.columns import COLUMNS, LISTS
from disclosure.core.spreadsheet_templates import template_workbook as spreadsheet_template


def _notes() -> dict[str, str]:
    return {
        "ref": _("Required: the office's own number of the request, unique in your agency (at most 40 characters)."),
        "received": _("Required: the date the request was received (Art. 31), YYYY-MM-DD."),
        "category": _("Required: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构 or 其他."),
        "name": _("Required: the applicant's name (a person or an organisation)."),
        "content": _("Required: the information requested."),
        "replied": _(
            "The date of the reply, YYYY-MM-DD; empty while the request is still open (it is then handled here)."
        ),
        "outcome": _(
            "Required with a reply date: the row of table 3 of the annual report as it prints it after its number "
            "(予以公开, 部分公开, 属于国家秘密, 本机关不掌握相关政府信息, 重复申请, … 其他)."
        ),
        "recon_result": _("结果维持, 结果纠正, 其他结果 or 尚未审结; empty when no reconsideration was applied for."),
        "recon_date": _("Required with a reconsideration: the date it was applied for, YYYY-MM-DD."),
        "lit_kind": _("未经复议直接起诉 or 复议后起诉; empty when no lawsuit was filed."),
        "lit_result": _("Required with a lawsuit: 结果维持, 结果纠正, 其他结果 or 尚未审结."),
        "lit_date": _("Required with a lawsuit: the date it was filed, YYYY-MM-DD."),
    }


def template_workbook() -> bytes:
    # The outcome may also be typed as the row key or the full label: the list suggests without refusing.
    return spreadsheet_template(
        "台账",
        [(header, key) for header, key, _required in COLUMNS],
        _notes(),
        LISTS,
        wide={"content", "outcome"},
        suggest_only={"outcome"},
    )

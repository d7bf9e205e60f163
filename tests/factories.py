"""Factories shared by the tests: objects in the shapes the operations take, and the steps that bring a case or a
record to a given state, so a test says what it needs in one call.

Agencies, staff and applicants come from the fixtures in `tests/conftest.py` (`make_agency`, `make_staff`,
`make_applicant`), which need the database; what is here is plain data or calls the operations.
"""

from __future__ import annotations

import datetime as dt
import io

from disclosure.core.timeutil import today_china

# --- disclosure on request ------------------------------------------------------------------------------------

MINI_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def application_input(**kw):
    from disclosure.applications.operations import ApplicationInput, ItemInput

    data = dict(
        applicant_name="张三",
        doc_type="resident_id",
        doc_number="11010519491231002X",
        phone="13800000000",
        email="zhangsan@example.cn",
        postal_address="测试市幸福路1号",
        items=[ItemInput("2025年道路维修资金使用情况", "测财〔2025〕3号"), ItemInput("道路维修招标文件")],
    )
    data.update(kw)
    return ApplicationInput(**data)


def to_in_handling(world, app):
    from disclosure.applications import operations as ops

    ops.assign(app, world.registrar, department=world.department, handler=world.handler)
    ops.start_handling(app, world.handler)
    return app


def attach(world, app, purpose="redacted", name="招标文件（删除处理后）.pdf", title=""):
    """The handler attaches the information provided or its redacted version (Arts. 36(2), 37)."""
    from disclosure.applications import operations as ops
    from disclosure.applications.uploads import Upload

    return ops.attach_information(app, world.handler, upload=Upload(name, MINI_PDF), purpose=purpose, title=title)


def decide_partial(world, app):
    """Item 1 granted, item 2 partly disclosed, with the redacted version attached."""
    from disclosure.applications import operations as ops

    first, second = app.items
    ops.decide_item(first, world.handler, outcome="granted")
    ops.decide_item(
        second,
        world.handler,
        outcome="partial",
        withheld_parts="投标人报价明细",
        withheld_outcome="deny_third_party",
        reasons="涉及第三方商业秘密",
    )
    attach(world, app)


def issue_partial(world, app):
    """A case decided as `decide_partial`, reviewed by the office and the legal reviewer, and issued."""
    from disclosure.applications import operations as ops

    to_in_handling(world, app)
    decide_partial(world, app)
    ops.draft_reply(app, world.handler)
    ops.submit_for_review(app, world.handler)
    ops.review(app, world.head, stage="office", approve=True, comment="")
    ops.review(app, world.legal, stage="legal", approve=True, comment="")
    return ops.issue(app, world.registrar)


def filing_form(agency, **kw) -> dict:
    """The filing form as a citizen posts it for themselves (one item with its document number)."""
    data = {
        "agency_id": agency.id,
        "applicant_type": "person",
        "applicant_category": "natural_person",
        "applicant_name": "张三",
        "doc_type": "resident_id",
        "doc_number": "11010519491231002X",
        "phone": "13800000000",
        "email": "zs@example.cn",
        "postal_address": "测试市幸福路1号",
        "postal_code": "310000",
        "provision_form": "electronic",
        "delivery_channel": "email",
        "item_1_description": "2025年道路维修资金使用情况",
        "item_1_document_ref": "测财〔2025〕3号",
    }
    data.update(kw)
    return data


# --- double publicity (双公示) ----------------------------------------------------------------------------------

# Real, publicly known credit codes (rules-china §6.1) and identity-number test vectors (§6.2).
REAL_USCC = ["914403001922038216", "91110000100017707H", "9144030071526726XG"]
REAL_IDS = ["11010519491231002X", "440524188001010014"]


# The 双公示 matters the tests publish under (publicity.operations.save_matter's values).
_EVERY_COUNTERPART = ["legal_person", "individual_business", "natural_person"]
LICENSING_MATTER = {
    "kind": "licensing",
    "code": "XK001",
    "name": "食品经营许可",
    "legal_basis": "《食品安全法》第三十五条",
    "counterpart_kinds": _EVERY_COUNTERPART,
    "scope": "public",
    "active": True,
}
PENALTY_MATTER = {
    "kind": "penalty",
    "code": "CF001",
    "name": "违反食品安全规定的处罚",
    "legal_basis": "《食品安全法》第一百二十二条",
    "counterpart_kinds": _EVERY_COUNTERPART,
    "scope": "public",
    "active": True,
}


def penalty_raw(pub, **over) -> dict:
    a = pub.agency
    raw = {
        "CF_XDR_MC": "杭州示例科技有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": REAL_USCC[0],
        "CF_FRDB": "张三",
        "CF_WSH": "杭市监罚〔2026〕1号",
        "CF_WFXW": "销售过期食品",
        "CF_SY": "经查，当事人销售过期食品。",
        "CF_YJ": "《食品安全法》第一百二十四条",
        "CF_CFLB": "警告;罚款",
        "CF_NR": "警告并处罚款2000元",
        "CF_NR_FK": "0.2",
        "CF_JDRQ": (today_china() - dt.timedelta(days=3)).isoformat(),
        "CF_YXQ": "2099-12-31",
        "CF_CFJG": a.full_name,
        "CF_CFJGDM": a.credit_code,
        "CF_SJLY": a.full_name,
        "CF_SJLYDM": a.credit_code,
        "MATTER": "CF001",
    }
    raw.update(over)
    return raw


def licensing_raw(pub, **over) -> dict:
    a = pub.agency
    raw = {
        "XK_XDR_MC": "杭州示例餐饮有限公司",
        "XK_XDR_LB": "法人及非法人组织",
        "XK_XDR_SHXYM": REAL_USCC[1],
        "XK_FRDB": "李四",
        "XK_XKWS": "食品经营许可决定书",
        "XK_WSH": "杭市监许〔2026〕1号",
        "XK_XKLB": "普通",
        "XK_NR": "准予食品经营许可",
        "XK_JDRQ": (today_china() - dt.timedelta(days=2)).isoformat(),
        "XK_YXQZ": (today_china() - dt.timedelta(days=2)).isoformat(),
        "XK_YXQZI": "2031-12-31",
        "XK_XKJG": a.full_name,
        "XK_XKJGDM": a.credit_code,
        "XK_ZT": "1",
        "XK_LYDW": a.full_name,
        "XK_LYDWDM": a.credit_code,
        "MATTER": "XK001",
    }
    raw.update(over)
    return raw


def workbook(rows: list[dict], kind: str = "penalty", *, headers: str = "codes") -> bytes:
    """An XLSX in the national template with the given rows (headers as field codes or Chinese names)."""
    from openpyxl import Workbook

    from disclosure.publicity.fields import BY_CODE, Kind

    fields = BY_CODE[Kind(kind)]
    codes = list(dict.fromkeys(k for r in rows for k in r))
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            (
                fields[c].label
                if headers == "names" and c in fields
                else ("事项名称" if headers == "names" and c == "MATTER" else c)
            )
            for c in codes
        ]
    )
    for r in rows:
        ws.append([r.get(c) for c in codes])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save(pub, raw: dict, kind: str = "penalty", *, publish: bool = True, today=None):
    """Validate and store one record as the form does; returns the record."""
    from disclosure.core.timeutil import today_china
    from disclosure.publicity.fields import Kind
    from disclosure.publicity.operations import save_record
    from disclosure.publicity.rules import load_rules
    from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

    k = Kind(kind)
    result = RecordValidator(
        k, load_rules(), matter_refs(pub.agency.id, k), organs=organ_refs(pub.agency), today=today or today_china()
    ).validate(raw)
    assert result.errors == [], result.errors
    record, _action = save_record(pub.agency, k, result, channel="form", publish=publish)
    return record


def crafted_xlsx(
    cells: list[str] | None = None, *, dimension: str | None = None, sheet_data: str | None = None
) -> bytes:
    """A minimal XLSX written by hand (zipfile and sheet XML), as a hostile sender would: `cells` are references
    holding the text "x" (e.g. ["A1", "XFD1048576"]), or `sheet_data` is the <sheetData> content verbatim."""
    import re
    import zipfile

    if sheet_data is None:
        rows: dict[int, list[str]] = {}
        for ref in cells or []:
            rows.setdefault(int(re.sub(r"^[A-Z]+", "", ref)), []).append(ref)
        sheet_data = "".join(
            f'<row r="{r}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>' for ref in refs) + "</row>"
            for r, refs in sorted(rows.items())
        )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="行政处罚" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}" xmlns:r="{rel}">{dim}'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def run_import(pub, data: bytes, kind: str = "penalty", **kw):
    """Import `data` as the background job does; returns the ImportJob."""
    from disclosure.core.storage import store
    from disclosure.extensions import db
    from disclosure.publicity import importer
    from disclosure.publicity.models import ImportJob

    stored = store(data, original_name="upload.xlsx", content_type="", agency_id=pub.agency.id)
    db.session.flush()
    job = ImportJob(agency_id=pub.agency.id, kind=kind, file_id=stored.id, filename="upload.xlsx", locale="en", **kw)
    db.session.add(job)
    db.session.flush()
    importer.import_file(job, data)
    db.session.commit()
    return job


def error_rows(job) -> tuple[list[list], list[list]]:
    """The error file of an import: its listing of errors and its sheet of refused rows."""
    from openpyxl import load_workbook

    from disclosure.core.storage import StoredFile
    from disclosure.extensions import db

    wb = load_workbook(io.BytesIO(db.session.get(StoredFile, job.error_file_id).read_bytes()))
    return [list(r) for r in wb["错误清单"].iter_rows(values_only=True)][1:], [
        list(r) for r in wb["待修正数据"].iter_rows(values_only=True)
    ]


def form_data(raw: dict, **extra) -> dict:
    """A record's fields as the entry form posts them."""
    data = {f"f_{k}": v for k, v in raw.items() if k != "MATTER" and v is not None}
    if "f_CF_CFLB" in data:
        data["f_CF_CFLB"] = data["f_CF_CFLB"].split(";")
    data["matter"] = "违反食品安全规定的处罚"
    data["publish"] = "y"
    data.update(extra)
    return data

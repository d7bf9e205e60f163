"""Demo catalogue (issue 11 §6), so that `make run` shows a living disclosure platform: for each demo agency entries
in several Art. 20 categories, themes and genres taken through the real workflow by the demo staff (the editor
drafts, the disclosure office confirms the attribute, the secrecy reviewer passes it, the legal reviewer records the
legality review of normative documents, the office head publishes or records), on days spread over 2025–2026 so
the Art. 26 queue shows entries published on time and late, and drafts overdue and due soon.

The first agency also gets a normative document repealed by a later one (`validity.repeal`), one expired at the end
of its validity period (`validity.apply_due_changes`), interpretations (one published with its document, one more
than 3 working days late), a joint document with the second agency, a 不予公开 entry recorded but never public, an
attachment (a real PDF with text, read by the worker after the commit), the disclosure guide (from the agency's
statutory content, `profile.save_profile`) and a cleanup with its published result list. Everything goes through
the operations, so index numbers, versions, validity histories and the audit trail are the real ones.

Idempotent: an agency whose catalogue already holds the demo's first document number gets nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.accounts.roles import Role
from disclosure.catalog.models import Entry, Genre, Theme
from disclosure.catalog.operations import cleanups, interpretations, validity
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations.attachments import Upload, add_attachments
from disclosure.catalog.operations.profile import save_profile
from disclosure.catalog.seeds import ensure_classifications
from disclosure.core.docnumbers import normalise_document_number
from disclosure.core.timeutil import today_china
from disclosure.correspondence import RendererUnavailable, render_document_pdf
from disclosure.extensions import db

# A one-page PDF (no text) for when the PDF renderer is not installed.
_BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def on_demo_data(app, *, objects) -> None:
    """`signals.demo_data`: the demo loader asks every package for its examples."""
    load(objects)


def load(objects: dict) -> None:
    ensure_classifications(db.session)  # a database emptied by hand (or a test) has no themes and genres yet
    gov, finance = objects["agencies"][:2]
    today = today_china()
    if not _has(gov, GOV_FIRST_NUMBER):
        _gov_catalogue(_Desk(gov, today), finance)
    if not _has(finance, FINANCE_FIRST_NUMBER):
        _finance_catalogue(_Desk(finance, today))
    db.session.flush()


def _has(agency: Agency, number: str) -> bool:
    return ops.duplicate_document_number(agency.id, normalise_document_number(number)) is not None


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def _day(year: int, month: int, day: int, today: dt.date) -> dt.date:
    """A fixed demo day, never after today (the operations refuse dates in the future)."""
    return min(dt.date(year, month, day), today)


@dataclass
class _Desk:
    """One agency's demo staff and the steps of an entry's path."""

    agency: Agency
    today: dt.date
    staff: dict = field(default_factory=dict)

    def __post_init__(self):
        for role in (
            Role.CATALOG_EDITOR,
            Role.REGISTRAR,
            Role.SECRECY_REVIEWER,
            Role.LEGAL_REVIEWER,
            Role.OFFICE_HEAD,
            Role.AGENCY_ADMIN,
        ):
            email = f"{role.value.replace('_', '-')}@{self.agency.slug}.example.cn"
            self.staff[role] = db.session.execute(select(User).where(User.email == email)).scalar_one()

    def theme(self, name: str, parent: str) -> str:
        top = db.session.execute(select(Theme).where(Theme.name == parent, Theme.parent_id.is_(None))).scalar_one()
        return str(
            db.session.execute(select(Theme.id).where(Theme.name == name, Theme.parent_id == top.id)).scalar_one()
        )

    def genre(self, name: str) -> str:
        return str(db.session.execute(select(Genre.id).where(Genre.name == name)).scalar_one())

    def draft(self, data: dict) -> Entry:
        return ops.create_entry(self.agency, data, actor=self.staff[Role.CATALOG_EDITOR])

    def review(self, entry: Entry, on: dt.date, *, upto: str = "approval") -> Entry:
        """Submit, confirm the attribute, pass the secrecy review (and record the legality review), each on `on`."""
        ops.act(entry, "submit", actor=self.staff[Role.CATALOG_EDITOR], today=on)
        if upto == "attribute_review":
            return entry
        ops.act(entry, "confirm_attribute", actor=self.staff[Role.REGISTRAR], today=on)
        if upto == "secrecy_review":
            return entry
        ops.act(entry, "pass_secrecy", actor=self.staff[Role.SECRECY_REVIEWER], today=on)
        if entry.kind.normative:
            legal = self.staff[Role.LEGAL_REVIEWER]
            ops.record_legality_review(
                entry,
                actor=legal,
                reviewer_name=f"法规科 {legal.name}",
                reviewed_on=min(on, self.today),
                opinion="经审核，该文件制定主体合法，内容未超越法定权限，未违法减损公民、法人和其他组织合法权益，同意印发。",
            )
        return entry

    def publish(self, data: dict, on: dt.date) -> Entry:
        """Drafted and taken through every step to publication (or to the record, when not 主动公开) on `on`."""
        entry = self.review(self.draft(data), on)
        trigger = "publish" if entry.attribute == "proactive" else "record"
        return ops.act(entry, trigger, actor=self.staff[Role.OFFICE_HEAD], today=on)


def _document(desk: _Desk, **kw) -> dict:
    data = {"doc_kind": "other", "attribute": "proactive"}
    data.update(kw)
    for key in ("made_on", "in_force_on", "valid_until"):
        if isinstance(data.get(key), dt.date):
            data[key] = data[key].isoformat()
    return data


def _statistics_pdf(title: str, lines: list[str]) -> bytes:
    """The bulletin as a PDF with its text, from the letters' renderer (a blank page without it)."""
    body = "".join(f"<p>{line}</p>" for line in lines)
    try:
        return render_document_pdf(f"<html lang='zh-CN'><body><h1>{title}</h1>{body}</body></html>", "proof_of_service")
    except (RendererUnavailable, OSError):
        return _BLANK_PDF


# --- 示例市人民政府办公室 ------------------------------------------------------------------------------------------

GOV_FIRST_NUMBER = "示政办规〔2025〕3号"


def _gov_catalogue(desk: _Desk, finance: Agency) -> None:
    t = desk.today
    head = desk.staff[Role.OFFICE_HEAD]

    # A normative document, repealed a year later by the document that replaces it.
    trial = desk.publish(
        _document(
            desk,
            title="示例市城市道路占用挖掘管理办法（试行）",
            document_number=GOV_FIRST_NUMBER,
            summary="规范城市道路占用、挖掘的审批和监督管理。",
            made_on=_day(2025, 3, 3, t),
            in_force_on=_day(2025, 4, 1, t),
            category="art20_1",
            doc_kind="normative",
            provisional="1",
            theme_id=desk.theme("城乡建设（含住房）", "城乡建设、环境保护"),
            genre_id=desk.genre("通知"),
            keywords="道路挖掘,占道",
            registration_number="SZBG-2025-003",
            body_html=_paragraphs(
                "第一条 为加强城市道路管理，保障城市道路完好和交通安全，"
                "根据《城市道路管理条例》，结合本市实际，制定本办法。",
                "第二条 本市建成区内占用、挖掘城市道路的审批和监督管理，适用本办法。",
                "第三条 因特殊情况需要临时占用、挖掘城市道路的，应当向市城市管理部门提出申请，经批准后方可实施。",
            ),
        ),
        _day(2025, 3, 14, t),
    )
    current = desk.publish(
        _document(
            desk,
            title="示例市城市道路占用挖掘管理办法",
            document_number="示政办规〔2026〕2号",
            summary="总结试行经验，完善城市道路占用挖掘的审批、恢复和信用管理。",
            made_on=_day(2026, 3, 16, t),
            in_force_on=_day(2026, 4, 15, t),
            category="art20_1",
            doc_kind="normative",
            theme_id=desk.theme("城乡建设（含住房）", "城乡建设、环境保护"),
            genre_id=desk.genre("通知"),
            keywords="道路挖掘,占道,信用管理",
            registration_number="SZBG-2026-002",
            body_html=_paragraphs(
                "第一条 为加强城市道路管理，规范占用、挖掘城市道路行为，根据《城市道路管理条例》等规定，制定本办法。",
                "第二十八条 本办法自2026年4月15日起施行。《示例市城市道路占用挖掘管理办法（试行）》"
                "（示政办规〔2025〕3号）同时废止。",
            ),
        ),
        _day(2026, 3, 27, t),
    )
    validity.repeal(trial, by=current, effective_on=current.in_force_on, reason="被新办法替代", actor=head, today=t)
    # Its interpretation, published late: more than 3 working days after the document.
    late = desk.publish(
        _document(
            desk,
            entry_type="interpretation",
            title="《示例市城市道路占用挖掘管理办法》政策解读",
            summary="解读新办法的起草背景、主要内容和与试行办法相比的变化。",
            made_on=_day(2026, 3, 16, t),
            category="art20_1",
            interpretation_form="text",
            interpreter="示例市人民政府办公室 法规科",
            interpreter_contact="0571-12345678",
            theme_id=desk.theme("城乡建设（含住房）", "城乡建设、环境保护"),
            genre_id=desk.genre("政策解读"),
            body_html=_paragraphs(
                "一、起草背景：试行办法实施一年来，道路挖掘审批时间明显缩短，但恢复质量和信用约束仍需加强。",
                "二、主要变化：新增挖掘修复质量保证期和信用管理规定，明确联合审批时限为5个工作日。",
            ),
        ),
        _day(2026, 4, 14, t),
    )
    interpretations.link_interpretation(late, current, actor=desk.staff[Role.CATALOG_EDITOR])

    # A provisional document whose validity period ended: expired by the daily sweep.
    desk.publish(
        _document(
            desk,
            title="示例市老旧小区改造专项资金管理暂行办法",
            document_number="示政办规〔2025〕1号",
            summary="老旧小区改造专项资金的使用范围、拨付程序和监督管理。",
            made_on=_day(2025, 1, 13, t),
            in_force_on=_day(2025, 2, 1, t),
            valid_until=_day(2026, 1, 31, t - dt.timedelta(days=1)),
            category="art20_1",
            doc_kind="normative",
            provisional="1",
            theme_id=desk.theme("城乡建设（含住房）", "城乡建设、环境保护"),
            genre_id=desk.genre("通知"),
            keywords="老旧小区,专项资金",
            body_html=_paragraphs(
                "第一条 为规范老旧小区改造专项资金管理，提高资金使用效益，制定本办法。",
                "第十八条 本办法自2025年2月1日起施行，有效期至2026年1月31日。",
            ),
        ),
        _day(2025, 1, 22, t),
    )
    validity.apply_due_changes(t)

    # A normative document with its interpretation drafted, approved and published together (同步发布).
    parking = desk.publish(
        _document(
            desk,
            title="示例市机动车停车场管理规定",
            document_number="示政办规〔2025〕9号",
            summary="停车场规划建设、经营服务和收费管理。",
            made_on=_day(2025, 9, 8, t),
            in_force_on=_day(2025, 10, 1, t),
            category="art20_1",
            doc_kind="normative",
            theme_id=desk.theme("公路", "工业、交通"),
            genre_id=desk.genre("通知"),
            keywords="停车场,停车收费",
            body_html=_paragraphs(
                "第一条 为加强机动车停车场管理，缓解停车难问题，制定本规定。",
                "第二条 本市行政区域内机动车停车场的规划、建设、经营和管理，适用本规定。",
            ),
        ),
        _day(2025, 9, 19, t),
    )
    prompt = desk.publish(
        _document(
            desk,
            entry_type="interpretation",
            title="图解：《示例市机动车停车场管理规定》",
            summary="以图解形式说明停车场备案、收费公示和投诉渠道。",
            made_on=_day(2025, 9, 8, t),
            category="art20_1",
            interpretation_form="graphic",
            interpreter="示例市人民政府办公室 综合科",
            theme_id=desk.theme("公路", "工业、交通"),
            genre_id=desk.genre("政策解读"),
            body_html=_paragraphs("一图读懂停车场备案、收费公示和投诉渠道。"),
        ),
        _day(2025, 9, 19, t),
    )
    interpretations.link_interpretation(prompt, parking, actor=desk.staff[Role.CATALOG_EDITOR])

    # Entries in other Art. 20 categories: on time, late.
    bulletin_lines = [
        "2025年全市地区生产总值1256.8亿元，按不变价格计算，比上年增长5.6%。",
        "全年一般公共预算收入98.7亿元，增长4.1%；城镇居民人均可支配收入68215元，增长5.0%。",
    ]
    bulletin = desk.draft(
        _document(
            desk,
            title="2025年示例市国民经济和社会发展统计公报",
            summary="2025年全市经济社会发展主要指标。",
            made_on=_day(2026, 3, 2, t),
            category="art20_4",
            theme_id=desk.theme("统计", "国民经济管理、国有资产监管"),
            genre_id=desk.genre("公报"),
            keywords="统计公报,地区生产总值",
            body_html=_paragraphs(*bulletin_lines),
        )
    )
    add_attachments(
        bulletin,
        [
            Upload(
                data=_statistics_pdf("2025年示例市国民经济和社会发展统计公报", bulletin_lines),
                filename="2025年统计公报.pdf",
                content_type="application/pdf",
            )
        ],
        {"role": "original", "title": "2025年示例市国民经济和社会发展统计公报（全文）"},
        actor=desk.staff[Role.CATALOG_EDITOR],
    )
    desk.review(bulletin, _day(2026, 3, 18, t))
    ops.act(bulletin, "publish", actor=head, today=_day(2026, 3, 18, t))
    desk.publish(
        _document(
            desk,
            title="示例市突发事件总体应急预案",
            document_number="示政办发〔2025〕21号",
            summary="突发事件的分级、预警、应急响应和保障措施。",
            made_on=_day(2025, 6, 3, t),
            category="art20_12",
            theme_id=desk.theme("应急管理", "综合政务"),
            genre_id=desk.genre("通知"),
            keywords="应急预案",
            body_html=_paragraphs(
                "为提高政府保障公共安全和处置突发事件的能力，最大程度地预防和减少突发事件及其造成的损害，制定本预案。",
                "本预案适用于本市行政区域内自然灾害、事故灾难、公共卫生事件和社会安全事件的应对工作。",
            ),
        ),
        _day(2025, 8, 15, t),  # late: more than 20 working days after it was made (Art. 26)
    )
    desk.publish(
        _document(
            desk,
            title="示例市人民政府办公室2026年公开招聘事业单位工作人员公告",
            summary="招聘岗位、人数、条件和报名方式。",
            made_on=_day(2026, 5, 11, t),
            category="art20_14",
            theme_id=desk.theme("人事工作", "劳动、人事、监察"),
            genre_id=desk.genre("公告"),
            keywords="公开招聘,事业单位",
            body_html=_paragraphs(
                "根据工作需要，经研究决定，面向社会公开招聘事业单位工作人员6名。",
                "报名时间：2026年5月20日至5月26日。报名方式：网上报名。",
            ),
        ),
        _day(2026, 5, 13, t),
    )
    # A joint document with the finance bureau: it shows in both catalogues.
    desk.publish(
        _document(
            desk,
            title="示例市人民政府办公室 示例市财政局关于进一步加强政府性债务管理的通知",
            document_number="示政办发〔2026〕12号",
            summary="规范政府举债融资行为，防范化解债务风险。",
            made_on=_day(2026, 6, 8, t),
            category="art20_7",
            theme_id=desk.theme("财政", "财政、金融、审计"),
            genre_id=desk.genre("通知"),
            keywords="政府性债务",
            issuer_ids=[finance.id],
            body_html=_paragraphs(
                "各区人民政府，市政府各部门：",
                "为进一步规范政府举债融资行为，有效防范化解政府性债务风险，经市政府同意，现就有关事项通知如下。",
            ),
        ),
        _day(2026, 6, 19, t),
    )
    # 不予公开: in the catalogue with its index number and basis, never public.
    desk.publish(
        _document(
            desk,
            title="示例市2026年防汛抗旱指挥部成员通讯录",
            summary="指挥部成员单位联系人及联系方式。",
            made_on=_day(2026, 4, 1, t),
            category="art20_12",
            attribute="not_disclosed",
            attribute_basis="deny_internal",
            attribute_reason="内部事务信息，仅供成员单位工作联络使用。",
            theme_id=desk.theme("应急管理", "综合政务"),
            genre_id=desk.genre("其他"),
            body_html=_paragraphs("（成员单位联系人名单）"),
        ),
        _day(2026, 4, 3, t),
    )
    # The Art. 26 queue: a draft stuck in the secrecy review (overdue) and one waiting for the office (due soon).
    desk.review(
        desk.draft(
            _document(
                desk,
                title="示例市2026年重点民生实事项目进展情况",
                summary="十项民生实事项目三季度进展。",
                made_on=t - dt.timedelta(days=45),
                category="art20_11",
                theme_id=desk.theme("社会福利", "民政、扶贫、救灾"),
                genre_id=desk.genre("报告"),
                body_html=_paragraphs("截至三季度末，十项民生实事项目累计完成投资32.6亿元。"),
            )
        ),
        t - dt.timedelta(days=40),
        upto="secrecy_review",
    )
    desk.review(
        desk.draft(
            _document(
                desk,
                title="关于做好2027年元旦春节期间有关工作的通知",
                document_number="示政办发〔2026〕38号",
                summary="部署节日期间安全生产、市场供应和值班值守工作。",
                made_on=t - dt.timedelta(days=22),
                category="art20_15",
                theme_id=desk.theme("政务公开", "综合政务"),
                genre_id=desk.genre("通知"),
                body_html=_paragraphs(
                    "各区人民政府，市政府各部门：", "元旦、春节将至，为确保节日期间社会安全稳定，现就有关工作通知如下。"
                ),
            )
        ),
        t - dt.timedelta(days=20),
        upto="attribute_review",
    )

    _guide(desk, functions="贯彻执行市人民政府的决定，负责市政府会议的组织和政务信息、政务公开、督查等工作。")
    _cleanup(desk, continued=current, expired=parking)


def _guide(desk: _Desk, *, functions: str) -> None:
    """The agency's statutory content, whose saving publishes the disclosure guide."""
    save_profile(
        desk.agency,
        {
            "functions_html": f"<p>{functions}</p>",
            "request_office": f"{desk.agency.full_name}政务公开科",
            "leader_1_name": desk.staff[Role.OFFICE_HEAD].name,
            "leader_1_title": "主任",
            "leader_1_duties": "主持全面工作。",
            "point_1_name": "示例市档案馆",
            "point_1_address": "示例市文汇路18号",
            "point_1_phone": "0571-85550001",
            "point_2_name": "示例市图书馆",
            "point_2_address": "示例市学院路66号",
            "point_2_phone": "0571-85550002",
            "guide_paragraphs_html": "<p>申请人也可以通过“示例政务”微信公众号查阅本机关主动公开的政府信息。</p>",
        },
        actor=desk.staff[Role.AGENCY_ADMIN],
    )


def _cleanup(desk: _Desk, *, continued: Entry, expired: Entry) -> None:
    """A cleanup of the valid normative documents: one stays valid, one is declared expired; the result list is
    published and the decisions take effect today."""
    cleanup = cleanups.open_cleanup(
        desk.agency,
        {"title": f"{desk.today.year}年度规范性文件清理", "scope": "periodic"},
        actor=desk.staff[Role.AGENCY_ADMIN],
    )
    legal, head = desk.staff[Role.LEGAL_REVIEWER], desk.staff[Role.OFFICE_HEAD]
    for item in cleanup.items:
        if item.entry_id == expired.id:
            cleanups.decide(item, "expire", "调整对象已消失，停车场管理纳入新修订的地方性法规。", actor=legal)
        else:
            cleanups.decide(item, "continue", "符合上位法规定，继续有效。", actor=legal)
    cleanups.complete(cleanup, actor=legal)
    cleanups.approve(cleanup, actor=head, effective_on=desk.today, today=desk.today)
    cleanups.publish(cleanup, actor=head, today=desk.today)


# --- 示例市财政局 ---------------------------------------------------------------------------------------------------

FINANCE_FIRST_NUMBER = "示财规〔2025〕1号"


def _finance_catalogue(desk: _Desk) -> None:
    t = desk.today
    funds = desk.publish(
        _document(
            desk,
            title="示例市市级财政专项资金管理办法",
            document_number=FINANCE_FIRST_NUMBER,
            summary="市级财政专项资金的设立、分配、使用、绩效和监督。",
            made_on=_day(2025, 4, 7, t),
            in_force_on=_day(2025, 5, 1, t),
            category="art20_1",
            doc_kind="normative",
            theme_id=desk.theme("财政", "财政、金融、审计"),
            genre_id=desk.genre("通知"),
            keywords="专项资金,绩效管理",
            body_html=_paragraphs(
                "第一条 为规范市级财政专项资金管理，提高资金使用绩效，根据《中华人民共和国预算法》等规定，制定本办法。",
                "第二条 本办法所称专项资金，是指市级财政安排、具有专门用途的资金。",
            ),
        ),
        _day(2025, 4, 18, t),
    )
    qa = desk.publish(
        _document(
            desk,
            entry_type="interpretation",
            title="《示例市市级财政专项资金管理办法》问答",
            summary="就专项资金设立条件、绩效评价等问题答问。",
            made_on=_day(2025, 4, 7, t),
            category="art20_1",
            interpretation_form="qa",
            interpreter="示例市财政局 预算处",
            interpreter_contact="0571-87654321",
            theme_id=desk.theme("财政", "财政、金融、审计"),
            genre_id=desk.genre("政策解读"),
            body_html=_paragraphs("问：哪些资金属于专项资金？", "答：市级财政安排、具有专门用途的资金。"),
        ),
        _day(2025, 4, 21, t),
    )
    interpretations.link_interpretation(qa, funds, actor=desk.staff[Role.CATALOG_EDITOR])
    desk.publish(
        _document(
            desk,
            title="示例市2026年市级预算公开说明",
            summary="2026年市级一般公共预算、政府性基金预算和国有资本经营预算。",
            made_on=_day(2026, 2, 2, t),
            category="art20_7",
            theme_id=desk.theme("财政", "财政、金融、审计"),
            genre_id=desk.genre("报告"),
            keywords="预算公开,部门预算",
            body_html=_paragraphs(
                "2026年市级一般公共预算收入安排62.4亿元，支出安排88.9亿元。",
                "“三公”经费预算安排1865万元，比上年下降3.2%。",
            ),
        ),
        _day(2026, 2, 12, t),
    )
    desk.publish(
        _document(
            desk,
            title="示例市2026年政府集中采购目录及标准",
            document_number="示财采〔2026〕3号",
            summary="集中采购机构采购项目、部门集中采购项目和分散采购限额标准。",
            made_on=_day(2026, 1, 5, t),
            category="art20_9",
            theme_id=desk.theme("财政", "财政、金融、审计"),
            genre_id=desk.genre("通知"),
            keywords="政府采购,采购目录",
            body_html=_paragraphs(
                "除集中采购机构采购项目外，各单位采购货物、服务和工程单项或批量金额达到100万元以上的，应当实行分散采购。"
            ),
        ),
        _day(2026, 2, 27, t),  # late
    )
    desk.publish(
        _document(
            desk,
            title="示例市行政事业性收费项目目录（2026年版）",
            summary="全市保留的行政事业性收费项目、依据和标准。",
            made_on=_day(2026, 1, 19, t),
            category="art20_8",
            theme_id=desk.theme("物价", "国民经济管理、国有资产监管"),
            genre_id=desk.genre("公告"),
            keywords="收费目录",
            body_html=_paragraphs("目录之外的行政事业性收费项目，一律不得收取。"),
        ),
        _day(2026, 1, 26, t),
    )
    desk.publish(
        _document(
            desk,
            title="示例市财政局2026年度内部审计工作计划",
            summary="本局2026年度内部审计项目安排。",
            made_on=_day(2026, 1, 12, t),
            category="art20_15",
            attribute="on_request",
            attribute_basis="deny_process",
            attribute_reason="过程性信息，审计结果形成后另行公开。",
            theme_id=desk.theme("审计", "财政、金融、审计"),
            genre_id=desk.genre("计划"),
            body_html=_paragraphs("（年度内部审计项目清单）"),
        ),
        _day(2026, 1, 16, t),
    )
    _guide(
        desk, functions="贯彻执行财政方针政策，拟订全市财政发展规划，负责市级预算编制和执行、政府采购监督管理等工作。"
    )

"""Every letter kind rendered from realistic data: text (pdftotext), fonts (pdffonts), page images."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from disclosure.correspondence import letters, samples
from disclosure.correspondence.kinds import KINDS, LetterKind
from tests.correspondence.conftest import (
    CODE,
    ISSUE_DATE,
    NUMBER,
    flat,
    page_images,
    pdf_fonts,
    pdf_text,
    running_text,
)

REFERENCE_DIR = Path(__file__).parent / "reference"

ORDINARY = (
    "如对本答复不服，可以自收到本答复之日起六十日内向测试市人民政府申请行政复议，"
    "也可以自收到本答复之日起六个月内向测试市上城区人民法院提起行政诉讼。"
)
REFUSED = (
    "如对本答复中不予公开的决定不服，应当先自收到本答复之日起六十日内向测试市人民政府申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
)

EXPECTED = {
    LetterKind.RECEIPT: [
        "政府信息公开申请登记回执",
        "YSQ-2026-000123",
        "2026年3月2日",
        "互联网",
        "第三十三条第二款",
        "2026年3月30日前",
    ],
    LetterKind.SUPPLEMENTATION_NOTICE: [
        "补正通知书",
        "第三十条",
        "一次性告知",
        "1.申请公开的政府信息的名称",
        "2.申请人身份证明",
        "2026年3月20日前",
        "视为放弃申请",
    ],
    LetterKind.EXTENSION_NOTICE: [
        "延期答复告知书",
        "第三十三条第二款",
        "延长二十个工作日",
        "2026年4月28日前",
        "政府信息公开工作机构负责人同意",
    ],
    LetterKind.THIRD_PARTY_CONSULTATION: ["测试建设工程有限公司：", "第三十二条", "十五个工作日", "2026年3月27日"],
    LetterKind.THIRD_PARTY_DISCLOSURE_NOTICE: [
        "第三十二条",
        "公共利益造成重大影响",
        "合同价款总额",
        "2026年4月10日",
        "如对本决定不服",
    ],
    LetterKind.AGENCY_CONSULTATION: ["测试市财政局：", "第三十四条", "视为同意公开", "2026年3月27日前"],
    LetterKind.FEE_NOTICE: [
        "收费通知书",
        "《中华人民共和国政府信息公开条例》第四十二条",
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第四条、第六条",
        "3,000.00",
        "2026年4月1日前",
        "非税收入",
    ],
    LetterKind.REPLY: [
        "政府信息公开申请答复书",
        "张晓明：",
        "2026年3月9日收到你补正后的申请",
        "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
        "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项",
        "《中华人民共和国政府信息公开条例》第三十七条",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        "你可以向测试市自然资源和规划局（联系方式：测试市人民路2号，电话0571-87000000）提出申请",
        "第三十六条第（四）项",
        REFUSED,
        "对本答复其他内容不服的，可以自收到本答复之日起六十日内向测试市人民政府申请行政复议，"
        "也可以自收到本答复之日起六个月内向测试市上城区人民法院提起行政诉讼。",
        "附件：1.2025年度部门预算执行情况报告",
    ],
    LetterKind.PETITION_NOTICE: [
        "第三十九条第一款",
        "不作为政府信息公开申请处理",
        "测试市信访局",
        "如对本告知不服，可以自收到本告知之日起六十日内向测试市人民政府申请行政复议",
    ],
    LetterKind.PROOF_OF_SERVICE: ["送达回证", "测1公开答〔2026〕12号", "受送达人签名或者盖章", "邮寄（EMS"],
}


def render(kind, agency, context=None, **kw):
    return letters.render_pdf(
        kind,
        agency,
        context or samples.sample_context(kind),
        number=NUMBER,
        verification_code=CODE,
        issue_date=ISSUE_DATE,
        **kw,
    )


@pytest.fixture(scope="module")
def rendered(app):
    from tests.correspondence.conftest import fixed_agency

    with app.test_request_context("/"):
        return {kind: render(kind, fixed_agency()) for kind in LetterKind}


@pytest.mark.parametrize("kind", list(LetterKind))
def test_letter_text(rendered, kind):
    assert "—1—" in flat(pdf_text(rendered[kind]))  # page numbers — 1 —
    text = running_text(rendered[kind])
    assert NUMBER in text
    assert "2026年3月5日" in text  # GB/T 9704 成文日期
    assert "测试市住房和城乡建设局" in text
    assert KINDS[kind].title in text
    assert "验证码：ABCDE-23456" in text and "http://localhost/letters/verify" in text
    for phrase in EXPECTED[kind]:
        assert phrase in text, (kind, phrase)


@pytest.mark.parametrize("kind", list(LetterKind))
def test_fonts_embedded_and_subset(rendered, kind):
    fonts = pdf_fonts(rendered[kind])
    assert fonts
    for f in fonts:
        assert f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes", f
    names = [f["name"].split("+", 1)[-1] for f in fonts]
    # GB/T 9704: the body in a 仿宋 face (the free FandolFang the set-up installs, or a licensed FangSong),
    # titles and page numbers in a 宋 face; Noto CJK only as a fallback for characters Fandol lacks.
    assert any("Fang" in n for n in names), names
    assert any("Song" in n or "Sun" in n for n in names), names


def test_ordinary_remedy_clause_alone(req, fixed):
    from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
    from disclosure.correspondence.outcomes import Outcome

    ctx = ReplyContext(**samples.facts(), items=[ItemOutcome(description="会议纪要", outcome=Outcome.NOT_EXIST)])
    text = running_text(render(LetterKind.REPLY, fixed, ctx))
    assert ORDINARY in text
    assert "应当先" not in text


def test_refusal_only_letter_uses_reconsideration_first(req, fixed):
    text = running_text(render(LetterKind.REPLY, fixed, samples.refusal_reply()))
    assert REFUSED in text
    assert "六个月内" not in text
    assert "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，本机关决定不予公开" in text


def test_pdf_is_pdfa(rendered):
    from pypdf import PdfReader

    for kind, pdf in rendered.items():
        reader = PdfReader(io.BytesIO(pdf))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp, kind
        assert not reader.attachments, kind


def test_two_page_reply_under_300_kb(req, fixed):
    pdf = render(LetterKind.REPLY, fixed, samples.two_page_reply())
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert len(pdf) < 300_000


def test_gbt9704_grid_28_characters_per_line(req, fixed):
    """A line of the body holds 28 characters (GB/T 9704 §7.1): a 56-character paragraph fills exactly 2 lines
    after its 2-character indent and a 54-character one ends on its second line."""
    from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
    from disclosure.correspondence.outcomes import Outcome

    ctx = ReplyContext(**samples.facts(), items=[ItemOutcome(description="国" * 60, outcome=Outcome.NOT_EXIST)])
    text = pdf_text(render(LetterKind.REPLY, fixed, ctx, variant=None), layout=False)
    body_lines = [ln.strip() for ln in text.splitlines() if "国国国国国" in ln]
    assert body_lines and max(len(ln) for ln in body_lines) == 28


@pytest.mark.parametrize("kind", list(LetterKind))
def test_page_image_matches_reference(rendered, kind, tmp_path):
    """Rendering drift beyond a small tolerance fails: a WeasyPrint or font upgrade is a conscious decision.
    Regenerate with UPDATE_LETTER_REFERENCES=1 after checking the new images by eye."""
    page = page_images(rendered[kind], tmp_path)[0]
    ref = REFERENCE_DIR / f"{kind.value}.png"
    if os.environ.get("UPDATE_LETTER_REFERENCES") == "1" or not ref.exists():
        if not ref.exists() and os.environ.get("UPDATE_LETTER_REFERENCES") != "1":
            pytest.fail(f"missing reference image {ref.name}; run with UPDATE_LETTER_REFERENCES=1")
        ref.write_bytes(page.read_bytes())
    got = Image.open(page).convert("L")
    want = Image.open(ref).convert("L")
    assert got.size == want.size
    diff = ImageChops.difference(got, want).point(lambda v: 255 if v > 64 else 0)
    changed = diff.histogram()[255]
    assert changed / (got.width * got.height) < 0.003, f"{kind}: {changed} pixels differ"


def _empty_context(kind):
    """A draft with nothing filled in yet."""
    import dataclasses

    from disclosure.correspondence.contexts import ItemOutcome
    from disclosure.correspondence.outcomes import Outcome

    cls = KINDS[kind].context
    values = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = ""
    ctx = cls(**values)
    if kind is LetterKind.REPLY:
        ctx.items = [ItemOutcome(description="", outcome=o) for o in Outcome]
    if kind is LetterKind.EXTENSION_NOTICE:
        ctx.extension_days = 0
    return ctx


@pytest.mark.parametrize("kind", list(LetterKind))
def test_preview_of_an_unfinished_draft_never_crashes(req, fixed, kind):
    """Staff preview while drafting: missing values render empty; issuing is what refuses them."""
    html = letters.render_html(kind, fixed, _empty_context(kind))
    assert KINDS[kind].title in html
    assert letters.missing_for(kind, fixed, _empty_context(kind))

"""附件说明 (GB/T 9704): a long attachment name continues under the name, after "附件：" or "附件：1.", never back at
the margin (issue 10, Letters)."""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest

from disclosure.correspondence import letters as service
from disclosure.correspondence import samples
from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.outcomes import Outcome
from tests.correspondence.conftest import CODE, ISSUE_DATE, NUMBER

LONG = "测试市幸福路老旧小区改造项目施工合同及其补充协议、工程量清单、竣工验收报告和审计报告（部分公开）"
EM = 16  # 3号 in points


def lines_with_x(pdf: bytes) -> list[tuple[float, str]]:
    """(left edge in points, text) of every line pdftotext finds."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        args = ["pdftotext", "-enc", "UTF-8", "-bbox-layout", fh.name, "-"]
        xml = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S):
        words = re.findall(r">([^<]*)</word>", m.group(2))
        out.append((float(m.group(1)), "".join(words)))
    return out


def render(agency, attachments) -> list[tuple[float, str]]:
    item = ItemOutcome(description="幸福路改造项目施工合同", outcome=Outcome.GRANTED, provision_form="electronic")
    ctx = ReplyContext(**samples.facts(), items=[item], attachments=attachments)
    pdf = service.render_pdf(
        LetterKind.REPLY, agency, ctx, number=NUMBER, verification_code=CODE, issue_date=ISSUE_DATE, variant=None
    )
    return lines_with_x(pdf)


def after(lines, start: str) -> tuple[tuple[float, str], tuple[float, str]]:
    i = next(i for i, (_, text) in enumerate(lines) if text.startswith(start))
    return lines[i], lines[i + 1]


@pytest.mark.parametrize(
    ("attachments", "start", "hang"),
    [
        ([LONG], "附件：测试市", 3),  # the name starts after "附件："
        (["2025年度部门预算执行情况报告", LONG], "2.测试市", 1),  # after "2." (the label's space is blank)
    ],
)
def test_a_long_attachment_name_wraps_under_the_name(req, fixed, attachments, start, hang):
    lines = render(fixed, attachments)
    (x1, first), (x2, rest) = after(lines, start)
    assert LONG.startswith(first[len(start) - 3 :]) or first.endswith(LONG[: len(first) - len(start) + 3])
    assert rest and rest in LONG, rest  # the continuation of the same name
    assert x2 == pytest.approx(x1 + hang * EM, abs=3), (x1, x2)


def test_attachment_names_line_up(req, fixed):
    lines = render(fixed, ["2025年度部门预算执行情况报告", "幸福路改造项目施工合同"])
    (x1, _), _ = after(lines, "附件：1.")
    x2 = next(x for x, text in lines if text.startswith("2.幸福路"))
    assert x2 == pytest.approx(x1 + 3 * EM, abs=3)  # "2." under "1."

"""GB/T 9704 page breaks: the signature block (organ, seal, date) never opens a page without body text above it,
and the contact note and verification line never sit alone on the last page (rules-china §7.2)."""

from __future__ import annotations

import subprocess
import tempfile

import pytest

from disclosure.correspondence import letters, samples
from disclosure.correspondence.contexts import ItemOutcome, ReplyContext
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.outcomes import Outcome
from tests.correspondence.conftest import CODE, ISSUE_DATE, NUMBER, flat

DATE = "2026年3月5日"
# The end of the ordinary remedy clause: the last body paragraph before the closing of a reply.
LAST_BODY_WORDS = "上城区人民法院提起行政诉讼。"


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext page by page), without whitespace."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], check=True, capture_output=True).stdout.decode()
        count = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        out = []
        for n in range(1, count + 1):
            args = ["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), "-raw", fh.name, "-"]
            out.append(flat(subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")))
        return out


def reply_with_lines(n: int) -> ReplyContext:
    """A reply whose body grows by about one line of text per step of `n` (28 characters per line)."""
    return ReplyContext(
        **samples.facts(applicant_is_organisation=False),
        items=[ItemOutcome(description="幸福路改造项目档案" + "第" * (28 * n), outcome=Outcome.NOT_EXIST)],
    )


def render(ctx) -> bytes:
    from tests.correspondence.conftest import fixed_agency

    agency = fixed_agency()
    return letters.render_pdf(
        LetterKind.REPLY, agency, ctx, number=NUMBER, verification_code=CODE, issue_date=ISSUE_DATE, variant=None
    )


@pytest.fixture(scope="module")
def sweep(app):
    """Replies from 1 to 24 extra lines: the closing block crosses the page boundary somewhere in between."""
    with app.test_request_context("/"):
        return {n: pages_text(render(reply_with_lines(n))) for n in range(1, 25)}


def test_the_sweep_crosses_a_page_boundary(sweep):
    assert len({len(pages) for pages in sweep.values()}) >= 2


@pytest.mark.parametrize("n", range(1, 25))
def test_signature_never_opens_a_page(sweep, n):
    pages = sweep[n]
    signed = [text for text in pages if DATE in text]
    assert len(signed) == 1, pages
    page = signed[0]
    # The last body paragraph (at least its last lines) is on the same page, above the organ and the date.
    assert LAST_BODY_WORDS in page, (n, page[:200])
    assert page.index(LAST_BODY_WORDS) < page.rindex(DATE)
    assert page.index("特此答复。") < page.rindex(DATE)


@pytest.mark.parametrize("n", range(1, 25))
def test_contact_and_verification_stay_with_the_signature(sweep, n):
    last = sweep[n][-1]
    assert "验证码：ABCDE-23456" in last
    assert "通讯地址：" in last
    assert DATE in last and LAST_BODY_WORDS in last, (n, last[:200])


def test_proof_of_service_is_one_page(req, fixed):
    """送达回证 is a form the recipient signs: table, note, organ, date and verification line on one sheet."""
    pdf = letters.render_pdf(
        LetterKind.PROOF_OF_SERVICE,
        fixed,
        samples.sample_context(LetterKind.PROOF_OF_SERVICE),
        number=NUMBER,
        verification_code=CODE,
        issue_date=ISSUE_DATE,
        variant=None,
    )
    [page] = pages_text(pdf)
    assert "受送达人签名或者盖章" in page and DATE in page and "验证码：ABCDE-23456" in page

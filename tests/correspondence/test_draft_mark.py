"""A draft or preview PDF carries a visible 草稿 mark on every page; an issued letter never does (issue 10)."""

from __future__ import annotations

import pytest

from disclosure.correspondence import letters as service
from disclosure.correspondence import samples
from disclosure.correspondence.kinds import LetterKind
from tests.correspondence.conftest import CODE, ISSUE_DATE, NUMBER
from tests.correspondence.test_layout import pages_text


def has_mark(page: str) -> bool:
    return "草" in page and "稿" in page  # the mark is drawn diagonally: text extraction may part the characters


@pytest.mark.parametrize("kind", [LetterKind.REPLY, LetterKind.EXTENSION_NOTICE])
def test_draft_pdf_is_marked_on_every_page(req, fixed, kind):
    # As the draft preview renders it (correspondence.views.draft_pdf_response): no number yet, so a draft.
    pages = pages_text(service.render_pdf(kind, fixed, samples.sample_context(kind), variant=None))
    assert pages and all(has_mark(page) for page in pages), pages
    if kind is LetterKind.REPLY:
        assert len(pages) > 1


@pytest.mark.parametrize("kind", [LetterKind.REPLY, LetterKind.EXTENSION_NOTICE])
def test_issued_letter_is_never_marked(req, fixed, kind):
    pdf = service.render_pdf(
        kind, fixed, samples.sample_context(kind), number=NUMBER, verification_code=CODE, issue_date=ISSUE_DATE
    )
    assert not any(has_mark(page) for page in pages_text(pdf))


def test_the_draft_flag_decides(req, fixed):
    ctx = samples.sample_context(LetterKind.EXTENSION_NOTICE)
    assert "草稿" in service.render_html(LetterKind.EXTENSION_NOTICE, fixed, ctx, number=NUMBER, draft=True)
    assert "草稿" not in service.render_html(LetterKind.EXTENSION_NOTICE, fixed, ctx, draft=False)

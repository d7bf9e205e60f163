"""One normalised form of document numbers for the whole project (issue 10)."""

from __future__ import annotations

import pytest

from disclosure.core.docnumbers import normalise_document_number


@pytest.mark.parametrize(
    "typed",
    [
        "示政办罚〔2026〕13号",
        "示政办罚[2026]13号",
        "示政办罚［2026］13号",
        "示政办罚(2026)13号",
        "示政办罚（2026）13号",
        "示政办罚【2026】13号",
        "示政办罚﹝2026﹞13号",
        "示政办罚〖2026〗13号",
        "示政办罚［２０２６］１３号",
        " 示政办罚 [2026] 13号　",
    ],
)
def test_every_bracket_width_and_spacing_gives_the_printed_form(typed):
    assert normalise_document_number(typed) == "示政办罚〔2026〕13号"


def test_nothing_else_changes():
    assert normalise_document_number("ABC许〔2026〕007号") == "ABC许〔2026〕007号"
    assert normalise_document_number("") == ""
    assert normalise_document_number(None) == ""

"""Letter numbers typed into the check and the search are normalised by the project's one function
(core.docnumbers, issue 10): every bracket, any width, stray spaces."""

import pytest

from disclosure.correspondence.letters import format_number, normalise_number


@pytest.mark.parametrize(
    "typed",
    [
        "测1公开[2026]12号",
        "测1公开［2026］12号",
        "测1公开 (2026) 12号",
        "测1公开【２０２６】１２号",
        "测1公开〔2026〕12号",
    ],
)
def test_a_typed_letter_number_reads_as_printed(typed):
    assert normalise_number(typed) == format_number("测1公开", 2026, 12) == "测1公开〔2026〕12号"

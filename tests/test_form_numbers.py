"""disclosure.web.forms.IntegerField: a number beyond 64 bits fails validation beside the field (WTForms' own
IntegerField takes 10^30 and hands it to the database driver: an OverflowError)."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from disclosure.web.forms import IntegerField


class _Form(FlaskForm):
    class Meta:
        csrf = False

    n = IntegerField("n")


@pytest.mark.parametrize("raw", ["9223372036854775808", "-9223372036854775809", "9" * 30])
def test_a_number_beyond_64_bits_is_not_valid(app, raw):
    with app.test_request_context("/"):
        form = _Form(MultiDict({"n": raw}))
        assert not form.validate()
        assert form.n.data is None and form.n.errors


@pytest.mark.parametrize("raw, value", [("9223372036854775807", 2**63 - 1), ("-3", -3), ("0", 0)])
def test_numbers_within_64_bits_pass(app, raw, value):
    with app.test_request_context("/"):
        form = _Form(MultiDict({"n": raw}))
        assert form.validate() and form.n.data == value

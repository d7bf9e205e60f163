"""The deadline calculator answers malformed input with a message beside the field, never a 500."""

from __future__ import annotations

import pytest

from disclosure.accounts.roles import Role


@pytest.mark.parametrize(
    "query",
    [
        "received=%09",
        "received=%20%20",
        "received=%0D%0A",
        "received=2026-13-45",
        "received=2026-03-02&days=9223372036854775808",
        "received=2026-03-02&extension=99999999999999999999",
        "received=2026-03-02&pauses=2026-03-02%09x",
    ],
)
def test_malformed_calculator_input_is_a_message(app, make_agency, make_staff, login, query):
    client = app.test_client()
    login(client, make_staff(make_agency(), roles=[Role.HANDLER]))
    resp = client.get(f"/staff/deadline?{query}")
    assert resp.status_code == 200
    assert "has-error" in resp.text  # the message is beside the field

"""Numbers from the outside (disclosure.web.params): a path id, a query id or a page number beyond 64 bits, or not a
number at all, is a 404 or the default, never an OverflowError or a ValueError in a view."""

from __future__ import annotations

import pytest

from disclosure.accounts.roles import Role
from disclosure.web.params import ID_MAX, INT64_MAX, parse_id, parse_int

# 2^31 is past every id column (INTEGER; PostgreSQL answers a DataError), 2^63 past every integer.
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999999999", "1" * 5000]


@pytest.mark.parametrize("value", HUGE)
def test_a_path_id_beyond_64_bits_matches_no_route(app, make_agency, make_staff, login, value):
    admin = make_staff(make_agency(), roles=[Role.SYS_ADMIN])
    client = app.test_client()
    login(client, admin)
    assert client.get(f"/admin/users/{value}").status_code == 404
    assert client.get(f"/admin/agencies/{value}").status_code == 404


def test_the_int_converter_still_matches_the_largest_id(app):
    adapter = app.url_map.bind("localhost")
    _endpoint, values = adapter.match(f"/admin/users/{ID_MAX}")
    assert values == {"user_id": ID_MAX}


@pytest.mark.parametrize("value", [*HUGE, "-9223372036854775809", "abc", "%09", "1%0D%0A2", "", "1e309"])
def test_page_numbers_beyond_64_bits_or_malformed_are_clamped(app, make_agency, make_staff, login, value):
    admin = make_staff(make_agency(), roles=[Role.SYS_ADMIN])
    client = app.test_client()
    login(client, admin)
    for url in ("/admin/users", "/admin/audit", "/admin/outbox"):
        assert client.get(f"{url}?page={value}").status_code == 200, url


@pytest.mark.parametrize("value", [*HUGE, "-9223372036854775809", "abc", "%09", "0"])
def test_a_query_id_beyond_64_bits_or_malformed_is_ignored(app, make_agency, make_staff, login, value):
    agency = make_agency()
    admin = make_staff(agency, roles=[Role.SYS_ADMIN, Role.AGENCY_ADMIN])
    client = app.test_client()
    login(client, admin)
    assert client.get(f"/admin/letters/settings?agency_id={value}").status_code in (200, 404)


def test_parse_int():
    assert parse_int("42") == 42
    assert parse_int(" 42 ") == 42
    assert parse_int("-1") == -1
    assert parse_int(str(INT64_MAX)) == INT64_MAX
    assert parse_int(str(INT64_MAX + 1)) is None
    for bad in ("", "\t", "1_000", "٣", "1e3", "0x10", "1\r\n2", None, [], True, "9" * 5000):
        assert parse_int(bad) is None, bad
    assert parse_int("5", min=1, max=4) is None
    assert parse_id("0") is None
    assert parse_id("7") == 7
    assert parse_id(str(ID_MAX)) == ID_MAX
    assert parse_id(str(ID_MAX + 1)) is None


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("GET", "/publicity/?q=a%00b", None),
        ("GET", "/letters/verify?number=%00", None),
        ("GET", "/publicity/?a%00=1", None),
        ("POST", "/login", "email=a%00%40example.org&password=x"),
    ],
)
def test_a_nul_anywhere_in_the_request_is_a_400_that_says_so(app, method, url, body):
    """PostgreSQL refuses NUL in text (a DataError, a 500, wherever the text reaches a query)."""
    kw = {"data": body, "content_type": "application/x-www-form-urlencoded"} if body else {}
    resp = app.test_client().open(url, method=method, **kw)
    assert resp.status_code == 400
    assert "NUL" in resp.get_data(as_text=True)

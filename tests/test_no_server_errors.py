"""Every route, with out-of-range and malformed values in each path and query parameter and in form fields: an
error is a message (4xx or a page that says what is wrong), never a 5xx.

As the access matrix walks every route for every role, this walks every route for hostile input: numbers of 2^63
and more (OverflowError in the database driver), ids that are not numbers, tabs and line breaks, lone surrogates,
LIKE wildcards, NUL. The parameter names come from the code itself (every `request.args` / `request.form` read and every
form field), so a new route or field is walked without editing this test.

Three passes per route and role: hostile values in each path variable; each hostile value in every parameter at once
(and, on a failure, in one parameter at a time, to name the culprit); and, because one refused field can hide a
crash in another (the form fails validation before the crashing field is used), the fields of the route's own page
one at a time. Query and form values are sent only as the roles the view's access policy lets in (the others are
turned away before the view reads a parameter); the JSON API is walked with a token of every scope, with hostile
JSON bodies besides.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin

from disclosure.accounts.roles import Role
from disclosure.api import issue_token
from disclosure.api.models import SCOPES
from disclosure.extensions import db

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"static", "openapi.spec", "accounts.logout"}
# Percent-encoded as a browser or an attacker sends them.
HOSTILE = [
    "9223372036854775808",  # 2^63: one past the largest 64-bit integer
    "99999999999999999999999999",
    "-9223372036854775809",
    "abc",
    "%09",  # a tab
    "1%0D%0A2",  # a line break
    "%25_%25",  # LIKE wildcards
    "%ED%A0%80",  # a lone surrogate, as bytes that are not UTF-8
    "%00",
    "1e309",
    "",
]
PATH_VALUES = {
    "int": ["9223372036854775808", "99999999999999999999999999", "0"],
    "default": ["%09", "%25_%25", "..%2F..%2Fetc", "%ED%A0%80", "%00", "x" * 300],
    "path": ["a/%09/b", "x" * 300],
}
# One at a time in each field of the route's own page, the values that pass one parser and break the next: a number
# beyond 64 bits (int), blanks (a required field satisfied by a tab, then int("\t") or a date of None), a number that
# overflows a float or a database numeric.
FIELD_VALUES = ["9223372036854775808", "%09", "1e309"]
JSON_BODIES = [
    b'{"records": [{"a": NaN}], "items": [{"description": Infinity}]}',
    b'{"applicant": {"name": "\\ud800"}, "records": [{"a": "\\udfff"}]}',
    b'{"records": [{"a": "x\\u0000"}]}',
    b'{"a": 1e309}',
    b"[" * 5000 + b"]" * 5000,
    b'{"records": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
    b'{"a": "\xed\xa0\x80"}',
    b'{"a": ' + b"9" * 5000 + b"}",
    b'{"records": [{"a": {"b": []}}], "applicant": {"name": {"x": 1}}, "items": [[]]}',
    b"",
    b"null",
]


def _parameter_names() -> list[str]:
    names: set[str] = set()
    for path in (ROOT / "disclosure").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"request\.(?:args|form|values)\.(?:get|getlist)\(\s*[\"'](\w+)", text))
        if path.name.startswith("forms") or "forms" in path.parts:
            names.update(re.findall(r"^\s+(\w+)\s*=\s*\w*Field\(", text, flags=re.M))
    return sorted(names - {"csrf_token"})


PARAMS = _parameter_names()


def _urls(rule) -> list[str]:
    parts = re.split(r"(<(?:(?:\w+)(?:\([^)]*\))?:)?\w+>)", rule.rule)
    variables = [p for p in parts if p.startswith("<")]
    if not variables:
        return [rule.rule]

    def converter(var: str) -> str:
        m = re.match(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", var)
        return m.group(1) if m and m.group(1) in PATH_VALUES else "default"

    urls = []
    for var in variables:  # one hostile value at a time in each path variable, the others ordinary
        for value in PATH_VALUES[converter(var)]:
            url = "".join(
                value if p == var else ("1" if converter(p) == "int" else "x") if p.startswith("<") else p
                for p in parts
            )
            urls.append(url)
    return urls


@pytest.fixture
def walkers(app, make_agency, make_staff, make_applicant, login):
    """name -> (client, user); "api" carries a bearer token of every scope (user None: API views have no policy)."""
    agency = make_agency()
    out = {"anonymous": (app.test_client(), AnonymousUserMixin())}
    staff = make_staff(agency, roles=[r for r in Role if r is not Role.SYS_ADMIN])
    admin = make_staff(agency, roles=[Role.SYS_ADMIN])
    applicant = make_applicant()
    for name, user in (("staff", staff), ("sys_admin", admin), ("applicant", applicant)):
        c = app.test_client()
        login(c, user)
        out[name] = (c, user)
    _token, secret = issue_token(agency, name="walker", scopes=list(SCOPES))
    db.session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    out["api"] = (api, None)
    return out


def _lets_in(app, rule, who: str, user) -> bool:
    """Does the view's access policy let this walker in (so that it reads its parameters)?"""
    policy = getattr(app.view_functions[rule.endpoint], "access_policy", None)
    if policy is None:  # the JSON API: a bearer token, no policy
        return who == "api"
    return who != "api" and policy.allows(user)


def _page_fields(client, url: str) -> list[str]:
    """The names of the fields of the page at `url`, as this walker sees it."""
    with client.open(url, method="GET") as resp:
        if resp.status_code != 200 or not resp.mimetype.endswith("html"):
            return []
        names = re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"(\w+)\"", resp.get_data(as_text=True))
    return sorted(set(names) - {"csrf_token"})


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_no_route_answers_hostile_input_with_a_server_error(app, walkers):
    problems: list[str] = []

    def failure(client, method, url, body=None, content_type="application/x-www-form-urlencoded") -> str | None:
        """What went wrong (a status of 500 or more, or the exception the app did not handle), or None."""
        kw = {"data": body, "content_type": content_type} if body is not None else {}
        try:
            with client.open(url, method=method, **kw) as resp:
                return f"{resp.status_code}" if resp.status_code >= 500 else None
        except Exception as exc:  # the test client re-raises what the app did not handle
            return f"{type(exc).__name__}: {str(exc)[:100]}"

    def send(client, method, url, pairs) -> str | None:
        encoded = "&".join(f"{name}={value}" for name, value in pairs)
        if method == "GET":
            return failure(client, method, f"{url}?{encoded}")
        return failure(client, method, url, encoded)

    def query_or_form(client, who, method, url, value) -> None:
        """All parameters at once; on a failure, one at a time, to name each culprit."""
        if not send(client, method, url, [(name, value) for name in PARAMS]):
            return
        culprits = [(name, why) for name in PARAMS if (why := send(client, method, url, [(name, value)]))]
        problems.extend(f"{who} {method} {url} {name}={value}: {why}" for name, why in culprits)
        if not culprits:
            problems.append(f"{who} {method} {url} (several parameters)={value}")

    fields: dict[tuple[str, str], list[str]] = {}
    for rule, method in _routes(app):
        for who, (client, user) in walkers.items():
            lets_in = _lets_in(app, rule, who, user)
            if lets_in or who == "anonymous":  # a refused user is turned away alike; anonymous, to a login URL
                for url in _urls(rule):
                    if why := failure(client, method, url, "" if method != "GET" else None):
                        problems.append(f"{who} {method} {url}: {why}")
            if not lets_in:
                continue  # turned away before the view reads a parameter
            url = re.sub(r"<(?:int(?:\([^)]*\))?:)\w+>", "1", rule.rule)  # ordinary values in the path
            url = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?\w+>", "x", url)
            for value in HOSTILE:
                query_or_form(client, who, method, url, value)
            if who == "api" and method != "GET":
                for body in JSON_BODIES:
                    if why := failure(client, method, url, body, "application/json"):
                        problems.append(f"{who} {method} {url} JSON {body[:40]!r}: {why}")
            # The page's own fields one at a time, sent as its form sends them (POST when the route takes it): a
            # field refused by validation must not hide one that crashes.
            if "GET" not in rule.methods or method != ("POST" if "POST" in rule.methods else "GET"):
                continue
            if (who, url) not in fields:
                fields[who, url] = _page_fields(client, url)
            for name in fields[who, url]:
                for value in FIELD_VALUES:
                    if why := send(client, method, url, [(name, value)]):
                        problems.append(f"{who} {method} {url} {name}={value} (alone): {why}")
    assert not problems, f"{len(problems)} server errors:\n" + "\n".join(problems[:150])

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
JSON bodies besides. The revoke route is walked with a decoy token's id, never the walker's (its token would answer
401 to every API route walked after it); each walk ends by checking that the walker's token still opens the API, and
that every logged-in walker is still let in, its account as the walk found it (active, roles, agency, department,
session): a walker deactivated, demoted or logged out by a route it walked would walk every route after it turned
away, reaching fewer views without a failure. The user form is posted for the staff walker's own user (the real
`user_id`, and the placeholder 1): the app refuses to disable one's own account, and the form keeps its own roles and
its ticked "active" whichever single field is hostile, but it would let an administrator drop their own roles.

Placeholder ids (1, x) reach only the "not found" answer of a route that loads an object, so the walk is repeated on
real objects: application cases in several states (a draft, sent, received, in handling with a file, in the office
review, issued with its reply and a remedy), their letters and files, a publicity record, a user, an agency, an API
token, an outbox message, a calendar year and a day fixed in it, a kind of consultation, a catalogue entry. Every
route whose path variables all name a seeded object (`REAL`) is walked with their real values, as the first walker
its policy lets in, and every form on those pages is posted to its own target with its own values and one field at a
time hostile, so the forms on a case (its actions), a letter, a record or a user are reached too. A package adds its
objects to `REAL` (and seeds them in `real_objects`, tests/hostile/conftest.py) to be walked this deep.

The routes are dealt into `SHARDS` shards (sorted, round-robin), each walked by its own file,
tests/hostile/test_walk_<k>.py: pytest-xdist hands whole files to its workers (`--dist loadfile`,
scripts/run-tests.sh), so the walk is spread over them instead of keeping one worker busy for minutes. Each shard
starts from the same rows: its walkers, the rows the migrations seed (the catalogue's themes and genres, the
publicity defaults, the kinds of consultation; otherwise they would exist only after a route that seeds them, such
as the kinds' list) and, for the real walk, its objects; so no shard depends on another's routes having run before
it. A form that shows on pages of several shards is walked in each (within a shard, once).
tests/hostile/test_shards.py checks that the shards partition the routes.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"static", "openapi.spec", "accounts.logout"}
# Percent-encoded as a browser or an attacker sends them.
HOSTILE = [
    "2147483648",  # 2^31: one past the largest id (INTEGER columns; PostgreSQL refuses it)
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
    "int": ["2147483648", "9223372036854775808", "99999999999999999999999999", "0"],
    "default": ["%09", "%25_%25", "..%2F..%2Fetc", "%ED%A0%80", "%00", "x" * 300],
    "path": ["a/%09/b", "x" * 300],
}
# One at a time in each field of the route's own page, the values that pass one parser and break the next: a number
# beyond 64 bits (int), blanks (a required field satisfied by a tab, then int("\t") or a date of None), a number that
# overflows a float or a database numeric.
FIELD_VALUES = ["2147483648", "9223372036854775808", "%09", "1e309"]
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


# The shards of the walk: a test file each (tests/hostile/test_walk_<k>.py), so that they can run on different
# workers. Six: the longest takes about a quarter of the whole walk (the routes' costs are uneven), so that the walk
# no longer decides when a pass ends.
SHARDS = 6
# The walker's API token and a decoy issued before it (tests/hostile/conftest.py): the revoke route is walked with the
# decoy's id (the placeholder 1 and the real `token_id`), never with the walker's.
WALKER_TOKEN, DECOY_TOKEN = "walker", "decoy"
# A route that answers 401 without a valid token and 404 with one (no such application).
API_PROBE = "/api/v1/applications/none-such"
# The staff's page of a case: the shard that walks it checks that the case's own forms (its actions) were reached.
CASE_PAGE = "applications_staff.case"


def _shard_of(app) -> dict[tuple[str, str], int]:
    """(rule, endpoint) -> shard: the routes sorted and dealt round-robin, so that neighbours (the routes of one
    object, which the real walk visits once per seeded object) land in different shards."""
    keys = sorted({(rule.rule, rule.endpoint) for rule in app.url_map.iter_rules() if rule.endpoint not in SKIP})
    return {key: i % SHARDS for i, key in enumerate(keys)}


def shard_routes(app, shard: int):
    """The (rule, method) pairs of one shard, in the order of `_routes`."""
    shard_of = _shard_of(app)
    return [(rule, method) for rule, method in _routes(app) if shard_of[rule.rule, rule.endpoint] == shard]


def api_token_refused(app, walkers) -> str | None:
    """Why the walker's API token no longer opens the API after a walk (revoked or otherwise disabled by a route it
    walked, so that every API request after it answered 401 and never reached its view), or None."""
    from disclosure.api.models import ApiToken
    from disclosure.extensions import db

    with app.test_client().open(API_PROBE) as resp:
        if resp.status_code != 401:  # the probe must tell a valid token from none
            return f"the probe {API_PROBE} answers {resp.status_code} without a token, not 401"
    with walkers["api"][0].open(API_PROBE) as resp:
        if resp.status_code == 401:
            tokens = db.session.execute(db.select(ApiToken).where(ApiToken.name == WALKER_TOKEN)).scalars().all()
            return f"the walker's API token is refused after the walk: {[(t.id, t.revoked_at) for t in tokens]}"
    return None


# A page each logged-in walker is let into (by its kind and roles), and that turns away anyone logged out.
ACCOUNT_PROBES = {"staff": "/admin/users", "sys_admin": "/admin/users", "applicant": "/profile"}


def walker_accounts(walkers) -> dict[str, dict]:
    """Each logged-in walker's account as the database holds it: what decides whether its session still lets it in
    and where (active, kind, roles, agency, department, and the session generation that a deactivation, a password
    change or a logout renews)."""
    from disclosure.accounts.models import User
    from disclosure.extensions import db

    db.session.commit()  # read fresh rows, as the requests left them
    out = {}
    for who in ACCOUNT_PROBES:
        user = db.session.get(User, walkers[who][1].id)
        out[who] = {
            "id": user.id,
            "active": user.active,
            "kind": user.kind,
            "roles": sorted(r.value for r in user.roles),
            "agency_id": user.agency_id,
            "department_id": user.department_id,
            "session_token": user.session_token,
        }
    return out


def accounts_changed(app, walkers, before: dict[str, dict]) -> list[str]:
    """How a walk changed its walkers' accounts (deactivated, demoted, moved, logged out by a route it walked, so that
    every route after it was walked with fewer rights or logged out, silently reaching fewer views): [] if not."""
    problems = []
    after = walker_accounts(walkers)
    for who, state in before.items():
        if changed := {k: (v, after[who][k]) for k, v in state.items() if after[who][k] != v}:
            problems.append(f"the {who} walker's account was changed by the walk (before, after): {changed}")
        probe = ACCOUNT_PROBES[who]
        with app.test_client().open(probe) as resp:  # the probe must tell a walker from someone logged out
            if resp.status_code == 200:
                problems.append(f"the probe {probe} answers 200 to someone logged out")
        with walkers[who][0].open(probe) as resp:
            if resp.status_code != 200:
                problems.append(f"the {who} walker is not let in after the walk: {probe} answers {resp.status_code}")
    return problems


def walk_placeholders(app, walkers, shard: int) -> None:
    """The placeholder walk of one shard's routes: every walker, hostile values in the path, the parameters and the
    page's own fields."""
    problems: list[str] = []
    accounts = walker_accounts(walkers)

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
    for rule, method in shard_routes(app, shard):
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
    if why := api_token_refused(app, walkers):
        problems.append(why)
    problems.extend(accounts_changed(app, walkers, accounts))
    _assert_none(problems, shard)


def _assert_none(problems: list[str], shard: int) -> None:
    """Fail with every problem the walk found: server errors and unhandled exceptions (each naming its request),
    a walker's API token refused, a walker's account changed."""
    assert not problems, f"{len(problems)} problems (shard {shard}):\n" + "\n".join(problems[:150])


# --- The walk on real objects --------------------------------------------------------------------------------

# The path variables a seeded object gives a real value to. Variables that belong together (a case, its letter, its
# file) come from one object; a route is walked once per object that names all its variables.
REAL = (
    "case_id",
    "reference",
    "draft_id",
    "letter_id",
    "attachment_id",
    "record_id",
    "matter_id",
    "version_id",
    "user_id",
    "agency_id",
    "token_id",
    "msg_id",
    "year",
    "override_id",
    "kind",
    "kind_id",
    "entry_id",
    "revision",
)


class _Forms(HTMLParser):
    """The POST forms of a page: (action, [(name, value)]) with the values the page fills in."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._chosen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post"
            self._form = (a.get("action") or "", []) if post else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or a.get("name") == "csrf_token":
            return
        fields = self._form[1]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio" and all(n != a["name"] for n, _v in fields):
                    fields.append((a["name"], a.get("value") or "on"))  # the first choice, when none is checked
                return
            fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._chosen = a["name"], False
        elif tag == "option" and self._select:
            if "selected" in a or not self._chosen:
                fields[:] = [(n, v) for n, v in fields if n != self._select]
                fields.append((self._select, a.get("value") or ""))
                self._chosen = self._chosen or "selected" in a
        elif tag == "textarea":
            self._textarea = a["name"]
            fields.append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            fields = self._form[1]
            name, value = fields[-1]
            fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _real_urls(rule, objects: list[dict]) -> list[str]:
    variables = re.findall(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", rule.rule)
    if not variables or not set(variables) <= set(REAL):
        return []
    urls = []
    for obj in objects:
        if set(variables) <= obj.keys():
            url = re.sub(
                r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m, obj=obj: quote(str(obj[m.group(1)]), safe=""), rule.rule
            )
            if url not in urls:
                urls.append(url)
    return urls


def walk_real_objects(app, walkers, real_objects, shard: int) -> None:
    """The walk of one shard's routes on real objects: their pages, the forms on them and their POST routes."""
    problems: list[str] = []
    reached: set[str] = set()
    accounts = walker_accounts(walkers)

    def failure(client, method, url, body=None) -> str | None:
        kw = {"data": body, "content_type": "application/x-www-form-urlencoded"} if body is not None else {}
        try:
            with client.open(url, method=method, **kw) as resp:
                if resp.status_code < 400:
                    reached.add(url)
                return f"{resp.status_code}" if resp.status_code >= 500 else None
        except Exception as exc:  # the test client re-raises what the app did not handle
            return f"{type(exc).__name__}: {str(exc)[:100]}"

    def encoded(pairs, hostile_name, hostile) -> str:
        return "&".join(f"{quote_plus(n)}={hostile if n == hostile_name else quote_plus(v)}" for n, v in pairs)

    def forms_of(client, url) -> list[tuple[str, list[tuple[str, str]]]]:
        with client.open(url) as resp:
            if resp.status_code != 200 or resp.mimetype != "text/html":
                return []
            parser = _Forms()
            parser.feed(resp.get_data(as_text=True))
        out = []
        for action, fields in parser.forms:
            target = urlsplit(action or url)
            out.append((target.path + (f"?{target.query}" if target.query else "") if target.path else url, fields))
        return out

    # Pages first, while the objects are in their seeded states (a form that succeeds changes its object), staff
    # before the applicant (who may withdraw a case); then the routes that only take a POST. Each route is walked
    # as the first of these its access policy lets in (the placeholder walk tries every walker at the door).
    order = ["staff", "sys_admin", "api", "applicant", "anonymous"]
    walked_forms: set[tuple[str, tuple[str, ...]]] = set()
    routes = shard_routes(app, shard)
    for rule, method in sorted(routes, key=lambda rm: rm[1] != "GET"):
        for who in [w for w in order if _lets_in(app, rule, w, walkers[w][1])][:1]:
            client = walkers[who][0]
            for url in _real_urls(rule, real_objects):
                if method == "GET":  # every form of the page, to its own target, its own values, one field hostile
                    for target, fields in forms_of(client, url):
                        key = (target, tuple(sorted(n for n, _v in fields)))
                        if key in walked_forms:
                            continue
                        walked_forms.add(key)
                        for name, value in itertools.product(dict(fields), FIELD_VALUES):
                            if why := failure(client, "POST", target, encoded(fields, name, value)):
                                problems.append(f"{who} POST {target} {name}={value} (a form of {url}): {why}")
                if why := failure(client, method, url, "" if method != "GET" else None):
                    problems.append(f"{who} {method} {url}: {why}")
                for value in FIELD_VALUES:  # every parameter at once
                    pairs = "&".join(f"{name}={value}" for name in PARAMS)
                    target = (f"{url}?{pairs}", None) if method == "GET" else (url, pairs)
                    if why := failure(client, method, *target):
                        problems.append(f"{who} {method} {url} (every parameter)={value}: {why}")
    # The walk reached the objects' own forms (a placeholder id is only ever refused), in the shard of the case page.
    if any(rule.endpoint == CASE_PAGE for rule, _m in routes):
        actions = {t.rsplit("/", 1)[1] for t, _f in walked_forms if re.match(r"/staff/applications/\d+/act/", t)}
        wanted = {"confirm", "assign", "decide_item", "office_review", "deliver", "remedy_update"}
        assert wanted <= actions, sorted(actions)
    if why := api_token_refused(app, walkers):
        problems.append(why)
    problems.extend(accounts_changed(app, walkers, accounts))
    _assert_none(problems, shard)

"""Numbers from the outside: ids in paths, ids and page numbers in query strings and forms.

Every database stores a signed 64-bit integer at most; a larger number sent to the driver is an OverflowError (a
500), and a malformed one handed to `int()` is a ValueError. So numbers are parsed here, once, and a number that is
malformed or out of range is no number at all:

- `<int:…>` in a route (the app's `int` converter, installed by `init_app`) matches only 0…2^31-1, the range of the
  database's id columns (INTEGER: PostgreSQL refuses a larger value with a DataError, a 500), or the narrower
  `min`/`max` given in the rule; a larger number does not match the route, which answers 404.
- `arg_int(name, default, min=, max=)` reads an integer from the query string (or a form): the default when it is
  absent, malformed or outside the bounds.
- `parse_int(text, min=, max=)` the same for a value already in hand (a select field's data, say).

Text from the outside may hold a NUL (U+0000), which PostgreSQL refuses in any text value (a DataError, a 500,
wherever the text reaches a query): a request with a NUL in a path variable, a query parameter or a form field is
answered 400 before any view runs.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
ID_MAX = 2**31 - 1  # the id columns are INTEGER: beyond this no row exists, and PostgreSQL refuses the value
_DIGITS = re.compile(r"[+-]?[0-9]{1,19}")  # ASCII digits only: int() also takes "1_000", " 7 " and "٣"


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` bounded to the ids a database row can have, 0…2^31-1 (narrowed further by the rule's own `min` /
    `max`; a rule may widen it up to the signed 64-bit range with an explicit `max`)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed=False):
        low = 0 if min is None else _clamp(min, INT64_MIN, INT64_MAX)
        high = ID_MAX if max is None else _clamp(max, INT64_MIN, INT64_MAX)
        super().__init__(map, fixed_digits, min=low, max=high, signed=signed)


def _clamp(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


def parse_int(text: object, *, min: int = INT64_MIN, max: int = INT64_MAX) -> int | None:
    """`text` as an integer within [min, max] (never beyond 64 bits), or None when malformed or out of range."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, str) and _DIGITS.fullmatch(text.strip()):
        value = int(text.strip())
    else:
        return None
    return value if _clamp(min, INT64_MIN, INT64_MAX) <= value <= _clamp(max, INT64_MIN, INT64_MAX) else None


def parse_id(text: object) -> int | None:
    """A database id (1…2^31-1) from a query string, a form or a select field; None when it cannot be one."""
    return parse_int(text, min=1, max=ID_MAX)


def arg_int(
    name: str,
    default: int | None = None,
    *,
    min: int = INT64_MIN,
    max: int = INT64_MAX,
    source: MultiDict | None = None,
) -> int | None:
    """The integer parameter `name` of the query string (or of `source`, e.g. `request.form`), within [min, max];
    `default` when it is absent, malformed or out of range."""
    value = parse_int((request.args if source is None else source).get(name), min=min, max=max)
    return default if value is None else value


def arg_id(name: str, *, source: MultiDict | None = None) -> int | None:
    """A database id from the query string (or `source`): None when absent, malformed or out of range."""
    return arg_int(name, None, min=1, max=ID_MAX, source=source)


def refuse_nul() -> None:
    """400 when a path variable, query parameter or form field (names or values) holds a NUL character."""
    values = [*(request.view_args or {}).values(), *_pairs(request.args)]
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += _pairs(request.form)
    if any(isinstance(v, str) and "\x00" in v for v in values):
        abort(400, _("The request contains a NUL character, which no text may contain. Nothing was changed."))


def _pairs(multidict: MultiDict) -> list[str]:
    return [text for key, value in multidict.items(multi=True) for text in (key, value)]


def init_app(app: Flask) -> None:
    """Install the bounded `int` converter (before any blueprint registers: rules bind their converter then) and
    refuse NUL characters in what a request carries."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul)

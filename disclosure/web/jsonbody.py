"""JSON request bodies, parsed strictly, once.

Python's `json` module takes what JSON does not allow and what the database cannot store: `NaN` and `Infinity`
(and numbers such as 1e309 that overflow to infinity), strings with lone surrogates (`"\\ud800"`, which no UTF-8
encoder can write) or NUL characters (which PostgreSQL refuses), bytes that are not UTF-8, and nesting so deep
that the parser hits Python's recursion limit (5,000 levels: a RecursionError, a 500). `loads` refuses each of these
with a `BodyError` that names the place in the document (`items[0].description`) and says what is wrong.

The app's JSON provider (`StrictJSONProvider`) and request class (`Request`), both installed by
`disclosure.web.boundary`, make `request.get_json()` strict everywhere: an unparsable body raises `JSONBodyError`, a
400 that the request boundary answers in the API's error shape,
`{"error": message, "field": place, "errors": [{"field": place, "message": message}]}`.
`parse_json_body` parses the body of a JSON request before the view runs (the API installs it for `/api/`), so a
view that asks with `get_json(silent=True)` gets the parsed, cached value and never a silently dropped error.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request as FlaskRequest
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 32  # far beyond any body the API defines; far below the parser's recursion limit
_BAD_CHARACTER = re.compile("[\ud800-\udfff\x00]")


class BodyError(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class JSONBodyError(BadRequest):
    """400: the request's JSON body was refused. `description` says why, `field` where."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _refuse_constant(name: str):
    raise BodyError(_("%(value)s is not a JSON number: send a number or null.", value=name))


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyError(_("%(value)s is too large for a number.", value=text[:40]))
    return value


def loads(data: bytes | str) -> Any:
    """Parse a JSON document strictly (see the module's docstring); raise `BodyError` when it is refused."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyError(_("The body is not valid UTF-8 text.")) from None
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise BodyError(_("The body is nested too deeply (at most %(n)d levels).", n=MAX_DEPTH)) from None
    except json.JSONDecodeError as exc:
        raise BodyError(
            _(
                "The body is not valid JSON: %(reason)s (line %(line)d, column %(col)d).",
                reason=exc.msg,
                line=exc.lineno,
                col=exc.colno,
            )
        ) from None
    except BodyError:
        raise
    except ValueError:  # an integer of more than 4,300 digits
        raise BodyError(_("The body holds a number too long to read.")) from None
    check(value)
    return value


def check(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings (values or keys) with lone surrogates or NUL."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, place = stack.pop()
        if isinstance(item, str):
            if _BAD_CHARACTER.search(item):
                raise BodyError(_("The text holds a character that is not allowed (a NUL or a lone surrogate)."), place)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise BodyError(_("The body is nested too deeply (at most %(n)d levels).", n=MAX_DEPTH), place)
        if isinstance(item, list):
            stack.extend((v, depth + 1, f"{place}[{i}]") for i, v in enumerate(item))
            continue
        for key, v in item.items():
            where = f"{place}.{key}" if place else key
            if _BAD_CHARACTER.search(key):
                raise BodyError(_("A name holds a character that is not allowed (a NUL or a lone surrogate)."), place)
            stack.append((v, depth + 1, where))


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON provider (`app.json`): Flask's, with strict `loads` (what `request.get_json()` calls)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return super().loads(s, **kwargs) if kwargs else loads(s)


class Request(FlaskRequest):
    """Flask's request: a body refused by `loads` is a `JSONBodyError` (400) that says why and where."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, BodyError):
            raise JSONBodyError(e.message, e.field)
        return super().on_json_loading_failed(e)


def parse_json_body() -> None:
    """Parse the body of a JSON request now (a before-request hook): refused bodies are a 400 before the view runs,
    accepted ones are cached for `get_json`, silent or not."""
    if request.method in ("POST", "PUT", "PATCH") and request.is_json and request.get_data(cache=True):
        request.get_json()

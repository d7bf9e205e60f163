"""Form helpers."""

from __future__ import annotations

from collections.abc import Iterable

import wtforms
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from disclosure.core.errors import DomainError, field_errors
from disclosure.web.images import declared_size
from disclosure.web.params import INT64_MAX, INT64_MIN


def show_errors(form, exc: DomainError, default: str | None = None) -> list[str]:
    """Put every problem an operation reported (one, or several at once as FieldErrors) beside its field; a problem
    naming no field of this form goes beside `default`. Returns the messages that found no field to stand beside
    (the caller shows them above the form)."""
    loose = []
    for name, message in field_errors(exc).items():
        target = getattr(form, name or "", None) or (getattr(form, default, None) if default else None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), str(message)]
        else:
            loose.append(str(message))
    return loose


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice objects (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField within the signed 64-bit range every database stores: a larger number is "Not a valid
    integer value" beside the field, never an OverflowError in the driver. Give it a NumberRange for the real
    bounds; this is the floor under forms that forget one."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not INT64_MIN <= self.data <= INT64_MAX:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))


class ImageSize:
    """Validator of an image upload (a FileField): refuse one whose header declares more than `max_side` pixels a
    side, before anything decodes it (a tiny file can declare a decompression bomb: web/images.py)."""

    def __init__(self, max_side: int, message=None):
        self.max_side = max_side
        self.message = message

    def __call__(self, form, field) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        data = upload.stream.read()  # a JPEG's frame header may follow any number of other segments
        upload.stream.seek(0)
        size = declared_size(data)
        if size and max(size) > self.max_side:
            raise ValidationError(
                self.message
                or _l(
                    "The image is %(width)s × %(height)s pixels; it may be at most %(max)s pixels wide and high.",
                    width=size[0],
                    height=size[1],
                    max=self.max_side,
                )
            )

"""What the public may see of a record (rules-china §5.5 ⚠).

Natural persons' identity numbers are shown with the birth-date digits hidden; legal representatives' identity
numbers are never public; full values are for authorised staff only. Every public page and public export goes
through `public_value`, so there is one place that decides.
"""

from __future__ import annotations

from disclosure.core.validators import mask_resident_id
from disclosure.publicity.fields import Field


def mask_document(number: str | None) -> str:
    """Resident ID: 110105********002X; other documents keep their first two and last two characters."""
    return mask_resident_id(number) if number else ""


def public_value(record, f: Field):
    """The value of field `f` as the public may see it (None when it is never public)."""
    if not f.public:
        return None
    if f.attr == "publicity_end":
        return record.publicity_ends_on
    value = getattr(record, f.attr)
    if f.attr == "doc_no":
        return mask_document(value)
    return value

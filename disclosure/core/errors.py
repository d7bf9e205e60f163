"""Domain errors: raised by operations, shown by the web layer as a clear message in the user's language."""

from __future__ import annotations

from contextlib import contextmanager


class DomainError(Exception):
    """A business rule refused the change. `message` is a translatable string (already lazily translated)."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None):
        # Keep the lazy message untranslated: it is rendered in the language of whoever sees it, and raising
        # outside a request (commands, jobs) must not need a locale.
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class Conflict(DomainError):
    """Someone else changed the object first (optimistic locking)."""

    status_code = 409


class FieldErrors(DomainError):
    """Several input problems reported together, one message per field (`errors`: {field: message}, in the
    order found). `message` and `field` are the first problem's, so a handler that shows one error still works;
    a form shows each beside its field."""

    def __init__(self, errors: dict):
        if not errors:
            raise ValueError("FieldErrors needs at least one error")
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self.errors = dict(errors)


def field_errors(exc: DomainError) -> dict:
    """The {field: message} of any DomainError: every problem of a FieldErrors, or the one field of a plain one
    (key None when it names no field)."""
    return dict(getattr(exc, "errors", None) or {exc.field: exc.message})


class ErrorCollector:
    """Collects field problems so that input is checked in full and reported at once:

        with collect_errors() as errors:
            if bad_code:
                errors.add(_l("A postal code has 6 digits."), field="postal_code")
            with errors.check():       # a DomainError raised inside is collected, not propagated
                validate_something()

    On leaving the block, raises FieldErrors when anything was added (the first message per field is kept)."""

    def __init__(self):
        self.errors: dict = {}

    def add(self, message, *, field: str | None) -> None:
        self.errors.setdefault(field, message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    @contextmanager
    def check(self, field: str | None = None):
        try:
            yield
        except DomainError as exc:
            for name, message in field_errors(exc).items():
                self.add(message, field=field or name)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


@contextmanager
def collect_errors():
    collector = ErrorCollector()
    yield collector
    collector.raise_if_any()

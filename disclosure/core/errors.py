"""Domain errors: raised by operations, shown by the web layer as a clear message in the user's language."""

from __future__ import annotations


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

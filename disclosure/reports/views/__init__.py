"""The report pages: the office's (staff) and the public platform's."""

from disclosure.reports.views.public import public_bp
from disclosure.reports.views.staff import bp as staff_bp

__all__ = ["public_bp", "staff_bp"]

"""Operations on annual reports and the agency's report settings."""

from disclosure.reports.operations.reports import (
    actors_for,
    approve,
    changes,
    numbers_of,
    publish,
    published_reports,
    reports_of,
    return_report,
    save_figures,
    save_sections,
    start_correction,
    start_report,
    submit,
    versions,
)
from disclosure.reports.operations.settings import save_settings, settings_for

__all__ = [
    "actors_for",
    "approve",
    "changes",
    "numbers_of",
    "publish",
    "published_reports",
    "reports_of",
    "return_report",
    "save_figures",
    "save_sections",
    "save_settings",
    "settings_for",
    "start_correction",
    "start_report",
    "submit",
    "versions",
]

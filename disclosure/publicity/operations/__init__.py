"""双公示 operations: one verb per change; each flushes and audits, the caller's boundary commits.

By sub-domain: `records` (entry, publication, withdrawal, repair, revocation and the nightly sweep), `catalogue`
(matters, catalogue versions and their review, entrusted organs, the responsibility form) and `settings`
(settings, code lists, publicity periods). The names below are the package's door.
"""

from disclosure.publicity.operations.catalogue import (
    MATTER_FIELDS,
    ORGAN_FIELDS,
    RESPONSIBILITY_FIELDS,
    review_catalogue,
    save_entrusted_organ,
    save_matter,
    save_responsibility,
    submit_catalogue,
)
from disclosure.publicity.operations.records import (
    RECORD_AUDIT_FIELDS,
    WITHDRAWAL_KINDS,
    DueDates,
    Outcome,
    column_values,
    effective_end,
    expire_licences,
    expire_penalties,
    find_record,
    mark_overdue,
    publicity_outcome,
    publish_record,
    recompute_due_dates,
    repair_record,
    revoke_licence,
    save_record,
    update_record,
    withdraw_record,
)
from disclosure.publicity.operations.settings import save_code, save_period, update_setting

__all__ = [
    "MATTER_FIELDS",
    "ORGAN_FIELDS",
    "RECORD_AUDIT_FIELDS",
    "RESPONSIBILITY_FIELDS",
    "WITHDRAWAL_KINDS",
    "DueDates",
    "Outcome",
    "column_values",
    "effective_end",
    "expire_licences",
    "expire_penalties",
    "find_record",
    "mark_overdue",
    "publicity_outcome",
    "publish_record",
    "recompute_due_dates",
    "repair_record",
    "review_catalogue",
    "revoke_licence",
    "save_code",
    "save_entrusted_organ",
    "save_matter",
    "save_period",
    "save_record",
    "save_responsibility",
    "submit_catalogue",
    "update_record",
    "update_setting",
    "withdraw_record",
]

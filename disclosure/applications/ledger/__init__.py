"""The request ledger (依申请公开台账, issue 13 §2): an office's spreadsheet of past and open requests imported as
cases, so the annual report counts them and open ones go on being handled here.

By step: `columns` (the file's columns and the checks of a row), `writing` (reading the whole file, then writing
its valid rows in bulk), `jobs` (storing the upload and running it, now or in the worker; the error file),
`template` (the empty workbook) and `models` (the import runs and the rows imported).
"""

from disclosure.applications.ledger.columns import COLUMNS, OUTCOME_LABELS
from disclosure.applications.ledger.jobs import process_import, run_ledger_import, start_import
from disclosure.applications.ledger.models import LedgerImport, LedgerImportStatus, LedgerRow
from disclosure.applications.ledger.template import template_workbook
from disclosure.applications.ledger.writing import CHUNK

__all__ = [
    "CHUNK",
    "COLUMNS",
    "OUTCOME_LABELS",
    "LedgerImport",
    "LedgerImportStatus",
    "LedgerRow",
    "process_import",
    "run_ledger_import",
    "start_import",
    "template_workbook",
]

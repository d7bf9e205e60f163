"""Import of an existing catalogue (an old website's 政府信息公开目录) from an XLSX file and a ZIP of attachments
(issue 11 §6).

By step: `columns` (the file's columns and how a row becomes an entry's input), `attachments` (the ZIP),
`writing` (validating and writing rows in chunks), `updating` (a row imported again), `report` (the error file),
`template` (the empty workbook) and `jobs` (the operation that stores an upload and runs it, now or in the
worker). The names below are the importer's door.
"""

from disclosure.catalog.importer.columns import COLUMNS, IMPORTED_REASON
from disclosure.catalog.importer.jobs import process_import, run_catalog_import, start_import
from disclosure.catalog.importer.template import template_workbook
from disclosure.catalog.importer.writing import CHUNK, PREVIEW_ERRORS

__all__ = [
    "CHUNK",
    "COLUMNS",
    "IMPORTED_REASON",
    "PREVIEW_ERRORS",
    "process_import",
    "run_catalog_import",
    "start_import",
    "template_workbook",
]

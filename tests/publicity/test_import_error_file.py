"""The error file (issue 10): it keeps the header language of the uploaded file, holds refused rows with control
characters and formulas safely, and an oversize CSV field is refused with a message instead of a 500."""

from __future__ import annotations

import csv
import io

import pytest

from disclosure.core.errors import DomainError
from disclosure.publicity.fields import BY_CODE, Kind
from tests.factories import error_rows, penalty_raw, run_import, workbook


@pytest.mark.parametrize("headers", ["names", "codes"])
def test_error_file_keeps_the_header_language_of_the_upload(pub, en, headers):
    rows = [penalty_raw(pub, CF_WSH="罚〔2026〕1号"), penalty_raw(pub, CF_WSH="罚〔2026〕2号", CF_JDRQ="soon")]
    job = run_import(pub, workbook(rows, headers=headers))
    _listing, refused = error_rows(job)
    fields = BY_CODE[Kind.PENALTY]
    expected = [fields[c].label if headers == "names" and c in fields else c for c in rows[0]]
    if headers == "names":
        expected[expected.index("MATTER")] = "事项名称"
    assert refused[0] == [*expected, "原行号", "错误原因"]
    assert refused[1][-2] == 3


def test_error_file_of_an_error_file_has_one_row_number_and_reason_column(pub, en):
    from openpyxl import Workbook

    job = run_import(pub, workbook([penalty_raw(pub, CF_JDRQ="soon")], headers="names"))
    _listing, refused = error_rows(job)
    wb = Workbook()
    for row in refused:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    again = run_import(pub, buf.getvalue())
    _listing, refused_again = error_rows(again)
    assert refused_again[0].count("原行号") == 1 and refused_again[0].count("错误原因") == 1
    assert refused_again[0] == refused[0]


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_refused_row_with_control_characters_and_a_formula_is_written_safely(pub, en):
    raw = penalty_raw(pub, CF_XDR_MC="坏\x01名字\x1f公司", CF_JDRQ='=HYPERLINK("http://evil.example")')
    job = run_import(pub, _csv([raw]))
    assert job.error_count == 1 and job.error_file_id is not None
    listing, refused = error_rows(job)
    header, row = refused[0], refused[1]
    assert row[header.index("CF_XDR_MC")] == "坏名字公司"
    assert row[header.index("CF_JDRQ")].startswith("'=")
    assert all(not str(r[3]).startswith("=") for r in listing)


def test_a_csv_field_over_the_csv_limit_is_refused_with_a_message(pub, en):
    raw = penalty_raw(pub, CF_SY="事" * (csv.field_size_limit() + 1))
    with pytest.raises(DomainError) as refused:
        run_import(pub, _csv([raw]))
    assert "Line 2 of the CSV file cannot be read" in str(refused.value.message)


def test_the_import_page_says_so_instead_of_a_server_error(pub, client, login):
    login(client, pub.clerk)
    data = _csv([penalty_raw(pub, CF_SY="事" * (csv.field_size_limit() + 1))])
    resp = client.post(
        "/staff/publicity/imports",
        data={"kind": "penalty", "matter": "", "publish": "y", "file": (io.BytesIO(data), "big.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    # Over the size imported at once, the file goes to the worker (immediate in tests): the job says why it failed.
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Line 2 of the CSV file cannot be read" in page

"""Annual-report table 2, Art. 20(1): rules and normative documents made, repealed and valid per year."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog import normative_counts
from disclosure.catalog.operations import validity
from disclosure.extensions import db
from tests.catalog.conftest import publish_as_system

D = dt.date


@pytest.fixture
def library(cat, publish_on):
    """2024: two normative documents and one rule; 2025: one more, one of 2024 repealed, one expires in 2025;
    2026: one made. An 'other' document and another agency's document never count."""
    a = publish_on(D(2024, 5, 6), document_number="测政规〔2024〕1号")
    b = publish_on(D(2024, 7, 1), document_number="测政规〔2024〕2号", valid_until="2025-06-30")
    rule = publish_on(D(2024, 9, 2), document_number="测政府令第1号", doc_kind="regulation")
    c = publish_on(D(2025, 3, 3), document_number="测政规〔2025〕1号")
    validity.repeal(a, by=c, effective_on=D(2025, 3, 3), actor=cat.head, today=D(2025, 3, 3))
    d = publish_on(D(2026, 2, 2), document_number="测政规〔2026〕1号", in_force_on="2027-01-01")
    publish_on(D(2025, 1, 6), doc_kind="other", category="art20_15", document_number="测政办〔2025〕1号")
    publish_as_system(cat.other, D(2025, 1, 6), document_number="外政规〔2025〕1号")
    db.session.commit()
    return a, b, rule, c, d


def test_each_year_counts_what_was_made_repealed_and_valid(cat, library):
    assert normative_counts(cat.agency.id, 2024) == {
        "regulation": {"made": 1, "repealed": 0, "valid": 1},
        "normative": {"made": 2, "repealed": 0, "valid": 2},
    }
    # b expired on 2025-07-01 although the sweep never ran: not 'repealed' by default, and not valid.
    assert normative_counts(cat.agency.id, 2025) == {
        "regulation": {"made": 0, "repealed": 0, "valid": 1},
        "normative": {"made": 1, "repealed": 1, "valid": 1},
    }
    # d is made in 2026 but takes effect in 2027: made, not yet valid on 31 December.
    assert normative_counts(cat.agency.id, 2026)["normative"] == {"made": 1, "repealed": 0, "valid": 1}
    assert normative_counts(cat.agency.id, 2027)["normative"] == {"made": 0, "repealed": 0, "valid": 2}


def test_expiries_count_as_repealed_when_asked(cat, library):
    counts = normative_counts(cat.agency.id, 2025, count_expiries=True)
    assert counts["normative"] == {"made": 1, "repealed": 2, "valid": 1}
    validity.apply_due_changes(D(2026, 1, 1))  # the sweep records b's expiry: the counts stay the same
    assert normative_counts(cat.agency.id, 2025, count_expiries=True) == counts
    assert normative_counts(cat.agency.id, 2026, count_expiries=True)["normative"]["repealed"] == 0


def test_a_scheduled_repeal_counts_in_the_year_it_takes_effect(cat, library):
    _a, _b, rule, c, _d = library
    validity.repeal(rule, by=c, effective_on=D(2027, 1, 1), actor=cat.head, today=D(2026, 12, 1))
    assert normative_counts(cat.agency.id, 2026)["regulation"] == {"made": 0, "repealed": 0, "valid": 1}
    assert normative_counts(cat.agency.id, 2027)["regulation"] == {"made": 0, "repealed": 1, "valid": 0}


def test_an_agency_with_nothing_counts_zeros(cat):
    assert normative_counts(cat.other.id, 2026) == {
        "regulation": {"made": 0, "repealed": 0, "valid": 0},
        "normative": {"made": 0, "repealed": 0, "valid": 0},
    }

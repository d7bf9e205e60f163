"""Twenty staff issuing at the same moment: numbers unique and without gaps, on SQLite and PostgreSQL
(run with TEST_DATABASE_URL for PostgreSQL)."""

from __future__ import annotations

import threading

from disclosure.core.errors import DomainError
from disclosure.correspondence import letters, samples
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.models import Letter
from disclosure.extensions import db

THREADS = 20


def _run_threads(app, agency_id, related_for):
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def work(i):
        from disclosure.accounts.models import Agency

        # A staff member's POST: on SQLite its transaction takes the write lock at BEGIN (core.sqlite_tuning).
        with app.test_request_context("/", method="POST", headers={"Accept-Language": "en"}):
            agency = db.session.get(Agency, agency_id)
            ctx = samples.sample_context(LetterKind.RECEIPT)
            db.session.rollback()  # SQLite: do not hold BEGIN IMMEDIATE's write lock while waiting
            barrier.wait(timeout=120)
            try:
                letter = letters.issue_letter(LetterKind.RECEIPT, agency, ctx, related=related_for(i))
                db.session.commit()
                results[i] = letter.serial
            except DomainError as exc:
                db.session.rollback()
                results[i] = exc
            except Exception as exc:  # surfaced by the assertions below
                import traceback

                db.session.rollback()
                results[i] = exc
                exc.add_note(traceback.format_exc())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def test_twenty_concurrent_issues_get_gapless_unique_numbers(app, agency):
    agency_id = agency.id
    db.session.rollback()  # the test's own session must not hold SQLite's write lock while the staff work
    results = _run_threads(app, agency_id, lambda i: ("application", 1000 + i))
    assert all(isinstance(r, int) for r in results), results
    assert sorted(results) == list(range(1, THREADS + 1))
    with app.app_context():
        numbers = db.session.execute(db.select(Letter.number).where(Letter.agency_id == agency_id)).scalars().all()
        assert len(set(numbers)) == THREADS


def test_the_same_letter_issued_twenty_times_at_once_exists_once(app, agency):
    agency_id = agency.id
    db.session.rollback()  # the test's own session must not hold SQLite's write lock while the staff work
    results = _run_threads(app, agency_id, lambda i: ("application", 77))
    serials = [r for r in results if isinstance(r, int)]
    errors = [r for r in results if not isinstance(r, int)]
    assert serials == [1], results
    assert len(errors) == THREADS - 1 and all(isinstance(e, DomainError) for e in errors), errors
    with app.app_context():
        from disclosure.core import numbering

        # The refused attempts rolled back: their numbers were given back, so the next letter is number 2.
        year = db.session.execute(db.select(Letter.year)).scalar_one()
        assert numbering.current_value("letter:receipt", agency_id, year) == 1

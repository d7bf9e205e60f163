"""The figures' per-transaction memo (`figures/_memo.py`): a grouped count is read once for the measures that share
it, and forgotten as soon as anything may have changed, so a figure is never older than a second query would be."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update


def test_the_memo_is_forgotten_whenever_data_may_change(app_ctx, make_agency):
    from disclosure.accounts.models import Agency
    from disclosure.extensions import db
    from disclosure.supervision.figures._memo import memo

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo("k", compute) == 1
    assert memo("k", compute) == 1  # nothing written since
    assert memo("other", compute) == 2  # another key is computed on its own
    db.session.execute(select(Agency.id)).all()
    assert memo("k", compute) == 1  # reading forgets nothing
    agency = make_agency()  # a commit
    assert memo("k", compute) == 3
    agency.phone = "0571-1111111"
    db.session.flush()
    assert memo("k", compute) == 4
    db.session.execute(update(Agency).where(Agency.id == agency.id).values(phone="0571-2222222"))
    assert memo("k", compute) == 5  # a statement that writes, behind the unit of work
    db.session.rollback()
    assert memo("k", compute) == 6


def test_a_measure_sees_a_case_registered_in_the_same_transaction(tree, app_ctx):
    """The dashboard's count and then an operation and a count again, before any commit: the second count has it."""
    from disclosure.supervision import periods
    from disclosure.supervision.measures import REGISTRY, Scope
    from tests.supervision.builders.requests import receive, staff_of

    day = dt.date(2025, 6, 2)
    scope = Scope((tree.bureau.id,), periods.month(2025, 6), dt.date(2025, 12, 15))
    received = REGISTRY.measures["requests.received"]
    w = staff_of(tree.bureau)
    with app_ctx.test_request_context("/"):
        assert received.count(scope) == {}
        receive(w, day, "申请人甲")
        assert received.count(scope) == {tree.bureau.id: 1}
        receive(w, day, "申请人乙")
        assert received.count(scope) == {tree.bureau.id: 2}
        assert len(received.items(scope, None, 0)) == 2

"""`core.idlists.in_ids`: a list of agencies written into the statement — a short one as an expanding parameter, a
long one (a competent department's tree) as one literal list compiled once — selects the same rows either way, on
both databases, negated too."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, column, select, values

from disclosure.core import idlists
from disclosure.core.idlists import in_ids
from disclosure.extensions import db


def _numbers():
    return values(column("n", Integer), name="numbers").data([(i,) for i in range(1, 301)]).cte("numbers")


@pytest.mark.parametrize("size", [1, 3, idlists.LITERAL_LIST - 1, idlists.LITERAL_LIST, 120, 500])
def test_a_list_of_ids_selects_the_same_rows_however_long(app_ctx, size):
    numbers = _numbers()
    ids = [n * 3 for n in range(size)]  # some beyond the table, 0 among them, none repeated
    got = db.session.execute(select(numbers.c.n).where(in_ids(numbers.c.n, ids)).order_by(numbers.c.n)).scalars()
    assert list(got) == sorted(i for i in ids if 1 <= i <= 300)
    outside = db.session.execute(select(numbers.c.n).where(~in_ids(numbers.c.n, ids))).scalars()
    assert sorted(outside) == [n for n in range(1, 301) if n not in set(ids)]


def test_a_long_list_is_written_into_the_statement_and_only_digits_reach_it(app_ctx):
    numbers = _numbers()
    ids = list(range(1, 61))
    sql = str(select(numbers.c.n).where(in_ids(numbers.c.n, ids)).compile(db.engine))
    assert "IN (1, 2, 3," in sql and "60)" in sql
    with pytest.raises(ValueError):
        in_ids(numbers.c.n, [*ids, "1) OR (1=1"])

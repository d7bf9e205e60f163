"""Demo data (idempotent): the demo supervisor of the general office (示例市人民政府办公室) adjusts the finance
bureau's columns through the operation — budgets and final accounts monthly (the bureau publishes the monthly
budget execution), statistics monthly, and the columns a finance bureau has nothing for (major construction
projects, inspections, the Art. 21 city items) marked as not applying."""

from __future__ import annotations

from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.extensions import db
from disclosure.supervision.columns import operations
from disclosure.supervision.columns.models import ColumnSetting
from disclosure.supervision.columns.operations import applies_field, class_field, gap_field

SUPERVISOR = "supervisor@demo-gov.example.cn"
BUREAU = "demo-finance"

CHANGES = {
    class_field("art20_7"): "monthly",
    gap_field("art20_7"): "",
    class_field("art20_4"): "monthly",
    gap_field("art20_4"): "",
    applies_field("art20_10"): False,
    applies_field("art20_13"): False,
    applies_field("art21_city"): False,
}


def on_demo_data(app, *, objects) -> None:
    load()


def load() -> None:
    bureau = db.session.execute(select(Agency).where(Agency.slug == BUREAU)).scalar_one_or_none()
    supervisor = db.session.execute(select(User).where(User.email == SUPERVISOR)).scalar_one_or_none()
    if bureau is None or supervisor is None:
        return
    done = db.session.execute(select(ColumnSetting.category).where(ColumnSetting.agency_id == bureau.id)).first()
    if done is not None:
        return  # already adjusted (a second run changes nothing, nor undoes a later change)
    data = operations.agency_input(bureau)
    data.update(CHANGES)
    operations.save_agency_columns(bureau, data, actor=supervisor)

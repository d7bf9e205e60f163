"""`disclosure demo`: the demo data a newcomer sees after the first command, loaded twice (idempotent)."""

from __future__ import annotations


def test_demo_loads_accounts_and_cases_at_every_stage_once(app_ctx):
    from sqlalchemy import select

    from disclosure.applications.models import Application
    from disclosure.correspondence.models import Letter
    from disclosure.demo import load_demo
    from disclosure.extensions import db

    created = load_demo()
    db.session.commit()
    assert {"registrar@demo-gov.example.cn", "law@example-firm.cn"} <= {email for email, _, _ in created}
    states = sorted(db.session.execute(select(Application.state)).scalars())
    assert states == ["delivered", "in_handling", "office_review", "submitted", "supplementation_requested"]
    overdue = db.session.execute(select(Application).where(Application.deadline_status == "overdue")).scalars().all()
    assert len(overdue) == 1
    kinds = sorted(db.session.execute(select(Letter.kind)).scalars())
    assert "reply" in kinds and "supplementation_notice" in kinds
    delivered = db.session.execute(select(Application).where(Application.state == "delivered")).scalar_one()
    reply = db.session.get(Letter, delivered.reply_letter_id)
    assert [d.method for d in reply.deliveries] == ["email"]
    assert load_demo() == []
    db.session.commit()
    assert len(db.session.execute(select(Application.id)).all()) == 5

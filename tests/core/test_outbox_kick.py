"""One queued outbox delivery serves every commit made before it starts (issue 10, speed): a commit that finds a
delivery queued and not yet started enqueues nothing (one read of the queue's store instead of a write per
request); the delivery clears the mark before it reads the outbox, so a later commit queues the next one."""

from huey.constants import EmptyData

from disclosure.core import outbox, tasks
from disclosure.core.jobs import huey
from disclosure.core.outbox import OutboxMessage, OutboxState, enqueue_email
from disclosure.extensions import db


def _commit_mail(to: str) -> int:
    msg = enqueue_email(to=to, subject="kick", body_text="kick")
    db.session.commit()
    outbox.kick()  # what the request boundary does after its commit
    return msg.id


def _state(msg_id: int) -> str:
    return db.session.get(OutboxMessage, msg_id).state


def test_a_commit_with_no_delivery_queued_starts_one(app_ctx, smtp_server):
    msg_id = _commit_mail("first@example.cn")
    assert _state(msg_id) == OutboxState.SENT  # the test queue runs the delivery at once
    assert huey.storage.peek_data(tasks.DELIVERY_QUEUED) is EmptyData  # the delivery cleared the mark


def test_a_commit_while_a_delivery_is_queued_leaves_its_mail_to_that_delivery(app_ctx, smtp_server):
    huey.storage.put_data(tasks.DELIVERY_QUEUED, b"1")  # a delivery is queued and has not started yet
    try:
        msg_id = _commit_mail("waiting@example.cn")
        assert _state(msg_id) == OutboxState.PENDING  # nothing was enqueued for this commit
        tasks.deliver_outbox()  # the queued delivery starts: it finds the mail committed before it
        assert _state(msg_id) == OutboxState.SENT
        assert huey.storage.peek_data(tasks.DELIVERY_QUEUED) is EmptyData
        assert _state(_commit_mail("next@example.cn")) == OutboxState.SENT  # the next commit queues again
    finally:
        huey.storage.pop_data(tasks.DELIVERY_QUEUED)


def test_the_minute_sweep_clears_a_mark_left_behind(app_ctx, smtp_server):
    huey.storage.put_data(tasks.DELIVERY_QUEUED, b"1")  # set by a process that died before it queued the task
    try:
        msg_id = _commit_mail("stranded@example.cn")
        assert _state(msg_id) == OutboxState.PENDING
        tasks.sweep_outbox.call_local()
        assert _state(msg_id) == OutboxState.SENT
        assert huey.storage.peek_data(tasks.DELIVERY_QUEUED) is EmptyData
    finally:
        huey.storage.pop_data(tasks.DELIVERY_QUEUED)

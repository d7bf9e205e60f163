"""Helpers shared by the application tests."""

from __future__ import annotations

MINI_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def application_input(**kw):
    from disclosure.applications.operations import ApplicationInput, ItemInput

    data = dict(
        applicant_name="张三",
        doc_type="resident_id",
        doc_number="11010519491231002X",
        phone="13800000000",
        email="zhangsan@example.cn",
        postal_address="测试市幸福路1号",
        items=[ItemInput("2025年道路维修资金使用情况", "测财〔2025〕3号"), ItemInput("道路维修招标文件")],
    )
    data.update(kw)
    return ApplicationInput(**data)


def to_in_handling(world, app):
    from disclosure.applications import operations as ops

    ops.assign(app, world.registrar, department=world.department, handler=world.handler)
    ops.start_handling(app, world.handler)
    return app


def attach(world, app, purpose="redacted", name="招标文件（删除处理后）.pdf", title=""):
    """The handler attaches the information provided or its redacted version (Arts. 36(2), 37)."""
    from disclosure.applications import operations as ops
    from disclosure.applications.uploads import Upload

    return ops.attach_information(app, world.handler, upload=Upload(name, MINI_PDF), purpose=purpose, title=title)


def decide_partial(world, app):
    """Item 1 granted, item 2 partly disclosed, with the redacted version attached."""
    from disclosure.applications import operations as ops

    first, second = app.items
    ops.decide_item(first, world.handler, outcome="granted")
    ops.decide_item(
        second,
        world.handler,
        outcome="partial",
        withheld_parts="投标人报价明细",
        withheld_outcome="deny_third_party",
        reasons="涉及第三方商业秘密",
    )
    attach(world, app)


def issue_partial(world, app):
    """A case decided as `decide_partial`, reviewed by the office and the legal reviewer, and issued."""
    from disclosure.applications import operations as ops

    to_in_handling(world, app)
    decide_partial(world, app)
    ops.draft_reply(app, world.handler)
    ops.submit_for_review(app, world.handler)
    ops.review(app, world.head, stage="office", approve=True, comment="")
    ops.review(app, world.legal, stage="legal", approve=True, comment="")
    return ops.issue(app, world.registrar)

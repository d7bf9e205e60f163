"""The consultation's page in both languages (issue 12): label and value are one message (a full-width colon
and brackets in Chinese), the period and the days left in the singular or plural, the participation's own words
(征集期限, 采纳情况, 收到方式)."""

from __future__ import annotations

import re

from disclosure.participation.periods import days_left


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_how_to_comment_and_the_period_in_chinese_and_english(client, open_consultation):
    from disclosure.core.timeutil import today_china

    c = open_consultation
    page = _text(client.get(f"/participation/c/{c.id}").get_data(as_text=True))
    assert "征集期限" in page and "（30个工作日）" in page
    assert "电子邮箱：yijian@example.gov.cn" in page and "邮寄地址：示例市人民路1号" in page
    assert f"剩余{days_left(c.closes_on, today_china())}天" in page
    assert "期间" not in page and ": " not in page.split("征集期限")[1].split("剩余")[0]
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = _text(client.get(f"/participation/c/{c.id}").get_data(as_text=True))
    assert "(30 working days)" in page
    assert "Email: yijian@example.gov.cn" in page and "Post: 示例市人民路1号" in page


def test_the_staff_words_of_a_consultation(part, client, login, open_consultation):
    from disclosure.participation.forms import STATE_LABELS, StaffCommentForm

    login(client, part.head)
    page = client.get(f"/staff/participation/{open_consultation.id}").get_data(as_text=True)
    assert "征集期限" in page and "（30个工作日）" in page
    with client.application.test_request_context("/"):
        assert str(StaffCommentForm.channel.args[0]) == "收到方式"
        assert str(STATE_LABELS["feedback_drafted"]) == "采纳情况反馈已报送，待审批"


def test_the_moderation_list_names_the_moderation_states(part, client, login, open_consultation):
    login(client, part.head)
    page = client.get(f"/staff/participation/{open_consultation.id}/comments").get_data(as_text=True)
    assert "共0条意见" in page
    options = dict(re.findall(r'<option value="(pending|published|hidden)"[^>]*>([^<]+)</option>', page))
    assert options == {"pending": "待审核", "published": "公开显示", "hidden": options["hidden"]}
    assert options["hidden"] != "hidden"

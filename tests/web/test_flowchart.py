"""The request flow chart of the disclosure guide: an SVG safe to inline, drawn by Graphviz from the workflow table."""

import re

import pytest
from defusedxml.ElementTree import fromstring

from disclosure.web import flowchart
from disclosure.web.flowchart import GraphvizMissing, workflow_svg
from workflows.application import WORKFLOW

NS = "{http://www.w3.org/2000/svg}"

LABELS = {
    "draft": "提出申请",
    "submitted": "网上提交，待确认",
    "registered": "已受理",
    "supplementation_requested": "补正申请",
    "assigned": "分办",
    "in_handling": "办理",
    "consulting": "征求意见",
    "fee_notified": "缴纳信息处理费",
    "reply_drafted": "起草答复",
    "office_review": "办公室审核",
    "legal_review": "法制审核",
    "approved": "审核通过",
    "issued": "出具答复",
    "delivered": "送达",
    "archived": "归档",
    "abandoned": "视为放弃申请",
    "withdrawn": "撤回申请",
}
STEPS = {
    "submit": "在线提交",
    "file_via_portal": "",
    "confirm": "确认收到",
    "register": "当面、信函、传真提交",
    "request_supplement": "一次性告知补正",
    "receive_supplement": "补正",
    "answer_supplement": "补正",
    "abandon_unsupplemented": "逾期未补正",
    "assign": "",
    "start_handling": "开始办理",
    "start_consultation": "征求第三方或其他机关意见",
    "end_consultation": "意见返回",
    "notify_fee": "通知缴费",
    "record_payment": "缴费",
    "waive_fee": "减免",
    "abandon_unpaid": "逾期未缴费",
    "extend_deadline": "延期答复",
    "draft_reply": "",
    "submit_for_review": "",
    "office_approve": "",
    "legal_approve": "",
    "issue": "作出答复",
    "deliver": "送达答复",
    "withdraw": "申请人撤回",
    "record_withdrawal": "申请人撤回",
    "reopen": "依复议决定或判决重新答复",
}
CITIZEN = (
    "draft",
    "submitted",
    "registered",
    "supplementation_requested",
    "in_handling",
    "consulting",
    "fee_notified",
    "issued",
    "delivered",
    "abandoned",
    "withdrawn",
)
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "a", "image", "use", "iframe", "style", "animate", "set"}


def parse(svg: str):
    root = fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def shown(root) -> list[str]:
    """The words of each shape as drawn, lines joined, spaces ignored (long labels are wrapped)."""
    return [
        "".join(re.sub(r"\s+", "", t.text or "") for t in g.iter(f"{NS}text"))
        for g in root.iter(f"{NS}g")
        if g.get("class") in ("node", "edge")
    ]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def desc(root) -> str:
    return root.find(f"{NS}desc").text


def text_y(root, label: str) -> float:
    return next(float(t.get("y")) for t in root.iter(f"{NS}text") if t.text == label)


def assert_safe(svg: str) -> None:
    assert not svg.lstrip().startswith("<?xml") and "<!DOCTYPE" not in svg and "<!--" not in svg
    root = parse(svg)
    for element in root.iter():
        assert element.tag.removeprefix(NS) not in FORBIDDEN_ELEMENTS, element.tag
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert local not in {"href", "src", "style"} and not local.startswith("on"), name
            assert "url(" not in value and "javascript:" not in value.lower(), (name, value)
            if name != "xmlns":
                assert "http" not in value, (name, value)
    assert "xmlns:xlink" not in svg


def test_the_whole_request_workflow_in_chinese():
    svg = workflow_svg(WORKFLOW, LABELS, title="依申请公开办理流程")
    assert_safe(svg)
    root = parse(svg)
    assert root.get("role") == "img" and root.get("class") == "flowchart"
    title, description = root[0], root[1]
    assert title.tag == f"{NS}title" and title.text == "依申请公开办理流程"
    assert description.tag == f"{NS}desc"
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == description.get("id")
    assert len(root.findall(f".//{NS}title")) == 1  # Graphviz's tooltips of node ids are gone
    assert set(LABELS.values()) <= set(texts(root))
    # scalable: no fixed size in pt, a viewBox instead
    assert root.get("width") is None and root.get("height") is None
    assert re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+", root.get("viewBox"))
    assert "Noto Sans CJK SC" in svg and "sans-serif" in svg
    # top to bottom from the initial state; archived, the final state, at the bottom with a double border
    assert text_y(root, "提出申请") < text_y(root, "已受理") < text_y(root, "办理") < text_y(root, "出具答复")
    assert text_y(root, "归档") == max(text_y(root, label) for label in LABELS.values())
    assert "● → 提出申请" in desc(root) and "归档 ◎" in desc(root)
    assert "法制审核 → 审核通过" in desc(root)


def test_the_citizens_path_shows_only_the_chosen_states():
    svg = workflow_svg(WORKFLOW, LABELS, triggers=STEPS, include=CITIZEN, title="申请流程")
    assert_safe(svg)
    root = parse(svg)
    shown = set(texts(root))
    assert {LABELS[s] for s in CITIZEN} <= shown
    for left_out in ("分办", "起草答复", "办公室审核", "法制审核", "审核通过", "归档"):
        assert left_out not in shown
        assert left_out not in desc(root)
    lines = desc(root).splitlines()
    # a path through left-out states is one edge named after its last step
    assert "已受理 → 办理: 开始办理" in lines
    assert "办理 → 出具答复: 作出答复" in lines
    # steps between the same states are one edge, their names once each
    assert "补正申请 → 已受理: 补正" in lines
    assert "缴纳信息处理费 → 办理: 缴费 / 减免" in lines
    assert "办理: 延期答复" in lines  # a named step that keeps the state is a loop
    # the office's internal round trips (a draft sent back) are not the citizen's business
    assert "办理 → 办理" not in desc(root) and "办理: 开始办理" not in lines
    # the ends of this picture: delivered, withdrawn, abandoned (archived is left out)
    assert {line for line in lines if line.endswith("◎")} == {"送达 ◎", "视为放弃申请 ◎", "撤回申请 ◎"}
    assert text_y(root, "送达") == text_y(root, "撤回申请") == text_y(root, "视为放弃申请")
    # six states may be withdrawn from: the lines meet and one arrow carries the name
    assert sum(line.endswith(": 申请人撤回") for line in lines) == 6
    assert texts(root).count("申请人撤回") == 1
    # a step the caller did not name is not drawn
    assert not any("file_via_portal" in line or "reassign" in line for line in lines)


def test_a_picture_starting_after_the_initial_state_starts_where_the_flow_enters():
    svg = workflow_svg(WORKFLOW, LABELS, include=("registered", "in_handling", "delivered"))
    lines = desc(parse(svg)).splitlines()
    assert lines[0] == "● → 已受理"
    assert "已受理 → 办理" in lines and "送达 ◎" in lines


def test_labels_are_escaped_for_dot_and_for_xml():
    tricky = 'A & B <甲> "乙" \\N \\G \\l x\\\\y &amp; &#60;'
    labels = {**LABELS, "draft": tricky}
    svg = workflow_svg(
        WORKFLOW, labels, triggers={"submit": 'a "b" & <c>'}, include=("draft", "submitted"), title="T & <t>"
    )
    assert_safe(svg)
    root = parse(svg)
    assert squeeze(tricky) in shown(root)
    assert 'a "b" & <c>' in texts(root)
    assert f"● → {tricky}" in desc(root)
    assert root.find(f"{NS}title").text == "T & <t>"
    assert "&lt;甲&gt;" in svg and "A &amp; B" in svg


def test_a_hostile_label_cannot_add_markup():
    hostile = '</text><script>alert(1)</script><a href="javascript:x"><text>'
    labels = {**LABELS, "registered": hostile, "in_handling": ']]><foreignObject onload="x"/>'}
    svg = workflow_svg(
        WORKFLOW,
        labels,
        triggers={"start_handling": '"]; evil [label="x"]; a -> b [URL="http://example.com"', "assign": ""},
        include=("registered", "in_handling"),
        title='</title><script src="http://example.com/x.js"></script>',
    )
    assert_safe(svg)
    root = parse(svg)
    assert shown(root).count(squeeze(hostile)) == 1
    assert squeeze(']]><foreignObject onload="x"/>') in shown(root)
    assert squeeze('"]; evil [label="x"]; a -> b [URL="http://example.com"') in shown(root)
    assert "<script" not in svg and "<foreignObject" not in svg and "<a " not in svg
    assert not any(t == "x" for t in texts(root))  # no node of the DOT "injection"


def test_control_characters_and_line_breaks():
    svg = workflow_svg(WORKFLOW, {**LABELS, "draft": "第一行\n第二行\x00\x07"}, include=("draft",))
    assert [t for t in texts(parse(svg)) if t.startswith("第")] == ["第一行", "第二行"]


def test_long_chinese_labels_wrap_without_splitting_off_closing_punctuation():
    label = "申请人可以通过互联网、信函、传真等方式提交申请。"
    root = parse(workflow_svg(WORKFLOW, {**LABELS, "draft": label}, include=("draft",)))
    lines = [t for t in texts(root) if t and t[0] in label]
    assert "".join(lines) == label and len(lines) == 2
    assert not lines[1].startswith("。")


def test_the_same_inputs_give_the_identical_string():
    first = workflow_svg(WORKFLOW, LABELS, triggers=STEPS, include=CITIZEN, title="申请流程")
    again = workflow_svg(
        WORKFLOW,
        dict(reversed(LABELS.items())),
        triggers=dict(STEPS),
        include=list(reversed(CITIZEN)),
        title="申请流程",
    )
    assert again is first
    other = workflow_svg(WORKFLOW, LABELS, triggers=STEPS, include=CITIZEN, title="另一个标题")
    assert other is not first and other != first
    # two charts on one page do not repeat an id
    ids = re.findall(r'\bid="([^"]+)"', first + other)
    assert len(ids) == len(set(ids)) == 4


def test_every_state_drawn_needs_a_label_and_must_exist():
    labels = {k: v for k, v in LABELS.items() if k != "consulting"}
    with pytest.raises(ValueError, match="consulting"):
        workflow_svg(WORKFLOW, labels)
    assert workflow_svg(WORKFLOW, labels, include=("draft", "submitted"))  # not drawn: no label needed
    with pytest.raises(ValueError, match="nowhere"):
        workflow_svg(WORKFLOW, LABELS, include=("draft", "nowhere"))


def test_without_graphviz_the_call_fails_clearly(monkeypatch):
    monkeypatch.setattr(flowchart.shutil, "which", lambda name: None)
    with pytest.raises(GraphvizMissing, match="graphviz"):
        workflow_svg(WORKFLOW, LABELS, title="没有缓存的标题")


def test_the_post_processing_keeps_only_drawing():
    """What Graphviz writes when a graph has URLs or tooltips, and worse: links, scripts and sizes go."""
    raw = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz -->
<svg width="77pt" height="95pt" viewBox="0.00 0.00 77.00 94.96" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph"><title>flow</title>
<g id="a_node1"><a xlink:href="http://example.com/" xlink:title="tip" href="javascript:x" target="_top">
<text x="1" y="2" font-family="Times" onclick="x()">已受理</text></a></g>
<script>alert(1)</script><image xlink:href="http://example.com/x.png"/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
<path style="fill:url(http://example.com/#x)" d="M0,0" xml:space="preserve"/>
</g></svg>"""
    svg = flowchart._postprocess(raw, "标题", "说明", "abc")
    assert_safe(svg)
    root = parse(svg)
    assert texts(root) == ["已受理"]
    assert [t.text for t in root.iter(f"{NS}title")] == ["标题"]
    assert root.get("viewBox") == "0.00 0.00 77.00 94.96" and root.get("width") is None
    assert "example.com" not in svg and "alert" not in svg and "target" not in svg


def test_a_blank_label_is_missing():
    with pytest.raises(ValueError, match="draft"):
        workflow_svg(WORKFLOW, {**LABELS, "draft": " \x00"}, include=("draft",))

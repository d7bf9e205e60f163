"""Rendering letters: an autoescaping Jinja environment over `letters/`, WeasyPrint with a restricted URL
fetcher, one FontConfiguration and the parsed stylesheets reused for the life of the process.

Measured (stack.md): reusing the FontConfiguration and parsed CSS keeps a two-page letter at 75–150 ms and
memory flat; rebuilding them per letter grows memory to 500–760 MB over 100 letters. Without HarfBuzz
subsetting a letter takes seconds; without a CJK font Chinese prints as empty boxes and WeasyPrint raises no
error. So `check_renderer()` refuses to start the renderer in both cases (issue 4, Layout).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import decimal
import functools
import logging
import os
import re
import threading
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

from disclosure.config import LETTERS_DIR
from disclosure.correspondence import outcomes

log = logging.getLogger(__name__)

ASSETS_DIR = LETTERS_DIR / "base" / "assets"
PDF_VARIANT = "pdf/a-3b"  # issue 4: store PDF/A for archiving


class RendererUnavailable(RuntimeError):
    """The letter renderer cannot produce correct letters on this machine (missing CJK font or HarfBuzz)."""


# ---------------------------------------------------------------------------------------------------------
# Start-up check
# ---------------------------------------------------------------------------------------------------------


def _fontconfig_families(pattern: str) -> list[str]:
    """Font families fontconfig lists for a pattern such as ':lang=zh-cn' (via libfontconfig, no binaries)."""
    lib_name = ctypes.util.find_library("fontconfig")
    if not lib_name:
        return []
    fc = ctypes.CDLL(lib_name)
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetCreate.restype = ctypes.c_void_p
    fc.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    fc.FcFontList.restype = ctypes.c_void_p
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    fc.FcFontSetDestroy.argtypes = [ctypes.c_void_p]
    fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    fc.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]

    class FcFontSet(ctypes.Structure):
        _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]

    pat = fc.FcNameParse(pattern.encode())
    objset = fc.FcObjectSetCreate()
    fc.FcObjectSetAdd(objset, b"family")
    fs_ptr = fc.FcFontList(None, pat, objset)
    families: set[str] = set()
    if fs_ptr:
        fs = ctypes.cast(fs_ptr, ctypes.POINTER(FcFontSet)).contents
        for i in range(fs.nfont):
            n = 0
            while True:
                value = ctypes.c_char_p()
                if fc.FcPatternGetString(fs.fonts[i], b"family", n, ctypes.byref(value)) != 0:
                    break
                families.add(value.value.decode("utf-8", "replace"))
                n += 1
        fc.FcFontSetDestroy(fs_ptr)
    fc.FcObjectSetDestroy(objset)
    fc.FcPatternDestroy(pat)
    return sorted(families)


def cjk_families() -> list[str]:
    return _fontconfig_families(":lang=zh-cn")


def harfbuzz_subsetting() -> bool:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # noqa: PLC0415 - loads Pango: the app starts without it

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


# The font roles of base/letter.css (GB/T 9704 §7): the selector whose font-family stack each role uses.
FONT_ROLES = {
    "body (仿宋)": "html",
    "title (小标宋)": "h1.title",
    "page numbers (宋体)": "@bottom-right",
    "headings (黑体)": "h2, .h1",
    "headings (楷体)": "h3, .h2",
}


def font_stacks() -> dict[str, list[str]]:
    """Each role's font-family stack as letter.css names it (licensed fonts first, free fallbacks after)."""
    css = (LETTERS_DIR / "base" / "letter.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = {}
    for role, selector in FONT_ROLES.items():
        start = css.index(selector + " {")
        block = css[start : css.index("}", start)]
        families = re.search(r"font-family:\s*([^;]+);", block).group(1)
        out[role] = [f.strip().strip('"') for f in families.split(",")]
    return out


def letter_faces() -> dict[str, str]:
    """The family each role actually prints in on this machine: the first installed family of its stack."""
    installed = set(_fontconfig_families(":"))
    return {
        role: next((f for f in stack if f in installed), stack[-1] + " (generic fallback)")
        for role, stack in font_stacks().items()
    }


def check_renderer() -> list[str]:
    """Raise RendererUnavailable unless a Simplified-Chinese font and HarfBuzz subsetting are available.
    Returns the CJK families found (the start-up log names them)."""
    problems = []
    families = cjk_families()
    if not families:
        problems.append(
            "no font covering Simplified Chinese is installed (install fonts-noto-cjk): Chinese "
            "text would print as empty boxes"
        )
    if not harfbuzz_subsetting():
        problems.append(
            "HarfBuzz subsetting (libharfbuzz-subset0, HarfBuzz >= 4.1) is missing: fonts would be "
            "subset with fontTools, 10-50 times slower"
        )
    if problems:
        raise RendererUnavailable("letter renderer refused to start: " + "; ".join(problems))
    return families


# ---------------------------------------------------------------------------------------------------------
# The URL fetcher
# ---------------------------------------------------------------------------------------------------------


def _make_fetcher_class():
    import weasyprint  # noqa: PLC0415 - loads Pango: the app starts without it

    class AssetsOnlyURLFetcher(weasyprint.URLFetcher):
        """Serve `data:` URIs and files under the letters asset directory; refuse everything else.

        With WeasyPrint's default fetcher, user text such as `<link rel="attachment" href="file://…">` embeds
        a local file in the PDF and `<img>`, CSS `url()` and SVG `<image>` make network requests (stack.md).
        The real path is checked, so `..` and symlinks cannot leave the directory. Raising ValueError makes
        WeasyPrint skip the resource and carry on.
        """

        def __init__(self, root: Path = ASSETS_DIR):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=1)
            self.root = Path(os.path.realpath(root))

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                if parts.netloc not in ("", "localhost"):
                    raise ValueError(f"refused remote file URL: {url}")
                real = Path(os.path.realpath(unquote(parts.path)))
                if real.is_file() and real.is_relative_to(self.root):
                    return weasyprint.urls.URLFetcherResponse(real.as_uri(), real.read_bytes())
            log.warning("letter renderer refused to fetch %s", url[:200])
            raise ValueError(f"refused URL: {url[:200]}")

    return AssetsOnlyURLFetcher


# ---------------------------------------------------------------------------------------------------------
# Jinja environment and filters
# ---------------------------------------------------------------------------------------------------------


def cn_date(value: dt.date | None) -> str:
    """GB/T 9704 成文日期: Arabic numerals, full year, no leading zeros: 2026年3月5日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def money(value: decimal.Decimal | int | None) -> str:
    if value is None:
        return ""
    q = decimal.Decimal(value).quantize(decimal.Decimal("0.01"))
    return f"{q:,.2f}"


def paragraphs(text: str | None) -> Markup:
    """Plain text from staff or settings as escaped <p> paragraphs, one per line."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(ln) for ln in lines)


def lines(text: str | None) -> Markup:
    """Plain multi-line text, escaped, with line breaks kept."""
    return Markup("<br>").join(escape(ln) for ln in (text or "").splitlines() if ln.strip())


def clause(text: str | None) -> str:
    """Staff text inserted inside a sentence ("因{reason}，本机关…"): without the punctuation it ended with, so
    the letter's own comma follows, never a full stop (issue 10)."""
    return (text or "").strip().rstrip("，,。.；;、：:！!？? \u3000")


def cn_ordinal(n: int) -> str:
    """一, 二 … for item numbers and periods; a value out of range (an unfinished draft) prints as digits."""
    try:
        return outcomes.chinese_number(int(n))
    except (TypeError, ValueError):
        return str(n)


@functools.cache
def jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(LETTERS_DIR)),
        autoescape=True,  # user text is always escaped; the URL fetcher is the second line of defence
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cn_date=cn_date, money=money, paragraphs=paragraphs, lines=lines, cn_number=cn_ordinal, clause=clause
    )
    env.globals.update(
        letter_opening=outcomes.letter_opening,
        item_reasons=outcomes.item_reasons,
        reason_sentence=outcomes.reason_sentence,
        strip_opening=outcomes.strip_opening,
    )
    return env


# ---------------------------------------------------------------------------------------------------------
# The renderer: one per process
# ---------------------------------------------------------------------------------------------------------


# Notices that belong on one sheet (issue 10): when the 3号 layout runs onto a second page they are laid out again
# with the one-page sheets of letters/base added, level by level, and the first layout that fits is printed.
ONE_PAGE_KINDS = frozenset({"receipt", "supplementation_notice", "extension_notice"})
ONE_PAGE_LEVELS = tuple(tuple(f"base/one-page-{n}.css" for n in range(1, level + 1)) for level in (1, 2, 3))


class Renderer:
    """Holds the FontConfiguration, the fetcher and the parsed stylesheets for the life of the process."""

    def __init__(self):
        self.families = check_renderer()
        import weasyprint  # noqa: PLC0415 - loads Pango: the app starts without it
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 - as above

        self._weasyprint = weasyprint
        self.font_config = FontConfiguration()
        self.fetcher = _make_fetcher_class()()
        self._css: dict[str, object] = {}
        self.color_profiles = {SRGB_PROFILE: _srgb_profile()}
        # WeasyPrint and Pango are not documented as thread-safe; letters render one at a time per process.
        self.lock = threading.Lock()

    def stylesheets(self, kind: str, extra: tuple[str, ...] = ()) -> list:
        sheets = []
        for name in ("base/letter.css", f"{kind}/style.css", *extra):
            if name not in self._css:
                path = LETTERS_DIR / name
                self._css[name] = (
                    self._weasyprint.CSS(
                        string=path.read_text(encoding="utf-8"),
                        base_url=str(ASSETS_DIR) + "/",
                        url_fetcher=self.fetcher,
                        font_config=self.font_config,
                    )
                    if path.is_file()
                    else None
                )
            if self._css[name] is not None:
                sheets.append(self._css[name])
        return sheets

    def write_pdf(self, html: str, kind: str, *, variant: str | None = PDF_VARIANT) -> bytes:
        with self.lock:
            source = self._weasyprint.HTML(string=html, base_url=str(ASSETS_DIR) + "/", url_fetcher=self.fetcher)
            # The PDF/A output intent uses our own, once-loaded sRGB profile: WeasyPrint 70 opens its bundled
            # profile on every PDF/A render and never closes the file (a ResourceWarning per letter).
            options = dict(self._weasyprint.DEFAULT_OPTIONS)
            if variant:
                options.update(pdf_variant=variant, output_intent=SRGB_PROFILE)
            document = self._layout(source, kind, (), variant, options)
            if kind in ONE_PAGE_KINDS and len(document.pages) > 1:
                for extra in ONE_PAGE_LEVELS:
                    fitted = self._layout(source, kind, extra, variant, options)
                    if len(fitted.pages) == 1:
                        document = fitted
                        break
            return document.write_pdf(**options)

    def _layout(self, source, kind: str, extra: tuple[str, ...], variant: str | None, options: dict):
        return source.render(
            self.font_config,
            None,
            self.color_profiles if variant else None,
            **{**options, "stylesheets": self.stylesheets(kind, extra)},
        )


SRGB_PROFILE = "--srgb"


def _srgb_profile():
    from weasyprint.css import ColorProfile  # noqa: PLC0415 - loads Pango: the app starts without it

    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as fh:
        return ColorProfile(fh, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> Renderer:
    """The process's renderer, created (and checked) on first use."""
    global _renderer
    if _renderer is None:
        with _renderer_lock:
            if _renderer is None:
                _renderer = Renderer()
    return _renderer


def render_document_pdf(html: str, sheet: str) -> bytes:
    """A document other than a letter (the annual report, issue 13) printed by the letters' renderer: the same
    fonts, the restricted URL fetcher (user text reaches neither the file system nor the network), PDF/A.
    `sheet` names the folder of `letters/` whose `style.css` is laid over `base/letter.css`; `html` comes from
    `jinja_env()` (autoescaped)."""
    if not re.fullmatch(r"[a-z_]+", sheet) or not (LETTERS_DIR / sheet / "style.css").is_file():
        raise ValueError(f"no stylesheet letters/{sheet}/style.css")
    return renderer().write_pdf(html, sheet)

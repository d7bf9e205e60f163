#!/usr/bin/env python3
"""Letters benchmark (issue 4): a two-page reply letter in a warm worker.

Targets: median render under 150 ms; 1,000 letters in one process with flat memory (growth from letter 100 to
letter 1,000 under 20 MB); PDF under 300 KB; at most 3 times the time WeasyPrint takes for a bare one-page
document with the same fonts, measured in the same run (the baseline).

    .venv/bin/python benchmarks/letters_render.py            full scale (1,000 letters)
    .venv/bin/python benchmarks/letters_render.py --quick    200 letters (a smoke run)
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from harness import Targets, temp_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_HTML = """<!doctype html><html lang="zh-CN"><head><style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm }
html { font-family: %(body)s; font-size: 16pt; line-height: 28.95pt }
h1 { font-family: %(title)s; font-weight: 900; font-size: 22pt; text-align: center }
</style></head><body><h1>政府信息公开申请答复书</h1><p>%(text)s</p></body></html>"""


def letter_font_stacks() -> dict[str, str]:
    """The body and title font stacks of the letters' own stylesheet, so the baseline uses the same fonts."""
    from disclosure.correspondence.rendering import font_stacks

    generic = {"serif", "sans-serif"}
    stacks = font_stacks()

    def css(families: list[str]) -> str:
        return ", ".join(f if f in generic else f'"{f}"' for f in families)

    return {"body": css(stacks["body (仿宋)"]), "title": css(stacks["title (小标宋)"])}


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts embedded in a PDF (subset tags removed): what the render actually used."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per call (CPU time shows the cost when the shared machine is busy)."""
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    total = 200 if quick else 1000
    tmp = temp_dir("letters-bench-")
    os.environ.setdefault("INSTANCE_PATH", str(tmp))
    os.environ.setdefault("HUEY_MEMORY", "1")

    from weasyprint import HTML

    from disclosure import correspondence as service
    from disclosure import create_app
    from disclosure.correspondence import samples
    from disclosure.correspondence.kinds import LetterKind
    from disclosure.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
            "STORAGE_DIR": str(tmp / "files"),
        }
    )
    agency = SimpleNamespace(
        id=1,
        full_name="测试市住房和城乡建设局",
        short_name="测试住建",
        doc_number_prefixes={"reply": "测住建公开答"},
        reconsideration_body="测试市人民政府",
        litigation_court="测试市上城区人民法院",
        address="测试市人民路8号",
        postal_code="310000",
        phone="0571-87000001",
        fax="",
        email="gk@zjj.test.gov.cn",
        office_hours="工作日上午9:00至12:00，下午1:30至5:00",
    )
    with app.test_request_context("/"):
        db.create_all()
        ctx = samples.two_page_reply()

        def letter(i: int = 12) -> bytes:
            return service.render_pdf(
                LetterKind.REPLY,
                agency,
                ctx,
                number=f"测住建公开答〔2026〕{i}号",
                verification_code="ABCDE23456",
                issue_date=dt.date(2026, 3, 5),
            )

        # Same characters as the letter's body, so the baseline subsets a comparable number of glyphs.
        text = service.render_html(LetterKind.REPLY, agency, ctx)
        body_text = re.sub(r"<[^>]+>", "", text)[:1200]

        bare_html = BARE_HTML % {**letter_font_stacks(), "text": body_text}

        def bare() -> bytes:
            return HTML(string=bare_html).write_pdf()

        pdf = letter()
        bare_fonts = embedded_fonts(bare())  # warm both
        letter_fonts = embedded_fonts(pdf)
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        letter_times, letter_cpu = timed(letter, 25)
        bare_times, bare_cpu = timed(bare, 25)
        med_letter = statistics.median(letter_times) * 1000
        med_bare = statistics.median(bare_times) * 1000
        ratio = med_letter / med_bare

        rss = {}
        start = time.perf_counter()
        for i in range(1, total + 1):
            letter(i)
            if i in (100, total):
                rss[i] = rss_mb()
        elapsed = time.perf_counter() - start
        growth = rss[total] - rss[100]

    print(f"two-page reply letter: {pages} pages, {len(pdf) / 1024:.0f} KB (PDF/A-3b)")
    print(f"fonts embedded: letter {', '.join(sorted(letter_fonts))}; baseline {', '.join(sorted(bare_fonts))}")
    print(
        f"median render, warm worker: {med_letter:.0f} ms (p90 {sorted(letter_times)[22] * 1000:.0f} ms) "
        f"[target < 150 ms]; CPU time {statistics.median(letter_cpu) * 1000:.0f} ms"
    )
    print(
        f"baseline, bare WeasyPrint one-page document, same fonts: {med_bare:.0f} ms "
        f"(CPU {statistics.median(bare_cpu) * 1000:.0f} ms); ratio {ratio:.2f} [target <= 3]"
    )
    print(
        f"{total} letters in one process: {elapsed:.0f} s ({elapsed / total * 1000:.0f} ms each); RSS at letter 100 "
        f"{rss[100]:.0f} MB, at letter {total} {rss[total]:.0f} MB, growth {growth:.1f} MB [target < 20 MB]"
    )
    targets = Targets("letters_render")
    targets.check("the sample reply is two pages", pages == 2, f"{pages} pages")
    targets.check("PDF under 300 KB", len(pdf) < 300 * 1024, f"{len(pdf) / 1024:.0f} KB")
    targets.check("median render under 150 ms", med_letter < 150, f"{med_letter:.0f} ms")
    targets.check("the baseline uses the letter's fonts", bare_fonts <= letter_fonts)
    targets.check("at most 3x the bare document", ratio <= 3, f"{ratio:.2f}")
    targets.check("memory grows under 20 MB over the run", growth < 20, f"{growth:.1f} MB")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The renderer refuses to start without a Simplified-Chinese font or without HarfBuzz subsetting (issue 4:
"no character may ever render as an empty box")."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from disclosure.correspondence import rendering


def test_check_finds_the_installed_cjk_fonts():
    families = rendering.check_renderer()
    assert "Noto Serif CJK SC" in families


def test_refuses_without_cjk_font(tmp_path):
    """A real fontconfig with no fonts at all (FONTCONFIG_FILE), in a fresh process."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'none'}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    code = textwrap.dedent("""
        from disclosure.correspondence.rendering import RendererUnavailable, check_renderer
        try:
            check_renderer()
        except RendererUnavailable as exc:
            print("REFUSED:", exc)
        else:
            print("STARTED")
    """)
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "REFUSED:" in out.stdout and "Simplified Chinese" in out.stdout, out.stdout + out.stderr


def test_refuses_without_harfbuzz_subsetting(monkeypatch):
    # libharfbuzz-subset cannot be uninstalled for one test; the probe is replaced instead.
    monkeypatch.setattr(rendering, "harfbuzz_subsetting", lambda: False)
    with pytest.raises(rendering.RendererUnavailable, match="HarfBuzz"):
        rendering.check_renderer()


def test_cli_check(runner):
    result = runner.invoke(args=["letters", "check"])
    assert result.exit_code == 0 and "Noto Serif CJK SC" in result.output
    assert "body (仿宋): FandolFang" in result.output  # installed by scripts/bootstrap.sh
    assert "title (小标宋): FandolSong" in result.output


def test_font_stacks_name_licensed_fonts_first_then_free_ones():
    stacks = rendering.font_stacks()
    body = stacks["body (仿宋)"]
    assert body.index("仿宋_GB2312") < body.index("FandolFang") < body.index("Noto Serif CJK SC")
    title = stacks["title (小标宋)"]
    assert title.index("方正小标宋简体") < title.index("FandolSong") < title.index("Noto Serif CJK SC")
    assert stacks["page numbers (宋体)"][0] == "宋体"
    assert rendering.letter_faces()["body (仿宋)"] == "FandolFang"


def test_cli_sample_renders_with_the_agency_settings(runner, agency, tmp_path):
    out = tmp_path / "reply.pdf"
    result = runner.invoke(args=["letters", "sample", agency.slug, "reply", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["letters", "sample", agency.slug, "nonsense", "-o", str(out)])
    assert bad.exit_code != 0 and "receipt" in bad.output

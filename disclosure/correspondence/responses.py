"""Letters as HTTP responses: the frozen PDF of an issued letter, the exact PDF and the HTML preview of a draft.

The letter views answer with these, and so do the workflows that let staff review drafts and applicants download
their letters. Sending bytes under a name is `web.downloads`; what a letter is called lives here.
"""

from __future__ import annotations

from flask import Response, url_for

from disclosure.correspondence import letters
from disclosure.correspondence.kinds import LetterKind, kind_info
from disclosure.correspondence.models import Letter
from disclosure.web.downloads import send_pdf


def download_names(letter: Letter) -> tuple[str, str]:
    """(答复书-测住建公开答〔2026〕12号.pdf, reply-2026-12.pdf): title stem and number; kind, year and serial."""
    return (
        f"{kind_info(letter.kind).file_stem}-{letter.number}.pdf",
        f"{letter.kind.replace('_', '-')}-{letter.year}-{letter.serial}.pdf",
    )


def pdf_download_response(letter: Letter) -> Response:
    """The frozen bytes, identical on every download (ETag = SHA-256), named in Chinese with a meaningful
    ASCII fallback. Workflows that let applicants download their letters answer with this too."""
    name, ascii_name = download_names(letter)
    return send_pdf(letters.letter_pdf(letter), name=name, ascii_name=ascii_name, etag=letter.sha256)


def preview_response(kind: LetterKind | str, agency, context) -> Response:
    """An HTML preview of a draft letter, for staff while drafting (workflows call this from their views)."""
    kind = LetterKind(kind)
    html = letters.render_html(kind, agency, context, stylesheet_urls=[url_for("letters.stylesheet", kind=kind.value)])
    return Response(html, mimetype="text/html")


def draft_pdf_response(kind: LetterKind | str, agency, context) -> Response:
    """The exact PDF reviewers approve (number and verification code are added at issue)."""
    kind = LetterKind(kind)
    return send_pdf(
        letters.render_pdf(kind, agency, context),
        name=f"{kind_info(kind).file_stem}-草稿.pdf",
        ascii_name=f"{kind.value.replace('_', '-')}-draft.pdf",
        inline=True,
    )

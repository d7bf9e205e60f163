"""`disclosure letters …`: check the renderer, render sample letters."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.accounts.models import Agency
from disclosure.correspondence import letters, samples
from disclosure.correspondence.kinds import LetterKind
from disclosure.correspondence.rendering import RendererUnavailable, check_renderer, letter_faces
from disclosure.extensions import db

letters_cli = AppGroup("letters", help="Letters: renderer check and sample letters.")


@letters_cli.command("check")
def check():
    """Refuse (exit 1) unless a Simplified-Chinese font and HarfBuzz subsetting are available."""
    try:
        families = check_renderer()
    except RendererUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("letter renderer ready; CJK fonts: " + ", ".join(families))
    # Which face each GB/T 9704 role prints in: a licensed official font when installed, else the free fallback.
    for role, face in letter_faces().items():
        click.echo(f"  {role}: {face}")


@letters_cli.command("sample")
@click.argument("agency_slug")
@click.argument("kind")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def sample(agency_slug: str, kind: str, output: Path):
    """Render KIND with sample data and AGENCY_SLUG's settings to a PDF file (nothing is numbered)."""
    agency = db.session.execute(db.select(Agency).where(Agency.slug == agency_slug)).scalar_one_or_none()
    if agency is None:
        raise click.ClickException(f"no agency {agency_slug!r}")
    try:
        kind = LetterKind(kind)
    except ValueError:
        raise click.ClickException("kind is one of: " + ", ".join(k.value for k in LetterKind)) from None
    output.write_bytes(letters.render_pdf(kind, agency, samples.sample_context(kind)))
    click.echo(f"wrote {output}")


def init_app(app: Flask) -> None:
    app.cli.add_command(letters_cli)

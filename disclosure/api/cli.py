"""`disclosure tokens create|list|revoke`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.accounts.models import Agency
from disclosure.api import operations as ops
from disclosure.api.models import SCOPES, ApiToken
from disclosure.core.errors import DomainError
from disclosure.extensions import db

tokens = AppGroup("tokens", help="API tokens for business systems and portals.")


def init_app(app: Flask) -> None:
    app.cli.add_command(tokens)


@tokens.command("create")
@click.option("--agency", "slug", required=True)
@click.option("--name", required=True)
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(sorted(SCOPES)))
def create(slug, name, scopes):
    """Issue a token and print it (only now)."""
    agency = db.session.execute(db.select(Agency).where(Agency.slug == slug)).scalar_one_or_none()
    if agency is None:
        raise click.ClickException(f"no agency {slug!r}")
    try:
        token, secret = ops.issue_token(agency, name=name, scopes=list(scopes))
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"token {token.id} for {agency.slug}: {secret}")


@tokens.command("list")
def list_():
    """List tokens (never the secrets)."""
    for t in db.session.execute(db.select(ApiToken).order_by(ApiToken.id)).scalars():
        state = "revoked" if t.revoked_at else "active"
        click.echo(f"{t.id}\t{t.agency.slug}\t{t.name}\t{t.display_prefix}…\t{','.join(t.scopes)}\t{state}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id):
    """Revoke a token."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException("no such token")
    ops.revoke_token(token, reason="command line")
    db.session.commit()
    click.echo("revoked")

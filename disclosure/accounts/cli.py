"""`disclosure users …` and `disclosure agencies …`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from disclosure.accounts import operations as ops
from disclosure.accounts.models import Agency, User
from disclosure.accounts.roles import Role
from disclosure.core.errors import DomainError
from disclosure.core.validators import ValidationError
from disclosure.extensions import db

users = AppGroup("users", help="Manage staff and applicant accounts.")
agencies = AppGroup("agencies", help="Manage agencies.")


def init_app(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(agencies)


def _fail(exc) -> None:
    db.session.rollback()
    raise click.ClickException(str(getattr(exc, "message", exc)))


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--agency", "agency_slug", required=True, help="The agency's short identifier.")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]), required=True)
@click.password_option()
def users_create(email, name, agency_slug, roles, password):
    """Create a staff user."""
    agency = db.session.execute(db.select(Agency).where(Agency.slug == agency_slug)).scalar_one_or_none()
    if agency is None:
        raise click.ClickException(f"no agency {agency_slug!r}")
    try:
        user = ops.create_staff(
            agency=agency, email=email, name=name, password=password, roles=[Role(r) for r in roles]
        )
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"created user {user.id} {user.email}")


@users.command("list")
def users_list():
    """List users."""
    for u in db.session.execute(db.select(User).order_by(User.kind, User.id)).scalars():
        roles = ",".join(sorted(r.value for r in u.roles))
        agency = u.agency.slug if u.agency else "-"
        click.echo(f"{u.id}\t{u.kind}\t{u.email}\t{u.name}\t{agency}\t{roles}\t{'active' if u.active else 'off'}")


@users.command("set-password")
@click.argument("email")
@click.password_option()
def users_set_password(email, password):
    """Set a user's password (and unlock the account)."""
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email!r}")
    user.set_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.log("user.password_set", reason="command line")
    db.session.commit()
    click.echo("password changed")


@agencies.command("create")
@click.option("--slug", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--short-name", required=True)
@click.option("--credit-code", required=True)
@click.option("--division-code", required=True)
@click.option("--reconsideration-body", default="")
@click.option("--court", "litigation_court", default="")
def agencies_create(**data):
    """Create an agency."""
    try:
        agency = ops.save_agency(None, data)
    except (DomainError, ValidationError) as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"created agency {agency.id} {agency.slug} (organisation code {agency.org_code})")


@agencies.command("list")
def agencies_list():
    """List agencies."""
    for a in db.session.execute(db.select(Agency).order_by(Agency.id)).scalars():
        click.echo(f"{a.id}\t{a.slug}\t{a.full_name}\t{a.credit_code}\t{a.division_code}")

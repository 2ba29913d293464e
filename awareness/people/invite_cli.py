"""``flask people invite [EMAIL ...] [--all]`` and the invitations of ``people import --invite``."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click
from flask.cli import with_appcontext

from awareness.extensions import db
from awareness.mail import links, outbox
from awareness.mail.outbox import Courier
from awareness.mail.settings import MailConfigError
from awareness.models import Person
from awareness.people import invitations


@click.command("invite")
@click.argument("emails", nargs=-1)
@click.option(
    "--all",
    "everyone",
    is_flag=True,
    help="Every active person with no password who was not invited in the last 7 days.",
)
@with_appcontext
def invite_command(emails: tuple[str, ...], everyone: bool) -> None:
    """Email each person named (or, with --all, everyone waiting) a link to choose a
    password, valid for 14 days and usable once.

    A deactivated person, or one who already has a password, is skipped. An
    email address that names nobody invites nobody at all (exit 1).
    """
    if emails and everyone:
        raise click.UsageError("name the people to invite, or use --all, not both")
    if not emails and not everyone:
        raise click.UsageError("name the people to invite, or use --all")
    unknown = invitations.unknown(db.session, emails)
    if unknown:
        for email in unknown:
            click.echo(f"no person with the email {email}", err=True)
        click.echo("Nobody was invited.", err=True)
        sys.exit(1)
    if everyone:
        invite_people(invitations.waiting(db.session), invitations.count_waiting(db.session))
    else:
        named = invitations.named(db.session, emails)
        invite_people(named, len(named))


def invite_people(people: Iterable[Person], total: int) -> None:
    """Invite ``people``; print the summary and each person skipped or failed, and exit 1
    if any invitation could not be sent."""
    mail_ready()
    with (
        outbox.transport() as way_out,
        click.progressbar(length=total, label="Inviting", file=sys.stderr) as bar,
    ):
        courier = Courier(db.session, way_out, commit_every=None)
        result = invitations.invite(db.session, courier, people, progress=bar.update)
    for email, reason in result.skipped:
        click.echo(f"skipped {email}: {reason}", err=True)
    for email, error in result.failed:
        click.echo(f"failed {email}: {error}", err=True)
    click.echo(result.summary())
    if result.failed:
        click.echo(
            f"{len(result.failed)} invitation(s) could not be sent: run the command again.",
            err=True,
        )
        sys.exit(1)


def mail_ready() -> None:
    """Stop with a message saying what to set when emails cannot link to the site."""
    try:
        links.base_url()
    except MailConfigError as error:
        raise click.ClickException(str(error)) from None

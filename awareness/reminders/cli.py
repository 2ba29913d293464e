"""``flask reminders send [--dry-run]``: run it from cron or a systemd timer."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from awareness.extensions import db
from awareness.mail.settings import MailConfigError
from awareness.models import utcnow
from awareness.reminders import run

reminders_cli = click.Group("reminders", help="Email reminders of due training and digests.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Count what would be sent and send nothing.")
@with_appcontext
def send_command(dry_run: bool) -> None:
    """Email reminders of overdue training and training due within 7 days, managers'
    weekly digests, and live session reminders the day before, to whoever is due one.
    Running it again sends nothing new."""
    now = utcnow()
    try:
        total = run.count(db.session, now)
        with click.progressbar(length=total, label="Sending", file=sys.stderr) as bar:
            result = run.send_all(db.session, dry_run=dry_run, now=now, progress=bar.update)
    except MailConfigError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except BaseException:
        db.session.rollback()
        raise
    if result.recovered:
        click.echo(
            f"{result.recovered} message(s) left unfinished by a run that stopped will be "
            "sent again.",
            err=True,
        )
    for problem in result.errors:
        click.echo(f"failed: {problem}", err=True)
    click.echo(result.summary())
    if dry_run:
        click.echo("Dry run: nothing was sent.", err=True)
    if result.failed:
        sys.exit(1)

"""``flask people import|set-password|token|revoke-tokens``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from awareness import audit
from awareness.auth import sessions
from awareness.extensions import db, unit_of_work
from awareness.models import Person
from awareness.people import importer, invitations
from awareness.people.accounts import (
    find_person,
    issue_token,
    label_problem,
    password_problem,
    revoke_tokens,
)
from awareness.people.invite_cli import invite_command, invite_people, mail_ready
from awareness.people.rows import known_layers, read_rows
from awareness.reporting import trend

people_cli = click.Group("people", help="Manage the people directory.")
people_cli.add_command(invite_command)


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--deactivate-missing", is_flag=True, help="Deactivate active people absent from the file."
)
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option("--invite", is_flag=True, help="Email the people it creates an invitation.")
@with_appcontext
def import_command(file: Path, deactivate_missing: bool, dry_run: bool, invite: bool) -> None:
    """Create or update people from FILE (email,name,department,layer,roles)."""
    if invite and not dry_run:
        mail_ready()
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows, problems = read_rows(handle, str(file), known_layers(db.session))
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{file}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{len(problems)} bad row(s): nothing was changed.", err=True)
        sys.exit(1)
    with (
        unit_of_work(db.session, keep=not dry_run),
        click.progressbar(length=len(rows), label="Importing", file=sys.stderr) as bar,
    ):
        planned = importer.plan(db.session, rows, deactivate_missing=deactivate_missing)
        result = importer.apply(db.session, planned, progress=bar.update, source=str(file))
    if not dry_run:
        trend.warm(db.session)
    click.echo(result.summary())
    if dry_run:
        click.echo("Dry run: nothing was changed.", err=True)
    elif invite:
        invite_people(invitations.by_ids(db.session, result.created_ids), result.created)


@people_cli.command("set-password")
@click.argument("email")
@with_appcontext
def set_password_command(email: str) -> None:
    """Set a person's password, read from standard input or a prompt."""
    person = _person(email)
    if sys.stdin.isatty():
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    with unit_of_work(db.session):
        person.set_password(password)
        audit.record(db.session, "password.set", person.email)
        sessions.end_all(db.session, [person.id])  # whoever knew the old one is signed out
    click.echo(f"Password set for {person.email}.")


@people_cli.command("token")
@click.argument("email")
@click.option("--label", default="", help="What the token is for, e.g. 'HR reporting'.")
@with_appcontext
def token_command(email: str, label: str) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is kept)."""
    label = label.strip()
    problem = label_problem(label)
    if problem:
        raise click.BadParameter(problem, param_hint="'--label'")
    person = _person(email)
    if not person.active:
        raise click.ClickException(f"{person.email} is deactivated")
    with unit_of_work(db.session):
        token = issue_token(db.session, person, label)
    click.echo(token)


@people_cli.command("revoke-tokens")
@click.argument("email")
@with_appcontext
def revoke_tokens_command(email: str) -> None:
    """Revoke every API token of EMAIL; print how many."""
    person = _person(email)
    with unit_of_work(db.session):
        revoked = revoke_tokens(db.session, person)
    click.echo(f"revoked {revoked}")


def _person(email: str) -> Person:
    person = find_person(db.session, email)
    if person is None:
        raise click.ClickException(f"no person with the email {email}")
    return person

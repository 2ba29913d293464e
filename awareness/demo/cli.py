"""``flask demo load``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from awareness.demo import generate, organisation
from awareness.extensions import db, unit_of_work
from awareness.reporting import trend

demo_cli = click.Group("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and succeed) when people already exist."
)
@with_appcontext
def load_command(if_empty: bool) -> None:
    """Load a small demo organisation into an empty database and print its logins.

    The demo pretends the synced content has been live for a while, so that
    some training is overdue or expired.
    """
    if not organisation.is_empty(db.session):
        if if_empty:
            click.echo("The database already has people: demo not loaded.")
            return
        raise click.ClickException("the database already has people: demo load needs an empty one")
    try:
        with unit_of_work(db.session):
            loaded = organisation.load(db.session)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    trend.warm(db.session)
    click.echo(
        f"Demo organisation loaded: {loaded.people} people, {loaded.attempts} attempts,"
        f" {loaded.sessions} live sessions."
    )
    click.echo(f"Sign in with any of these (password: {organisation.DEMO_PASSWORD}):")
    for email, what in organisation.LOGINS:
        click.echo(f"  {email:<24} {what}")


@demo_cli.command("generate")
@click.option("--people", "count", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@with_appcontext
def generate_command(count: int, seed: int) -> None:
    """Generate a large synthetic organisation (same seed, same organisation).

    Needs synced content and no people yet. Attempts spread over the last 18
    months, with failures, retakes, renewals, expired and overdue training.
    """
    with click.progressbar(length=count, label="Generating people") as bar:
        try:
            with unit_of_work(db.session):
                made = generate.generate(db.session, count, seed, progress=bar.update)
        except RuntimeError as error:
            raise click.ClickException(str(error)) from None
    trend.warm(db.session)
    click.echo(
        f"Generated {made.people} people in {made.departments} departments, "
        f"{made.attempts} attempts, {made.answers} answers."
    )

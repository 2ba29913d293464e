"""``flask content check|sync``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from awareness.content import runs
from awareness.content.parser import ContentTree, load_content
from awareness.content.problems import Problem
from awareness.extensions import db, unit_of_work
from awareness.reporting import trend

content_cli = click.Group("content", help="Validate and publish the Markdown modules.")

directory_argument = click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def _load(directory: Path | None) -> ContentTree:
    directory = directory or Path(current_app.config["CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"{directory}: no such content folder")
    return load_content(directory)


def _report_problems(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{len(problems)} problem(s) found.", err=True)
    sys.exit(1)


@content_cli.command("check")
@directory_argument
@with_appcontext
def check_command(directory: Path | None) -> None:
    """Validate every file; print PATH:LINE: message for each problem."""
    tree = _load(directory)
    if tree.problems:
        _report_problems(tree.problems)
    click.echo(tree.summary())


@content_cli.command("sync")
@directory_argument
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@with_appcontext
def sync_command(directory: Path | None, dry_run: bool) -> None:
    """Check, then bring the database in line with the files."""
    directory = directory or Path(current_app.config["CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"{directory}: no such content folder")
    with unit_of_work(db.session, keep=not dry_run):  # a refused sync is kept, as refused
        run = runs.sync_folder(db.session, directory, dry_run=dry_run)
    if run.result is None:
        _report_problems(run.problems)
    if run.applied and run.result.changed:
        trend.warm(db.session)
    click.echo(run.result.summary())
    for reset in run.result.resets:
        verb = "would reset" if dry_run else "reset"
        click.echo(
            f"{reset.slug}: major {reset.old} -> {reset.new} {verb} "
            f"{reset.completions} people's completions"
        )

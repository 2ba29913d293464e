"""``flask audit export``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from awareness.audit.export import AuditFilters, lines
from awareness.extensions import db

audit_cli = click.Group("audit", help="Read the audit log.")

day_option = click.DateTime(formats=["%Y-%m-%d"])


@audit_cli.command("export")
@click.option("--since", type=day_option, help="Only entries on or after this day (UTC).")
@click.option("--until", type=day_option, help="Only entries on or before this day (UTC).")
@click.option(
    "--action", "actions", multiple=True, help="Only this action, e.g. token.revoke (repeatable)."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@with_appcontext
def export_command(
    since: datetime | None, until: datetime | None, actions: tuple[str, ...], output: Path | None
) -> None:
    """Write the audit log as CSV: at,actor,action,target,details,ip."""
    if since and until and since > until:
        raise click.BadParameter("is after --until", param_hint="'--since'")
    filters = AuditFilters(
        since=since.date() if since else None,
        until=until.date() if until else None,
        actions=actions,
    )
    chunks = (chunk.encode() for chunk in lines(db.session, filters))
    try:
        # "-" is standard output; a file is written aside and moved into place when complete.
        with click.open_file(str(output or "-"), "wb", atomic=output is not None) as handle:
            handle.writelines(chunks)
    except OSError as error:
        raise click.ClickException(f"{output}: cannot write ({error.strerror})") from None

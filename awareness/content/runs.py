"""One ``content sync`` of a folder, for the command line and the browser alike.

:func:`sync_folder` reads the folder, applies it (or, for a dry run, works
out what applying it would do) and keeps a :class:`~awareness.models.ContentSync`
row of every real sync, applied or refused. It flushes and never commits: the
caller's :func:`~awareness.extensions.unit_of_work` does, keeping the work
for a real sync and rolling it back for a dry run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness import audit
from awareness.content.parser import load_content
from awareness.content.problems import Problem
from awareness.content.sync import SyncRefused, SyncResult, apply
from awareness.models import ContentSync


@dataclass
class SyncRun:
    """What one sync (or dry run) of a folder found and did."""

    source: str
    dry_run: bool
    #: The folder's :attr:`~awareness.content.specs.ContentTree.fingerprint` as read.
    fingerprint: str
    problems: list[Problem] = field(default_factory=list)
    #: None when refused (problems) or stale.
    result: SyncResult | None = None
    #: The folder no longer reads as the dry run it confirms: nothing was done.
    stale: bool = False

    @property
    def applied(self) -> bool:
        return self.result is not None and not self.dry_run


def sync_folder(
    session: Session,
    directory: Path,
    *,
    dry_run: bool = False,
    expected: str | None = None,
    today: date | None = None,
) -> SyncRun:
    """Check and sync ``directory`` in ``session`` (flushed, not committed).

    With ``expected`` (a dry run's fingerprint), a folder that reads otherwise
    now is left alone and the run is ``stale``. Problems, whether in the
    files or only against the database (a ``major`` that went down), leave
    the modules as they were. A real sync is kept as a ``ContentSync`` row
    either way; a dry run or a stale confirmation leaves nothing.
    """
    tree = load_content(directory)
    run = SyncRun(str(directory), dry_run, tree.fingerprint, list(tree.problems))
    if expected is not None and expected != run.fingerprint:
        run.stale = True
        return run
    if not run.problems:
        try:
            with session.begin_nested():  # a refusal undoes the sync's writes, not the caller's
                run.result = apply(
                    session, tree, today=today, source=run.source, record=not dry_run
                )
        except SyncRefused as refused:
            run.problems = refused.problems
    if not dry_run:
        _keep(session, run)
    return run


def _keep(session: Session, run: SyncRun) -> None:
    result = run.result or SyncResult()
    session.add(
        ContentSync(
            source=run.source[:500],
            fingerprint=run.fingerprint,
            applied=run.result is not None,
            added=len(result.added),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
            retired=len(result.retired),
            resets=[asdict(reset) for reset in result.resets],
            problems=[[p.path, p.line, p.message] for p in run.problems],
            **{key: value for key, value in audit.source().items() if key != "ip"},
        )
    )
    session.flush()


def last_syncs(session: Session) -> tuple[ContentSync | None, ContentSync | None]:
    """The last sync, and the last applied one when the last was refused (else None)."""
    last = session.scalar(select(ContentSync).order_by(ContentSync.id.desc()).limit(1))
    if last is None or last.applied:
        return last, None
    applied = session.scalar(
        select(ContentSync).where(ContentSync.applied).order_by(ContentSync.id.desc()).limit(1)
    )
    return last, applied

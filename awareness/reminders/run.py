"""One ``reminders send``: reminders, then digests, a batch of people at a time.

For each batch: decide who is due a message (:mod:`.series`), write or
refresh their records, claim them and commit (so no other run sends them),
then send each over the one connection and record its outcome. Memory stays
flat however many people there are.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message

from flask import current_app
from sqlalchemy.orm import Session

from awareness.live import notices
from awareness.mail import links, outbox
from awareness.mail.compose import language_of
from awareness.mail.outbox import Courier, claim, recover_interrupted
from awareness.models import utcnow
from awareness.reminders import digests, due, messages, series
from awareness.reminders import sessions as session_mail

KINDS = ("reminder", "digest", *notices.KINDS)
#: People planned, claimed and committed together.
BATCH = 200
#: Outcomes committed together. A crash loses at most this many (they are sent again): one
#: commit per message costs a disk flush each, and at 50,000 reminders that is minutes.
COMMIT_EVERY = 20


@dataclass
class RunResult:
    #: Learners' emails: training reminders, and live session emails (see :func:`send_all`).
    reminders: int = 0
    digests: int = 0
    failed: int = 0
    #: Messages a stopped run left half-done, handed to this run as failed.
    recovered: int = 0
    #: Unsent messages no longer needed (the training was done meanwhile).
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"reminders {self.reminders}, digests {self.digests}, failed {self.failed}"


def count(session: Session, now: datetime) -> int:
    """People and session emails to look at: for the progress bar."""
    return due.count(session, now) + digests.count(session) + session_mail.count_due(session, now)


def send_all(
    session: Session,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda done: None,
    commit_every: int = COMMIT_EVERY,
) -> RunResult:
    """Send every reminder and digest due now (count them only, with ``dry_run``).

    Then the live session emails: the day-before reminders, and any
    confirmation or notice a request could not send; they count as reminders
    (the printed line is fixed by docs/cli.md).
    """
    links.base_url()  # before anything: every message links to the site
    now = now or utcnow()
    result = RunResult()
    if not dry_run:
        result.recovered = recover_interrupted(session, now, KINDS)
        result.cancelled = series.cancel_unneeded(
            session, "reminder", due.still_wanted(now)
        ) + series.cancel_unneeded(session, "digest", digests.still_wanted())
        session.commit()
    titles = due.Titles.load(session)
    every = int(current_app.config["REMINDER_DAYS"])
    with nullcontext(None) if dry_run else outbox.transport() as way_out:
        courier = None if way_out is None else Courier(session, way_out, commit_every)
        for ids in due.person_batches(session, now, BATCH):
            plans = due.plan(session, ids, now, titles, language_of)
            result.reminders += _batch(
                session,
                courier,
                "reminder",
                plans,
                every,
                now,
                lambda message_id, plan: messages.reminder(message_id, plan, every),
            )
            progress(len(ids))
        for ids in digests.manager_batches(session, BATCH):
            plans = digests.plan(session, ids, now, language_of)
            result.digests += _batch(
                session, courier, "digest", plans, digests.EVERY_DAYS, now, messages.digest
            )
            progress(len(ids))
        if courier is None:
            result.reminders += session_mail.count_due(session, now)
        else:
            session_mail.write_reminders(session, now)
            session.commit()
            live = session_mail.send_unsent(session, now, courier=courier, progress=progress)
            result.reminders += live.sent
            result.cancelled += live.cancelled
    if courier is not None:
        result.failed, result.errors = courier.failed, courier.errors
    return result


def _batch(
    session: Session,
    courier: Courier | None,
    kind: str,
    plans: list[series.Planned],
    every: int,
    now: datetime,
    render: Callable[[int, series.Planned], Message],
) -> int:
    """Send one batch's messages of ``kind`` that are due; how many went (or would go)."""
    previous = series.latest(session, kind, [plan.person_id for plan in plans])
    decided = [
        (plan, previous.get(plan.person_id), decision)
        for plan in plans
        if (decision := series.decide(previous.get(plan.person_id), now.date(), every))
    ]
    if courier is None:  # a dry run
        session.rollback()
        return len(decided)
    ids = series.write(session, kind, decided, now)
    claimed = set(claim(session, ids.values(), now))
    session.commit()
    sent_before = courier.sent
    for plan, _, _ in decided:
        message_id = ids.get(plan.person_id)
        if message_id not in claimed:
            continue  # another run holds it
        try:
            message = render(message_id, plan)
        except Exception as error:  # a message that cannot be written must not stop the run
            current_app.logger.exception("could not write %s %d", kind, message_id)
            courier.fail(message_id, f"could not write the message: {error}")
            continue
        courier.deliver(message_id, message)
    courier.commit()
    return courier.sent - sent_before

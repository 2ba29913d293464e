"""Sending the live session emails of :mod:`awareness.live.notices`.

From a request, once it has committed (:func:`send_soon`: a registration's
confirmation, a change or cancellation notice to its first
:data:`AT_ONCE` registrants), and from ``reminders send`` (:func:`send_unsent`:
the day-before reminders, and anything a request left unsent). Each message
is rendered from the session as it is when sent, in the registrant's
language, times in the organisation's time zone; a confirmation, change or
cancellation carries the session's ``.ics`` so calendars add, move or remove it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from awareness.extensions import db
from awareness.live import calendar, notices
from awareness.live.times import zone
from awareness.mail import links, outbox
from awareness.mail.compose import Recipient, attach, compose, language_of, one_line
from awareness.mail.later import after_response
from awareness.mail.outbox import MAX_ATTEMPTS, UNSENT, Courier, claim
from awareness.models import EmailMessage, LiveSession, Person, Registration, utcnow

#: A request sends at most this many notices itself; ``reminders send`` sends the rest
#: (a worker must not spend minutes on a 5,000-person session's notices).
AT_ONCE = 100
BATCH = 200

SUBJECTS: dict[str, Callable[[str], str]] = {
    notices.CONFIRMATION: lambda title: _("You are registered: %(title)s", title=title),
    notices.REMINDER: lambda title: _("Reminder: %(title)s", title=title),
    notices.CHANGE: lambda title: _("Time or place changed: %(title)s", title=title),
    notices.CANCELLATION: lambda title: _("Cancelled: %(title)s", title=title),
}
#: The kinds that carry the session's calendar entry.
WITH_CALENDAR = (notices.CONFIRMATION, notices.CHANGE, notices.CANCELLATION)


def enabled() -> bool:
    """Whether live session emails are written: when emails can link to the site."""
    return bool(current_app.config.get("BASE_URL"))


def on_register(session: Session, live: LiveSession, person: Person, now: datetime) -> list[int]:
    """After ``person`` took a place: their confirmation to send (none when emails are off)."""
    return notices.confirm(session, live, person, now, language_of) if enabled() else []


def on_unregister(session: Session, live: LiveSession, person: Person) -> None:
    """After ``person`` gave their place back: nothing more is sent to them about it."""
    notices.withdraw(session, live, person)


def on_change(
    session: Session, live: LiveSession, changes: dict[str, list[Any]], now: datetime
) -> list[int]:
    """After ``planning.update``: a notice to each registrant when the time or place changed."""
    told = notices.changed_for_registrants(changes)
    if not told or not enabled():
        return []
    return notices.tell_registrants(session, live, notices.CHANGE, now, language_of, told)


def on_cancel(session: Session, live: LiveSession, now: datetime) -> list[int]:
    """After ``planning.cancel``: a notice to each registrant."""
    if not enabled():
        return []
    return notices.tell_registrants(session, live, notices.CANCELLATION, now, language_of)


def send_soon(response: Response, ids: Collection[int]) -> None:
    """Send these (committed) messages once ``response`` has gone; the rest of them, and any
    that fail, go with the next ``reminders send``."""
    chosen = sorted(ids)[:AT_ONCE]
    if chosen:
        after_response(
            response, lambda: send_unsent(db.session, utcnow(), only=chosen), "a session email"
        )


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def write_reminders(session: Session, now: datetime) -> int:
    """Write the day-before reminders due now that were not written before; how many."""
    due = notices.reminders_due(session, now, zone())
    return len(notices.write_reminders(session, due, now, language_of))


def count_due(session: Session, now: datetime) -> int:
    """Session emails a run would try now: reminders not yet written, and unsent ones."""
    due = notices.reminders_due(session, now, zone())
    return notices.count_new_reminders(session, due) + count_unsent(session)


def count_unsent(session: Session) -> int:
    """Unsent session emails a run would try."""
    return int(session.scalar(select(func.count()).select_from(_unsent_ids().subquery())) or 0)


def _unsent_ids() -> Any:
    return (
        select(EmailMessage.id)
        .where(
            EmailMessage.kind.in_(notices.KINDS),
            EmailMessage.status.in_(UNSENT),
            EmailMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(EmailMessage.id)
    )


def send_unsent(
    session: Session,
    now: datetime,
    *,
    only: Collection[int] | None = None,
    courier: Courier | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> Outcome:
    """Send the unsent session emails (only ``only``, when given), a batch at a time; first
    cancel those no longer wanted (the session started or was cancelled, the place given back)."""
    outcome = Outcome()
    if courier is None:
        with outbox.transport() as way_out:
            return send_unsent(
                session, now, only=only, courier=Courier(session, way_out, None), progress=progress
            )
    sent_before, failed_before = courier.sent, courier.failed
    last = 0
    while True:
        query = _unsent_ids().where(EmailMessage.id > last).limit(BATCH)
        if only is not None:
            query = query.where(EmailMessage.id.in_(list(only)))
        ids = list(session.scalars(query))
        if not ids:
            break
        last = ids[-1]
        outcome.cancelled += _send_batch(session, courier, ids, now)
        progress(len(ids))
    outcome.sent = courier.sent - sent_before
    outcome.failed = courier.failed - failed_before
    return outcome


def _send_batch(session: Session, courier: Courier, ids: list[int], now: datetime) -> int:
    """Cancel the unwanted, claim and send the rest; how many were cancelled."""
    found = session.execute(
        select(EmailMessage, Person.name, Person.active)
        .join(Person, Person.id == EmailMessage.person_id)
        .where(EmailMessage.id.in_(ids))
    ).all()
    rows = [(message, name) for message, name, _active in found]
    active = {message.person_id for message, _name, is_active in found if is_active}
    session_ids = {message.details["session_id"] for message, _ in rows}
    person_ids = {message.person_id for message, _ in rows}
    lives = {
        live.id: live
        for live in session.scalars(select(LiveSession).where(LiveSession.id.in_(session_ids)))
    }
    registered: set[tuple[int, int]] = {
        (session_id, person_id)
        for session_id, person_id in session.execute(
            select(Registration.session_id, Registration.person_id).where(
                Registration.session_id.in_(session_ids), Registration.person_id.in_(person_ids)
            )
        )
    }
    keep: list[tuple[EmailMessage, str]] = []
    drop: list[tuple[EmailMessage, str]] = []
    for message, name in rows:
        live = lives.get(message.details["session_id"])
        holds = (message.details["session_id"], message.person_id) in registered
        holds = holds and message.person_id in active  # a deactivated person is told nothing
        (keep if notices.wanted(message.kind, live, holds, now) else drop).append((message, name))
    if drop:
        session.execute(
            update(EmailMessage)
            .where(EmailMessage.id.in_([m.id for m, _ in drop]), EmailMessage.status.in_(UNSENT))
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
    claimed = set(claim(session, [m.id for m, _ in keep], now))
    session.commit()
    for message, name in keep:
        if message.id not in claimed:
            continue  # another run or request holds it
        live = lives[message.details["session_id"]]
        try:
            email = render(message, name, live)
        except Exception as error:  # one message that cannot be written must not stop the rest
            current_app.logger.exception("could not write %s %d", message.kind, message.id)
            courier.fail(message.id, f"could not write the message: {error}")
            continue
        courier.deliver(message.id, email)
    courier.commit()
    return len(drop)


def render(message: EmailMessage, name: str, live: LiveSession) -> Message:
    """The email ``message`` records, about ``live`` as it is now."""
    page = links.link("sessions.show", session_id=live.id)
    title = one_line(live.title)
    email = compose(
        message.kind,
        Recipient(message.to_address, name, language_of(message.language)),
        lambda: SUBJECTS[message.kind](title),
        key=f"{message.kind}-{message.id}",
        name=name,
        live=live,
        title=title,
        page_url=page,
        sessions_url=links.link("sessions.index"),
        zone=str(zone()),
        changes=message.details.get("changes") or {},
    )
    if message.kind in WITH_CALENDAR:
        entry = calendar.ics(live, site=links.base_url(), page_url=page, now=utcnow())
        method = "CANCEL" if live.cancelled else "PUBLISH"
        email = attach(email, entry, f"session-{live.id}.ics", "calendar", method=method)
    return email

"""Recording who attended a live session, by roster, upload, code or API: one record each.

Attending a session that covers a module completes it (docs/metrics.md):
each new attendance writes an :class:`~awareness.models.Attempt` with no score,
passed, at the module's current major and text, dated the session's start and
naming the session; then the assignment summary of those people and that module
is rebuilt in one statement (which also moves the trend cache on: a pass dated
in the past changes past month ends). Recording someone twice records them
once: the attendance's primary key and ``INSERT ... ON CONFLICT DO NOTHING``
decide, so only the request that inserted the row writes the attempt, however
many race. What an organiser or facilitator records (names ticked on the roster,
addresses typed, uploaded or sent to the API) is audited, and so is removing an
attendance, which deletes its attempt; a code typed by the attendee is not (the
attendance keeps how and when it was recorded).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from awareness import audit
from awareness.live import codes
from awareness.live.audience import is_open_to
from awareness.live.problems import Closed, FieldError, NotInAudience, WrongCode
from awareness.models import Attempt, Attendance, LiveSession, Module, Person
from awareness.models.live import METHODS
from awareness.models.types import rows_affected
from awareness.progress import summary

#: People per statement (bound parameters stay well under every database's limit).
CHUNK = 1000
#: Up to this many new attendees, each summary row is updated in place (see _complete).
IN_PLACE_UP_TO = 20
#: Above this many new attendees, the module's whole summary is rebuilt (one scan) rather
#: than naming every person in the statement.
BY_MODULE_ABOVE = 2000
#: The most addresses one upload or request may name.
MOST_ADDRESSES = 50_000


#: An ``attendance.record`` audit entry names the people it recorded up to this many.
NAMED_UP_TO = 100


@dataclass
class Recorded:
    recorded: int = 0  # newly recorded now
    already: int = 0  # recorded before
    unknown: list[str] = field(default_factory=list)  # addresses of nobody active
    new_ids: list[int] = field(default_factory=list, repr=False)  # whom it recorded now


def check_open(live: LiveSession, now: datetime) -> None:
    """Closed when attendance cannot be recorded yet (or at all)."""
    if live.cancelled:
        raise Closed(_("This session was cancelled: it has no attendance."))
    opens, _closes = codes.window(live.starts_at, live.ends_at)
    if now < opens:
        raise Closed(_("Attendance opens 15 minutes before the session starts."))


def record(
    session: Session,
    live: LiveSession,
    person_ids: Iterable[int],
    *,
    method: str,
    now: datetime,
    by: Person | None = None,
) -> Recorded:
    """Record these people (active ones; others are ignored) as attendees of ``live``."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    wanted = sorted(set(person_ids))
    check_open(live, now)
    new: list[int] = []
    for start in range(0, len(wanted), CHUNK):
        new.extend(_insert(session, live, wanted[start : start + CHUNK], method, now, by))
    if new and live.module_id is not None:
        _complete(session, live, new)
    return Recorded(recorded=len(new), already=len(wanted) - len(new), new_ids=sorted(new))


def _insert(
    session: Session,
    live: LiveSession,
    ids: list[int],
    method: str,
    now: datetime,
    by: Person | None,
) -> list[int]:
    """Insert the attendances that are not there yet; return whose were inserted."""
    rows = select(
        literal(live.id), Person.id, literal(now), literal(by.id if by else None), literal(method)
    ).where(Person.id.in_(ids), Person.active)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Attendance)
        .from_select(["session_id", "person_id", "recorded_at", "recorded_by_id", "method"], rows)
        .on_conflict_do_nothing()
        .returning(Attendance.person_id)
    )
    return list(session.scalars(statement))


def _complete(session: Session, live: LiveSession, person_ids: list[int]) -> None:
    """Write the attempts that make attendance count, and bring the summary in step.

    A few people (a code typed in the room) update their summary rows in place,
    as a quiz does, so a pass dated this month leaves the kept trend alone; a
    list rebuilds the module's rows for them in one statement.
    """
    module = session.get(Module, live.module_id)
    assert module is not None
    rows: list[dict[str, object]] = [
        {
            "person_id": person_id,
            "module_id": module.id,
            "major": module.major,
            "source_hash": module.source_hash,
            "score": None,
            "passed": True,
            "answers": {},
            "submitted_at": live.starts_at,
            "live_session_id": live.id,
        }
        for person_id in person_ids
    ]
    if len(rows) <= IN_PLACE_UP_TO:
        written = [Attempt(**row) for row in rows]
        session.add_all(written)
        session.flush()
        for attempt in written:
            summary.record_attempt(session, attempt, module)
        return
    session.execute(insert(Attempt), rows)
    _refresh(session, module.id, person_ids)


def _refresh(session: Session, module_id: int, person_ids: Collection[int]) -> None:
    if len(person_ids) > BY_MODULE_ABOVE:
        summary.refresh(session, module_ids=[module_id])
    else:
        summary.refresh(session, person_ids=person_ids, module_ids=[module_id])


def record_emails(
    session: Session,
    live: LiveSession,
    emails: Iterable[str],
    *,
    method: str,
    now: datetime,
    by: Person | None = None,
    person_ids: Iterable[int] = (),
) -> Recorded:
    """Record the active people with these addresses (any case) and with ``person_ids`` (the
    names ticked on a roster); list the other addresses. Audited when it recorded anyone."""
    wanted: dict[str, str] = {}
    for email in emails:
        wanted.setdefault(email.strip().lower(), email.strip())
    wanted.pop("", None)
    if len(wanted) > MOST_ADDRESSES:
        raise FieldError(
            _("emails: at most %(n)s addresses at a time.", n=f"{MOST_ADDRESSES:,}"), "emails"
        )
    found: dict[str, int] = {}
    addresses = list(wanted)
    for start in range(0, len(addresses), CHUNK):
        chunk = addresses[start : start + CHUNK]
        query = select(Person.email, Person.id).where(Person.email.in_(chunk), Person.active)
        found.update(session.execute(query).all())
    result = record(session, live, [*found.values(), *person_ids], method=method, now=now, by=by)
    result.unknown = [wanted[email] for email in wanted if email not in found]
    if result.recorded:
        details: dict[str, object] = {
            "method": method, "recorded": result.recorded, "unknown": len(result.unknown)
        }  # fmt: skip
        if result.recorded <= NAMED_UP_TO:
            details["people"] = list(
                session.scalars(
                    select(Person.email).where(Person.id.in_(result.new_ids)).order_by(Person.email)
                )
            )
        audit.record(session, "attendance.record", f"{live.id}: {live.title}", actor=by, **details)
    return result


def remove(
    session: Session, live: LiveSession, person: Person, *, by: Person | None = None
) -> bool:
    """Remove an attendance and the attempt it wrote (audited); False when there was none."""
    removed = rows_affected(
        session.execute(
            delete(Attendance).where(
                Attendance.session_id == live.id, Attendance.person_id == person.id
            )
        )
    )
    if not removed:
        return False
    session.execute(
        delete(Attempt).where(Attempt.live_session_id == live.id, Attempt.person_id == person.id)
    )
    if live.module_id is not None:
        _refresh(session, live.module_id, [person.id])
    audit.record(
        session, "attendance.remove", person.email, actor=by,
        session_id=live.id, title=live.title,
    )  # fmt: skip
    return True


def enter_code(
    session: Session, live: LiveSession, person: Person, entered: str, now: datetime
) -> bool:
    """Record ``person`` from the code they typed; False when already recorded.

    WrongCode when it is not this session's code; Closed outside its window
    (from 15 minutes before the start to an hour after the end);
    NotInAudience when the session is not for them.
    """
    if live.cancelled:
        raise Closed(_("This session was cancelled: it has no attendance."))
    if not codes.matches(live.attendance_code, entered):
        raise WrongCode(
            _("That is not this session's attendance code. Check it and try again."), "code"
        )
    opens, closes = codes.window(live.starts_at, live.ends_at)
    if now < opens:
        raise Closed(
            _("The code is right, but it is accepted only from 15 minutes before the start."),
            "code",
        )
    if now > closes:
        raise Closed(
            _("The code is right, but it was accepted only until an hour after the end."), "code"
        )
    if not is_open_to(session, live, person):
        raise NotInAudience(
            _("This session is not open to you: ask the facilitator to record your attendance.")
        )
    return bool(record(session, live, [person.id], method="code", now=now).recorded)


def sessions_with_code(session: Session, entered: str) -> list[LiveSession]:
    """The sessions (not cancelled) whose code is ``entered``, the latest first."""
    code = codes.normalise(entered)
    if not code:
        return []
    query = (
        select(LiveSession)
        .where(LiveSession.attendance_code == code, LiveSession.cancelled_at.is_(None))
        .order_by(LiveSession.starts_at.desc())
    )
    return list(session.scalars(query))


def enter_any_code(
    session: Session, person: Person, entered: str, now: datetime
) -> tuple[LiveSession, bool]:
    """Record ``person`` at the session whose code they typed (see :func:`enter_code`)."""
    found = sessions_with_code(session, entered)
    if not found:
        raise WrongCode(_("No session has that attendance code. Check it and try again."), "code")
    opens_first = [live for live in found if codes.window(live.starts_at, live.ends_at)[0] <= now]
    live = next(
        (s for s in opens_first if now <= codes.window(s.starts_at, s.ends_at)[1]),
        found[0],
    )
    return live, enter_code(session, live, person, entered, now)


def read_attendee_file(data: bytes) -> list[str]:
    """The addresses in an attendee list exported from a webinar platform.

    Either a header row with a column named like ``email`` (``Email``,
    ``E-mail address``...; the first such column), or a single column of
    addresses with no header. FieldError with the line for anything else.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FieldError(
            _("file: it is not UTF-8 text (save the list as CSV, UTF-8)."), "file"
        ) from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise FieldError(_("file: it holds no addresses."), "file")
    header = [cell.strip().lower().replace("-", "").replace("_", " ") for cell in rows[0]]
    column = next((i for i, name in enumerate(header) if name.startswith("email")), None)
    if column is not None:
        return [
            row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()
        ]
    if all(len([c for c in row if c.strip()]) == 1 for row in rows):
        addresses = [next(c for c in row if c.strip()).strip() for row in rows]
        if "@" in addresses[0]:
            return addresses
        return addresses[1:]  # a one-column header such as "Attendee"
    raise FieldError(
        _(
            "file: line 1 has no email column; give a header with an “email” column,"
            " or one address per line."
        ),
        "file",
    )

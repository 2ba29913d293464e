"""Live sessions for the demo organisation: two that took place (with attendance that
completes their modules) and two to come (with registrations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from awareness.live import attendance, planning, registration
from awareness.models import Module, Person


@dataclass(frozen=True)
class DemoSession:
    title: str
    kind: str
    days_from_now: int
    hour: int  # UTC
    hours: int
    location: str
    capacity: int | None
    modules: tuple[str, ...]  # the first that exists is the one it covers
    layers: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    facilitator: str | None = None
    registered: tuple[str, ...] = ()
    attended: tuple[str, ...] = ()


SESSIONS = [
    DemoSession(
        "Leadership roundtable: deciding under ransomware", "roundtable", -20, 9, 2,
        "Board room, 4th floor", 12, ("leading-through-a-cyber-incident", "cyber-risk"),
        layers=["leadership"], facilitator="admin@example.org",
        registered=("director@example.org", "cfo@example.org", "admin@example.org"),
        attended=("director@example.org", "cfo@example.org"),
    ),
    DemoSession(
        "All-staff seminar: phishing and social engineering", "seminar", -45, 10, 1,
        "Main hall", 120, ("phishing-and-social-engineering", "phishing"),
        registered=("learner@example.org", "sam.patel@example.org", "omar.haddad@example.org",
                    "ines.costa@example.org", "noor.khan@example.org", "max.weber@example.org"),
        attended=("learner@example.org", "sam.patel@example.org", "omar.haddad@example.org",
                  "noor.khan@example.org", "max.weber@example.org", "zoe.martin@example.org"),
    ),
    DemoSession(
        "Webinar: passwords and multi-factor authentication", "webinar", 5, 8, 1,
        "https://meet.example.org/awareness-mfa", 200, ("passwords-and-mfa", "welcome"),
        registered=("learner@example.org", "manager@example.org", "jo.kim@example.org",
                    "li.wei@example.org"),
    ),
    DemoSession(
        "Workshop: reporting security incidents", "workshop", 12, 13, 3,
        "Operations training room", 8, ("reporting-security-incidents",),
        departments=["Operations"], facilitator="tom.berg@example.org",
        registered=("omar.haddad@example.org", "ines.costa@example.org", "ana.silva@example.org"),
    ),
]  # fmt: skip


def load(session: Session, now: datetime) -> int:
    """Plan the demo sessions, register people and record attendance; the caller commits."""
    people = {p.email: p for p in session.scalars(select(Person))}
    slugs = set(session.scalars(select(Module.slug).where(~Module.retired)))
    for demo in SESSIONS:
        starts = datetime.combine(
            (now + timedelta(days=demo.days_from_now)).date(), time(demo.hour)
        )
        draft = planning.Draft(
            title=demo.title, kind=demo.kind, starts_at=starts,
            ends_at=starts + timedelta(hours=demo.hours), location=demo.location,
            capacity=demo.capacity, module=next((s for s in demo.modules if s in slugs), None),
            facilitator=demo.facilitator, layers=demo.layers, departments=demo.departments,
        )  # fmt: skip
        live = planning.create(session, draft)
        for email in demo.registered:
            registration.register(session, live, people[email], starts - timedelta(days=7))
        if demo.attended:
            attendance.record_emails(session, live, demo.attended, method="upload", now=now)
    return len(SESSIONS)

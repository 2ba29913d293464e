"""A live session as an iCalendar (``.ics``) entry that calendars add, update and cancel."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from awareness.models import LiveSession

PRODUCT = "-//Awareness//Live sessions//EN"


def uid(live: LiveSession, site: str) -> str:
    """The entry's UID: the same for a session forever, so an update replaces the entry.

    Its domain is the host of ``site`` (``AWARENESS_BASE_URL``): unique to this site.
    """
    host = urlsplit(site).hostname
    if not host:
        raise ValueError(f"no host name in the site's address {site!r}")
    return f"live-session-{live.id}@{host}"


def ics(live: LiveSession, *, site: str, page_url: str, now: datetime) -> bytes:
    """The session as a one-event calendar; a cancelled one has ``STATUS:CANCELLED``.

    ``site`` is the address people use (``AWARENESS_BASE_URL``), ``page_url`` the
    session's page; times are UTC, naive ones read as UTC.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if live.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid(live, site))
    event.add("dtstamp", now.replace(tzinfo=UTC))
    event.add("dtstart", live.starts_at.replace(tzinfo=UTC))
    event.add("dtend", live.ends_at.replace(tzinfo=UTC))
    event.add("sequence", live.sequence)
    event.add("summary", live.title)
    if live.location:
        event.add("location", live.location)
    description = "\n\n".join(part for part in (live.description, page_url) if part)
    event.add("description", description)
    event.add("url", page_url)
    event.add("status", "CANCELLED" if live.cancelled else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical

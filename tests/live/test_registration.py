"""Signing up: the audience, the capacity (also under a race), cancelling, and the emails owed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from awareness.extensions import db
from awareness.live import audience, planning, registration
from awareness.live.problems import Closed, Full, NotInAudience
from awareness.models import LiveSession, Person, Registration
from awareness.models.types import utcnow


@pytest.mark.parametrize(
    ("audience_fields", "open_to"),
    [
        ({}, {"hr", "boss", "pay1", "proc", "it", "new"}),
        ({"layers": ["staff"]}, {"pay1", "proc", "new"}),
        ({"departments": ["Finance"]}, {"boss", "pay1", "proc", "new"}),  # and below it
        ({"departments": ["Finance/Payroll", "IT"]}, {"pay1", "new", "it"}),
        ({"layers": ["management", "technical"], "departments": ["Finance"]}, {"boss"}),
    ],
)
def test_the_audience_is_layers_and_departments_below(org, plan, audience_fields, open_to):
    live = plan(**audience_fields)
    people = {key: org[key] for key in ("hr", "boss", "pay1", "proc", "it", "new")}
    assert {k for k, p in people.items() if audience.is_open_to(db.session, live, p)} == open_to
    listed = {
        k
        for k, p in people.items()
        if live.id in [e.live.id for e in audience.sessions_for(db.session, p, utcnow())]
    }
    assert listed == open_to


def test_registering_fills_the_places_and_a_full_session_refuses(org, plan):
    live = plan(capacity=2)
    now = utcnow()
    assert registration.register(db.session, live, org["pay1"], now)
    assert not registration.register(db.session, live, org["pay1"], now)  # once
    assert registration.register(db.session, live, org["proc"], now)
    with pytest.raises(Full):
        registration.register(db.session, live, org["new"], now)
    [entry] = [
        e for e in audience.sessions_for(db.session, org["new"], now) if e.live.id == live.id
    ]
    assert (entry.registered, entry.places_left, entry.full, entry.mine) == (2, 0, True, False)
    assert registration.unregister(db.session, live, org["proc"], now)
    assert registration.register(db.session, live, org["new"], now)


def test_registration_is_refused_outside_the_audience_after_the_start_and_when_cancelled(org, plan):
    live = plan(layers=["leadership"])
    with pytest.raises(NotInAudience):
        registration.register(db.session, live, org["pay1"], utcnow())
    started = plan(starts_in=-timedelta(minutes=1))
    with pytest.raises(Closed, match="closed when the session started"):
        registration.register(db.session, started, org["pay1"], utcnow())
    assert registration.register(db.session, live, org["hr"], utcnow())
    planning.cancel(db.session, live)
    with pytest.raises(Closed, match="cancelled"):
        registration.register(db.session, live, org["boss"], utcnow())


def test_a_cancelled_session_leaves_the_lists_but_registrants_see_it_marked(org, plan):
    live = plan()
    registration.register(db.session, live, org["pay1"], utcnow())
    planning.cancel(db.session, live)
    db.session.commit()
    mine = [e.live for e in audience.sessions_for(db.session, org["pay1"], utcnow())]
    others = [e.live for e in audience.sessions_for(db.session, org["proc"], utcnow())]
    assert mine == [live] and mine[0].cancelled
    assert others == []
    assert audience.next_for(db.session, org["pay1"], utcnow()) is None


def test_the_next_session_is_the_soonest_registered_one(org, plan):
    later, sooner = plan(starts_in=timedelta(days=9)), plan(starts_in=timedelta(days=3))
    plan(starts_in=timedelta(days=1))  # not registered
    for live in (later, sooner):
        registration.register(db.session, live, org["pay1"], utcnow())
    assert audience.next_for(db.session, org["pay1"], utcnow()) == sooner


def register_in_own_session(engine, session_id: int, person_id: int, results: list) -> None:
    try:
        with Session(engine) as own:
            live = own.get(LiveSession, session_id)
            results.append(registration.register(own, live, own.get(Person, person_id), utcnow()))
            own.commit()
    except Exception as error:  # reported to the test
        results.append(error)


def test_two_people_racing_for_the_last_place_never_both_get_it(org, plan):
    live = plan(capacity=1)
    session_id, engine = live.id, db.engine
    first_id, second_id = org["pay1"].id, org["proc"].id
    db.session.commit()
    results: list = []
    with Session(engine) as first:
        registration.register(
            first, first.get(LiveSession, session_id), first.get(Person, first_id), utcnow()
        )
        other = threading.Thread(
            target=register_in_own_session, args=(engine, session_id, second_id, results)
        )
        other.start()
        time.sleep(0.5)  # the second registration now waits for the first
        first.commit()
    other.join(timeout=30)
    assert [type(result) for result in results] == [Full]
    count = db.session.scalar(select(func.count()).select_from(Registration))
    assert count == 1


def test_home_shows_the_next_session_its_time_and_place_on_lines_of_their_own(
    org, plan, client, login
):
    live = plan(location="Room 4, second floor")
    registration.register(db.session, live, org["pay1"], utcnow())
    db.session.commit()
    login(org["pay1"])
    home = client.get("/").text
    assert f'<a href="/sessions/{live.id}">Phishing seminar</a></p>' in home
    assert f'<time datetime="{live.starts_at.isoformat()}Z">' in home
    assert '<p class="next-session-place">Room 4, second floor</p>' in home

"""Server-side sign-in sessions (awareness.auth.sessions), without HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from awareness.auth import sessions
from awareness.config import REMEMBER_DURATION
from awareness.extensions import db
from awareness.models import LoginSession
from tests.helpers import at

NOON = at("2026-03-02 12:00")
IDLE = timedelta(minutes=120)


def start(person, *, remember=False, now=NOON, **details) -> str:
    key = sessions.start(db.session, person, remember=remember, now=now, idle=IDLE, **details)
    db.session.commit()
    return key


def find(key, now):
    return sessions.find(db.session, key, now=now, idle=IDLE)


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(LoginSession))


def test_only_a_hash_of_the_key_is_stored(make_person):
    person = make_person("ada@example.org")
    key = start(person, ip="192.0.2.7", user_agent="Firefox " * 40)
    stored = db.session.scalars(select(LoginSession)).one()
    assert len(key) >= 40
    assert key not in stored.key_hash
    assert stored.key_hash == sessions.hash_key(key)
    assert (stored.person_id, stored.ip) == (person.id, "192.0.2.7")
    assert len(stored.user_agent) == sessions.USER_AGENT_LENGTH
    assert find(key, NOON).person == person
    assert find("not a key", NOON) is None
    assert find("", NOON) is None


def test_an_ordinary_session_ends_when_idle_and_after_its_lifetime(make_person):
    key = start(make_person("ada@example.org"))
    assert find(key, NOON + IDLE - timedelta(seconds=1)) is not None
    assert find(key, NOON + IDLE) is None
    login = find(key, NOON)
    sessions.touch(db.session, login.id, NOON + timedelta(hours=10))
    db.session.commit()
    assert find(key, NOON + timedelta(hours=11, minutes=59)) is not None
    sessions.touch(db.session, login.id, NOON + timedelta(hours=11, minutes=59))
    db.session.commit()
    assert find(key, NOON + sessions.LIFETIME) is None  # however active


def test_a_remembered_session_outlives_idleness_but_not_its_fixed_term(make_person):
    key = start(make_person("ada@example.org"), remember=True)
    assert find(key, NOON + timedelta(days=13)) is not None
    assert find(key, NOON + REMEMBER_DURATION) is None
    assert timedelta(days=14) == REMEMBER_DURATION


def test_a_deactivated_person_s_session_is_not_found(make_person):
    person = make_person("ada@example.org")
    key = start(person)
    person.active = False
    db.session.commit()
    assert find(key, NOON) is None


def test_last_seen_moves_at_most_once_a_minute(make_person):
    key = start(make_person("ada@example.org"))
    login = find(key, NOON)
    assert not sessions.due_for_touch(login, NOON + timedelta(seconds=59))
    assert sessions.due_for_touch(login, NOON + timedelta(minutes=1))


def test_touching_through_the_engine_is_its_own_transaction(make_person):
    key = start(make_person("ada@example.org"))
    login_id = find(key, NOON).id
    db.session.commit()
    sessions.touch(db.engine, login_id, NOON + timedelta(minutes=5))
    db.session.rollback()  # the session's transaction has nothing to undo: it is done
    assert find(key, NOON).last_seen_at == NOON + timedelta(minutes=5)


def test_ending_sessions(make_person):
    ada, bob = make_person("ada@example.org"), make_person("bob@example.org")
    first, second, third = start(ada), start(ada), start(ada)
    bobs = start(bob)
    sessions.end(db.session, find(first, NOON).id)
    db.session.commit()
    assert find(first, NOON) is None and find(second, NOON) is not None
    assert sessions.end_others(db.session, ada.id, keep_id=find(second, NOON).id) == 1
    db.session.commit()
    assert find(second, NOON) is not None and find(third, NOON) is None
    assert sessions.end_all(db.session, [ada.id, bob.id]) == 2
    db.session.commit()
    assert rows() == 0
    assert find(bobs, NOON) is None


def test_active_lists_live_sessions_most_recent_first(make_person):
    ada = make_person("ada@example.org")
    start(ada, now=NOON - timedelta(hours=3))  # idle for too long
    older = start(ada, now=NOON - timedelta(minutes=30), user_agent="older")
    newer = start(ada, now=NOON - timedelta(minutes=5), user_agent="newer")
    start(make_person("bob@example.org"))
    listed = sessions.active(db.session, ada.id, now=NOON, idle=IDLE)
    assert [s.user_agent for s in listed] == ["newer", "older"]
    assert [s.key_hash for s in listed] == [sessions.hash_key(newer), sessions.hash_key(older)]


def test_signing_in_clears_expired_sessions(make_person):
    ada, bob = make_person("ada@example.org"), make_person("bob@example.org")
    start(ada, now=NOON - timedelta(days=1))
    start(bob, now=NOON - timedelta(days=1))
    start(bob, now=NOON - timedelta(days=1), remember=True)  # still within its term
    start(ada, now=NOON)
    assert rows() == 2
    assert db.session.scalars(select(LoginSession.remember).order_by(LoginSession.id)).all() == [
        True,
        False,
    ]


def test_the_clean_up_of_anyone_s_sessions_looks_only_at_the_oldest_rows(make_person, monkeypatch):
    monkeypatch.setattr(sessions, "PURGE_WINDOW", 3)
    ada, bob, cat = (make_person(f"{name}@example.org") for name in ("ada", "bob", "cat"))
    start(bob, now=NOON - timedelta(days=2), remember=True)  # oldest, still live
    for _ in range(4):
        start(bob, now=NOON - timedelta(days=1))  # ended: two are in the window
    start(cat, now=NOON)
    assert rows() == 1 + 2 + 1
    start(ada, now=NOON)
    assert rows() == 1 + 0 + 1 + 1

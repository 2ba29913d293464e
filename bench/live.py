"""Benchmark: one request records a live session's attendance list of 5,000 people.

    .venv/bin/python bench/live.py [--people 50000] [--attendees 5000] [--database-url URL]

Uses the dashboard benchmark's organisation (bench/run.py builds it when the
database does not hold exactly ``--people`` people, or with ``--regenerate``).
It plans a session covering a module that everyone is assigned, then, through
the Flask test client as HR with a bearer token, times:
``POST /api/v1/sessions/<id>/attendance`` with the attendees' addresses (the
figure: goal under 5 s), the same request again (everyone already recorded),
the roster page and the coverage API before and after. Then it removes the
session, its attendance and attempts, and rebuilds the module's summary, so the
database is as it was (the audit log, append-only, keeps its entries).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as dashboard_bench
from run import seconds

from awareness import create_app
from awareness.extensions import db
from awareness.live import planning
from awareness.models import (
    ApiToken,
    Attempt,
    Attendance,
    LiveSession,
    Module,
    Person,
    Registration,
)
from awareness.models.types import utcnow
from awareness.people.accounts import issue_token
from awareness.progress import summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--attendees", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", dashboard_bench.DEFAULT_URL)
    )
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "CONTENT_DIR": str(dashboard_bench.ROOT / "content"),
        }
    )
    with app.app_context():
        print(f"database: {db.engine.dialect.name} ({args.database_url})")
        dashboard_bench.prepare(args)
        measure(app, args)


def measure(app, args) -> None:
    hr = db.session.scalar(select(Person).where(Person.roles.like("%hr%")).order_by(Person.id))
    token = issue_token(db.session, hr, label="bench/live.py")
    module = db.session.scalar(
        select(Module).where(Module.audience_all, Module.required, ~Module.retired).limit(1)
    )
    emails = db.session.scalars(select(Person.email).where(Person.active).order_by(Person.id))
    chosen = random.Random(args.seed).sample(list(emails), args.attendees)
    starts = utcnow().replace(microsecond=0) - timedelta(hours=1)
    draft = planning.Draft(
        "Benchmark webinar", "webinar", starts, starts + timedelta(hours=1),
        module=module.slug,
    )  # fmt: skip
    live = planning.create(db.session, draft)
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    coverage = f"/api/v1/coverage?by=module&module={module.slug}"
    try:
        took, before = seconds(lambda: client.get(coverage, headers=headers).get_json())
        print(f"coverage of {module.slug} before: {before['total']} ({took * 1000:.0f} ms)")
        url = f"/api/v1/sessions/{live.id}/attendance"
        body = {
            "emails": [email.upper() if i % 7 == 0 else email for i, email in enumerate(chosen)]
        }
        took, response = seconds(lambda: client.post(url, json=body, headers=headers))
        answer = response.get_json()
        print(
            f"POST attendance of {args.attendees} people: {took:.2f} s "
            f"(recorded {answer['recorded']}, unknown {len(answer['unknown'])}; goal < 5 s)"
        )
        took, response = seconds(lambda: client.post(url, json=body, headers=headers))
        print(f"the same list again: {took:.2f} s (recorded {response.get_json()['recorded']})")
        took, after = seconds(lambda: client.get(coverage, headers=headers).get_json())
        print(f"coverage of {module.slug} after:  {after['total']} ({took * 1000:.0f} ms)")
        signed_in = dashboard_bench.signed_in(app)
        took, page = seconds(lambda: signed_in.get(f"/sessions/{live.id}/roster"))
        print(f"roster page, {args.attendees} attendees: {took * 1000:.0f} ms ({page.status_code})")
        took, page = seconds(lambda: signed_in.get("/dashboard/"))
        print(f"overview /dashboard/ after the change: {took * 1000:.0f} ms ({page.status_code})")
    finally:
        clean_up(live.id, module.id, token)


def clean_up(session_id: int, module_id: int, token: str) -> None:
    """Put the database back as it was (but for the append-only audit log)."""
    db.session.rollback()
    for model in (Attempt, Attendance, Registration):
        column = Attempt.live_session_id if model is Attempt else model.session_id
        db.session.execute(delete(model).where(column == session_id))
    live = db.session.get(LiveSession, session_id)
    db.session.delete(live)
    db.session.execute(delete(ApiToken).where(ApiToken.label == "bench/live.py"))
    summary.refresh(db.session, module_ids=[module_id])
    db.session.commit()


if __name__ == "__main__":
    main()

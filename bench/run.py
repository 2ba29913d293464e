"""Benchmark the dashboards on a large synthetic organisation.

    .venv/bin/python bench/run.py [--people 50000] [--seed 1] [--database-url URL]

The database defaults to ``DATABASE_URL``, else a SQLite file in /tmp. It is
(re)built with ``demo generate`` when it does not hold exactly ``--people``
people (or with ``--regenerate``). Each request runs through the Flask test
client as an HR administrator; the figures are wall-clock times in this process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from awareness import create_app
from awareness.content.parser import load_content
from awareness.content.sync import sync
from awareness.demo import generate
from awareness.extensions import db
from awareness.models import Department, Person
from awareness.models.types import utcnow

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/awareness-bench.db"

#: Indexes the dashboards rely on beyond the models' own (see bench/README.md).
INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_assignment_cover ON assignment (department_id, module_id, "
    "layer_id, due_on, expires_at, last_passed_at, best_score, attempts)",
    "CREATE INDEX IF NOT EXISTS ix_attempt_passed_history "
    "ON attempt (person_id, module_id, major, passed, submitted_at)",
]

#: A single hand-written aggregate over the same data, for comparison with the overview.
HAND_WRITTEN = """
SELECT department_id, module_id, layer_id, count(*),
       sum(CASE WHEN last_passed_at IS NOT NULL AND (expires_at IS NULL OR expires_at >= :now)
                THEN 1 ELSE 0 END),
       sum(CASE WHEN last_passed_at IS NOT NULL AND (expires_at IS NULL OR expires_at >= :now)
                THEN 0 WHEN expires_at < :now OR due_on < :today THEN 1 ELSE 0 END),
       count(best_score), coalesce(sum(best_score), 0)
FROM assignment GROUP BY department_id, module_id, layer_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "CONTENT_DIR": str(ROOT / "content"),
        }
    )
    with app.app_context():
        if args.export_only:
            export_once(app)
            return
        print(f"database: {db.engine.dialect.name} ({args.database_url})")
        prepare(args)
        measure(app, args)


def prepare(args) -> None:
    people = 0
    if not args.regenerate:
        try:
            people = db.session.scalar(select(func.count()).select_from(Person))
        except Exception:
            db.session.rollback()
    if people != args.people:
        db.drop_all()
        db.create_all()
        sync(db.session, load_content(ROOT / "content"))
        started = time.perf_counter()
        made = generate.generate(db.session, args.people, args.seed)
        print(
            f"generated {made.people} people, {made.departments} departments, "
            f"{made.attempts} attempts, {made.answers} answers "
            f"in {time.perf_counter() - started:.1f} s"
        )
    for statement in INDEXES:
        db.session.execute(text(statement))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    assignments = db.session.scalar(text("SELECT count(*) FROM assignment"))
    print(f"{assignments} assignments")


def signed_in(app):
    client = app.test_client()
    hr = db.session.scalar(select(Person).where(Person.roles.like("%hr%")).order_by(Person.id))
    with client.session_transaction() as session:
        session["_user_id"] = hr.get_id()
        session["_fresh"] = True
    return client


def timed(call, runs: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds (after one warm-up run)."""
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def measure(app, args) -> None:
    client = signed_in(app)
    biggest = db.session.scalar(
        select(Department.path)
        .join(Person, Person.department_id == Department.id)
        .group_by(Department.path)
        .order_by(func.count().desc())
        .limit(1)
    )
    top = biggest.split("/")[0]

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.get_data()

        return call

    results = [
        ("API coverage by department", get("/api/v1/coverage?by=department")),
        ("API coverage by layer", get("/api/v1/coverage?by=layer")),
        ("API coverage by module", get("/api/v1/coverage?by=module")),
        ("overview page /dashboard/", get("/dashboard/")),
        ("trend page /dashboard/trend", get("/dashboard/trend")),
        (f"department page ({top}, top level)", get(f"/dashboard/departments/{top}")),
        (f"department page ({biggest})", get(f"/dashboard/departments/{biggest}")),
        ("module page", get("/dashboard/modules/phishing-and-social-engineering")),
    ]
    print(f"\n{'what':<48} {'median ms':>10} {'p95 ms':>10}")
    overview = None
    for label, call in results:
        median, p95 = timed(call, args.runs)
        overview = median if label.startswith("overview") else overview
        print(f"{label:<48} {median:>10.1f} {p95:>10.1f}")

    now = utcnow()
    params = {"now": now, "today": now.date()}
    if db.engine.dialect.name == "sqlite":
        params["now"] = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        params["today"] = now.date().isoformat()
    sql_median, sql_p95 = timed(
        lambda: db.session.execute(text(HAND_WRITTEN), params).all(), args.runs
    )
    print(f"{'hand-written single SQL aggregate':<48} {sql_median:>10.1f} {sql_p95:>10.1f}")
    print(f"{'overview / hand-written aggregate':<48} {overview / sql_median:>10.2f}")

    command = [sys.executable, __file__, "--export-only", "--database-url", args.database_url]
    exports = []
    for _ in range(3):
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        exports.append(output.split())
    seconds = sorted(float(e[0]) for e in exports)
    peak = max(float(e[1]) for e in exports)
    rows = exports[0][2]
    label = f"CSV of every assignment ({rows} rows)"
    median = statistics.median(seconds) * 1000
    print(f"{label:<48} {median:>10.1f} {seconds[-1] * 1000:>10.1f}   peak RSS {peak:.0f} MB")


def export_once(app) -> None:
    """Download /dashboard/assignments.csv in a fresh process; print seconds, peak MB, rows."""
    client = signed_in(app)
    started = time.perf_counter()
    response = client.get("/dashboard/assignments.csv")
    lines = 0
    for chunk in response.response:
        lines += chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.3f} {peak:.1f} {lines - 1}")


if __name__ == "__main__":
    main()

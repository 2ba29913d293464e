"""Benchmark: preview and apply a 50,000-row people file at ``/admin/people/import``.

    .venv/bin/python bench/imports.py [--people 50000] [--rows 50000] [--database-url URL]

Uses the dashboard benchmark's organisation (bench/run.py builds it when the
database does not hold exactly ``--people`` people, or with ``--regenerate``).
It writes a people file of ``--rows`` rows from the directory: the active
people, 2% of them renamed and 1% moved to another department, 1% left out
(deactivated, as the upload asks ``--deactivate-missing``), and new people to
make up the rows. Then, through the Flask test client as HR, it times the
upload (the preview: reading, planning and storing it; goal under 10 s), the
preview page again, a page of one of its lists, and the confirmation (applying
it, with the summary rebuilt for everyone it changed). Finally it puts the
directory back as it was (but for the append-only audit log).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
from pathlib import Path

from sqlalchemy import delete, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as dashboard_bench
from run import seconds

from awareness import create_app
from awareness.extensions import db
from awareness.models import Assignment, LoginSession, PeopleImport, PeopleImportStep, Person
from awareness.people import importer
from awareness.people.rows import COLUMNS, PersonRow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", dashboard_bench.DEFAULT_URL)
    )
    parser.add_argument("--regenerate", action="store_true")
    args, _ = parser.parse_known_args()  # make bench passes the dashboard benchmark's too
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "CONTENT_DIR": str(dashboard_bench.ROOT / "content"),
        }
    )
    with app.app_context():
        print(f"\npeople import, database: {db.engine.dialect.name} ({args.database_url})")
        dashboard_bench.prepare(args)
        measure(app, args)


def people_file(args) -> tuple[bytes, list[PersonRow]]:
    """The file to upload, and the rows that put back the people it changes."""
    chance = random.Random(args.seed)
    directory = importer.directory(db.session)
    active = [person for person in directory.values() if person.active]
    departments = sorted({person.department for person in active})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    restore, written = [], 0
    for person in active:
        if written == args.rows:
            break
        draw = chance.random()
        row = [person.email, person.name, person.department, person.layer, person.roles]
        if draw < 0.01:  # left out: deactivated
            restore.append(person)
            continue
        if draw < 0.03:
            row[1] = person.name + " Renamed"
        elif draw < 0.04:
            row[2] = chance.choice(departments)
        if row[1:3] != [person.name, person.department]:
            restore.append(person)
        writer.writerow(row)
        written += 1
    for number in range(args.rows - written):
        department = chance.choice(departments)
        writer.writerow(
            [f"new{number}@bench.example.org", f"New {number}", department, "staff", ""]
        )
    rows = [PersonRow(0, p.email, p.name, p.department, p.layer or "", p.roles) for p in restore]
    return out.getvalue().encode(), rows


def measure(app, args) -> None:
    data, restore = people_file(args)
    print(f"a file of {args.rows:,} rows, {len(data) / 1024 / 1024:.1f} MB")
    client = dashboard_bench.signed_in(app)
    upload = {
        "file": (io.BytesIO(data), "people.csv"),
        "deactivate_missing": "y",
    }
    try:
        took, response = seconds(
            lambda: client.post(
                "/admin/people/import", data=upload, content_type="multipart/form-data"
            )
        )
        page = response.get_data(as_text=True)
        counts = re.findall(r"<dt>(\w+)</dt><dd>([\d,]+)</dd>", page)
        print(
            f"preview (upload, read, plan, store, page): {took:.2f} s "
            f"({response.status_code}; {', '.join(f'{k.lower()} {v}' for k, v in counts)}; "
            "goal < 10 s)"
        )
        url = re.search(r'action="(/admin/people/import/[\w-]+)/confirm"', page).group(1)
        took, response = seconds(lambda: client.get(url))
        print(f"the preview page again: {took * 1000:.0f} ms ({response.status_code})")
        took, response = seconds(lambda: client.get(url + "?show=updated&page=2"))
        print(f"a page of the people it updates: {took * 1000:.0f} ms ({response.status_code})")
        took, response = seconds(lambda: client.post(url + "/confirm"))
        print(f"confirm (apply, rebuild summaries, trend): {took:.2f} s ({response.status_code})")
    finally:
        put_back(restore)


def put_back(restore: list[PersonRow]) -> None:
    """Remove the people the import created; give the others their values back."""
    db.session.rollback()
    created = select(Person.id).where(Person.email.like("new%@bench.example.org"))
    db.session.execute(delete(Assignment).where(Assignment.person_id.in_(created)))
    db.session.execute(delete(LoginSession).where(LoginSession.person_id.in_(created)))
    db.session.execute(delete(Person).where(Person.id.in_(created)))
    importer.apply_rows(db.session, restore, source="bench/imports.py: put back")
    db.session.execute(delete(PeopleImportStep))
    db.session.execute(delete(PeopleImport))
    db.session.commit()
    print(f"put back: removed the new people, restored {len(restore):,}")


if __name__ == "__main__":
    main()

"""``/admin/audit`` and ``/admin/audit.csv``: the audit log for admins, filtered and paged."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import insert

from awareness.audit.listing import PER_PAGE
from awareness.extensions import db
from awareness.models import AuditEvent


@pytest.fixture
def admin(make_person):
    return make_person("admin@example.org", department="IT", layer="technical", roles="admin")


def log(*entries: tuple[str, str, str, str, str | None]) -> None:
    """Entries (at, actor, action, target, ip), in order, with a detail each."""
    rows = [
        {"at": datetime.fromisoformat(at), "actor": actor, "action": action, "target": target,
         "ip": ip, "details": {"note": f"{action} of {target}"}}
        for at, actor, action, target, ip in entries
    ]  # fmt: skip
    db.session.execute(insert(AuditEvent), rows)
    db.session.commit()


@pytest.fixture
def entries(admin):
    log(
        ("2026-03-01 09:00", "cli:ops", "people.import", "people.csv", None),
        ("2026-03-02 10:00", "admin@example.org", "roles.change", "ann@example.org", "10.0.0.1"),
        ("2026-03-03 11:00", "ann@example.org", "password.change", "ann@example.org", "10.0.0.2"),
        ("2026-03-04 12:00", "admin@example.org", "token.revoke", "bob@example.org", "10.0.0.1"),
    )


def rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_log_newest_first_with_who_what_and_from_where(client, login, admin, entries):
    login(admin)
    page = client.get("/admin/audit?until=2026-06-30")  # not the content fixture's sync
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "4 entries." in html
    listed = rows(html)
    assert [row.split(" ")[-1] for row in listed] == ["10.0.0.1", "10.0.0.2", "10.0.0.1", "\u2013"]
    assert "admin@example.org token.revoke bob@example.org note token.revoke of bob" in listed[0]
    assert "ops (command line) people.import people.csv" in listed[-1]


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("person=ann@example.org", ["password.change", "roles.change"]),
        ("person=+ANN@Example.org+", ["password.change", "roles.change"]),  # as typed
        ("person=admin@example.org", ["token.revoke", "roles.change"]),
        ("action=token.revoke", ["token.revoke"]),
        ("since=2026-03-02&until=2026-03-03", ["password.change", "roles.change"]),
        ("until=2026-03-01", ["people.import"]),
        ("person=ann@example.org&action=roles.change", ["roles.change"]),
        ("person=nobody@example.org", []),
    ],
)
def test_filters(client, login, admin, entries, query, actions):
    login(admin)
    page = client.get(f"/admin/audit?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    if not actions:
        assert "No entry matches these filters." in html
        return
    found = [next(a for a in row.split(" ") if "." in a and "@" not in a) for row in rows(html)]
    assert found == actions
    assert f"/admin/audit.csv?{query.split('&')[0].split('=')[0]}" in html  # the CSV keeps them


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("person=not-an-email", "Person (email): Enter an email address"),
        ("action=people.delete", "Action: Not a valid choice"),
        ("since=yesterday", "From (UTC): Not a valid date value"),
        ("since=2026-03-04&until=2026-03-01", "To (UTC): The last day comes before the first."),
        ("until=9999-12-31", "To (UTC): Choose a day from"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, login, admin, entries, query, message):
    login(admin)
    page = client.get(f"/admin/audit?{query}")
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    download = client.get(f"/admin/audit.csv?{query}")
    assert download.status_code == 400
    assert message in download.get_data(as_text=True)


def test_pages(client, login, admin):
    minutes = [f"2026-01-01 {n // 60:02}:{n % 60:02}" for n in range(PER_PAGE + 1)]
    log(*[(at, "cli:ops", "token.issue", f"p{n}@x.org", None) for n, at in enumerate(minutes)])
    login(admin)
    first = client.get("/admin/audit?action=token.issue").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert 'href="/admin/audit?page=2&amp;action=token.issue"' in first
    second = client.get("/admin/audit?page=2&action=token.issue")
    assert second.status_code == 200
    assert len(rows(second.get_data(as_text=True))) == 1
    assert "p0@x.org" in second.get_data(as_text=True)  # the oldest comes last
    assert 'href="/admin/audit?page=1&amp;action=token.issue"' in second.get_data(as_text=True)
    beyond = client.get("/admin/audit?page=3&action=token.issue")
    assert beyond.status_code == 404
    assert "There is no page 3: the list has 2 pages." in beyond.get_data(as_text=True)
    assert client.get("/admin/audit?page=0").status_code == 400
    assert client.get("/admin/audit?page=x").status_code == 400


def test_an_empty_log_has_its_page_one(client, login, admin):
    login(admin)
    page = client.get("/admin/audit?person=admin@example.org")
    assert page.status_code == 200
    assert "0 entries." in page.get_data(as_text=True)


def test_the_csv_is_the_export_streamed_with_the_same_filters(client, login, admin, entries):
    login(admin)
    response = client.get("/admin/audit.csv?person=ann@example.org")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="audit.csv"' in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table == [
        ["at", "actor", "action", "target", "details", "ip"],
        ["2026-03-02T10:00:00Z", "admin@example.org", "roles.change", "ann@example.org",
         '{"note":"roles.change of ann@example.org"}', "10.0.0.1"],
        ["2026-03-03T11:00:00Z", "ann@example.org", "password.change", "ann@example.org",
         '{"note":"password.change of ann@example.org"}', "10.0.0.2"],
    ]  # fmt: skip


@pytest.mark.parametrize("roles", ["", "manager", "hr", "author"])
def test_only_admins_read_the_log(client, login, make_person, roles):
    login(make_person("someone@example.org", roles=roles))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403


def test_signing_in_first(client):
    response = client.get("/admin/audit.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]

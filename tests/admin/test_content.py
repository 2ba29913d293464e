"""``/admin/content``: the status of every module, author previews, and a sync from the browser."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import Attempt, ContentSync, Module
from tests.content.conftest import ContentMaker, content_maker
from tests.helpers import TEST_CONTENT, audit_log, cli_actor, csrf_token, module

PHISHING = (TEST_CONTENT / "modules" / "phishing.md").read_text(encoding="utf-8")
BUMPED = {"modules/phishing.md": PHISHING.replace("order: 10", "major: 2\norder: 10")}


@pytest.fixture
def make_content(tmp_path) -> ContentMaker:
    return content_maker(tmp_path)


@pytest.fixture
def admin(make_person):
    return make_person("admin@example.org", department="IT", layer="technical", roles="admin")


@pytest.fixture
def author(make_person):
    return make_person("author@example.org", roles="author")


def rows(html: str) -> dict[str, str]:
    """Each table row's text by the slug in its heading cell, tags dropped."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        slug = re.search(r"<code>([a-z0-9-]+)</code>", row)
        if slug:
            found[slug.group(1)] = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    return found


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


# -- the status page --------------------------------------------------------------------------


def test_each_module_with_its_audience_figures_and_languages(client, login, org, admin):
    login(admin)
    page = client.get("/admin/content")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    live = rows(section(html, "live-heading"))
    phishing = module("phishing")
    # tests/org.py: phishing is assigned to 5 people and completed by 2 (boss, pay1);
    # welcome to 7, completed by 3 (hr, pay1, proc); cyber-risk to hr only, not completed.
    assert live["phishing"].startswith("Recognising phishing phishing management, staff yes 1")
    assert phishing.source_hash[:10] in live["phishing"]
    assert live["phishing"].endswith("5 2 en, ur")
    assert live["welcome"].endswith("8 3 en")  # and the admin
    assert "everyone optional" not in live["welcome"]
    assert live["cyber-risk"].endswith("1 0 en")
    assert 'href="/admin/content/modules/phishing"' in html
    assert "Retired modules" not in html


def test_an_author_sees_the_status_but_no_sync(client, login, author, content):
    login(author)
    html = client.get("/admin/content").get_data(as_text=True)
    assert "phishing" in rows(html)
    assert "Dry run" not in html
    assert 'action="/admin/content/sync"' not in html


@pytest.mark.parametrize("roles", ["", "manager", "hr"])
def test_nobody_else_may_see_it(client, login, make_person, roles):
    login(make_person("someone@example.org", roles=roles))
    assert client.get("/admin/content").status_code == 403
    assert client.get("/admin/content/modules/phishing").status_code == 403


def test_retired_modules_are_listed_apart(client, login, admin, make_content, runner):
    folder = make_content({"modules/welcome.md": None})
    assert runner.invoke(args=["content", "sync", str(folder)]).exit_code == 0
    login(admin)
    html = client.get("/admin/content").get_data(as_text=True)
    assert "welcome" not in rows(section(html, "live-heading"))
    assert "welcome" in rows(section(html, "retired-heading"))


def test_the_last_sync_and_its_problems_are_shown(client, login, admin, make_content, runner):
    assert runner.invoke(args=["content", "sync", str(make_content(BUMPED))]).exit_code == 0
    broken = make_content({"modules/phishing.md": PHISHING.replace("title:", "titel:")})
    assert runner.invoke(args=["content", "sync", str(broken)]).exit_code == 1
    login(admin)
    html = section(client.get("/admin/content").get_data(as_text=True), "sync-heading")
    assert f"{cli_actor()[4:]} on the command line" in html
    assert "Refused: 2 problems, nothing changed." in html
    assert "<li><code>modules/phishing.md:1</code>: missing &#39;title&#39;</li>" in html
    assert "<li><code>modules/phishing.md:2</code>: unknown key &#39;titel&#39;" in html
    applied = html[html.index("Last applied sync") :]
    assert "Applied: 0 added, 1 updated, 2 unchanged, 0 retired." in applied
    assert "phishing: major 1 to 2, 0 completions no longer count." in applied


def test_no_sync_recorded_yet(client, login, admin):
    login(admin)
    html = client.get("/admin/content").get_data(as_text=True)
    assert "No sync has been recorded yet." in html


# -- previews ---------------------------------------------------------------------------------


def test_a_preview_shows_the_lesson_and_marks_the_correct_options(client, login, author):
    login(author)
    page = client.get("/admin/content/modules/phishing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Recognising phishing</h1>" in html
    assert "<script>alert" not in html  # the lesson is the sanitised one learners get
    options = re.findall(r'<li class="(correct)?">\s*<span[^>]*>(.*?)</span>', html, re.S)
    assert options == [
        ("", "Open it to check"),
        ("correct", "Report it with the Report Phishing button"),
        ("", "Forward it to a colleague"),
        ("correct", "Urgency and threats"),
        ("correct", "A sender address that does not match the organisation"),
        ("", "Your name spelled correctly"),
    ]
    assert html.count("tag-correct") == 3
    assert "Opening an unexpected link is how most compromises start." in html
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_a_preview_in_each_language(client, login, author):
    login(author)
    html = client.get("/admin/content/modules/phishing").get_data(as_text=True)
    assert 'href="/admin/content/modules/phishing?language=ur"' in html
    urdu = client.get("/admin/content/modules/phishing?language=ur")
    assert urdu.status_code == 200
    text = urdu.get_data(as_text=True)
    assert '<article class="lesson" lang="ur" dir="rtl">' in text
    assert text.count("tag-correct") == 3
    missing = client.get("/admin/content/modules/phishing?language=de")
    assert missing.status_code == 404
    assert "no translation" in missing.get_data(as_text=True)


def test_a_reading_and_a_retired_module_preview(client, login, admin, make_content, runner):
    runner.invoke(args=["content", "sync", str(make_content({"modules/welcome.md": None}))])
    login(admin)
    html = client.get("/admin/content/modules/welcome").get_data(as_text=True)
    assert "This module is retired" in html
    assert "a learner completes it by confirming they read it" in html
    assert client.get("/admin/content/modules/no-such-module").status_code == 404


# -- a sync from the browser -------------------------------------------------------------------


def dry_run(client) -> tuple[int, str]:
    with client.get("/admin/content") as page:
        token = csrf_token(page.get_data(as_text=True))
    response = client.post("/admin/content/sync", data={"csrf_token": token})
    return response.status_code, response.get_data(as_text=True)


def confirm(client, html: str):
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html)
    assert fingerprint, "no confirmation form"
    return client.post(
        "/admin/content/sync/confirm",
        data={"csrf_token": csrf_token(html), "fingerprint": fingerprint.group(1)},
    )


def test_a_dry_run_then_its_confirmation(app, client, login, org, make_content):
    admin = org["hr"]
    admin.roles = "admin;hr"
    db.session.commit()
    app.config["CONTENT_DIR"] = str(make_content(BUMPED))
    login(admin)

    status, html = dry_run(client)
    assert status == 200
    assert "What a sync would change" in html
    assert re.search(r"<dt>Updated</dt><dd><code>phishing</code></dd>", html)
    # boss and pay1 completed phishing at major 1: their completions would stop counting.
    assert re.search(r"<code>phishing</code></th><td>1 to 2</td><td>2</td>", html)
    assert module("phishing").major == 1
    synced = len(audit_log("content.sync"))  # the content fixture's first sync
    assert db.session.scalar(select(func.count()).select_from(ContentSync)) == 0

    applied = confirm(client, html)
    assert applied.status_code == 303
    assert applied.headers["Location"].endswith("/admin/content")
    assert module("phishing").major == 2
    event = audit_log("content.sync")[-1]
    assert len(audit_log("content.sync")) == synced + 1
    assert (event.actor, event.details["updated"]) == ("hr@example.org", ["phishing"])
    assert event.details["resets"] == [{"slug": "phishing", "old": 1, "new": 2, "completions": 2}]
    page = client.get("/admin/content").get_data(as_text=True)
    assert "Sync applied: 0 added, 1 updated, 2 unchanged, 0 retired." in page
    assert "hr@example.org in the browser" in page

    again = confirm(client, html)  # the same confirmation, twice: harmless
    assert again.status_code == 303
    assert "Nothing to change" in client.get("/admin/content").get_data(as_text=True)
    assert len(audit_log("content.sync")) == synced + 1
    assert module("phishing").major == 2


def test_a_folder_changed_since_the_dry_run_is_refused(app, client, login, admin, make_content):
    app.config["CONTENT_DIR"] = str(make_content(BUMPED))
    login(admin)
    synced = len(audit_log("content.sync"))
    _, html = dry_run(client)
    make_content(BUMPED | {"modules/welcome.md": None})  # someone pulls a new commit meanwhile

    refused = confirm(client, html)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "The content folder changed after the dry run you confirmed" in text
    assert "Run the dry run again" in text
    assert module("phishing").major == 1
    assert not module("welcome").retired
    assert len(audit_log("content.sync")) == synced


def test_a_dry_run_with_problems_offers_no_confirmation(app, client, login, admin, make_content):
    broken = PHISHING.replace("- [x] Report it", "- [ ] Report it")
    app.config["CONTENT_DIR"] = str(make_content({"modules/phishing.md": broken}))
    login(admin)
    status, html = dry_run(client)
    assert status == 200
    assert "The content folder has 2 problems" in html  # the file, and its translation
    assert "<li><code>modules/phishing.md:26</code>: question 1 has no correct option" in html
    assert 'name="fingerprint"' not in html
    assert db.session.scalar(select(func.count()).select_from(ContentSync)) == 0


def test_a_dry_run_that_changes_nothing_says_so(client, login, admin):
    login(admin)
    _, html = dry_run(client)
    assert "Nothing to change: the modules already match the content folder." in html
    assert 'name="fingerprint"' not in html


def test_an_author_may_not_sync(client, login, author):
    login(author)
    with client.get("/admin/content") as page:
        token = csrf_token(page.get_data(as_text=True))
    assert client.post("/admin/content/sync", data={"csrf_token": token}).status_code == 403
    confirmation = {"csrf_token": token, "fingerprint": "0" * 64}
    assert client.post("/admin/content/sync/confirm", data=confirmation).status_code == 403


def test_a_confirmation_without_its_csrf_token_is_refused(app, client, login, admin, make_content):
    assert app.config["WTF_CSRF_ENABLED"]
    app.config["CONTENT_DIR"] = str(make_content(BUMPED))
    login(admin)
    _, html = dry_run(client)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    refused = client.post("/admin/content/sync/confirm", data={"fingerprint": fingerprint})
    assert refused.status_code == 400
    assert client.post("/admin/content/sync").status_code == 400
    assert module("phishing").major == 1


def test_a_forged_confirmation_is_refused(app, client, login, admin, make_content):
    app.config["CONTENT_DIR"] = str(make_content(BUMPED))
    login(admin)
    _, html = dry_run(client)
    forged = client.post(
        "/admin/content/sync/confirm", data={"csrf_token": csrf_token(html), "fingerprint": "x"}
    )
    assert forged.status_code == 400
    assert module("phishing").major == 1
    assert db.session.scalar(select(Module.major).where(Module.slug == "phishing")) == 1

"""Hostile text in a lesson, a question, an option, an explanation and a title is inert.

Every payload of ``XSS_PAYLOADS`` goes into one module of its own, in each place
an author controls. The pages a learner sees (the catalogue, the lesson, the quiz,
the result) and the HR dashboard must carry no markup that runs script; titles
are shown as the text written; the API answers plain text in JSON.
"""

from __future__ import annotations

import html
import json
import shutil

import pytest
from markupsafe import escape

from awareness.content.parser import load_content
from awareness.content.sync import sync
from awareness.extensions import db
from tests.helpers import TEST_CONTENT, XSS_PAYLOADS
from tests.learn.test_pages import quiz_form
from tests.xss import executable_markup

SLUGS = [f"xss-{number}" for number in range(len(XSS_PAYLOADS))]


def hostile_module(payload: str) -> str:
    """A module with ``payload`` as its title, in its lesson, question, option and explanation."""
    return (
        f"---\ntitle: {json.dumps(payload)}\naudience: all\nshuffle: false\n---\n\n"
        f"# Lesson\n\n{payload}\n\n- {payload}\n\n| Cell |\n|------|\n| {payload} |\n\n"
        f"[{payload}](https://example.org)\n\n"
        f"## Quiz\n\n### {payload}\n\n- [x] {payload}\n- [ ] A safe option\n\n> {payload}\n"
    )


@pytest.fixture
def hostile(app, tmp_path, make_person, login):
    """The test content plus one hostile module per payload, synced; a learner signed in."""
    directory = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, directory)
    for slug, payload in zip(SLUGS, XSS_PAYLOADS, strict=True):
        (directory / "modules" / f"{slug}.md").write_text(hostile_module(payload))
    tree = load_content(directory)
    assert tree.problems == []
    sync(db.session, tree)
    learner = make_person("ada@example.org")
    login(learner)
    return learner


def assert_inert(html: str) -> None:
    assert executable_markup(html) == []


@pytest.mark.usefixtures("hostile")
def test_the_catalogue_shows_each_title_as_text(client):
    page = client.get("/").text
    assert_inert(page)
    for payload in XSS_PAYLOADS:
        assert str(escape(payload)) in page


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    ("slug", "payload"), list(zip(SLUGS, XSS_PAYLOADS, strict=True)), ids=SLUGS
)
def test_lesson_quiz_and_result_pages_are_inert(client, slug, payload):
    lesson = client.get(f"/modules/{slug}")
    assert lesson.status_code == 200
    assert_inert(lesson.text)
    assert f"<title>{escape(payload)}" in lesson.text

    quiz, form = quiz_form(client, slug)
    assert_inert(quiz.text)
    assert str(escape(payload)) in quiz.text  # the title as written ("{{ 7*7 }}" is no template)
    submitted = client.post(f"/modules/{slug}/quiz", data={**form, "q1": "1"})
    result = client.get(submitted.headers["Location"])
    assert result.status_code == 200
    assert "100%" in result.text
    assert_inert(result.text)


@pytest.mark.usefixtures("hostile")
def test_the_api_answers_titles_and_explanations_as_plain_text_in_json(client):
    me = client.get("/api/v1/me")
    assert me.mimetype == "application/json"
    assert me.headers["X-Content-Type-Options"] == "nosniff"
    titles = {module["slug"]: module["title"] for module in me.json["modules"]}
    assert [titles[slug] for slug in SLUGS] == XSS_PAYLOADS  # exactly as written, not mangled

    explanations = {}
    for slug, payload in zip(SLUGS, XSS_PAYLOADS, strict=True):
        attempt = client.post(
            f"/api/v1/modules/{slug}/attempts",
            json={"answers": {"1": [1]}},
            headers={"X-CSRFToken": quiz_form(client, slug)[1]["csrf_token"]},
        )
        assert attempt.status_code == 201, attempt.text
        assert attempt.mimetype == "application/json"
        (result,) = attempt.json["results"]
        explanations[payload] = result["explanation"]
    # The explanation is the text a reader sees, never HTML: markup the author wrote is gone,
    # and text the author escaped ("&lt;script&gt;") is that text, inside a JSON string.
    for payload, explanation in explanations.items():
        if "&lt;" in payload:
            assert explanation == html.unescape(payload)
        else:
            assert executable_markup(explanation) == [], payload


def test_the_hr_dashboard_shows_hostile_titles_as_text(client, hostile, make_person, login):
    login(make_person("hr@example.org", roles="hr"))
    for url in ["/dashboard/", *(f"/dashboard/modules/{slug}" for slug in SLUGS[:6])]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert executable_markup(page.text, allow=frozenset({"svg"})) == [], url

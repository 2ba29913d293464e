"""The learner's path: results in the order seen, readings done, optional modules, revisions,
untranslated modules and lessons that fit a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.learn.lessons import scrollable_tables
from awareness.models import Attempt
from awareness.models.types import utcnow
from awareness.progress import learner, summary
from tests.helpers import FULL, NONE, csrf_token, form_key, module, take

#: A wrong and a right answer to each question of the test content's phishing quiz.
WRONG = {"q1": "1", "q2": "3"}
RIGHT = {"q1": "2", "q2": ["1", "2"]}


def shown_order(html: str) -> list[tuple[int, list[int]]]:
    """Questions and their options in the order a quiz page lists them."""
    order: dict[int, list[int]] = {}
    for question, option in re.findall(r'id="q(\d+)-o(\d+)"', html):
        order.setdefault(int(question), []).append(int(option))
    return list(order.items())


def submit(client, answers: dict) -> tuple[str, str]:
    """Take the phishing quiz with ``answers``: the quiz page and the result page."""
    quiz = client.get("/modules/phishing/quiz").text
    form = {"csrf_token": csrf_token(quiz), "submission_key": form_key(quiz), **answers}
    response = client.post("/modules/phishing/quiz", data=form)
    assert response.status_code == 303
    return quiz, client.get(response.headers["Location"]).text


def result_order(html: str) -> list[tuple[int, list[int]]]:
    """Questions and their options in the order a result page lists them (by their text)."""
    phishing = module("phishing")
    texts = {
        (q.number, o.number): re.sub("<[^>]+>", "", o.text_html).strip()
        for q in phishing.questions
        for o in q.options
    }
    order: dict[int, list[tuple[int, int]]] = {}
    for (question, option), text in texts.items():
        order.setdefault(question, []).append((html.index(f">{text}</span>"), option))
    questions = sorted(order.items(), key=lambda item: min(item[1]))
    return [(number, [option for _, option in sorted(found)]) for number, found in questions]


def test_the_result_lists_questions_and_options_in_the_order_they_were_shown(
    client, make_person, login
):
    login(make_person("ada@example.org"))
    orders = set()
    for _ in range(4):
        quiz, result = submit(client, WRONG)
        assert result_order(result) == shown_order(quiz)
        orders.add(str(shown_order(quiz)))
    assert len(orders) > 1  # shuffled each time, and each result follows its own quiz


def test_correct_options_show_once_passed_never_on_a_failed_attempt(client, make_person, login):
    login(make_person("ada@example.org"))
    _, failed = submit(client, WRONG)
    assert "Not passed this time" in failed
    assert "correct answer</span>" not in failed
    assert "The correct answers are shown once you pass" in failed
    assert failed.count('class="tag tag-chosen">your answer') == 2
    assert "Opening an unexpected link is how most compromises start." in failed
    _, passed = submit(client, RIGHT)
    assert "You passed" in passed
    assert passed.count("correct answer</span>") == 3  # one for question 1, two for question 2
    assert "The correct answers are shown once you pass" not in passed


def attempts_by_time() -> list[Attempt]:
    return sorted(db.session.scalars(select(Attempt)), key=lambda attempt: attempt.submitted_at)


def test_a_failed_attempt_shows_the_answers_once_a_later_one_passed(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    take(person, "phishing", NONE, utcnow() - timedelta(days=2))
    take(person, "phishing", FULL, utcnow() - timedelta(days=1))
    failed, _passed = attempts_by_time()
    html = client.get(f"/modules/phishing/attempts/{failed.id}").text
    assert "Not passed this time" in html and "correct answer</span>" in html
    # A renewal that fails after an old pass is a test again: nothing is revealed.
    take(person, "phishing", NONE, utcnow())
    latest = attempts_by_time()[-1]
    assert "correct answer</span>" not in client.get(f"/modules/phishing/attempts/{latest.id}").text


def test_a_reading_already_confirmed_shows_no_form(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    assert "I have read and understood this" in client.get("/modules/welcome").text
    take(person, "welcome", None, utcnow())
    page = client.get("/modules/welcome").text
    assert "I have read and understood this" not in page and "submission_key" not in page
    assert "You confirmed reading this on" in page


def test_my_training_shows_optional_modules_clearly(client, make_person, login):
    phishing = module("phishing")
    phishing.required = False
    summary.refresh(db.session, module_ids=[phishing.id])
    db.session.commit()
    login(make_person("ada@example.org"))
    page = client.get("/").text
    optional = page.split('id="optional-heading"')[1]
    assert "Optional modules" in page and "Recognising phishing" in optional
    assert '<span class="badge badge-optional">Optional</span>' in optional
    assert "They do not count towards your required training." in optional
    assert "0 of 1 required modules completed" in page
    assert (
        '<span class="badge badge-optional">Optional</span>' in client.get("/modules/phishing").text
    )


def test_a_major_rise_is_explained_to_those_who_had_passed(client, make_person, login):
    person = make_person("ada@example.org")
    other = make_person("bea@example.org")
    take(person, "phishing", FULL, utcnow() - timedelta(days=3))
    phishing = module("phishing")
    phishing.major += 1
    phishing.published_on = utcnow().date()
    summary.refresh(db.session, module_ids=[phishing.id])
    db.session.commit()
    (item,) = [i for i in learner.person_assignments(db.session, person.id) if i.module == phishing]
    assert item.revised_since_pass and item.status != "completed"
    login(person)
    note = "this module changed enough that everyone who completed an earlier version"
    assert note in client.get("/").text
    assert note in client.get("/modules/phishing").text
    take(person, "phishing", FULL, utcnow())
    assert note not in client.get("/").text  # passed again: nothing to explain
    login(other)
    assert note not in client.get("/").text  # never passed: nothing was taken away


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LANGUAGES": ["en", "ur"]}


def test_a_module_without_a_translation_says_so(client, make_person, login):
    person = make_person("ada@example.org", layer="leadership")
    person.language = "ur"
    db.session.commit()
    login(person)
    notice = "اس ماڈیول کا ابھی اردو میں ترجمہ نہیں ہوا، اس لیے یہ انگریزی میں دکھایا گیا ہے"
    assert notice in client.get("/modules/welcome").text  # no welcome.ur.md
    assert notice not in client.get("/modules/phishing").text  # phishing.ur.md exists
    quiz = client.get("/modules/cyber-risk/quiz").text
    assert notice in quiz and 'lang="en" dir="ltr"' in quiz
    form = {"csrf_token": csrf_token(quiz), "submission_key": form_key(quiz), "q1": "1"}
    result = client.post("/modules/cyber-risk/quiz", data=form, follow_redirects=True).text
    assert notice in result
    person.language = "en"
    db.session.commit()
    assert notice not in client.get("/modules/welcome").text


def test_lesson_tables_scroll_within_a_labelled_region(client, make_person, login):
    login(make_person("ada@example.org"))
    page = client.get("/modules/phishing").text
    assert (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1"><table>'
    ) in page
    assert page.count("</table></div>") == 1


def test_tables_are_wrapped_whatever_their_attributes_hold(app):
    with app.test_request_context():
        html = scrollable_tables(
            '<table align="left"><tr><td><a title="</table> >">x</a></td></tr></table>'
            "<p>between</p><table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>"
        )
    assert html.count('<div class="table-scroll"') == 3
    assert html.count("</table></div>") == 3
    assert 'title="</table> >">x</a>' in html
    assert 'aria-label="Table 3"' in html


def test_numbers_and_dates_on_learner_pages_follow_the_locale(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en", "de"]
    person = make_person("ada@example.org")
    login(person)
    take(person, "phishing", {1: frozenset({2})}, utcnow())
    german = {"Accept-Language": "de"}
    assert "Best score 50\xa0%" in client.get("/", headers=german).text
    assert "Pass mark 80\xa0%" in client.get("/modules/phishing", headers=german).text
    (attempt,) = attempts_by_time()
    result = client.get(f"/modules/phishing/attempts/{attempt.id}", headers=german).text
    assert "<strong>50\xa0%</strong>" in result
    assert re.search(r"Submitted \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}\.", result)


def test_my_training_lists_modules_in_the_language_they_will_be_read_in(client, make_person, login):
    person = make_person("ada@example.org")
    person.language = "ur"
    db.session.commit()
    login(person)
    home = client.get("/").text
    assert 'lang="ur" dir="rtl">فشنگ کی پہچان</a>' in home  # phishing.ur.md's title
    assert "فشنگ کو پہچانیں اور رپورٹ کریں" in home  # and its summary
    assert 'lang="en" dir="ltr">How this training works</a>' in home  # no welcome.ur.md
    person.language = "en"
    db.session.commit()
    assert "فشنگ کی پہچان" not in client.get("/").text

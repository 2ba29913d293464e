from __future__ import annotations

import re

from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import Attempt, Module
from awareness.progress import summary
from tests.helpers import csrf_token, form_key, open_session


def quiz_form(client, slug="phishing", headers=None):
    page = client.get(f"/modules/{slug}/quiz", headers=headers)
    assert page.status_code == 200
    return page, {"csrf_token": csrf_token(page.text), "submission_key": form_key(page.text)}


def attempt_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt))


def test_my_training_lists_assigned_modules_with_status_and_progress(client, make_person, login):
    login(make_person("ada@example.org", layer="staff"))
    page = client.get("/").text
    assert "Recognising phishing" in page
    assert "How this training works" in page
    assert "Cyber risk for leaders" not in page  # leadership only
    assert "0 of 2 required modules completed" in page
    assert '<progress max="2" value="0">' in page
    assert "Not started" in page


def test_overdue_modules_come_first_and_are_marked(client, make_person, login, app):
    from datetime import date, timedelta

    module = db.session.scalar(select(Module).where(Module.slug == "welcome"))
    module.published_on = date.today() - timedelta(days=400)
    person = make_person("ada@example.org", activated_on=date.today() - timedelta(days=400))
    summary.refresh(db.session)
    db.session.commit()
    login(person)
    page = client.get("/").text
    assert page.index("How this training works") < page.index("Recognising phishing")
    assert "Overdue" in page
    assert "status-overdue" in page


def test_retired_modules_never_appear(client, make_person, login):

    module = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    module.retired = True
    summary.refresh(db.session, module_ids=[module.id])
    db.session.commit()
    login(make_person("ada@example.org"))
    assert "Recognising phishing" not in client.get("/").text
    assert client.get("/modules/phishing").status_code == 404
    assert client.get("/modules/phishing/quiz").status_code == 404


def test_module_page_shows_the_sanitised_lesson_and_the_way_into_the_quiz(
    client, make_person, login
):
    login(make_person("ada@example.org"))
    page = client.get("/modules/phishing").text
    assert "<table>" in page
    assert 'src="/assets/diagram.svg"' in page
    assert "<script>alert" not in page
    assert 'href="/modules/phishing/quiz"' in page


def test_lesson_images_are_served_to_signed_in_people(client, make_person, login):
    assert client.get("/assets/diagram.svg").status_code == 302
    login(make_person("ada@example.org"))
    with client.get("/assets/diagram.svg") as response:
        assert response.status_code == 200
        assert b"<svg" in response.data
    assert client.get("/assets/../org.yml").status_code == 404


def test_quiz_page_is_accessible_and_reveals_no_answers(client, make_person, login):
    login(make_person("ada@example.org"))
    page, _ = quiz_form(client)
    assert page.text.count("<fieldset") == 2
    assert page.text.count("<legend") == 2
    assert 'type="radio" id="q1-o1" name="q1" value="1"' in page.text
    assert 'type="checkbox" id="q2-o1" name="q2" value="1"' in page.text
    assert '<label for="q1-o2" lang="en" dir="ltr">' in page.text
    assert "Opening an unexpected link" not in page.text  # the explanation
    assert "data-correct" not in page.text and "checked" not in page.text


def test_quiz_order_is_shuffled_per_attempt_unless_the_module_says_not_to(
    client, make_person, login
):
    login(make_person("ada@example.org", layer="leadership"))
    orders = set()
    for _ in range(12):
        page = client.get("/modules/phishing/quiz").text
        orders.add(tuple(re.findall(r'id="(q\d-o\d)"', page)))
    assert len(orders) > 1
    fixed = {
        tuple(re.findall(r'id="(q\d-o\d)"', client.get("/modules/cyber-risk/quiz").text))
        for _ in range(5)
    }
    assert fixed == {("q1-o1", "q1-o2", "q2-o1", "q2-o2")}


def test_submitting_the_quiz_scores_on_the_server_and_shows_the_result(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    response = client.post("/modules/phishing/quiz", data={**form, "q1": "2", "q2": ["1", "3"]})
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).text
    assert "50%" in result
    assert "Not passed this time" in result
    assert "Opening an unexpected link is how most compromises start." in result
    assert "Retake the quiz" in result
    assert result.count("✓") == 1 and result.count("✗") == 1


def test_passing_the_quiz_completes_the_module(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    response = client.post(
        "/modules/phishing/quiz", data={**form, "q1": "2", "q2": ["1", "2"]}, follow_redirects=True
    )
    assert "100%" in response.text
    assert "You passed" in response.text
    assert "1 of 2 required modules completed" in client.get("/").text


def test_submitting_the_same_form_twice_records_one_attempt(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    first = client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    second = client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    assert first.headers["Location"] == second.headers["Location"]
    assert attempt_count() == 1


def test_quiz_without_csrf_token_is_refused(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    del form["csrf_token"]
    response = client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    assert response.status_code == 400
    assert "<h1>400 · Bad request</h1>" in response.text
    assert "This request could not be handled. Please go back and try again." in response.text
    assert "CSRF" not in response.text  # the library's English is for developers
    assert attempt_count() == 0


def test_answers_that_do_not_fit_the_quiz_are_refused(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    response = client.post("/modules/phishing/quiz", data={**form, "q1": "9"})
    assert response.status_code == 400
    assert "The answers do not fit this quiz. Please take it again." in response.text
    assert client.post("/modules/phishing/quiz", data={**form, "q1": "x"}).status_code == 400
    assert attempt_count() == 0


def test_someone_else_s_result_is_not_found(app, client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    location = client.post("/modules/phishing/quiz", data={**form, "q1": "2"}).headers["Location"]
    other = app.test_client()
    open_session(other, make_person("bob@example.org"))
    assert other.get(location).status_code == 404


def test_reading_is_completed_by_acknowledging_it(client, make_person, login):
    login(make_person("ada@example.org"))
    page = client.get("/modules/welcome").text
    assert "I have read and understood this" in page
    assert "Take the quiz" not in page
    form = {"csrf_token": csrf_token(page), "submission_key": form_key(page)}
    unticked = client.post("/modules/welcome/quiz", data=form, follow_redirects=True)
    assert "Tick the box" in unticked.text
    assert attempt_count() == 0
    ticked = client.post(
        "/modules/welcome/quiz", data={**form, "acknowledge": "y"}, follow_redirects=True
    )
    assert "your reading of “How this training works” is recorded" in ticked.text
    attempt = db.session.scalar(select(Attempt))
    assert (attempt.score, attempt.passed) == (100, True)
    assert "1 of 2 required modules completed" in ticked.text


def test_a_quiz_answered_on_old_text_is_not_scored_against_new_text(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    module = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    module.source_hash = "0" * 64  # a sync changed the text while the form was open
    db.session.commit()
    response = client.post(
        "/modules/phishing/quiz", data={**form, "q1": "2"}, follow_redirects=True
    )
    assert "This module changed while you were answering" in response.text
    assert attempt_count() == 0


def test_attempts_record_the_exact_text_they_were_shown(client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    attempt = db.session.scalar(select(Attempt))
    module = db.session.scalar(select(Module).where(Module.slug == "phishing"))
    assert attempt.source_hash == module.source_hash
    assert attempt.major == module.major


def test_translated_lesson_is_shown_to_people_who_prefer_that_language(client, make_person, login):
    login(make_person("ada@example.org"))
    page = client.get("/modules/phishing", headers={"Accept-Language": "ur"}).text
    assert "فشنگ کی پہچان" in page
    assert 'lang="ur" dir="rtl"' in page


def test_a_translated_quiz_and_its_result_are_marked_right_to_left(app, client, make_person, login):
    app.config["LANGUAGES"] = ["en"]  # the interface is not offered in Urdu, the lesson is
    login(make_person("ada@example.org"))
    headers = {"Accept-Language": "ur"}
    page, form = quiz_form(client, headers=headers)
    assert 'class="question-text" lang="ur" dir="rtl"' in page.text
    assert 'for="q1-o1" lang="ur" dir="rtl"' in page.text
    assert '<html lang="en" dir="ltr">' in page.text  # the interface itself stays English
    response = client.post("/modules/phishing/quiz", data={**form, "q1": "2"}, headers=headers)
    result = client.get(response.headers["Location"], headers=headers).text
    assert 'class="answer-question" lang="ur" dir="rtl"' in result
    assert 'class="explanation" lang="ur" dir="rtl"' in result


def test_the_person_s_chosen_language_comes_before_the_browser_s(client, make_person, login):
    person = make_person("ada@example.org")
    login(person)
    person.language = "ur"
    db.session.commit()
    assert 'lang="ur" dir="rtl"' in client.get("/modules/phishing").text
    person.language = "en"
    db.session.commit()
    page = client.get("/modules/phishing", headers={"Accept-Language": "ur"}).text
    assert 'lang="en" dir="ltr"' in page and "فشنگ کی پہچان" not in page
    person.language = "fr"  # no French translation: the browser decides
    db.session.commit()
    assert (
        "فشنگ کی پہچان" in client.get("/modules/phishing", headers={"Accept-Language": "ur"}).text
    )


def test_error_pages_speak_to_people_not_developers(client, make_person, login):
    login(make_person("ada@example.org"))
    missing = client.get("/modules/nothing-here")
    assert missing.status_code == 404
    assert "<title>404 Not found · Awareness</title>" in missing.text
    assert "nothing-here" not in missing.text.split("<main")[1]  # no developer's description
    wrong = client.get("/logout")
    assert wrong.status_code == 405
    assert "<h1>405 · Method not allowed</h1>" in wrong.text
    assert "The method is not allowed" not in wrong.text


def test_navigation_shows_only_what_roles_allow(client, make_person, login):
    login(make_person("ada@example.org"))
    assert "Dashboard" not in client.get("/").text
    login(make_person("hr@example.org", roles="hr"))
    assert "Dashboard" in client.get("/").text
    login(make_person("boss@example.org", roles="manager"))
    assert "Dashboard" in client.get("/").text


def test_a_manager_without_a_department_is_not_offered_the_dashboard(client, make_person, login):
    manager = make_person("lost@example.org", roles="manager")
    manager.department = None
    db.session.commit()
    login(manager)
    assert "Dashboard" not in client.get("/").text
    assert client.get("/dashboard/").status_code == 403


def test_a_quiz_form_cannot_be_replayed_on_another_quiz(client, make_person, login):
    login(make_person("ada@example.org", layer="leadership"))
    _, form = quiz_form(client, "phishing")
    client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    _, other = quiz_form(client, "cyber-risk")
    replay = {**other, "submission_key": form["submission_key"], "q1": "1"}
    assert client.post("/modules/cyber-risk/quiz", data=replay).status_code == 400
    assert attempt_count() == 1


def test_someone_else_s_form_key_is_refused_not_an_error(app, client, make_person, login):
    login(make_person("ada@example.org"))
    _, form = quiz_form(client)
    client.post("/modules/phishing/quiz", data={**form, "q1": "2"})
    other = app.test_client()
    open_session(other, make_person("bob@example.org"))
    _, theirs = quiz_form(other)
    response = other.post(
        "/modules/phishing/quiz", data={**theirs, "submission_key": form["submission_key"]}
    )
    assert response.status_code == 400
    assert attempt_count() == 1

"""What people do, done in a real browser: learners by keyboard alone, in English and in
Urdu, with and without JavaScript; HR drilling down to a CSV; a manager kept to their own."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Module
from tests.browser.conftest import PHONE, sign_in
from tests.browser.keyboard import answer_quiz, tab_to


def wrong_choice(correct: dict[int, set[int]]):
    def choose(number: int, values: list[int], multiple: bool) -> set[int]:
        return {next(v for v in values if v not in correct[number])}

    return choose


def right_choice(correct: dict[int, set[int]]):
    def choose(number: int, values: list[int], multiple: bool) -> set[int]:
        return correct[number]

    return choose


def learner_path(page, live, *, direction: str) -> None:
    """Sign-in is done: read the reading, then fail, retake and pass the quiz, by keyboard."""
    correct = live.correct_options(live.quiz_slug)
    assert page.locator("html").get_attribute("dir") == direction

    page.goto(f"/modules/{live.reading_slug}")
    tab_to(page, 'input[name="acknowledge"]')
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flash-success").count() == 1
    page.goto(f"/modules/{live.reading_slug}")
    assert page.locator('input[name="acknowledge"]').count() == 0  # read: no form any more

    page.goto(f"/modules/{live.quiz_slug}")
    tab_to(page, f'a[href="/modules/{live.quiz_slug}/quiz"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer_quiz(page, wrong_choice(correct))
    assert "/attempts/" in page.url
    assert page.locator(".result-failed").count() == 1
    assert page.locator(".tag-correct").count() == 0  # a retake stays a test
    assert page.locator(".tag-chosen").count() == len(correct)

    tab_to(page, f'.result a[href="/modules/{live.quiz_slug}/quiz"]')  # "Retake the quiz"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer_quiz(page, right_choice(correct))
    assert page.locator(".result-passed").count() == 1
    assert page.locator(".tag-correct").count() == sum(len(c) for c in correct.values())
    assert page.locator(".answer-wrong").count() == 0


def test_a_learner_reads_fails_retakes_and_passes_by_keyboard(browser, live, open_as):
    page = open_as(None)
    sign_in(page, "keys@example.org")
    learner_path(page, live, direction="ltr")
    page.goto("/")
    assert page.locator(f'a[href="/modules/{live.quiz_slug}"]').count() >= 1
    assert page.locator(".status-completed").count() == 2


def test_the_same_path_in_urdu(browser, live, open_as):
    page = open_as(None, locale="en-GB")  # the person's own choice, not the browser's, decides
    sign_in(page, "urdu@example.org")
    assert page.locator("html").get_attribute("lang") == "ur"
    with live.app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == live.quiz_slug))
        title = next(t.title for t in module.translations if t.language == "ur")
    page.goto(f"/modules/{live.quiz_slug}")
    lesson = page.locator("article.lesson")
    assert lesson.get_attribute("lang") == "ur" and lesson.get_attribute("dir") == "rtl"
    assert title in lesson.inner_text()
    font = lesson.evaluate("(element) => getComputedStyle(element).fontFamily")
    assert font.startswith('"Awareness Nastaliq"')
    learner_path(page, live, direction="rtl")
    assert page.locator('.answer-question[lang="ur"]').count() >= 1
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_learner_path_works_without_javascript(live, open_as):
    page = open_as(None, javascript=False)
    page.goto("/login")
    page.fill("#email", "nojs@example.org")
    page.fill("#password", "awareness-demo")
    page.click("form button, form input[type=submit]")
    assert page.url.rstrip("/") == live.url
    correct = live.correct_options(live.quiz_slug)
    page.goto(f"/modules/{live.quiz_slug}/quiz")
    for number, options in correct.items():
        for option in options:
            page.check(f"#q{number}-o{option}")
    page.click("form.quiz button[type=submit]")
    assert page.locator(".result-passed").count() == 1
    page.goto("/")
    assert page.locator("progress").count() == 1


def test_hr_drills_into_a_department_and_downloads_a_csv(live, open_as):
    page = open_as("hr@example.org")
    page.goto("/dashboard/")
    page.locator("#heat-caption").wait_for()
    page.locator('.heat-table a[href="/dashboard/departments/Finance"]').click()
    assert page.url.endswith("/dashboard/departments/Finance")
    page.locator('.heat-table a[href="/dashboard/departments/Finance/Payroll"]').click()
    assert page.locator("h1").inner_text() == "Finance/Payroll"
    people = int(re.search(r"(\d+) people", page.locator("#people-heading + p").inner_text())[1])
    with page.expect_download() as download:
        page.locator('a[href="/dashboard/people.csv?department=Finance/Payroll"]').click()
    assert download.value.suggested_filename == "people.csv"
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert len(rows) == people > 0
    assert {row["department"] for row in rows} == {"Finance/Payroll"}
    assert {"email", "name", "coverage", "overdue", live.quiz_slug} <= set(rows[0])
    assert "manager@example.org" in {row["email"] for row in rows}


def test_a_manager_cannot_reach_another_department(live, open_as):
    page = open_as("manager@example.org")
    page.goto("/dashboard/")
    assert page.locator(f'a[href^="/dashboard/departments/{live.other_department}"]').count() == 0
    assert page.locator("h2#yours-heading").count() == 1
    for path in (
        f"/dashboard/departments/{live.other_department}",
        f"/dashboard/?department={live.other_department}",
        f"/dashboard/people.csv?department={live.other_department}",
    ):
        response = page.goto(path)
        assert response.status == 403, path
        assert page.locator("h1").inner_text() == "403 · Forbidden"

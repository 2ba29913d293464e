"""Every main page, in English and in Urdu, on a laptop and on a phone.

Each page: no serious or critical axe-core violation, under 100 KB of HTML,
CSS and JavaScript, no sideways scrolling at 390 px, and a screenshot at
1280 px and at 390 px wide.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.browser import checks
from tests.browser.conftest import PHONE


@dataclass(frozen=True)
class MainPage:
    name: str
    who: str | None  # the email of whoever looks at it; None: nobody signed in
    path: str  # may name the Live attributes it needs, such as {quiz_slug}
    status: int = 200

    def url(self, live) -> str:
        return self.path.format(**vars(live))


HR = "hr@example.org"
LEARNER = "learner@example.org"
MANAGER = "manager@example.org"

MAIN_PAGES = [
    MainPage("sign-in", None, "/login"),
    MainPage("my-training", LEARNER, "/"),
    MainPage("lesson", LEARNER, "/modules/{quiz_slug}"),
    MainPage("reading", LEARNER, "/modules/{reading_slug}"),
    MainPage("quiz", LEARNER, "/modules/{quiz_slug}/quiz"),
    MainPage("result", LEARNER, "{result_path}"),
    MainPage("settings", LEARNER, "/settings"),
    MainPage("sessions", LEARNER, "/sessions/"),
    MainPage("session", LEARNER, "/sessions/{session_id}"),
    MainPage("dashboard", HR, "/dashboard/"),
    MainPage("dashboard-manager", MANAGER, "/dashboard/"),
    MainPage("department", HR, "/dashboard/departments/Finance"),
    MainPage("dashboard-module", HR, "/dashboard/modules/{quiz_slug}"),
    MainPage("dashboard-sessions", HR, "/dashboard/sessions/"),
    MainPage("error-403", LEARNER, "/dashboard/", status=403),
    MainPage("error-404", LEARNER, "/no-such-page", status=404),
]
LANGUAGES = {"en": "en-GB", "ur": "ur-PK"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("main", MAIN_PAGES, ids=lambda main: main.name)
def test_main_page(open_as, live, screenshots, main, language):
    page = open_as(main.who, locale=LANGUAGES[language])
    scales = checks.Scales(page)
    response = page.goto(main.url(live))
    assert response.status == main.status
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")

    weight = scales.weight()
    assert weight < checks.MAX_PAGE_BYTES, f"{main.name}: {weight} bytes of HTML, CSS and JS"
    found = checks.failing(checks.violations(page))
    assert not found, f"{main.name} ({language}): {found}"
    page.screenshot(path=screenshots / f"{main.name}-{language}-1280.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert checks.page_width(page) <= PHONE["width"], f"{main.name} scrolls sideways on a phone"
    found = checks.failing(checks.violations(page))
    assert not found, f"{main.name} ({language}, phone): {found}"
    page.screenshot(path=screenshots / f"{main.name}-{language}-390.png", full_page=True)

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
ADMIN = "admin@example.org"
AUTHOR = "author@example.org"

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
    MainPage("admin-people", HR, "/admin/people?q=finance"),
    MainPage("admin-person", HR, "/admin/people/{learner_id}"),
    MainPage("admin-import", HR, "/admin/people/import"),
    MainPage("admin-content", ADMIN, "/admin/content"),
    MainPage("admin-module", AUTHOR, "/admin/content/modules/{quiz_slug}"),
    MainPage("admin-audit", ADMIN, "/admin/audit"),
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

    assert checks.smallest_chart_label(page) >= 12
    weight = scales.weight()
    assert weight < checks.MAX_PAGE_BYTES, f"{main.name}: {weight} bytes of HTML, CSS and JS"
    found = checks.failing(checks.violations(page))
    assert not found, f"{main.name} ({language}): {found}"
    page.screenshot(path=screenshots / f"{main.name}-{language}-1280.png", full_page=True)

    page.set_viewport_size(PHONE)
    assert checks.page_width(page) <= PHONE["width"], f"{main.name} scrolls sideways on a phone"
    assert checks.smallest_chart_label(page) >= 12, f"{main.name}: chart labels under 12 px"
    found = checks.failing(checks.violations(page))
    assert not found, f"{main.name} ({language}, phone): {found}"
    page.screenshot(path=screenshots / f"{main.name}-{language}-390.png", full_page=True)


@pytest.mark.parametrize("main", MAIN_PAGES, ids=lambda main: main.name)
def test_the_keyboard_reaches_everything_and_the_focus_shows(open_as, live, main):
    """Tab through the whole page: every stop shows where the focus is."""
    page = open_as(main.who)
    page.goto(main.url(live))
    page.focus("a.skip-link")  # the first stop, whatever a field's autofocus did meanwhile
    stops = [checks.focused(page)]
    assert stops[0]["label"] == "Skip to content" and stops[0]["visible"]
    for _ in range(300):
        page.keyboard.press("Tab")
        where = checks.focused(page)
        if where is None or where == stops[0]:
            break  # past the last control: the focus went back to the browser or around
        assert where["visible"], f"{main.name}: no visible focus on {where}"
        stops.append(where)
    else:
        raise AssertionError(f"{main.name}: more than 300 stops")
    assert len(stops) > 3 and stops[-1] != stops[0]

"""Moving through a page with the keyboard alone, checking the focus shows at every stop."""

from __future__ import annotations

from typing import Any

from tests.browser import checks

#: More Tab presses than any main page needs to reach what a test is after.
MAX_TABS = 150

QUESTIONS = """() => [...document.querySelectorAll("fieldset.question")].map(set => {
  const inputs = [...set.querySelectorAll("input")];
  return {name: inputs[0].name, type: inputs[0].type, values: inputs.map(i => Number(i.value))};
})"""


def press_tab(page) -> dict[str, Any]:
    """Tab once; the focused element, which must show that it has the focus."""
    page.keyboard.press("Tab")
    where = checks.focused(page)
    assert where is not None, "the focus left the page"
    assert where["visible"], f"no visible focus on {where}"
    return where


def tab_to(page, selector: str) -> None:
    """Tab until the element ``selector`` names has the focus."""
    target = page.locator(selector).first.element_handle()
    for _ in range(MAX_TABS):
        press_tab(page)
        if page.evaluate("(target) => document.activeElement === target", target):
            return
    raise AssertionError(f"Tab never reached {selector}")


def answer_quiz(page, choose) -> None:
    """Answer every question by keyboard: ``choose(question number, option values in the order
    shown, multiple)`` gives the values to choose. Then submit with Enter."""
    for question in page.evaluate(QUESTIONS):
        number = int(question["name"][1:])
        values = question["values"]
        wanted = choose(number, values, question["type"] == "checkbox")
        if question["type"] == "radio":
            tab_to(page, f'input[name="{question["name"]}"]')
            index = values.index(next(iter(wanted)))
            if index == 0:
                page.keyboard.press("Space")
            for _ in range(index):
                page.keyboard.press("ArrowDown")  # moves and chooses, whatever the direction
        else:
            for value in values:
                tab_to(page, f'input[name="{question["name"]}"][value="{value}"]')
                if value in wanted:
                    page.keyboard.press("Space")
    chosen = page.evaluate(
        """() => [...document.querySelectorAll("fieldset.question input:checked")]
                 .map(i => i.name + "=" + i.value)"""
    )
    assert len(chosen) >= len(page.evaluate(QUESTIONS))
    tab_to(page, 'form.quiz button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")

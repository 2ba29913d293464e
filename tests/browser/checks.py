"""What the browser tests measure on a page: accessibility, weight, width and focus."""

from __future__ import annotations

from functools import cache
from typing import Any

from awareness.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: The axe-core impacts that fail a page.
FAILING_IMPACTS = ("serious", "critical")
#: HTML, CSS and JavaScript of one page, before images and fonts.
MAX_PAGE_BYTES = 100 * 1024
WEIGHED = ("document", "stylesheet", "script")

AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""

#: The focused element, and whether anything shows where it is: an outline or a shadow.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const label = element.id || element.name || element.textContent.trim().slice(0, 40);
  return {tag: element.tagName.toLowerCase(), label: label, visible: outline || !!shadow};
}"""


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[dict[str, Any]]:
    """Every axe-core violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())  # through the DevTools protocol: the CSP does not apply
    return page.evaluate(AXE_RUN)


def failing(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in FAILING_IMPACTS]


class Scales:
    """Weighs what a page loads: HTML, CSS and JavaScript, not images or fonts."""

    def __init__(self, page) -> None:
        self.responses: list[Any] = []
        page.on("response", self.keep)

    def keep(self, response: Any) -> None:
        self.responses.append(response)

    def weight(self) -> int:
        return sum(
            len(response.body())
            for response in self.responses
            if response.request.resource_type in WEIGHED and response.status == 200
        )


#: The smallest size, in CSS pixels as shown, of the labels of the page's SVG charts.
SMALLEST_CHART_LABEL = """() => Math.min(Infinity,
  ...[...document.querySelectorAll("svg text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""


def smallest_chart_label(page) -> float:
    return page.evaluate(SMALLEST_CHART_LABEL)


def page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def focused(page) -> dict[str, Any] | None:
    return page.evaluate(FOCUS)

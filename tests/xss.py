"""What "inert" means for a page that shows hostile text: no markup that can run script."""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that run script or load or redirect a document; none may reach a page.
FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "base", "style", "template", "noscript", "portal",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Collector(HTMLParser):
    def __init__(self, allow: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.forbidden = FORBIDDEN_TAGS - allow
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.forbidden:
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append("<meta http-equiv>")
        if tag == "link" and not dict(attrs).get("href", "").startswith("/static/"):
            self.found.append(f"<link href={dict(attrs).get('href')!r}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"<{tag} {name}=...>")
            squeezed = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value!r}>")


def executable_markup(html: str, *, allow: frozenset[str] = frozenset()) -> list[str]:
    """Each element or attribute in ``html`` that could run script or lead away; [] if inert.

    ``allow`` names forbidden tags a page may hold itself, such as the dashboard's
    ``svg`` charts; their attributes are checked all the same.
    """
    collector = _Collector(allow)
    collector.feed(html)
    collector.close()
    return collector.found

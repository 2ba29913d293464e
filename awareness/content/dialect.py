"""The one Markdown dialect of a module file, parsed once by markdown-it-py.

CommonMark, plus tables (with each column's alignment), smart quotes, and
dashes and ellipses (``--``, ``---``, ``...``) as Python-Markdown's smarty
wrote them. A module's body is parsed once: the lesson is rendered from those
tokens and the quiz is read from them (:mod:`awareness.content.quiz`), so
``content check``, the lesson page and the quiz page always agree on where a
code block ends and where the quiz starts. Block tokens carry their source
lines, which :class:`Document` turns into the file's line numbers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from awareness.content import brackets, limits, sanitise
from awareness.content.specs import Reference

#: Deep enough for all the nesting the limits let through (a list takes two levels).
MAX_NESTING = 4 * limits.MAX_DEPTH

_DASH_OR_DOTS = re.compile(r"--|\.\.\.")
_DASHES = (
    (re.compile(r"(^|[^-])---(?=[^-]|$)", re.MULTILINE), "\\1\u2014"),
    (re.compile(r"(^|\s)--(?=\s|$)", re.MULTILINE), "\\1\u2013"),
    (re.compile(r"(^|[^-\s])--(?=[^-\s]|$)", re.MULTILINE), "\\1\u2013"),
    (re.compile(r"\.\.\."), "\u2026"),
)

#: Raw HTML blocks that run until a closing mark: when it never comes they swallow the rest.
_RAW_HTML_BLOCKS = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?=[\s>]|$)", re.IGNORECASE),
        re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
    ),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b([^>]*)>")
_URL_ATTRIBUTE = re.compile(
    r"""(?<![\w-])(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)


def _dashes(state: StateCore) -> None:
    """``---`` becomes an em dash, ``--`` an en dash, ``...`` an ellipsis, outside code."""
    for token in state.tokens:
        inside_autolink = False
        for child in token.children or ():
            if child.type in ("link_open", "link_close") and child.info == "auto":
                inside_autolink = child.type == "link_open"
            elif (
                child.type == "text" and not inside_autolink and _DASH_OR_DOTS.search(child.content)
            ):
                for pattern, replacement in _DASHES:
                    child.content = pattern.sub(replacement, child.content)


def _align_cells(state: StateCore) -> None:
    """A table cell says its alignment as ``align="right"``, which the sanitiser keeps."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", "")
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrs["align"] = style.removeprefix("text-align:")


def markdown() -> MarkdownIt:
    """A new parser of this dialect (one is made when the module loads, and used throughout)."""
    markdown = MarkdownIt(
        "commonmark", {"typographer": True, "maxNesting": MAX_NESTING, "xhtmlOut": False}
    )
    markdown.enable(["table", "smartquotes"])
    brackets.install(markdown)
    markdown.core.ruler.before("smartquotes", "dashes", _dashes)
    markdown.core.ruler.push("align_cells", _align_cells)
    return markdown


_MARKDOWN = markdown()
_RENDERER = RendererHTML()


@dataclass
class Document:
    """A module's body, parsed: its tokens, and the file's line number of its first line."""

    tokens: list[Token]
    first_line: int
    env: dict[str, Any] = field(default_factory=dict)  # link reference definitions

    def line(self, token: Token) -> int:
        """The file's line (from 1) on which a block token starts."""
        return self.first_line + (token.map[0] if token.map else 0)

    def render(self, tokens: Sequence[Token]) -> str:
        """Block tokens as sanitised HTML."""
        return sanitise.clean(_RENDERER.render(tokens, _MARKDOWN.options, self.env)).strip()

    def render_inline(self, inline: Token) -> str:
        """An inline token's text (a heading's, a paragraph's) as sanitised HTML."""
        children = inline.children or []
        return sanitise.clean(_RENDERER.renderInline(children, _MARKDOWN.options, self.env)).strip()

    def unclosed(self) -> Iterator[tuple[int, str]]:
        """``(line, message)`` for each code fence or raw HTML block that is never closed.

        Either would run to the end of the file (or of its list or quote), so a quiz
        after it would silently become part of the lesson.
        """
        for token in self.tokens:
            if token.type == "fence" and not _closed_fence(token):
                yield (
                    self.line(token),
                    f"code block opened with '{token.markup}' is never closed: "
                    f"end it with a line '{token.markup}'",
                )
            elif token.type == "html_block":
                opened = _unclosed_html(token.content.lstrip())
                if opened:
                    yield (
                        self.line(token),
                        f"'{opened}' is never closed: it would swallow everything after it",
                    )

    def references(self) -> Iterator[Reference]:
        """Every link and image, from Markdown and from raw HTML, with its line."""
        for token in self.tokens:
            if token.type == "html_block":
                yield from _html_references(token.content, self.line(token))
            elif token.type == "inline":
                yield from _inline_references(token, self.line(token))


def parse(text: str, first_line: int) -> Document:
    """Parse a module's body; ``first_line`` is the file's line number of its first line."""
    env: dict[str, Any] = {}
    if not text.endswith("\n"):
        text += "\n"  # every line ends with one: _closed_fence counts them
    return Document(_MARKDOWN.parse(text, env), first_line, env)


def blocks(
    tokens: Sequence[Token], start: int = 0, stop: int | None = None
) -> Iterator[list[Token]]:
    """The blocks side by side from ``start`` to ``stop``: each from its opening token to its
    closing one (or a single token, such as a code block)."""
    stop = len(tokens) if stop is None else stop
    index = start
    while index < stop:
        end = index
        depth: int = tokens[index].nesting
        while depth > 0:
            end += 1
            depth += tokens[end].nesting
        yield list(tokens[index : end + 1])
        index = end + 1


def _closed_fence(token: Token) -> bool:
    """Whether a fence ended with a closing line rather than at the end of its container.

    markdown-it maps a closed fence to its opening line, its content and its closing line.
    """
    if token.map is None:
        return True
    first, end = token.map
    return end - first == token.content.count("\n") + 2


def _unclosed_html(content: str) -> str | None:
    """The opening of a raw HTML block that has no closing mark, such as ``<!--``; else None."""
    for opening, closing in _RAW_HTML_BLOCKS:
        match = opening.match(content)
        if match:
            return None if closing.search(content) else match.group(0)
    return None


def _inline_references(inline: Token, line: int) -> Iterator[Reference]:
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            yield Reference(line, str(child.attrs.get("href", "")), image=False)
        elif child.type == "image":
            yield Reference(line, str(child.attrs.get("src", "")), image=True)
        elif child.type == "html_inline":
            yield from _html_references(child.content, line)
            line += child.content.count("\n")


def _html_references(text: str, line: int) -> Iterator[Reference]:
    """The ``src`` and ``href`` of each tag in raw HTML; an ``<img src>`` is an image."""
    counted = 0
    for tag in _TAG.finditer(text):
        line += text.count("\n", counted, tag.start())
        counted = tag.start()
        for attribute in _URL_ATTRIBUTE.finditer(tag.group(2)):
            name = attribute.group(1).lower()
            value = next(group for group in attribute.groups()[1:] if group is not None)
            image = tag.group(1).lower() == "img" and name == "src"
            yield Reference(line, html.unescape(value), image)

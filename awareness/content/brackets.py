"""Square brackets in markdown-it-py, in time linear in a paragraph's length.

Brackets are what a hostile file can hold most of, and markdown-it spends the
most on them: it finds the ``]`` that ends the label opened by each ``[`` by
walking the text after it, and walks again from the next ``[``; and every
bracket that starts nothing is offered to each inline rule in turn. A file of
``[[[...a]]]`` nested as deep as the limits allow took several times longer
than Python-Markdown did. Two changes give the same tokens, faster:

- each label's scan is remembered, and a scan that meets a ``[`` whose own
  label was already scanned jumps to that label's end: the walk between is the
  same step for step (the same positions, skipped the same way);
- a first inline rule takes as text, at once, a ``]`` (no rule starts with
  one) and a ``[`` that cannot open a link: its label is not followed by
  ``(`` and the file defines no ``[label]: url`` references.

``tests/content/test_fuzz.py`` checks that the HTML is markdown-it's own.
"""

from __future__ import annotations

import types
import weakref

from markdown_it import MarkdownIt
from markdown_it import helpers as markdown_it_helpers
from markdown_it.rules_inline import StateInline

#: For each paragraph being parsed: (start, end of the text scanned) -> (end of the
#: label or -1, whether a ``[`` that opens a link or an image was met on the way).
_Scans = dict[tuple[int, int], tuple[int, bool]]
_SCANS: weakref.WeakKeyDictionary[StateInline, _Scans] = weakref.WeakKeyDictionary()


def install(markdown: MarkdownIt) -> None:
    """Make ``markdown`` scan brackets this way."""
    helpers = types.ModuleType(markdown_it_helpers.__name__)
    helpers.__dict__.update(vars(markdown_it_helpers))
    helpers.__dict__["parseLinkLabel"] = parse_link_label
    markdown.helpers = helpers
    markdown.inline.ruler.before("text", "bracket_text", bracket_text)


def parse_link_label(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """Where the label opened at ``start`` ends (its ``]``), or -1, as markdown-it's
    ``parseLinkLabel`` says; with ``disable_nested``, a label holding a link is refused."""
    scans = _SCANS.setdefault(state, {})
    key = (start, state.posMax)
    if key not in scans:
        scans[key] = _scan(state, start, scans)
    end, nested = scans[key]
    return -1 if disable_nested and nested else end


def _scan(state: StateInline, start: int, scans: _Scans) -> tuple[int, bool]:
    source, maximum, old_position = state.src, state.posMax, state.pos
    skip_token = state.md.inline.skipToken
    position, level, nested = start + 1, 1, False
    try:
        while position < maximum:
            marker = source[position]
            if marker == "]":
                level -= 1
                if level == 0:
                    return position, nested
            state.pos = position
            skip_token(state)
            if marker == "[" and state.pos == position + 1:  # a "[" that is only text
                inner = scans.get((position, maximum))
                if inner is not None and inner[0] >= 0:
                    nested = nested or inner[1]
                    position = inner[0] + 1  # past the "]" that closes it: the level is back
                    continue
                level += 1
            elif marker == "[":
                nested = True  # the "[" opened a link or an image
            position = state.pos
        return -1, nested
    finally:
        state.pos = old_position


def bracket_text(state: StateInline, silent: bool) -> bool:
    """Take a ``]``, or a ``[`` that cannot open a link, as text (see the module's notes)."""
    position = state.pos
    marker = state.src[position]
    if marker == "[":
        if "references" in state.env:
            return False
        end = parse_link_label(state, position, True)
        if 0 <= end < state.posMax - 1 and state.src[end + 1] == "(":
            return False
    elif marker != "]":
        return False
    if not silent:
        state.append_pending(marker)
    state.pos = position + 1
    return True

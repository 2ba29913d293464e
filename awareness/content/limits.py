"""Limits checked before a file is parsed, so that no file can make a check slow.

Markdown parsers and PyYAML can take time that grows with the square of some
structures (brackets left open, long runs of inline markup) and recurse on
nesting (lists, quotes, YAML collections). Real lessons are far below these
limits; a file above one is reported here and never handed to the parsers.
``bench/content.py`` times the worst files that pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from awareness.content.files import describe_size

#: The largest module file or ``org.yml``; the largest shipped module is about 11 KB.
MAX_FILE_BYTES = 128 * 1024
#: The longest run of lines without a blank line: Markdown's inline work grows with its square.
MAX_PARAGRAPH_CHARS = 16 * 1024
#: How deep lists, quotes, brackets and YAML collections may nest.
MAX_DEPTH = 32

#: One container marker at the start of a line: a quote, a bullet or a numbered item.
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))")
#: Characters that open and close a span Markdown has to match: links, their targets, tags.
_PAIRS = {"[": "]", "(": ")", "<": ">"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}
_TAG_START = re.compile(r"[A-Za-z/!?]")
#: Characters no text file should hold (the database refuses NUL; surrogates are not text).
_FORBIDDEN = [
    (re.compile("\0"), "a NUL character: is this a binary file?"),
    (re.compile("[\ud800-\udfff]"), "a character that is not valid Unicode"),
]


@dataclass(frozen=True)
class Excess:
    """A limit a text goes over: the line (from 1) and what to tell the author."""

    line: int
    message: str


def markdown_excesses(text: str) -> list[Excess]:
    """Every limit a module file's text goes over (at most one of each kind), in line order."""
    found: list[Excess] = []
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        return [Excess(1, f"the file is larger than {describe_size(MAX_FILE_BYTES)}: split it")]
    for character, message in _FORBIDDEN:
        position = character.search(text)
        if position:
            found.append(Excess(text.count("\n", 0, position.start()) + 1, message))
    lines = text.split("\n")
    for check in (_long_paragraph, _deep_line, _open_brackets):
        excess = check(lines)
        if excess:
            found.append(excess)
    return sorted(found, key=lambda excess: excess.line)


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, lines)`` for each run of lines without a blank one."""
    start = None
    for index, line in enumerate([*lines, ""]):
        if line.strip():
            if start is None:
                start = index
        elif start is not None:
            yield start + 1, lines[start:index]
            start = None


def _long_paragraph(lines: list[str]) -> Excess | None:
    for number, paragraph in _paragraphs(lines):
        if sum(len(line) + 1 for line in paragraph) > MAX_PARAGRAPH_CHARS:
            return Excess(
                number,
                f"more than {MAX_PARAGRAPH_CHARS // 1024} KB of text without a blank line: "
                "split it into paragraphs",
            )
    return None


def _deep_line(lines: list[str]) -> Excess | None:
    for index, line in enumerate(lines):
        if _nesting(line) > MAX_DEPTH:
            return Excess(
                index + 1,
                f"lists or quotes nested more than {MAX_DEPTH} levels deep: flatten them",
            )
    return None


def _nesting(line: str) -> int:
    """How many lists and quotes a line opens, counting four columns of indent as one."""
    markers = position = 0
    while match := _CONTAINER.match(line, position):
        markers += 1
        position = match.end()
    if not markers:
        return 0
    indent = sum(4 if c == "\t" else 1 for c in line[:position] if c in " \t")
    return markers + indent // 4


def _open_brackets(lines: list[str]) -> Excess | None:
    """The first line where a paragraph has too many brackets open at once."""
    for number, paragraph in _paragraphs(lines):
        depth = dict.fromkeys(_PAIRS, 0)
        for offset, line in enumerate(paragraph):
            escaped = False
            for position, char in enumerate(line):
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char in _PAIRS and (char != "<" or _TAG_START.match(line, position + 1)):
                    depth[char] += 1
                    if depth[char] > MAX_DEPTH:
                        return Excess(
                            number + offset,
                            f"more than {MAX_DEPTH} '{char}' open at once (nested too deeply, "
                            f"or never closed with '{_PAIRS[char]}')",
                        )
                elif char in _CLOSERS and depth[_CLOSERS[char]]:
                    depth[_CLOSERS[char]] -= 1
    return None


def yaml_excess(text: str) -> Excess | None:
    """Aliases or nesting deeper than :data:`MAX_DEPTH` in a YAML text, found from its events.

    The event parser neither recurses nor expands aliases, so this is safe on any
    text. Syntax errors are left for the real parse to report with their line.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return Excess(
                    _line(event),
                    "YAML aliases ('*name') are not allowed here: write the value out",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Excess(
                        _line(event),
                        f"YAML nested more than {MAX_DEPTH} levels deep",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1

"""The quiz of a module, read from the blocks after its ``## Quiz`` heading.

Each question is a level-3 heading; paragraphs (or any other text) between the
heading and the options are part of the question; the options are a bullet list
of task items, ``- [x]`` correct and ``- [ ]`` wrong; a quote after the options
is the explanation. Questions and options are numbered from 1 as written. Every
text is rendered once, from the tokens of the one parse, so an escaped
``\\*star\\*`` in an option keeps its stars.
"""

from __future__ import annotations

import re
from enum import Enum, auto

from markdown_it.token import Token

from awareness.content.dialect import Document, blocks
from awareness.content.problems import Problem
from awareness.content.specs import OptionSpec, QuestionSpec

#: The start of an option's paragraph: ``[x]`` or ``[ ]``, a space, then its text.
TASK_MARKER = re.compile(r"\[([ xX])\][ \t]+\S")

WRITE_AN_OPTION = "an option must be written '- [ ] text' or '- [x] text'"


class _Phase(Enum):
    BEFORE_QUESTIONS = auto()
    STEM = auto()
    OPTIONS = auto()
    EXPLANATION = auto()


def read_quiz(
    document: Document, quiz: list[list[Token]], path: str, problems: list[Problem]
) -> list[QuestionSpec]:
    """The questions in ``quiz`` (the blocks after the heading); each mistake is a problem."""
    reader = _Reader(document, path, problems)
    for block in quiz:
        reader.read(block)
    reader.finish_question()
    return reader.questions


class _Reader:
    def __init__(self, document: Document, path: str, problems: list[Problem]) -> None:
        self.document = document
        self.path = path
        self.problems = problems
        self.questions: list[QuestionSpec] = []
        self.phase = _Phase.BEFORE_QUESTIONS
        self.stem: list[Token] = []
        self.explanations: list[str] = []

    def problem(self, token: Token, message: str) -> None:
        self.problems.append(Problem(self.path, self.document.line(token), message))

    def read(self, block: list[Token]) -> None:
        kind = block[0].type
        if kind == "heading_open":
            self.heading(block)
        elif kind == "bullet_list_open":
            for item in blocks(block, 1, len(block) - 1):
                self.option(item)
        elif kind == "ordered_list_open":
            for item in blocks(block, 1, len(block) - 1):
                self.problem(item[0], WRITE_AN_OPTION)
        elif kind == "blockquote_open":
            self.explanation(block)
        else:
            self.text(block)

    def heading(self, block: list[Token]) -> None:
        if block[0].tag != "h3":
            self.problem(block[0], "inside the quiz only '### ' headings (questions) are allowed")
            return
        self.finish_question()
        if not block[1].content.strip():
            self.problem(block[0], "a question needs its text after '### '")
        text = self.document.render_inline(block[1])
        self.questions.append(
            QuestionSpec(len(self.questions) + 1, text, self.document.line(block[0]))
        )
        self.phase = _Phase.STEM

    def option(self, item: list[Token]) -> None:
        parts = list(blocks(item, 1, len(item) - 1))
        correct = _take_task_marker(parts)
        if correct is None:
            self.problem(item[0], WRITE_AN_OPTION)
        elif self.phase is _Phase.BEFORE_QUESTIONS:
            self.problem(item[0], "option outside a question: put a '### ' question above it")
        elif self.phase is _Phase.EXPLANATION:
            self.problem(item[0], "option after the explanation: the '>' explanation goes last")
        else:
            question = self.questions[-1]
            text = " ".join(self.option_text(part) for part in parts)
            line = self.document.line(item[0])
            question.options.append(OptionSpec(len(question.options) + 1, text, correct, line))
            self.phase = _Phase.OPTIONS

    def option_text(self, part: list[Token]) -> str:
        if part[0].type != "paragraph_open":
            self.problem(part[0], "an option is text only: put lists, quotes and code above it")
            return ""
        return self.document.render_inline(part[1])

    def explanation(self, block: list[Token]) -> None:
        if self.phase is _Phase.BEFORE_QUESTIONS:
            self.problem(block[0], "explanation outside a question")
        elif self.phase is _Phase.STEM:
            self.problem(block[0], "explanation before the options: put it after them")
        else:
            self.explanations.append(self.document.render(block[1:-1]))
            self.phase = _Phase.EXPLANATION

    def text(self, block: list[Token]) -> None:
        if self.phase is _Phase.BEFORE_QUESTIONS:
            self.problem(block[0], "text before the first question: questions start with '### '")
        elif self.phase is _Phase.STEM:
            self.stem.extend(block)
        else:
            self.problem(
                block[0], "unexpected text: after the options only a '> ' explanation may follow"
            )

    def finish_question(self) -> None:
        """Complete the last question with its stem and explanation, and check its options."""
        if not self.questions:
            return
        question = self.questions[-1]
        if self.stem:
            question.text_html += "\n" + self.document.render(self.stem)
        question.explanation_html = "\n".join(self.explanations)
        self.stem, self.explanations = [], []
        if len(question.options) < 2:
            self.problems.append(
                Problem(
                    self.path,
                    question.line,
                    f"question {question.number} has fewer than two options",
                )
            )
        elif not any(option.correct for option in question.options):
            self.problems.append(
                Problem(
                    self.path,
                    question.line,
                    f"question {question.number} has no correct option: mark one '- [x]'",
                )
            )


def _take_task_marker(parts: list[list[Token]]) -> bool | None:
    """Whether a list item is a correct option, an incorrect one, or (None) no option at all.

    An option's ``[x]`` or ``[ ]`` is taken off the front of its text.
    """
    if not parts or parts[0][0].type != "paragraph_open":
        return None
    inline = parts[0][1]
    match = TASK_MARKER.match(inline.content)
    children = inline.children or []
    if not match or not children or not children[0].content.startswith(match.group(0)[:3]):
        return None  # "[x]" made a link (a reference named "x" exists): not a task marker
    first = children[0]
    first.content = first.content[3:].lstrip(" \t")
    return match.group(1) != " "

"""A module's body, read in one parse: the lesson up to ``## Quiz``, and the quiz after it."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from awareness.content import dialect
from awareness.content.problems import Problem
from awareness.content.quiz import read_quiz
from awareness.content.specs import QuestionSpec, Reference

QUIZ_TITLE = "Quiz"


@dataclass
class Body:
    """What a module's body holds: the lesson's HTML and source, its quiz and its links."""

    html: str
    lesson_source: str  # the lesson's Markdown, to tell whether it is empty and to time it
    questions: list[QuestionSpec] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def read_body(lines: list[str], first_line: int, path: str, problems: list[Problem]) -> Body:
    """Parse the lines after the front matter (``first_line`` is the first one's number)."""
    document = dialect.parse("\n".join(lines), first_line)
    problems.extend(Problem(path, line, message) for line, message in document.unclosed())
    top = list(dialect.blocks(document.tokens))
    quiz_at = _quiz_heading(document, top, path, problems)
    references = list(document.references())
    if quiz_at is None:
        return Body(document.render(document.tokens), "\n".join(lines), references=references)
    heading = top[quiz_at][0]
    quiz_line = document.line(heading)
    body = Body(
        html=document.render([token for block in top[:quiz_at] for token in block]),
        lesson_source="\n".join(lines[: quiz_line - first_line]),
        questions=read_quiz(document, top[quiz_at + 1 :], path, problems),
        references=references,
    )
    if not body.questions and not any(p.path == path and p.line > quiz_line for p in problems):
        problems.append(
            Problem(
                path, quiz_line, "'## Quiz' has no questions: add '### ' questions or remove it"
            )
        )
    return body


def _quiz_heading(
    document: dialect.Document, top: list[list[Token]], path: str, problems: list[Problem]
) -> int | None:
    """Which of the top-level blocks is the quiz heading, ``## Quiz``; None for a reading.

    A heading that only looks like it (``## quiz``, ``# Quiz``) is a problem, not lesson text.
    """
    for index, block in enumerate(top):
        opening = block[0]
        if opening.type != "heading_open":
            continue
        title = block[1].content
        if opening.markup == "##" and title == QUIZ_TITLE:
            return index
        if title.rstrip("#").strip().lower() == QUIZ_TITLE.lower():
            problems.append(
                Problem(path, document.line(opening), "write the quiz heading exactly as '## Quiz'")
            )
    return None

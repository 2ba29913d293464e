"""Hostile files are refused before parsing, with a problem on their line.

Each input here kept the first ``content check`` busy for minutes (Python-Markdown
and PyYAML grow with the square of open brackets or recurse once per level);
the tests prove they are reported without ever reaching either parser.
"""

from __future__ import annotations

import pytest
import yaml

from awareness.content import dialect
from awareness.content.limits import MAX_DEPTH, MAX_FILE_BYTES
from awareness.content.parser import load_content, parse_module, parse_org

FRONT = "---\ntitle: T\naudience: all\n---\n\n"  # the lesson starts on line 6
QUIZ = "## Quiz\n\n### Q?\n\n- [x] a\n- [ ] b\n"


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if Markdown or YAML parsing is reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("the text reached a parser")

    monkeypatch.setattr(dialect, "parse", refuse)
    monkeypatch.setattr(yaml, "compose", refuse)
    monkeypatch.setattr(yaml, "safe_load", refuse)


def problems_of(text: str) -> list[str]:
    problems = []
    assert parse_module(text, "modules/x.md", "x", problems) is None
    return [str(problem) for problem in problems]


DEEP_LISTS = "lists or quotes nested more than 32 levels deep: flatten them"


@pytest.mark.usefixtures("no_parsing")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * 50_000, "modules/x.md:6: more than 32 '[' open at once"),
        ("[" * 50_000 + "a" + "]" * 50_000, "modules/x.md:6: more than 32 '[' open at once"),
        ("![" * 30_000, "modules/x.md:6: more than 32 '[' open at once"),
        ("[a][" * 20_000, "modules/x.md:6: more than 32 '[' open at once"),
        ("[a](" * 20_000, "modules/x.md:6: more than 32 '(' open at once"),
        ("<http://a" * 10_000, "modules/x.md:6: more than 32 '<' open at once"),
        ("text\n" + "[" * 20 + "\n" + "[" * 20, "modules/x.md:8: more than 32 '[' open at once"),
        (">" * 10_000 + " deep", f"modules/x.md:6: {DEEP_LISTS}"),
        ("> " * 10_000 + "deep", f"modules/x.md:6: {DEEP_LISTS}"),
        ("- " * 10_000 + "deep", f"modules/x.md:6: {DEEP_LISTS}"),
        ("1. " * 10_000 + "deep", f"modules/x.md:6: {DEEP_LISTS}"),
        ("> - " * 5_000 + "deep", f"modules/x.md:6: {DEEP_LISTS}"),
        (
            "\n".join("    " * level + "- item" for level in range(40)),
            f"modules/x.md:38: {DEEP_LISTS}",
        ),
        (
            "\n".join(">" * level + " quote" for level in range(1, 10_000)),
            "modules/x.md:1: the file is larger than 128 KB",
        ),
        (
            "\n\n".join(">" * level + " quote" for level in range(1, 40)),
            f"modules/x.md:70: {DEEP_LISTS}",
        ),
        ("*a_" * 20_000, "modules/x.md:6: more than 16 KB of text without a blank line"),
        ("'\"" * 20_000, "modules/x.md:6: more than 16 KB of text without a blank line"),
    ],
    ids=[
        "50000-open-brackets",
        "50000-nested-brackets",
        "open-images",
        "open-references",
        "open-link-targets",
        "open-autolinks",
        "open-across-lines",
        "10000-quotes",
        "10000-spaced-quotes",
        "10000-nested-lists",
        "10000-numbered-lists",
        "quotes-and-lists",
        "indented-lists",
        "10000-lines-of-quotes",
        "paragraphs-of-quotes",
        "emphasis",
        "smart-quotes",
    ],
)
def test_pathological_markdown_is_refused_before_parsing(body, expected):
    problems = problems_of(FRONT + body + "\n")
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.usefixtures("no_parsing")
def test_a_file_over_the_size_limit_is_refused_before_parsing():
    text = FRONT + ("Plain words. " * 20 + "\n\n") * (MAX_FILE_BYTES // 200)
    assert problems_of(text) == ["modules/x.md:1: the file is larger than 128 KB: split it"]


def test_a_large_file_is_not_even_read_whole(make_content):
    directory = make_content()
    with open(directory / "modules" / "huge.md", "wb") as file:
        file.truncate(2**40)  # a sparse terabyte: reading it would never finish
    assert [str(p) for p in load_content(directory).problems] == [
        "modules/huge.md:1: the file is larger than 128 KB, the most a file here may be"
    ]


@pytest.mark.usefixtures("no_parsing")
@pytest.mark.parametrize(
    ("character", "message"),
    [("\0", "a NUL character"), ("\ud800", "a character that is not valid Unicode")],
)
def test_characters_no_text_may_hold_are_reported_on_their_line(character, message):
    (problem,) = problems_of(FRONT + f"text\n\nmore{character}text\n")
    assert problem.startswith(f"modules/x.md:8: {message}")


def test_escaped_brackets_and_balanced_ones_are_fine():
    body = "\\[" * 100 + "\n\n" + "[a](b) " * 2_000 + "\n\n" + "(" * MAX_DEPTH + ")" * MAX_DEPTH
    problems = []
    spec = parse_module(FRONT + body + "\n\n" + QUIZ, "modules/x.md", "x", problems)
    assert problems == []
    assert spec.body_html.count("<a ") == 2_000


def test_ordinary_lists_quotes_and_comparisons_are_fine():
    body = (
        "- one\n  - two\n    - three\n      1. four\n\n"
        "> quoted\n>> twice\n\n"
        "If a < b and b < c then a < c; 3 > 2.\n\n"
        "```\n" + "if (x < y) { run(); }\n" * 200 + "```\n"
    )
    problems = []
    assert parse_module(FRONT + body + "\n" + QUIZ, "modules/x.md", "x", problems)
    assert problems == []


# -- YAML ------------------------------------------------------------------


BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
)


@pytest.mark.usefixtures("no_parsing")
@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "title: T\naudience: all\ncontrols: " + "{a: " * 1_000 + "}" * 1_000,
            "modules/x.md:4: YAML nested more than 32 levels deep",
        ),
        (
            "title: T\n" + "".join(" " * level + "k:\n" for level in range(40)),
            "modules/x.md:35: YAML nested more than 32 levels deep",
        ),
        (
            "title: T\naudience: all\n" + BILLION_LAUGHS,
            "modules/x.md:5: YAML aliases ('*name') are not allowed here: write the value out",
        ),
    ],
    ids=["1000-flow-levels", "40-block-levels", "billion-laughs"],
)
def test_hostile_front_matter_is_refused_before_yaml_builds_it(front, expected):
    problems = []
    parse_module(f"---\n{front}\n---\n\n# L\n", "modules/x.md", "x", problems)
    assert [str(problem) for problem in problems] == [expected]


@pytest.mark.usefixtures("no_parsing")
def test_hostile_org_yml_is_refused_before_yaml_builds_it():
    problems = []
    assert parse_org("layers: " + "{" * 10_000, "org.yml", problems) == []
    assert [str(p) for p in problems] == ["org.yml:1: YAML nested more than 32 levels deep"]
    problems.clear()
    assert parse_org(BILLION_LAUGHS, "org.yml", problems) == []
    assert [str(p) for p in problems] == [
        "org.yml:2: YAML aliases ('*name') are not allowed here: write the value out"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "bad YAML value: day is out of range for month"),
        ("9" * 5_000, "bad YAML value: Exceeds the limit (4300 digits)"),
        ("2026-01-01 10:00:00 +99:00", "bad YAML value: offset must be a timedelta"),
    ],
)
def test_values_yaml_reads_but_python_cannot_hold_are_problems(value, message):
    problems = []
    assert parse_module(f"---\ntitle: {value}\n---\n\n# L\n", "modules/x.md", "x", problems) is None
    (problem,) = map(str, problems)
    assert problem.startswith(f"modules/x.md:2: {message}")

    problems.clear()
    layers = parse_org(f"layers:\n  - id: a\n    title: {value}\n", "org.yml", problems)
    assert layers == []
    assert str(problems[0]).startswith(f"org.yml:2: {message}")

"""Fuzzing the content parser: any text parses or yields problems, never an exception.

The suite runs a modest number of examples; for a deeper search run
``AWARENESS_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/content/test_fuzz.py``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import markdown_it
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awareness.content import dialect
from awareness.content.parser import ModuleSpec, Problem, load_content, parse_module, parse_org

FUZZ = settings(
    max_examples=int(os.environ.get("AWARENESS_FUZZ_EXAMPLES", "100")),
    deadline=None,  # the machine is shared: time is for benchmarks, not for tests
    database=None,  # leave no .hypothesis folder behind
    suppress_health_check=[HealthCheck.too_slow],
)

#: Characters that mean something to Markdown, YAML or the quiz syntax, and some that break things.
SIGNIFICANT = "#-*_[]()<>!`~>:|&{}'\"\\/=\n\t xX0123456789.@%^+?,;\r\0\ufeff\u2028é漢"
markup = st.text(alphabet=st.sampled_from(SIGNIFICANT) | st.characters(), max_size=400)
MODULE_LINES = [
    "---", "## Quiz", "### Q?", "- [x] yes", "- [ ] no", "> why", "```", "~~~", "title: T",
    "audience: all", "audience: [staff]", "major: 2", "slug: s", "controls: [a, b]",
    "renew_days: null", "summary: |", "  indented", "", "# H", "![a](../assets/x.png)",
    "[l](javascript:alert(1))", "<script>x</script>", "1. item", "    code", "- [X] Yes",
    "* [ ] star", "### Quiz #", "&a [1, *a]",
]  # fmt: skip
lines = st.lists(st.sampled_from(MODULE_LINES) | markup, max_size=30).map("\n".join)


def assert_parses_or_reports(spec: ModuleSpec | None, problems: list[Problem]) -> None:
    assert all(isinstance(problem, Problem) for problem in problems)
    assert all(problem.line >= 1 for problem in problems)
    if spec is None:
        assert problems, "an unusable file must say why"


@FUZZ
@given(lines)
def test_any_module_text_parses_or_yields_problems(text):
    problems: list[Problem] = []
    spec = parse_module(text, "modules/x.md", "x", problems)
    assert_parses_or_reports(spec, problems)


@FUZZ
@given(front=lines, body=lines)
def test_any_front_matter_parses_or_yields_problems(front, body):
    problems: list[Problem] = []
    spec = parse_module(f"---\n{front}\n---\n{body}", "modules/x.md", "x", problems)
    assert_parses_or_reports(spec, problems)
    translation_problems: list[Problem] = []
    translated = parse_module(
        f"---\n{front}\n---\n{body}", "modules/x.ur.md", "x", translation_problems, language="ur"
    )
    assert_parses_or_reports(translated, translation_problems)


ORG_LINES = [
    "layers:", "  - id: staff", "    title: Staff", "  - id: all", "    title:",
    "    description: d", "  - [a, b]", "  - {id: x, title: y}", "layers: []", "  - id: Bad Id",
    "    extra: 1", "  - &a {id: a, title: b}", "  - *a", "", "layers: {a: 1}",
    "  - id: 2026-02-30", "? [a]", ": b", "    title: !!binary AA==",
]  # fmt: skip
yaml_text = st.lists(st.sampled_from(ORG_LINES) | markup, max_size=20).map("\n".join)


@FUZZ
@given(yaml_text)
def test_any_org_yml_parses_or_yields_problems(text):
    problems: list[Problem] = []
    layers = parse_org(text, "org.yml", problems)
    assert all(isinstance(problem, Problem) for problem in problems)
    assert layers or problems


def as_bytes(text: str) -> bytes:
    """UTF-8, with any lone surrogate written as the invalid bytes it would be."""
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(module=st.binary(max_size=300) | lines.map(as_bytes), org=yaml_text.map(as_bytes))
def test_any_bytes_in_a_content_folder_load_or_yield_problems(module, org):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "modules").mkdir()
        (directory / "assets").mkdir()
        (directory / "org.yml").write_bytes(org)
        (directory / "modules" / "x.md").write_bytes(module)
        (directory / "modules" / "x.fr.md").write_bytes(module[::-1])
        (directory / "assets" / "x.png").write_bytes(module)
        tree = load_content(directory)
    assert all(isinstance(problem, Problem) for problem in tree.problems)
    assert tree.problems or tree.modules


BRACKETS = [
    "[", "]", "[[", "]]", "(", ")", "![", "](", "[a]", "[b](/c)", "[a]: /u\n", "`", "\\[", "<a>",
    "\n", "\n\n", " ", "a", "*", "<http://a>", "[x][a]", "[]", "- [x] ", "> ", "(/u)", "![a]",
]  # fmt: skip


@FUZZ
@given(st.lists(st.sampled_from(BRACKETS), max_size=60).map("".join))
def test_brackets_are_read_exactly_as_markdown_it_reads_them(text):
    """The dialect's faster bracket scan (awareness.content.brackets) changes no output."""
    reference = dialect.markdown()
    reference.helpers = markdown_it.helpers
    reference.inline.ruler.disable("bracket_text")
    fast = dialect.markdown()
    assert fast.render(text) == reference.render(text)

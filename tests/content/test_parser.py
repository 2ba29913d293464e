"""The content folder as ``content check`` sees it: problems with their lines, defaults, HTML."""

from __future__ import annotations

import pytest

from awareness.content.parser import estimate_minutes, load_content, parse_module, parse_org

QUIZ = """\
## Quiz

### Which is safe?

- [ ] Clicking the link
- [x] Reporting the message
"""


def module(front: str, lesson: str = "# A lesson\n\nSome text.\n", quiz: str = QUIZ) -> str:
    """A module file: ``front`` is the front matter without its ``---`` lines."""
    return f"---\n{front.strip()}\n---\n\n{lesson}\n{quiz}"


def problems_of(make_content, files: dict[str, str | None]) -> list[str]:
    return [str(problem) for problem in load_content(make_content(files)).problems]


def parsed(text: str, path: str = "modules/x.md"):
    problems = []
    spec = parse_module(text, path, "x", problems)
    assert problems == []
    return spec


# -- the test folder itself ------------------------------------------------


def test_the_test_content_has_no_problems():
    tree = load_content_ok()
    assert [m.slug for m in tree.modules] == ["cyber-risk", "phishing", "welcome"]
    assert [layer.id for layer in tree.layers] == ["leadership", "management", "staff", "technical"]
    assert tree.summary() == (
        "3 modules (2 with a quiz, 1 reading), 4 questions, 1 translation, 4 layers: no problems"
    )


def load_content_ok():
    from tests.helpers import TEST_CONTENT

    tree = load_content(TEST_CONTENT)
    assert tree.problems == []
    return tree


# -- every problem with its PATH:LINE --------------------------------------


def test_bad_yaml_is_reported_on_its_line(make_content):
    text = "---\ntitle: Fine\naudience: [staff\nsummary: x\n---\n\n# L\n\ntext\n"
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:4: bad YAML: expected ',' or ']', but got ':'"
    ]


def test_missing_title_and_audience(make_content):
    text = module("summary: nothing else")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:1: missing 'audience': list layer ids from org.yml, or write 'all'",
        "modules/x.md:1: missing 'title'",
    ]


def test_unknown_layer_is_reported_on_its_list_item(make_content):
    text = module("title: T\naudience:\n  - staff\n  - finance\n")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:5: unknown layer id 'finance' "
        "(org.yml has: leadership, management, staff, technical)"
    ]


def test_unknown_layer_in_a_flow_list_is_reported_on_the_audience_line(make_content):
    text = module("title: T\nsummary: s\naudience: [staff, finance]\n")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:4: unknown layer id 'finance' "
        "(org.yml has: leadership, management, staff, technical)"
    ]


def test_a_layer_listed_twice_is_reported_on_the_second_item(make_content):
    text = module("title: T\naudience:\n  - staff\n  - management\n  - staff\n")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:6: layer id 'staff' is listed twice"
    ]


def test_question_without_a_correct_option_is_reported_on_its_heading(make_content):
    quiz = "## Quiz\n\n### First?\n\n- [ ] a\n- [ ] b\n"
    text = module("title: T\naudience: all", quiz=quiz)
    # 1 ---, 2 title, 3 audience, 4 ---, 5 blank, 6 # A lesson, 7 blank, 8 text, 9 blank,
    # 10 ## Quiz, 11 blank, 12 ### First?
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:12: question 1 has no correct option: mark one '- [x]'"
    ]


def test_question_with_fewer_than_two_options_is_reported_on_its_heading(make_content):
    quiz = "## Quiz\n\n### First?\n\n- [x] a\n- [ ] b\n\n### Second?\n\n- [x] only\n"
    text = module("title: T\naudience: all", quiz=quiz)
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:17: question 2 has fewer than two options"
    ]


def test_option_outside_a_question_is_reported_on_the_item(make_content):
    quiz = "## Quiz\n\n- [x] stray\n\n### First?\n\n- [x] a\n- [ ] b\n"
    text = module("title: T\naudience: all", quiz=quiz)
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:12: option outside a question: put a '### ' question above it"
    ]


def test_duplicate_slug_is_reported_on_the_slug_line(make_content):
    text = module("title: Copy\naudience: all\nslug: phishing")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:4: duplicate slug 'phishing' (also used by modules/phishing.md)"
    ]


def test_translation_with_another_number_of_questions(make_content):
    translation = module("title: ترجمہ", quiz="## Quiz\n\n### One?\n\n- [x] a\n- [ ] b\n")
    assert problems_of(make_content, {"modules/phishing.ur.md": translation}) == [
        "modules/phishing.ur.md:11: quiz shape differs from modules/phishing.md: "
        "1 questions here, 2 there"
    ]


def test_translation_whose_correct_options_differ(make_content):
    quiz = (
        "## Quiz\n\n### One?\n\n- [x] a\n- [ ] b\n- [ ] c\n\n"
        "### Two?\n\n- [x] a\n- [x] b\n- [ ] c\n"
    )
    translation = module("title: ترجمہ", quiz=quiz)
    assert problems_of(make_content, {"modules/phishing.ur.md": translation}) == [
        "modules/phishing.ur.md:11: quiz shape differs from modules/phishing.md: "
        "question 1 has 3 options with option 1 correct here, 3 options with option 2 correct there"
    ]


def test_translation_may_not_change_the_originals_settings(make_content):
    translation = module("title: ترجمہ\npassing_score: 50", quiz=QUIZ_OF_PHISHING)
    assert problems_of(make_content, {"modules/phishing.ur.md": translation}) == [
        "modules/phishing.ur.md:3: 'passing_score' differs from modules/phishing.md: "
        "set it in the original only"
    ]


def test_translation_may_repeat_the_originals_settings(make_content):
    translation = module(
        "title: ترجمہ\naudience: [staff, management]\npassing_score: 80\nminutes: 7",
        quiz=QUIZ_OF_PHISHING,
    )
    tree = load_content(make_content({"modules/phishing.ur.md": translation}))
    assert tree.problems == []
    (urdu,) = next(m for m in tree.modules if m.slug == "phishing").translations
    assert (urdu.language, urdu.title, urdu.minutes, urdu.slug) == ("ur", "ترجمہ", 7, "phishing")


def test_translation_without_an_original(make_content):
    text = module("title: Nothing")
    assert problems_of(make_content, {"modules/nothing.fr.md": text}) == [
        "modules/nothing.fr.md:1: translation of modules/nothing.md, which is missing or invalid"
    ]


def test_link_to_a_missing_asset(make_content):
    lesson = "# L\n\n![a](../assets/diagram.svg)\n\n![b](../assets/missing.png)\n"
    text = module("title: T\naudience: all", lesson=lesson, quiz="")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:10: link to a missing asset: ../assets/missing.png"
    ]


def test_images_from_other_sites_are_refused(make_content):
    lesson = (
        "# L\n\n![logo](https://example.org/logo.png)\n\n"
        '<img alt="x" src="//cdn.example.org/x.png">\n\n[a page](https://example.org/)\n'
    )
    text = module("title: T\naudience: all", lesson=lesson, quiz="")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:8: image from another site: https://example.org/logo.png; put it in "
        "assets/ (pages show only the platform's own images)",
        "modules/x.md:10: image from another site: //cdn.example.org/x.png; put it in "
        "assets/ (pages show only the platform's own images)",
    ]


def test_asset_links_in_code_are_not_checked(make_content):
    lesson = "# L\n\n```\n![b](../assets/missing.png)\n```\n"
    text = module("title: T\naudience: all", lesson=lesson, quiz="")
    assert problems_of(make_content, {"modules/x.md": text}) == []


def test_asset_links_follow_fences_as_markdown_does(make_content):
    # A ``` line inside a ~~~ block neither closes it nor opens another.
    lesson = "# L\n\n~~~\n```\n![a](../assets/gone.png)\n~~~\n![b](../assets/missing.png)\n"
    text = module("title: T\naudience: all", lesson=lesson, quiz="")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:12: link to a missing asset: ../assets/missing.png"
    ]


def test_a_fence_closes_only_with_as_many_of_its_own_marks_and_nothing_after():
    lesson = "# L\n\n````\n```\n```python\n## Quiz\n````\n"
    spec = parsed(module("title: T\naudience: all", lesson=lesson, quiz=""))
    assert spec.is_reading
    assert "## Quiz" in spec.body_html


def test_unknown_front_matter_key(make_content):
    text = module("title: T\naudience: all\ndeadline: 30")
    (problem,) = problems_of(make_content, {"modules/x.md": text})
    assert problem.startswith("modules/x.md:4: unknown key 'deadline' (known: audience, controls,")


def test_misspelt_quiz_heading(make_content):
    quiz = QUIZ.replace("## Quiz", "## quiz")
    text = module("title: T\naudience: all", quiz=quiz)
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:10: write the quiz heading exactly as '## Quiz'"
    ]


def test_front_matter_not_closed(make_content):
    text = "---\ntitle: T\naudience: all\n\n# Lesson\n"
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:1: front matter is not closed by a line '---'"
    ]


def test_a_byte_order_mark_is_ignored(make_content):
    text = "\ufeff" + module("title: T\naudience: all")
    assert problems_of(make_content, {"modules/x.md": text}) == []


def test_windows_line_endings_are_read(make_content):
    text = module("title: T\naudience: [nobody]").replace("\n", "\r\n")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:3: unknown layer id 'nobody' "
        "(org.yml has: leadership, management, staff, technical)"
    ]


def test_empty_lesson_and_empty_quiz(make_content):
    text = "---\ntitle: T\naudience: all\n---\n\n## Quiz\n"
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:5: the lesson is empty",
        "modules/x.md:6: '## Quiz' has no questions: add '### ' questions or remove it",
    ]


def test_file_without_front_matter(make_content):
    assert problems_of(make_content, {"modules/x.md": "# Just a lesson\n"}) == [
        "modules/x.md:1: the file must start with front matter: a line '---'"
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("due_days: soon", "modules/x.md:4: 'due_days' must be a whole number from 1 to 3650, "
         "not 'soon'"),
        ("passing_score: 101", "modules/x.md:4: 'passing_score' must be a whole number "
         "from 0 to 100, not 101"),
        ("required: maybe", "modules/x.md:4: 'required' must be true or false, not 'maybe'"),
        ("slug: Bad Slug", "modules/x.md:4: slug 'Bad Slug' must be lower-case letters, "
         "digits and '-'"),
        ("major: 0", "modules/x.md:4: 'major' must be a whole number from 1 to 10000, not 0"),
    ],
)  # fmt: skip
def test_bad_values_are_reported_on_their_key(make_content, line, problem):
    text = module(f"title: T\naudience: all\n{line}")
    assert problems_of(make_content, {"modules/x.md": text}) == [problem]


def test_several_problems_in_several_files_are_all_reported_in_order(make_content):
    files = {
        "modules/b.md": module("title: B\naudience: [nobody]"),
        "modules/a.md": module("audience: all"),
    }
    assert problems_of(make_content, files) == [
        "modules/a.md:1: missing 'title'",
        "modules/b.md:3: unknown layer id 'nobody' "
        "(org.yml has: leadership, management, staff, technical)",
    ]


def test_org_yml_problems(make_content):
    org = "layers:\n  - id: staff\n    title: Staff\n  - id: staff\n    title: Again\n  - id: x\n"
    files = {"org.yml": org, "modules/phishing.md": None, "modules/phishing.ur.md": None}
    files["modules/leaders.md"] = None
    assert problems_of(make_content, files) == [
        "org.yml:4: duplicate layer id 'staff' (first on line 2)",
        "org.yml:6: layer 'x' needs a 'title'",
    ]


def test_a_layer_key_that_is_not_text_is_reported_not_a_crash():
    problems = []
    assert parse_org("layers:\n  - {id: x, title: y, 1: z}\n", "org.yml", problems)
    assert [str(p) for p in problems] == ["org.yml:2: unknown key(s) 1 in layer 'x'"]


# -- defaults and values ---------------------------------------------------


def test_defaults():
    spec = parsed(module("title: T\naudience: all"))
    assert spec.slug == "x"
    assert spec.required is True
    assert spec.due_days == 30
    assert spec.renew_days == 365
    assert spec.passing_score == 80
    assert spec.major == 1
    assert spec.shuffle is True
    assert spec.order is None
    assert spec.controls == []
    assert spec.summary == ""
    assert spec.audience == ["all"]


def test_explicit_values():
    spec = parsed(
        module(
            "title: T\nslug: kept-slug\naudience: [staff, technical]\nsummary: One line\n"
            "required: false\ndue_days: 14\nrenew_days: 180\npassing_score: 100\nminutes: 12\n"
            "major: 3\ncontrols: [ISO27001:A.6.3, NIST-CSF:PR.AT-01]\norder: 5\nshuffle: false"
        )
    )
    assert (spec.slug, spec.audience, spec.summary) == (
        "kept-slug",
        ["staff", "technical"],
        "One line",
    )
    assert (spec.required, spec.due_days, spec.renew_days) == (False, 14, 180)
    assert (spec.passing_score, spec.minutes, spec.major) == (100, 12, 3)
    assert spec.controls == ["ISO27001:A.6.3", "NIST-CSF:PR.AT-01"]
    assert (spec.order, spec.shuffle) == (5, False)


def test_renew_days_null_means_never_expires():
    assert parsed(module("title: T\naudience: all\nrenew_days: null")).renew_days is None
    assert parsed(module("title: T\naudience: all\nrenew_days:")).renew_days is None


def test_minutes_are_estimated_from_the_lesson_and_quiz():
    lesson = "# L\n\n" + "word " * 450 + "\n"
    spec = parsed(module("title: T\naudience: all", lesson=lesson))
    # 452 words / 200 per minute + 1 question * 0.5 = 2.76, rounded up.
    assert spec.minutes == 3
    assert estimate_minutes("", 0) == 1
    assert estimate_minutes("word " * 200, 0) == 1
    assert estimate_minutes("word " * 201, 0) == 2
    assert estimate_minutes("word " * 100, 4) == 3


def test_minutes_given_are_kept():
    assert parsed(module("title: T\naudience: all\nminutes: 25")).minutes == 25


# -- HTML ------------------------------------------------------------------


def test_lesson_html_is_sanitised_and_asset_links_rewritten():
    lesson = (
        "# Title\n\n<script>alert('x')</script>\n\n"
        '<a href="javascript:alert(1)" onclick="steal()">click</a>\n\n'
        "![diagram](../assets/diagram.svg)\n\n[the file](../assets/diagram.svg)\n"
    )
    html = parsed(module("title: T\naudience: all", lesson=lesson, quiz="")).body_html
    assert "<script" not in html
    assert "alert" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert '<img src="/assets/diagram.svg" alt="diagram">' in html
    assert 'href="/assets/diagram.svg"' in html
    assert "<h1>Title</h1>" in html


def test_lesson_tables_and_code_are_rendered():
    lesson = "# T\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\n```\n<b>raw</b>\n```\n"
    html = parsed(module("title: T\naudience: all", lesson=lesson, quiz="")).body_html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert '<td align="right">2</td>' in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html


def test_the_quiz_is_not_part_of_the_lesson_html():
    spec = parsed(module("title: T\naudience: all"))
    assert "Quiz" not in spec.body_html
    assert "Which is safe" not in spec.body_html


def test_quiz_text_is_rendered_inline_and_sanitised():
    quiz = "## Quiz\n\n### Is **this** safe?\n\n- [x] `code` <script>x()</script>\n- [ ] no\n"
    (question,) = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert question.text_html == "Is <strong>this</strong> safe?"
    assert question.options[0].text_html.strip() == "<code>code</code>"


# -- the quiz --------------------------------------------------------------


QUIZ_OF_PHISHING = """\
## Quiz

### One?

- [ ] a
- [x] b
- [ ] c

### Two?

- [x] a
- [x] b
- [ ] c
"""


def test_questions_and_options_are_numbered_in_written_order():
    spec = parsed(module("title: T\naudience: all", quiz=QUIZ_OF_PHISHING))
    assert [q.number for q in spec.questions] == [1, 2]
    assert [q.text_html for q in spec.questions] == ["One?", "Two?"]
    assert [[o.number for o in q.options] for q in spec.questions] == [[1, 2, 3], [1, 2, 3]]
    assert [o.text_html for o in spec.questions[0].options] == ["a", "b", "c"]
    assert [q.line for q in spec.questions] == [12, 18]


def test_one_correct_option_is_single_choice_several_multiple():
    single, multiple = parsed(module("title: T\naudience: all", quiz=QUIZ_OF_PHISHING)).questions
    assert single.multiple is False
    assert [o.correct for o in single.options] == [False, True, False]
    assert multiple.multiple is True
    assert [o.correct for o in multiple.options] == [True, True, False]


def test_explanation_belongs_to_its_question():
    quiz = (
        "## Quiz\n\n### One?\n\n- [x] a\n- [ ] b\n\n> Because **a**.\n> Really.\n\n"
        "### Two?\n\n- [x] a\n- [ ] b\n"
    )
    one, two = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert one.explanation_html == "<p>Because <strong>a</strong>.\nReally.</p>"
    assert two.explanation_html == ""


def test_capital_x_marks_a_correct_option_too():
    quiz = "## Quiz\n\n### One?\n\n- [X] a\n- [ ] b\n"
    (question,) = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert [o.correct for o in question.options] == [True, False]


def test_a_module_without_a_quiz_is_a_reading():
    spec = parsed(module("title: T\naudience: all", quiz=""))
    assert spec.is_reading
    assert spec.questions == []


def test_quiz_heading_inside_a_code_block_does_not_start_the_quiz():
    lesson = "# L\n\n```markdown\n## Quiz\n\n### Not a question\n```\n"
    spec = parsed(module("title: T\naudience: all", lesson=lesson, quiz=""))
    assert spec.is_reading
    assert "### Not a question" in spec.body_html


def test_a_hash_inside_a_question_is_kept_and_closing_hashes_are_dropped():
    quiz = (
        "## Quiz\n\n### Is C# a language?\n\n- [x] a\n- [ ] b\n\n"
        "### Closed ###\n\n- [x] a\n- [ ] b\n"
    )
    one, two = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert (one.text_html, two.text_html) == ("Is C# a language?", "Closed")
    quiz = "## Quiz\n\n### Which language is C#\n\n- [x] a\n- [ ] b\n"
    (question,) = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert question.text_html == "Which language is C#"


def test_an_asset_name_may_be_url_encoded(make_content):
    lesson = "# L\n\n![a](../assets/my%20diagram.svg)\n"
    directory = make_content({"modules/x.md": module("title: T\naudience: all", lesson, "")})
    (directory / "assets" / "my diagram.svg").write_text("<svg/>")
    tree = load_content(directory)
    assert tree.problems == []
    (spec,) = [m for m in tree.modules if m.slug == "x"]
    assert 'src="/assets/my%20diagram.svg"' in spec.body_html


# -- one parse for the check, the lesson and the quiz -----------------------


def test_an_options_continuation_line_is_rendered_once_and_keeps_escaped_stars():
    # Regression (issue 13): rendering an option's text twice turned \*literal\* into emphasis.
    quiz = (
        "## Quiz\n\n### Which is written literally?\n\n"
        "- [x] the \\*literal\\* stars\n  and \\*these\\* on the next line\n"
        "- [ ] `*code*` and \\_underscores\\_\n"
    )
    (question,) = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    right, wrong = (option.text_html for option in question.options)
    assert right == "the *literal* stars\nand *these* on the next line"
    assert wrong == "<code>*code*</code> and _underscores_"


def test_a_fence_closed_by_fewer_marks_than_opened_it_is_a_problem(make_content):
    # Regression (issue 13): ~~~~~ "closed" by ~~~~ hid '## Quiz' from the check, while the
    # lesson page showed the questions and their correct answers; content check passed.
    lesson = "# L\n\n~~~~~\ncode\n~~~~\n"
    quiz = "## Quiz\n\n### Q?\n\n- [x] the right answer\n- [ ] b\n"
    text = module("title: T\naudience: all", lesson=lesson, quiz=quiz)
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:8: code block opened with '~~~~~' is never closed: end it with a line '~~~~~'"
    ]
    problems = []
    spec = parse_module(text, "modules/x.md", "x", problems)
    assert spec.is_reading
    assert "<h2>Quiz</h2>" not in spec.body_html  # all of it is code, as the check saw it
    assert "<li>" not in spec.body_html


@pytest.mark.parametrize(
    ("lesson", "problem"),
    [
        ("# L\n\n```python\nprint(1)\n", "8: code block opened with '```' is never closed: "
         "end it with a line '```'"),
        ("# L\n\n- item\n\n  ```\n  code\n- next\n", "10: code block opened with '```' is "
         "never closed: end it with a line '```'"),
        ("# L\n\ntext\n\n<!-- a note\n", "10: '<!--' is never closed: it would swallow "
         "everything after it"),
        ("# L\n\n<pre>\nkept\n", "8: '<pre' is never closed: it would swallow everything "
         "after it"),
    ],
    ids=["fence", "fence-in-a-list", "comment", "pre"],
)  # fmt: skip
def test_a_block_that_is_never_closed_is_a_problem(lesson, problem):
    problems = []
    parse_module(module("title: T\naudience: all", lesson=lesson), "modules/x.md", "x", problems)
    assert [str(p) for p in problems] == [f"modules/x.md:{problem}"]


def test_closed_blocks_are_fine():
    lesson = (
        "# L\n\n```\na\n```\n\n~~~~\n~~~\n~~~~~\n\n- item\n\n  ```\n  code\n  ```\n\n"
        "> ```\n> quoted\n> ```\n\n<!-- note -->\n\n<pre>\nx\n</pre>\n\n```\n```\n"
    )
    spec = parsed(module("title: T\naudience: all", lesson=lesson))
    assert len(spec.questions) == 1


def test_the_quiz_heading_is_found_as_the_lesson_is_rendered():
    # What the lesson page shows and where the quiz starts come from one parse: an indented
    # "## Quiz" is a heading there, one in a list or a quote is not the quiz.
    lesson = "# L\n\n- ## Quiz\n\n> ## Quiz\n\n    ## Quiz (code)\n\n"
    spec = parsed(
        module("title: T\naudience: all", lesson=lesson, quiz="   ## Quiz\n\n" + QUIZ[9:])
    )
    assert [q.text_html for q in spec.questions] == ["Which is safe?"]
    assert spec.body_html.count("Quiz") == 3
    assert "Which is safe" not in spec.body_html


def test_an_option_is_one_paragraph_of_text(make_content):
    quiz = (
        "## Quiz\n\n### Q?\n\n- [x] a\n\n  continued after a blank line\n"
        "  - [ ] indented under it by mistake\n- [ ] b\n"
    )
    text = module("title: T\naudience: all", quiz=quiz)
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:17: an option is text only: put lists, quotes and code above it"
    ]


def test_a_question_may_have_a_stem_with_code():
    quiz = (
        "## Quiz\n\n### What does it print?\n\nGiven:\n\n```python\nprint('- [x] no')\n```\n\n"
        "- [x] the text\n- [ ] nothing\n"
    )
    (question,) = parsed(module("title: T\naudience: all", quiz=quiz)).questions
    assert question.text_html.startswith("What does it print?\n<p>Given:</p>\n<pre><code>")
    assert [o.text_html for o in question.options] == ["the text", "nothing"]


def test_mistakes_inside_the_quiz_are_reported_on_their_lines(make_content):
    quiz = (
        "## Quiz\n\nIntro.\n\n> Why\n\n### Q?\n\n> Too early\n\n1. [x] numbered\n- [x] a\n"
        "- plain\n- [ ] b\n\nAfterwards.\n\n#### Small\n\n###\n\n- [x] a\n- [ ] b\n"
    )
    text = module("title: T\naudience: all", quiz=quiz)
    # 10 ## Quiz, 12 Intro., 14 > Why, 16 ### Q?, 18 > Too early, 20 1. [x], 21 - [x] a ...
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:12: text before the first question: questions start with '### '",
        "modules/x.md:14: explanation outside a question",
        "modules/x.md:18: explanation before the options: put it after them",
        "modules/x.md:20: an option must be written '- [ ] text' or '- [x] text'",
        "modules/x.md:22: an option must be written '- [ ] text' or '- [x] text'",
        "modules/x.md:25: unexpected text: after the options only a '> ' explanation may follow",
        "modules/x.md:27: inside the quiz only '### ' headings (questions) are allowed",
        "modules/x.md:29: a question needs its text after '### '",
    ]


def test_links_are_checked_on_their_own_line_within_a_paragraph(make_content):
    lesson = (
        "# L\n\nFirst line,\nsecond ![a](../assets/gone.png) and\n"
        '<img src="../assets/also-gone.png"> third.\n\n| A |\n|---|\n| [b](../assets/no.pdf) |\n'
        "\n`![code](../assets/not-a-link.png)`\n"
    )
    text = module("title: T\naudience: all", lesson=lesson, quiz="")
    assert problems_of(make_content, {"modules/x.md": text}) == [
        "modules/x.md:9: link to a missing asset: ../assets/gone.png",
        "modules/x.md:10: link to a missing asset: ../assets/also-gone.png",
        "modules/x.md:14: link to a missing asset: ../assets/no.pdf",
    ]


def test_typography_as_before_and_no_surprise_symbols():
    lesson = '# L\n\n"Quoted" -- it\'s --- so... Option (c) or (tm); `"code" -- ...`\n'
    html = parsed(module("title: T\naudience: all", lesson=lesson)).body_html
    assert "<p>\u201cQuoted\u201d \u2013 it\u2019s \u2014 so\u2026 Option (c) or (tm); " in html
    assert '<code>"code" -- ...</code>' in html

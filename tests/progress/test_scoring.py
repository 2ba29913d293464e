"""Scoring: pure functions over plain data."""

from __future__ import annotations

import pytest

from awareness.progress.scoring import AnswerError, QuestionKey, parse_answers, percentage, score

SINGLE = QuestionKey(number=1, options=3, correct=frozenset({2}), explanation_html="<p>Why</p>")
MULTIPLE = QuestionKey(number=2, options=4, correct=frozenset({1, 3}))
QUIZ = [SINGLE, MULTIPLE]


def test_a_single_choice_is_right_only_with_the_correct_option():
    assert score(QUIZ, {1: frozenset({2}), 2: frozenset({1, 3})}, 80).score == 100
    assert score(QUIZ, {1: frozenset({1}), 2: frozenset({1, 3})}, 80).score == 50


def test_a_multiple_choice_needs_exactly_the_correct_set():
    def second(chosen: set[int]) -> bool:
        return score(QUIZ, {2: frozenset(chosen)}, 80).results[1].correct

    assert second({1, 3})
    assert not second({1})
    assert not second({1, 2, 3})
    assert not second({2, 4})
    assert not second(set())


def test_an_omitted_question_is_wrong():
    result = score(QUIZ, {2: frozenset({1, 3})}, 50)
    assert (result.score, result.passed) == (50, True)
    assert [(r.question, r.correct, r.chosen) for r in result.results] == [
        (1, False, frozenset()),
        (2, True, frozenset({1, 3})),
    ]
    assert score(QUIZ, {}, 0).score == 0


def test_results_carry_the_explanation():
    result = score(QUIZ, {}, 80)
    assert [r.explanation_html for r in result.results] == ["<p>Why</p>", ""]


@pytest.mark.parametrize(
    ("correct", "total", "expected"),
    [(1, 8, 13), (1, 3, 33), (2, 3, 67), (1, 2, 50), (1, 40, 3), (1, 200, 1), (0, 5, 0),
     (5, 5, 100), (7, 8, 88), (0, 0, 0)],
)  # fmt: skip
def test_percentage_rounds_halves_up(correct, total, expected):
    assert percentage(correct, total) == expected


def test_scores_of_a_three_and_an_eight_question_quiz():
    three = [QuestionKey(n, 2, frozenset({1})) for n in (1, 2, 3)]
    assert score(three, {1: frozenset({1})}, 80).score == 33
    assert score(three, {1: frozenset({1}), 2: frozenset({1})}, 80).score == 67
    eight = [QuestionKey(n, 2, frozenset({1})) for n in range(1, 9)]
    assert score(eight, {1: frozenset({1})}, 80).score == 13


def test_passing_at_equality():
    four = [QuestionKey(n, 2, frozenset({1})) for n in (1, 2, 3, 4)]
    three_right = {1: frozenset({1}), 2: frozenset({1}), 3: frozenset({1})}
    assert score(four, three_right, 75).passed
    assert not score(four, three_right, 76).passed
    assert score(four, {}, 0).passed


# -- malformed answers -----------------------------------------------------


def test_answers_are_parsed_from_json_shapes():
    assert parse_answers({"1": [2], "2": [1, 3]}) == {1: frozenset({2}), 2: frozenset({1, 3})}
    assert parse_answers({1: 2}) == {1: frozenset({2})}
    assert parse_answers({"1": []}) == {1: frozenset()}
    assert parse_answers({}) == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([[1, 2]], "answers must be an object from question number to a list of option numbers"),
        ("1=2", "answers must be an object from question number to a list of option numbers"),
        ({"one": [1]}, "question number 'one' is not a whole number"),
        ({"-1": [1]}, "question number '-1' is not a whole number"),
        ({"1.5": [1]}, "question number '1.5' is not a whole number"),
        ({"²": [1]}, "question number '²' is not a whole number"),
        ({"1": "2"}, "the answer to question 1 must be a list of option numbers"),
        ({"1": [True]}, "the answer to question 1 must be a list of option numbers"),
        ({"1": [1.0]}, "the answer to question 1 must be a list of option numbers"),
        ({"1": None}, "the answer to question 1 must be a list of option numbers"),
        ({"1": [2, 2]}, "the answer to question 1 names an option twice"),
        ({"1": [2], "01": [1]}, "question 1 is answered twice"),
    ],
)
def test_malformed_answers_raise_answer_error(raw, message):
    with pytest.raises(AnswerError) as error:
        parse_answers(raw)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({3: frozenset({1})}, "there is no question 3 (the quiz has 2)"),
        ({0: frozenset({1})}, "there is no question 0 (the quiz has 2)"),
        ({1: frozenset({4})}, "question 1 has no option 4 (it has 3)"),
        ({2: frozenset({0, 1})}, "question 2 has no option 0 (it has 4)"),
        ({1: frozenset({1, 2})}, "question 1 takes a single option"),
    ],
)
def test_answers_that_do_not_fit_the_quiz_raise_answer_error(answers, message):
    with pytest.raises(AnswerError) as error:
        score(QUIZ, answers, 80)
    assert str(error.value) == message

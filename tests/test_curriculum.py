"""The shipped curriculum in content/ stays valid and complete."""

from __future__ import annotations

from awareness.config import PROJECT_ROOT
from awareness.content.parser import load_content

CURRICULUM = PROJECT_ROOT / "content"


def test_the_curriculum_passes_content_check():
    tree = load_content(CURRICULUM)
    assert tree.problems == []


def test_every_quiz_has_at_least_five_explained_questions():
    quizzes = [m for m in load_content(CURRICULUM).modules if not m.is_reading]
    assert len(quizzes) >= 14
    for module in quizzes:
        assert len(module.questions) >= 5, module.path
        for question in module.questions:
            assert question.explanation_html, f"{module.path}:{question.line}"


def test_every_layer_has_training_written_for_it():
    tree = load_content(CURRICULUM)
    covered = {layer for module in tree.modules if module.required for layer in module.audience}
    layers = {layer.id for layer in tree.layers}
    for layer in layers - {"staff"}:
        assert layer in covered
    assert "all" in covered  # the all-staff modules are for everyone


def test_every_quiz_mixes_single_and_multiple_choice():
    for module in load_content(CURRICULUM).modules:
        if not module.is_reading:
            kinds = {question.multiple for question in module.questions}
            assert kinds == {True, False}, module.path


def test_the_content_check_command_passes_on_the_curriculum(runner):
    result = runner.invoke(args=["content", "check", str(CURRICULUM)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output

"""Language helpers for templates."""

from __future__ import annotations

import pytest
from flask import render_template_string

from awareness.i18n import direction
from awareness.progress.status import STATUSES


@pytest.mark.parametrize("code", ["ur", "ar", "he", "fa", "ar-EG", "ur_PK", "UR"])
def test_right_to_left_languages(code):
    assert direction(code) == "rtl"


@pytest.mark.parametrize("code", ["en", "en-GB", "fr", "", None])
def test_everything_else_is_left_to_right(code):
    assert direction(code) == "ltr"


def test_templates_can_ask_for_a_direction(app):
    with app.test_request_context():
        assert render_template_string("{{ direction('ur') }} {{ text_direction() }}") == "rtl ltr"


def test_one_label_for_every_status():
    from awareness.i18n import status_labels

    assert list(status_labels()) == list(STATUSES)


def test_one_badge_names_each_status_on_learner_and_dashboard_pages(app):
    from awareness.i18n import status_labels

    with app.test_request_context():
        for status, label in status_labels().items():
            badge = render_template_string(
                '{% from "_status.html" import status_badge %}{{ status_badge(status) }}',
                status=status,
            )
            assert badge.endswith(f">{label}</span>"), status

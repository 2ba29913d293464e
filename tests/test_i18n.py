"""Language helpers for templates."""

from __future__ import annotations

import pytest
from flask import render_template_string

from awareness.i18n import direction


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
    from awareness import metrics
    from awareness.i18n import status_labels

    assert list(status_labels()) == list(metrics.STATUSES)


def test_learn_and_dashboard_badges_use_the_same_labels(app):
    with app.test_request_context():
        learn = render_template_string(
            '{% from "learn/_status.html" import status_badge %}{{ status_badge("in_progress") }}'
        )
        dashboard = render_template_string(
            '{% import "dashboard/_macros.html" as m %}{{ m.status_badge("in_progress") }}'
        )
        assert ">In progress</span>" in learn and ">In progress</span>" in dashboard

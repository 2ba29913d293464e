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

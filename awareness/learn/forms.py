from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length, Regexp

KEY = Regexp(r"^[0-9a-f]{32}$")


class QuizForm(FlaskForm):
    """The fixed part of a quiz form; the answers are read as ``q<number>`` fields."""

    submission_key = HiddenField(validators=[DataRequired(), KEY])
    source_hash = HiddenField(validators=[DataRequired(), Length(max=64)])


class AcknowledgeForm(FlaskForm):
    submission_key = HiddenField(validators=[DataRequired(), KEY])
    source_hash = HiddenField(validators=[DataRequired(), Length(max=64)])
    acknowledge = BooleanField(
        _l("I have read and understood this"),
        validators=[DataRequired(_l("Tick the box to confirm you have read this."))],
    )

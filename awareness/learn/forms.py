from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length

from awareness.learn.form_keys import MAX_LENGTH


class QuizForm(FlaskForm):
    """The fixed part of a quiz form; the answers are read as ``q<number>`` fields.

    ``submission_key`` is the signed key of :mod:`awareness.learn.form_keys`.
    """

    submission_key = HiddenField(validators=[DataRequired(), Length(max=MAX_LENGTH)])


class AcknowledgeForm(FlaskForm):
    submission_key = HiddenField(validators=[DataRequired(), Length(max=MAX_LENGTH)])
    acknowledge = BooleanField(
        _l("I have read and understood this"),
        validators=[DataRequired(_l("Tick the box to confirm you have read this."))],
    )

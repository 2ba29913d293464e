"""The forms of the content pages: a sync's dry run, and the confirmation that applies it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp


class DryRunForm(FlaskForm):
    """Read the content folder and show what a sync would change (changes nothing)."""


class ConfirmSyncForm(FlaskForm):
    """Apply the sync a dry run showed, if the folder still reads as it did then."""

    fingerprint = HiddenField(
        validators=[
            DataRequired(),
            Regexp(r"^[0-9a-f]{64}$", message=_l("This confirmation was not made by a dry run.")),
        ]
    )

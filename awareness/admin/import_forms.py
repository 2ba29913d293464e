"""Forms of the people import page (``/admin/people/import``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    file = FileField(
        _l("People file (CSV)"),
        validators=[FileRequired(_l("Choose the people file (CSV) to upload."))],
    )
    deactivate_missing = BooleanField(
        _l("Deactivate people missing from the file"),
        description=_l("Active people whose email is not in the file are deactivated."),
    )
    invite = BooleanField(
        _l("Invite the people it creates"),
        description=_l("Each new person is emailed a link to choose a password."),
    )


class ConfirmForm(FlaskForm):
    """Applies a preview: the CSRF token is its only field."""

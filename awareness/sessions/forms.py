"""Forms of the live session pages. Times are typed in the organisation's time zone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from awareness.live.planning import CAPACITY_MAX, DESCRIPTION_MAX, LOCATION_MAX, TITLE_MAX

LOCAL_TIME = "%Y-%m-%dT%H:%M"


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    kind = SelectField(_l("Kind"), validate_choice=True)
    starts_at = DateTimeLocalField(
        _l("Starts"), format=LOCAL_TIME, validators=[DataRequired(_l("Give a date and time."))]
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=LOCAL_TIME, validators=[DataRequired(_l("Give a date and time."))]
    )
    location = StringField(
        _l("Place or joining link"), validators=[Optional(), Length(max=LOCATION_MAX)]
    )
    capacity = IntegerField(
        _l("Capacity (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=CAPACITY_MAX)],
    )
    module = SelectField(_l("Module it covers"), validate_choice=True, default="")
    facilitator = StringField(
        _l("Facilitator's email (optional)"), validators=[Optional(), Length(max=254)]
    )
    layers = SelectMultipleField(_l("Layers (none: every layer)"), validate_choice=True)
    departments = SelectMultipleField(
        _l("Departments (none: every department)"), validate_choice=True
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)]
    )

    def set_choices(self, kinds, modules, layers, departments) -> None:
        self.kind.choices = kinds
        self.module.choices = [("", _l("None")), *modules]
        self.layers.choices = layers
        self.departments.choices = departments


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class CodeForm(FlaskForm):
    code = StringField(
        _l("Attendance code"),
        validators=[DataRequired(_l("Type the code shown in the room.")), Length(max=32)],
    )


class AddAttendeesForm(FlaskForm):
    emails = TextAreaField(
        _l("Add attendees by email (one per line)"), validators=[Optional(), Length(max=200_000)]
    )


class UploadForm(FlaskForm):
    file = FileField(
        _l("Attendee list (CSV of email addresses)"),
        validators=[FileRequired(_l("Choose a CSV file."))],
    )

"""The audit log's filters: a GET form (it changes nothing, so it needs no CSRF token).

The page and its CSV download read the same form, so a filter means the same
in both; :meth:`AuditFilterForm.filters` turns it into
:class:`~awareness.audit.export.AuditFilters`.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from awareness.audit import ACTIONS
from awareness.audit.export import AuditFilters

#: The days a filter may name (``until`` is read up to the end of its day).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 30)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField(
        _l("Person (email)"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an email address, such as a@b.org.")),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    action = SelectField(_l("Action"), default="")
    since = DateField(_l("From (UTC)"), validators=[Optional()])
    until = DateField(_l("To (UTC)"), validators=[Optional()])

    @classmethod
    def reading(cls, args: MultiDict[str, str]) -> AuditFilterForm:
        """The form filled from a query string (its ``page`` and unknown keys are ignored)."""
        form = cls(formdata=args)
        form.action.choices = [("", _l("All actions")), *((a, a) for a in ACTIONS)]
        return form

    def validate_since(self, field: DateField) -> None:
        _check_day(field.data)

    def validate_until(self, field: DateField) -> None:
        _check_day(field.data)
        if field.data and self.since.data and self.since.data > field.data:
            raise ValidationError(_("The last day comes before the first."))

    def filters(self) -> AuditFilters:
        return AuditFilters(
            since=self.since.data,
            until=self.until.data,
            actions=(self.action.data,) if self.action.data else (),
            person=self.person.data or None,
        )

    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links (the page, the download) that keep them."""
        return {
            name: self[name].raw_data[0]
            for name in ("person", "action", "since", "until")
            if self[name].raw_data and self[name].raw_data[0]
        }

    def messages(self) -> list[str]:
        """Each error, naming its field."""
        return [
            f"{self[name].label.text}: {message}"
            for name, errors in self.errors.items()
            for message in errors
        ]


def _check_day(day: date | None) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Choose a day from %(first)s to %(last)s.", first=FIRST_DAY, last=LAST_DAY)
        )

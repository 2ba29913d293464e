"""Forms of the people administration (``/admin/people``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from awareness.people.directory import MAX_PATH
from awareness.people.editing import GRANTABLE
from awareness.people.listing import LEARNER_ONLY, MAX_SEARCH

ROLE_LABELS = {
    "learner": _l("Learner"),
    "manager": _l("Manager"),
    "hr": _l("HR"),
    "author": _l("Author"),
    "admin": _l("Administrator"),
}


class PeopleFilterForm(FlaskForm):
    """The list's search and filters: a GET form (it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search name, email or department"), validators=[Length(max=MAX_SEARCH)], default=""
    )
    department = SelectField(_l("Department"), default="", validate_choice=True)
    layer = SelectField(_l("Layer"), default="", validate_choice=True)
    role = SelectField(_l("Role"), default="", validate_choice=True)
    active = SelectField(_l("Status"), default="all", validate_choice=True)
    overdue = BooleanField(_l("Only people with overdue training"))

    def set_choices(self, departments: list[str], layers: list[tuple[str, str]]) -> None:
        everything = [("", _l("All"))]
        self.department.choices = everything + [(path, path) for path in departments]
        self.layer.choices = everything + layers
        self.role.choices = [
            *everything,
            *[(role, ROLE_LABELS[role]) for role in GRANTABLE],
            (LEARNER_ONLY, _l("Learners only (no other role)")),
        ]
        self.active.choices = [
            ("all", _l("Everyone")),
            ("active", _l("Active")),
            ("inactive", _l("Deactivated")),
        ]


class MultiCheckboxField(SelectMultipleField):
    """A choice of several, as checkboxes (no JavaScript, every box labelled)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PersonForm(FlaskForm):
    """A person's department, layer and roles."""

    department = StringField(
        _l("Department (a path such as Finance/Payroll; created if new)"),
        validators=[DataRequired(_l("Give a department.")), Length(max=MAX_PATH)],
    )
    layer = SelectField(_l("Layer"), validate_choice=True)
    roles = MultiCheckboxField(_l("Roles (everyone is also a learner)"), validate_choice=True)

    def set_choices(self, layers: list[tuple[str, str]]) -> None:
        self.layer.choices = layers
        self.roles.choices = [(role, ROLE_LABELS[role]) for role in GRANTABLE]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

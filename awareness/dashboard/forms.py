"""The dashboard's filter form (a GET form: it changes nothing, so it needs no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from awareness.i18n import status_labels


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    layer = SelectField(_l("Layer"), validate_choice=True, default="")
    department = SelectField(_l("Department"), validate_choice=True, default="")
    module = SelectField(_l("Module"), validate_choice=True, default="")
    status = SelectField(_l("Status"), validate_choice=True, default="")

    def set_choices(self, layers, departments, modules) -> None:
        everything = [("", _l("All"))]
        self.layer.choices = everything + [(layer.id, layer.title) for layer in layers]
        self.department.choices = everything + [(path, path) for path in departments]
        self.module.choices = everything + [(module.slug, module.title) for module in modules]
        self.status.choices = everything + list(status_labels().items())

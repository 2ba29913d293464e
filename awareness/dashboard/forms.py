"""The dashboard's filter form (a GET form: it changes nothing, so it needs no CSRF token).

The form only shows the filters: :mod:`awareness.reporting.selection` reads
and checks them, and :meth:`FilterForm.showing` fills the form from what it read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from awareness.i18n import status_labels
from awareness.reporting.selection import Selection


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    layer = SelectField(_l("Layer"), default="")
    department = SelectField(_l("Department"), default="")
    module = SelectField(_l("Module"), default="")
    status = SelectField(_l("Status"), default="")

    @classmethod
    def showing(cls, selection: Selection) -> FilterForm:
        """The form with the choices of ``selection``'s scope and its filters chosen."""
        form = cls(
            formdata=None,
            data={
                "layer": selection.layer or "",
                "department": selection.department or "",
                "module": selection.module.slug if selection.module else "",
                "status": selection.status or "",
            },
        )
        everything = [("", _l("All"))]
        form.layer.choices = everything + [(layer.id, layer.title) for layer in selection.layers]
        form.department.choices = everything + [(d.path, d.path) for d in selection.departments]
        form.module.choices = everything + [(m.slug, m.title) for m in selection.modules]
        form.status.choices = everything + list(status_labels().items())
        return form

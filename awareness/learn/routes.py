"""``/``, ``/modules/<slug>`` and ``/modules/<slug>/quiz``."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from awareness import metrics
from awareness.extensions import db

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.get("/")
@login_required
def index():
    items = metrics.person_assignments(db.session, current_user.id)
    return render_template("learn/index.html", items=items)

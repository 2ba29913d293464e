"""Organising live sessions in the browser (HR and admins): new, edit, cancel."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from awareness.extensions import db
from awareness.live import audience, planning, times
from awareness.live.problems import FieldError, LiveError
from awareness.models import LiveSession, Module
from awareness.models.live import KINDS
from awareness.models.types import utcnow
from awareness.progress.catalogue import layers
from awareness.reminders import sessions as session_mail
from awareness.reporting.breakdown import departments_in
from awareness.sessions.forms import ActionForm, SessionForm
from awareness.sessions.routes import bp, live_session, refuse

KIND_LABELS = {
    "seminar": _l("Seminar"),
    "roundtable": _l("Roundtable"),
    "webinar": _l("Webinar"),
    "workshop": _l("Workshop"),
}


@bp.app_template_filter("kind_label")
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def organiser_only() -> None:
    if not audience.organises(current_user):
        abort(403)


def session_form(live: LiveSession | None = None) -> SessionForm:
    """The form, its choices filled; on a GET for ``live``, its values in local time."""
    form = SessionForm()
    modules = db.session.execute(
        select(Module.slug, Module.title)
        .where(~Module.retired)
        .order_by(Module.position.is_(None), Module.position, Module.title)
    ).all()
    form.set_choices(
        [(kind, KIND_LABELS[kind]) for kind in KINDS],
        [(slug, title) for slug, title in modules],
        [(layer.id, layer.title) for layer in layers(db.session)],
        [(d.path, d.path) for d in departments_in(db.session, None)],
    )
    if live is not None and not form.is_submitted():
        zone = times.zone()
        layer_ids, paths = audience.audience_labels(db.session, live)
        form.process(
            data={
                "title": live.title,
                "kind": live.kind,
                "starts_at": times.to_local(live.starts_at, zone),
                "ends_at": times.to_local(live.ends_at, zone),
                "location": live.location,
                "capacity": live.capacity,
                "module": live.module.slug if live.module else "",
                "facilitator": live.facilitator.email if live.facilitator else "",
                "layers": layer_ids,
                "departments": paths,
                "description": live.description,
            }
        )
    return form


def draft_from(form: SessionForm) -> planning.Draft:
    """The form's values as a draft, its local times in UTC; FieldError for a skipped time."""
    zone = times.zone()
    converted = {}
    for name in ("starts_at", "ends_at"):
        try:
            converted[name] = times.to_utc(form[name].data, zone)
        except ValueError:
            raise FieldError(
                _("%(field)s: that time does not exist here (the clocks change).", field=name),
                name,
            ) from None
    return planning.Draft(
        title=form.title.data or "",
        kind=form.kind.data,
        location=form.location.data or "",
        capacity=form.capacity.data,
        module=form.module.data or None,
        facilitator=(form.facilitator.data or "").strip() or None,
        layers=list(form.layers.data or []),
        departments=list(form.departments.data or []),
        description=(form.description.data or "").strip(),
        **converted,
    )


def attach(form: SessionForm, error: FieldError) -> None:
    """Show a domain problem under its field (or above the form)."""
    name = {"audience": "layers"}.get(error.field or "", error.field or "")
    if name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        flash(error.message, "error")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    organiser_only()
    form = session_form()
    if form.validate_on_submit():
        try:
            live = planning.create(db.session, draft_from(form), by=current_user)
        except FieldError as error:
            attach(form, error)
        else:
            db.session.commit()
            flash(_("The session “%(title)s” is planned.", title=live.title), "success")
            return redirect(url_for(".show", session_id=live.id), code=303)
    return render_template("sessions/edit.html", form=form, live=None)


@bp.route("/<id:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    organiser_only()
    live = live_session(session_id)
    form = session_form(live)
    if form.validate_on_submit():
        try:
            changes = planning.update(db.session, live, draft_from(form), by=current_user)
            emails = session_mail.on_change(db.session, live, changes, utcnow())
        except FieldError as error:
            db.session.rollback()
            attach(form, error)
        except LiveError as error:
            return refuse(error, url_for(".show", session_id=live.id))
        else:
            db.session.commit()
            flash(_("The session “%(title)s” is saved.", title=live.title), "success")
            _told(len(emails))
            response = redirect(url_for(".show", session_id=live.id), code=303)
            session_mail.send_soon(response, emails)
            return response
    return render_template("sessions/edit.html", form=form, live=live)


@bp.post("/<id:session_id>/cancel")
@login_required
def cancel(session_id: int):
    organiser_only()
    live = live_session(session_id)
    if not ActionForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    emails: list[int] = []
    try:
        if planning.cancel(db.session, live, by=current_user):
            emails = session_mail.on_cancel(db.session, live, utcnow())
    except LiveError as error:
        return refuse(error, url_for(".show", session_id=live.id))
    db.session.commit()
    flash(_("The session “%(title)s” is cancelled.", title=live.title), "success")
    _told(len(emails))
    response = redirect(url_for(".show", session_id=live.id), code=303)
    session_mail.send_soon(response, emails)
    return response


def _told(emailed: int) -> None:
    """Say how many registrants are being told of a change or a cancellation."""
    if emailed:
        flash(
            ngettext(
                "%(num)d registrant is being emailed about it.",
                "%(num)d registrants are being emailed about it.",
                emailed,
            ),
            "info",
        )

"""Taking attendance in the browser: the roster page (the facilitator, HR and admins)
and the upload of a webinar platform's attendee list (HR and admins)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from awareness.extensions import db
from awareness.live import attendance, audience, report
from awareness.live.attendance import Recorded
from awareness.live.problems import LiveError
from awareness.models import LiveSession, Person
from awareness.models.types import utcnow
from awareness.sessions.forms import ActionForm, AddAttendeesForm, UploadForm
from awareness.sessions.routes import bp, live_session, refuse
from awareness.web.inputs import MAX_ID


def attendance_taker(session_id: int) -> LiveSession:
    """The session, when the signed-in person takes its attendance; 403 otherwise."""
    live = live_session(session_id)
    if not audience.takes_attendance(live, current_user):
        abort(403)
    return live


def roster_page(live: LiveSession, *, upload_result: Recorded | None = None, **forms):
    entries = list(report.roster(db.session, live))
    return render_template(
        "sessions/roster.html",
        live=live,
        entries=entries,
        attended=sum(entry.attended for entry in entries),
        organiser=audience.organises(current_user),
        action=ActionForm(),
        add_form=forms.get("add_form") or AddAttendeesForm(),
        upload_form=forms.get("upload_form") or UploadForm(),
        upload_result=upload_result,
    )


@bp.get("/<id:session_id>/roster")
@login_required
def roster(session_id: int):
    return roster_page(attendance_taker(session_id))


@bp.post("/<id:session_id>/roster")
@login_required
def take_attendance(session_id: int):
    """Record the ticked people and the addresses typed in."""
    live = attendance_taker(session_id)
    form = AddAttendeesForm()
    if not form.validate_on_submit():
        return roster_page(live, add_form=form), 400
    ticked = [int(v) for v in request.form.getlist("person") if v.isascii() and v.isdigit()]
    ticked = [person_id for person_id in ticked if person_id <= MAX_ID]
    emails = (form.emails.data or "").split()
    if not ticked and not emails:
        flash(_("Tick the people who attended, or type their addresses."), "error")
        return redirect(url_for(".roster", session_id=live.id), code=303)
    now = utcnow()
    try:
        result = attendance.record_emails(
            db.session, live, emails, method="roster", now=now, by=current_user, person_ids=ticked
        )
    except LiveError as error:
        return refuse(error, url_for(".roster", session_id=live.id))
    db.session.commit()
    flash(
        ngettext("%(num)d attendance recorded.", "%(num)d attendances recorded.", result.recorded),
        "success",
    )
    if result.unknown:
        flash(
            _("Nobody active has these addresses: %(list)s", list=", ".join(result.unknown)),
            "error",
        )
    return redirect(url_for(".roster", session_id=live.id), code=303)


@bp.post("/<id:session_id>/roster/upload")
@login_required
def upload(session_id: int):
    """Record everyone on an attendee list; list back the addresses of nobody known."""
    live = attendance_taker(session_id)
    if not audience.organises(current_user):
        abort(403)
    form = UploadForm()
    if not form.validate_on_submit():
        return roster_page(live, upload_form=form), 400
    try:
        emails = attendance.read_attendee_file(form.file.data.read())
        result = attendance.record_emails(
            db.session, live, emails, method="upload", now=utcnow(), by=current_user
        )
    except LiveError as error:
        db.session.rollback()
        form.file.errors = [error.message]
        return roster_page(live, upload_form=form), error.status
    db.session.commit()
    return roster_page(live, upload_result=result)


@bp.post("/<id:session_id>/attendance/<id:person_id>/remove")
@login_required
def remove(session_id: int, person_id: int):
    live = attendance_taker(session_id)
    if not ActionForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if attendance.remove(db.session, live, person, by=current_user):
        db.session.commit()
        flash(_("The attendance of %(name)s is removed.", name=person.name), "success")
    return redirect(url_for(".roster", session_id=live.id), code=303)

"""``/sessions/``: the live sessions open to a person, signing up, calendars and codes.

Organising (new, edit, cancel) is in :mod:`.organise`, taking attendance in
:mod:`.attendance`; they add their routes to :data:`bp`. Views parse input, call
:mod:`awareness.live` and commit once.
"""

from __future__ import annotations

import math
import time
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from awareness.extensions import db, limiter
from awareness.live import attendance, audience, calendar, codes, registration, report
from awareness.live.problems import LiveError, NotInAudience, WrongCode
from awareness.mail import links
from awareness.models import LiveSession
from awareness.models.types import utcnow
from awareness.reminders import sessions as session_mail
from awareness.sessions.forms import ActionForm, CodeForm

bp = Blueprint("sessions", __name__, url_prefix="/sessions", template_folder="templates")

#: How a session's time reads (the zone's name follows, from :func:`zone_name`).
TIME_FORMAT = "EEE d MMM y, HH:mm"


@bp.app_template_filter("local_time")
def local_time(value: datetime | None, pattern: str = TIME_FORMAT) -> str:
    """Naive UTC in the organisation's time zone, in the person's language."""
    return "" if value is None else format_datetime(value, pattern)


@bp.app_context_processor
def time_zone_name() -> dict:
    def zone_name() -> str:
        return str(get_timezone())

    return {"zone_name": zone_name}


def live_session(session_id: int) -> LiveSession:
    """The session with this id, or 404."""
    live = db.session.get(LiveSession, session_id)
    if live is None:
        abort(404)
    return live


def visible(session_id: int) -> LiveSession:
    """The session, when the signed-in person may see it; 404 otherwise."""
    live = live_session(session_id)
    if not audience.can_see(db.session, live, current_user):
        abort(404)
    return live


def refuse(error: LiveError, back: str) -> WerkzeugResponse:
    """Say why on the page at ``back``; outside a session's audience, 403."""
    if isinstance(error, NotInAudience):
        abort(403, description=error.message)
    flash(error.message, "error")
    return redirect(back, code=303)


@bp.get("/")
@login_required
def index():
    now = utcnow()
    organiser = audience.organises(current_user)
    listings = audience.sessions_for(db.session, current_user, now, everything=organiser)
    return render_template(
        "sessions/index.html",
        listings=listings,
        attended=audience.attended_by(db.session, current_user),
        organiser=organiser,
        recent=report.sessions(db.session, None, now=now, upcoming=False, limit=50)
        if organiser
        else [],
        action=ActionForm(),
    )


@bp.get("/<id:session_id>")
@login_required
def show(session_id: int):
    live = visible(session_id)
    now = utcnow()
    opens, closes = codes.window(live.starts_at, live.ends_at)
    layers, departments = audience.audience_labels(db.session, live)
    return render_template(
        "sessions/show.html",
        live=live,
        entry=audience.listing(db.session, live, current_user),
        in_audience=audience.is_open_to(db.session, live, current_user),
        takes_attendance=audience.takes_attendance(live, current_user),
        organiser=audience.organises(current_user),
        layers=layers,
        departments=departments,
        started=live.starts_at <= now,
        code_open=opens <= now <= closes and not live.cancelled,
        opens=opens,
        closes=closes,
        action=ActionForm(),
        code_form=CodeForm(),
    )


@bp.post("/<id:session_id>/register")
@login_required
def register(session_id: int):
    return _change_place(session_id, taking=True)


@bp.post("/<id:session_id>/unregister")
@login_required
def unregister(session_id: int):
    return _change_place(session_id, taking=False)


def _change_place(session_id: int, *, taking: bool) -> WerkzeugResponse:
    """Take or give back the signed-in person's place; the confirmation goes after the commit."""
    live = visible(session_id)
    if not ActionForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    back = url_for(".show", session_id=live.id)
    now, person, emails = utcnow(), current_user._get_current_object(), []
    try:
        if taking:
            changed = registration.register(db.session, live, person, now)
            emails = session_mail.on_register(db.session, live, person, now) if changed else []
        else:
            changed = registration.unregister(db.session, live, person, now)
            if changed:
                session_mail.on_unregister(db.session, live, person)
    except LiveError as error:
        return refuse(error, back)
    db.session.commit()
    if changed and taking:
        flash(_("You are registered for “%(title)s”.", title=live.title), "success")
    elif changed:
        flash(_("Your place at “%(title)s” is cancelled.", title=live.title), "success")
    response = redirect(back, code=303)
    session_mail.send_soon(response, emails)
    return response


@bp.get("/<id:session_id>/calendar.ics")
@login_required
def ics(session_id: int):
    live = visible(session_id)
    if current_app.config.get("BASE_URL"):  # the address people use, as in emails
        site, page = links.base_url(), links.link("sessions.show", session_id=live.id)
    else:
        site, page = request.host_url, url_for(".show", session_id=live.id, _external=True)
    body = calendar.ics(live, site=site, page_url=page, now=utcnow())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="session-{live.id}.ics"'
    return response


# -- attendance codes ------------------------------------------------------


def _code_limit() -> str:
    return current_app.config["ATTENDANCE_CODE_LIMIT"]


def _code_key() -> str:
    # Checked before the view's sign-in check: an anonymous request is sent to sign in anyway.
    return f"attendance-code:{getattr(current_user, 'id', None)}"


def _wrong_code(response: Response) -> bool:
    return g.get("wrong_code", False)


def _too_many_codes(limit: RequestLimit) -> Response:
    """What the 429 carries besides its page: ``Retry-After``, when the oldest wrong code
    leaves the window (errors.respond renders the page and passes the header on)."""
    seconds = max(1, math.ceil(limit.reset_at - time.time()))
    return Response(status=429, headers={"Retry-After": str(seconds)})


#: Wrong codes count against the person, on every server (the limiter's storage).
code_limit = limiter.shared_limit(
    _code_limit, scope="attendance-code", key_func=_code_key, deduct_when=_wrong_code,
    methods=["POST"], on_breach=_too_many_codes,
)  # fmt: skip


@bp.post("/<id:session_id>/code")
@login_required
@code_limit
def code(session_id: int):
    live = visible(session_id)
    form = CodeForm()
    if not form.validate_on_submit():
        flash(
            " ".join(map(str, form.code.errors)) or _("The form had expired. Please try again."),
            "error",
        )
        return redirect(url_for(".show", session_id=live.id), code=303)
    try:
        recorded = attendance.enter_code(db.session, live, current_user, form.code.data, utcnow())
    except LiveError as error:
        return _code_refused(error, url_for(".show", session_id=live.id))
    db.session.commit()
    _attended_message(live, recorded)
    return redirect(url_for(".show", session_id=live.id), code=303)


@bp.route("/code", methods=["GET", "POST"])
@login_required
@code_limit
def any_code():
    """Type the code shown in the room, without finding the session first."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            live, recorded = attendance.enter_any_code(
                db.session, current_user, form.code.data, utcnow()
            )
        except LiveError as error:
            return _code_refused(error, url_for(".any_code"))
        db.session.commit()
        _attended_message(live, recorded)
        return redirect(url_for(".show", session_id=live.id), code=303)
    return render_template("sessions/code.html", form=form)


def _code_refused(error: LiveError, back: str) -> WerkzeugResponse:
    g.wrong_code = isinstance(error, WrongCode)
    return refuse(error, back)


def _attended_message(live: LiveSession, recorded: bool) -> None:
    if recorded:
        flash(
            _("Thank you: your attendance at “%(title)s” is recorded.", title=live.title), "success"
        )
    else:
        flash(_("Your attendance at “%(title)s” was already recorded.", title=live.title), "info")

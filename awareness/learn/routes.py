"""``/``, ``/modules/<slug>``, ``/modules/<slug>/quiz`` and a quiz's result page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awareness.extensions import db
from awareness.learn import form_keys
from awareness.learn.assets import asset_response, published_asset
from awareness.learn.forms import AcknowledgeForm, QuizForm
from awareness.learn.lessons import Lesson, headings, lesson, live_module, scrollable_tables
from awareness.live.audience import next_for
from awareness.models.types import utcnow
from awareness.progress import attempts, learner
from awareness.progress.scoring import AnswerError, answers_from_fields

bp = Blueprint("learn", __name__, template_folder="templates")
bp.add_app_template_filter(scrollable_tables, "scrollable_tables")


@bp.get("/")
@login_required
def index():
    items = learner.person_assignments(db.session, current_user.id)
    completed = sum(item.status == "completed" for item in items)
    optional = learner.optional_modules(db.session, current_user)
    return render_template(
        "learn/index.html",
        items=items,
        completed=completed,
        optional=optional,
        headings=headings(db.session, [i.module for i in items] + [o.module for o in optional]),
        next_session=next_for(db.session, current_user, utcnow()),
    )


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    shown = lesson(live_module(db.session, slug))
    assignment = _assignment(shown.module.id)
    read_on = _read_on(shown.module, assignment) if shown.module.is_reading else None
    form = (
        AcknowledgeForm(submission_key=_issue_key(shown)[0])
        if shown.module.is_reading and read_on is None
        else None
    )
    return render_template(
        "learn/module.html", lesson=shown, assignment=assignment, form=form, read_on=read_on
    )


@bp.route("/modules/<slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(slug: str):
    module = live_module(db.session, slug)
    shown = lesson(module)
    if module.is_reading:
        return (
            _acknowledge(shown)
            if request.method == "POST"
            else redirect(url_for(".module", slug=slug))
        )
    form = QuizForm()
    if form.validate_on_submit():
        key = _read_key(form.submission_key.data, shown)
        if (key.major, key.source_hash) != (module.major, shown.source_hash):
            flash(
                _("This module changed while you were answering. Please take the new version."),
                "error",
            )
            return redirect(url_for(".quiz", slug=slug))
        try:
            answers = answers_from_fields(request.form.items(multi=True))
            attempt, _result = attempts.submit(
                db.session, current_user, module, answers,
                submission_key=key.nonce, source_hash=shown.source_hash,
            )  # fmt: skip
        except AnswerError:
            abort(400, description=_("The answers do not fit this quiz. Please take it again."))
        db.session.commit()
        return redirect(url_for(".result", slug=slug, attempt_id=attempt.id), code=303)
    if request.method == "POST":
        abort(
            400,
            description=_("The form had expired or was incomplete. Please take the quiz again."),
        )
    token, key = _issue_key(shown)
    return render_template(
        "learn/quiz.html",
        lesson=shown,
        questions=shown.shuffled(key.nonce),
        form=QuizForm(submission_key=token),
    )


@bp.get("/modules/<slug>/attempts/<id:attempt_id>")
@login_required
def result(slug: str, attempt_id: int):
    module = live_module(db.session, slug)
    attempt = attempts.own_attempt(db.session, attempt_id, current_user, module)
    if attempt is None:
        abort(404)
    shown = lesson(module)
    outcome = attempts.rescore(module, attempt)
    results = {r.question: r for r in outcome.results}
    return render_template(
        "learn/result.html", lesson=shown, attempt=attempt, results=results,
        questions=shown.as_seen(attempt.submission_key),
        correct_options=_correct_options(module, attempt),
        assignment=_assignment(module.id),
    )  # fmt: skip


@bp.get("/assets/<path:filename>")
@login_required
def asset(filename: str):
    """An image or file that lessons link to, as published by the last ``content sync``."""
    published = published_asset(db.session, filename)
    if published is None:
        abort(404)
    return asset_response(published, request)


def _acknowledge(shown):
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        for message in form.acknowledge.errors or [_("The form had expired. Please try again.")]:
            flash(message, "error")
        return redirect(url_for(".module", slug=shown.module.slug))
    key = _read_key(form.submission_key.data, shown)
    if (key.major, key.source_hash) != (shown.module.major, shown.source_hash):
        flash(
            _("This module changed while you were reading. Please read the new version."), "error"
        )
        return redirect(url_for(".module", slug=shown.module.slug))
    try:
        attempts.submit(
            db.session, current_user, shown.module, acknowledge=True,
            submission_key=key.nonce, source_hash=shown.source_hash,
        )  # fmt: skip
    except AnswerError:
        abort(400, description=_("This form was already used. Please open the module again."))
    db.session.commit()
    flash(_("Thank you: your reading of “%(title)s” is recorded.", title=shown.title), "success")
    return redirect(url_for(".index"), code=303)


def _issue_key(shown: Lesson) -> tuple[str, form_keys.FormKey]:
    """A signed key for a form showing ``shown`` to the signed-in person."""
    return form_keys.issue(
        current_app.config["SECRET_KEY"], current_user.id, shown.module.id, shown.module.major,
        shown.source_hash,
    )  # fmt: skip


def _read_key(token: str, shown: Lesson) -> form_keys.FormKey:
    """The key of a submitted form, or 400 when this site did not issue it to this person."""
    try:
        return form_keys.read(
            current_app.config["SECRET_KEY"], token, person_id=current_user.id,
            module_id=shown.module.id, max_age=current_app.config["FORM_KEY_MAX_AGE"],
        )  # fmt: skip
    except form_keys.FormKeyError as error:
        abort(400, description=_form_key_message(error.reason))


def _form_key_message(reason: str) -> str:
    if reason == form_keys.EXPIRED:
        return _("This form has expired. Please open the module again.")
    if reason == form_keys.OTHER_PERSON:
        return _("This form was made for someone else. Please open the module yourself.")
    if reason == form_keys.OTHER_MODULE:
        return _("This form belongs to another module. Please open this module again.")
    return _("This form was not made by this site. Please open the module again.")


def _assignment(module_id: int) -> learner.PersonModule | None:
    return learner.person_assignment(db.session, current_user.id, module_id)


def _correct_options(module, attempt) -> dict[int, frozenset[int]]:
    """The correct options per question, once the person has passed with or after ``attempt``
    (until then a retake is still a test); nothing otherwise."""
    if not attempts.passed_since(db.session, attempt, module):
        return {}
    return {key.number: key.correct for key in attempts.answer_key(module)}


def _read_on(module, assignment: learner.PersonModule | None):
    """When the signed-in person confirmed reading ``module``, while that still counts."""
    if assignment is not None:
        return assignment.completed_at
    return learner.last_pass(db.session, current_user.id, module)

"""``/admin/content``: what is published, author previews, and a sync from the browser.

Admins and authors see the status and previews; only admins sync. A sync is
always a dry run first (the same :func:`~awareness.content.runs.sync_folder`
as ``content sync --dry-run``), then a confirmation that applies it only if
the folder still reads as the dry run saw it.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from awareness import i18n
from awareness.admin.access import ADMINS, CONTENT, bp, requires
from awareness.admin.content_forms import ConfirmSyncForm, DryRunForm
from awareness.content import runs, status
from awareness.content.sync import SyncResult
from awareness.extensions import db, unit_of_work
from awareness.i18n import ExplainedNotFound
from awareness.learn.lessons import lesson
from awareness.models.types import utcnow
from awareness.reporting import trend


@bp.get("/content")
@requires(*CONTENT)
def content() -> str:
    modules = status.module_statuses(db.session, utcnow())
    last, last_applied = runs.last_syncs(db.session)
    return render_template(
        "admin/content.html",
        live=[m for m in modules if not m.retired],
        retired=[m for m in modules if m.retired],
        last=last,
        last_applied=last_applied,
        form=DryRunForm() if current_user.has_role(*ADMINS) else None,
    )


@bp.get("/content/modules/<slug>")
@requires(*CONTENT)
def content_module(slug: str) -> str:
    """A module as a learner sees it, in one of its languages, with its quiz's answers."""
    module = status.find_module(db.session, slug)
    if module is None:
        abort(404)
    languages = ["en", *(t.language for t in module.translations)]
    language = request.args.get("language", "en")
    if language not in languages:
        raise ExplainedNotFound(
            _("This module has no translation into “%(language)s”.", language=language)
        )
    return render_template(
        "admin/content_module.html",
        lesson=lesson(module, language),
        languages=[(code, _language_name(code)) for code in languages],
        correct={q.number: {o.number for o in q.options if o.correct} for q in module.questions},
    )


@bp.post("/content/sync")
@requires(*ADMINS)
def content_sync() -> str:
    """The dry run: what a sync of the content folder would change. Changes nothing."""
    if not DryRunForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    with unit_of_work(db.session, keep=False):
        run = runs.sync_folder(db.session, _folder(), dry_run=True)
    confirm = ConfirmSyncForm(fingerprint=run.fingerprint) if run.result is not None else None
    return _sync_page(run, confirm)


@bp.post("/content/sync/confirm")
@requires(*ADMINS)
def content_sync_confirm() -> Response | tuple[str, int]:
    """Apply what the dry run showed, unless the folder changed since."""
    form = ConfirmSyncForm()
    if not form.validate_on_submit():
        abort(400, description=_("This confirmation is incomplete. Please run the dry run again."))
    with unit_of_work(db.session):
        run = runs.sync_folder(db.session, _folder(), expected=form.fingerprint.data)
    if run.result is None:  # stale, or refused (kept as refused)
        return _sync_page(run, None), 409
    if run.result.changed:
        trend.warm(db.session)
        flash(_sync_message(run.result), "success")
    else:
        flash(_("Nothing to change: the modules already match the content folder."), "success")
    return redirect(url_for(".content"), code=303)


def _sync_page(run: runs.SyncRun, confirm: ConfirmSyncForm | None) -> str:
    return render_template(
        "admin/content_sync.html",
        run=run,
        problems=[(p.path, p.line, p.message) for p in run.problems],
        confirm=confirm,
        again=DryRunForm(),
    )


def _language_name(code: str) -> str:
    """``ur`` as the interface's language names it ("Urdu" in English), else the code."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(i18n.language()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _folder() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def _sync_message(result: SyncResult) -> str:
    return _(
        "Sync applied: %(added)s added, %(updated)s updated, %(unchanged)s unchanged, "
        "%(retired)s retired.",
        added=len(result.added),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        retired=len(result.retired),
    )

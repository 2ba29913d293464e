"""``/admin/people/import``: upload the people file, see what it would change, confirm once.

The same reading, planning and applying as ``flask people import``
(:mod:`awareness.people.importer`); the preview is kept in the database
(:mod:`awareness.people.previews`) so any server can confirm it.
"""

from __future__ import annotations

import io
import math
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from awareness import errors
from awareness.admin.access import PEOPLE, allowed, bp, requires
from awareness.admin.import_forms import ConfirmForm, ImportForm
from awareness.extensions import db, unit_of_work
from awareness.mail import links, outbox
from awareness.mail.outbox import Courier
from awareness.mail.settings import MailConfigError
from awareness.models import PeopleImport, utcnow
from awareness.people import directory, importer, invitations, previews
from awareness.people.rows import FileProblem, known_layers, read_rows
from awareness.reporting import trend
from awareness.web.scoped import check_page, page_number

ENDPOINT = "admin.preview_import"
#: How many of each list the preview shows before "and N more".
SHOWN = 20
PER_PAGE = 200
#: What each list is called in the preview's links (``?show=``) and the step kind it lists.
LISTS = {
    "created": importer.CREATE,
    "updated": importer.UPDATE,
    "deactivated": importer.DEACTIVATE,
    "problems": previews.PROBLEM,
}
#: Why a confirmation was refused, for people.
REFUSALS = {
    "gone": _l("This preview no longer exists (previews are kept for an hour). Upload again."),
    "expired": _l("This preview has expired (previews are kept for an hour). Upload again."),
    "applied": _l("This import was applied already. Nothing was changed this time."),
    "problems": _l("The file has bad rows: nothing can be applied until the file is fixed."),
    "stale": _l(
        "Someone changed the people this import touches after the preview was made, so it was "
        "not applied. Upload the file again to see what it would change now."
    ),
    "not_allowed": _l(
        "This import grants or removes the admin role, or deactivates or reactivates an "
        "administrator: only an administrator may apply it. Nothing was changed."
    ),
}  # fmt: skip


@bp.url_value_preprocessor
def upload_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Let HR and admins send a people file over the general size limit.

    It runs before every ``before_request`` (the CSRF check reads the form
    first), so the larger limit holds while the body is read.
    """
    if endpoint == ENDPOINT and request.method == "POST" and allowed(*PEOPLE):
        request.max_content_length = current_app.config["PEOPLE_IMPORT_MAX_CONTENT_LENGTH"]


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Any:
    """A people file over the limit: the form again, saying what the limit is."""
    if request.endpoint != ENDPOINT or not allowed(*PEOPLE):
        return errors.too_large(error)
    form = ImportForm(formdata=None)
    form.file.errors = [
        _(
            "The file is larger than the limit of %(size)s MB: split it, or ask an "
            "administrator to raise PEOPLE_IMPORT_MAX_CONTENT_LENGTH.",
            size=megabytes(current_app.config["PEOPLE_IMPORT_MAX_CONTENT_LENGTH"]),
        )
    ]
    return render_template("admin/import.html", form=form), 413


@bp.get("/people/import")
@requires(*PEOPLE)
def import_people() -> Any:
    return render_template("admin/import.html", form=ImportForm())


@bp.post("/people/import")
@requires(*PEOPLE)
def preview_import() -> Any:
    """Read and plan the file, changing nobody; store the plan and show it."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/import.html", form=form), 400
    filename = directory.shown(form.file.data.filename or "", 200) or "people.csv"
    text, problem = decoded(form.file.data.read())
    if problem:
        form.file.errors = [problem]
        return render_template("admin/import.html", form=form), 400
    if form.invite.data:
        try:
            links.base_url()
        except MailConfigError as error:
            form.invite.errors = [_("Invitations cannot be sent: %(error)s", error=str(error))]
            return render_template("admin/import.html", form=form), 400
    layers = known_layers(db.session)
    rows, problems = read_rows(io.StringIO(text, newline=""), filename, layers)
    if problems and isinstance(problems[0], FileProblem):
        form.file.errors = [str(problems[0])]
        return render_template("admin/import.html", form=form), 400
    now = utcnow()
    with unit_of_work(db.session):
        previews.clean_up(db.session, now)
        # The rows read well are planned even beside bad ones, so that every row the
        # person may not apply is listed too; without deactivations, which need a whole file.
        whole = importer.plan(
            db.session, rows, deactivate_missing=form.deactivate_missing.data and not problems
        )
        refused = previews.not_allowed(whole, current_user, filename)
        planned = None if problems else whole
        problems = sorted([*problems, *refused], key=lambda problem: problem.line)
        preview = previews.save(
            db.session, filename, planned, problems, invite=form.invite.data,
            deactivate_missing=form.deactivate_missing.data, by=current_user, now=now,
        )  # fmt: skip
    return preview_page(preview)


@bp.get("/people/import/<key>")
@requires(*PEOPLE)
def show_import(key: str) -> Any:
    """A stored preview: its summary, or one of its lists in full (``?show=``), page by page."""
    preview = previews.find(db.session, key)
    if preview is None:
        return render_template("admin/import_gone.html"), 404
    show = request.args.get("show")
    if show is None:
        return preview_page(preview)
    if show not in LISTS:
        abort(404)
    page = page_number()
    total = previews.count(db.session, preview.id, LISTS[show])
    pages = math.ceil(total / PER_PAGE)
    check_page(page, pages)
    entries = previews.steps(
        db.session, preview.id, LISTS[show], offset=(page - 1) * PER_PAGE, limit=PER_PAGE
    )
    return render_template(
        "admin/import_list.html", preview=preview, show=show, entries=entries, total=total,
        page=page, pages=max(pages, 1),
    )  # fmt: skip


@bp.post("/people/import/<key>/confirm")
@requires(*PEOPLE)
def confirm_import(key: str) -> Any:
    """Apply the preview once; a second confirmation, or a stale preview, is refused."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))
    try:
        with unit_of_work(db.session):
            result = previews.confirm(db.session, key, by=current_user, now=utcnow())
    except previews.Refused as refused:
        preview = previews.find(db.session, key)
        if preview is None:
            return render_template("admin/import_gone.html"), 404
        return preview_page(preview, refused=refused.reason), 409
    trend.warm(db.session)
    preview = previews.find(db.session, key)
    assert preview is not None  # applied just now; clean-ups take only old previews
    flash(
        _(
            "Imported: %(created)s created, %(updated)s updated, %(deactivated)s deactivated, "
            "%(unchanged)s unchanged.",
            created=format_number(result.created), updated=format_number(result.updated),
            deactivated=format_number(result.deactivated),
            unchanged=format_number(result.unchanged),
        ),
        "success",
    )  # fmt: skip
    if preview.invite and result.created_ids:
        invite(preview, result.created_ids)
    return redirect(url_for(".show_import", key=key), code=303)


def invite(preview: PeopleImport, ids: list[int]) -> None:
    """Email the people the import created an invitation; say how it went, and keep the counts."""
    with outbox.transport() as way_out:
        courier = Courier(db.session, way_out, commit_every=None)
        sent = invitations.invite(
            db.session, courier, invitations.by_ids(db.session, ids), by=current_user
        )
    preview.outcome = {
        **(preview.outcome or {}),
        "invited": sent.invited,
        "skipped": len(sent.skipped),
        "failed": [email for email, _error in sent.failed],
    }
    db.session.commit()
    flash(_("Invitations sent: %(count)s.", count=format_number(sent.invited)), "success")
    if sent.failed:
        flash(
            _(
                "%(count)s invitations could not be sent: invite those people again from their "
                "pages once email works.",
                count=format_number(len(sent.failed)),
            ),
            "error",
        )


def decoded(data: bytes) -> tuple[str, str | None]:
    """The file's text, or what is wrong with it (empty, not UTF-8)."""
    if not data.strip():
        return "", _("The file is empty: it needs the header email,name,department,layer,roles.")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return "", _(
            "The file is not UTF-8 text (byte %(position)s cannot be read). Save it as "
            "“CSV UTF-8” and upload it again.",
            position=error.start + 1,
        )


def preview_page(preview: PeopleImport, *, refused: str | None = None) -> str:
    """The preview: counts, the first few of each list, the bad rows, and the confirm form."""
    lists = {
        show: (
            previews.steps(db.session, preview.id, kind, limit=SHOWN),
            previews.count(db.session, preview.id, kind),
        )
        for show, kind in LISTS.items()
    }
    now = utcnow()
    return render_template(
        "admin/import_preview.html", preview=preview, lists=lists, shown=SHOWN,
        refusal=REFUSALS[refused] if refused else None, stale=refused in ("stale", "not_allowed"),
        expired=previews.expired(preview, now), form=ConfirmForm(),
    )  # fmt: skip


def megabytes(limit: int) -> str:
    return format_decimal(limit / 1024 / 1024, format="#,##0.#")

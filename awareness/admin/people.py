"""``/admin/people``: the people directory for HR and administrators.

The list searches and filters every person (:mod:`awareness.people.listing`);
a person's page shows their training and history and changes their
department, layer, roles and activation (:mod:`awareness.people.editing`, the
importer's rules), sends them an invitation or a reset link, and, for
administrators, lists and revokes their API tokens. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from awareness.admin.access import ADMINS, PEOPLE, bp, requires
from awareness.admin.forms import ROLE_LABELS, ActionForm, PeopleFilterForm, PersonForm
from awareness.extensions import db, unit_of_work
from awareness.mail import outbox, settings
from awareness.mail.outbox import Courier
from awareness.mail.settings import MailConfigError
from awareness.models import ApiToken, Person
from awareness.people import accounts, editing, listing, password_links, profile
from awareness.people.editing import Edit, EditRefused
from awareness.progress import catalogue, learner
from awareness.reporting.breakdown import departments_in
from awareness.web.scoped import check_page, page_number


@bp.get("/people")
@requires(*PEOPLE)
def people():
    form = filter_form()
    filters = filters_of(form)
    page = page_number()
    found = listing.people_page(db.session, filters, page)
    check_page(page, found.pages)
    return render_template(
        "admin/people.html",
        form=form,
        found=found,
        args=query_args(filters),
        layer_titles={layer.id: layer.title for layer in catalogue.layers(db.session)},
    )


@bp.context_processor
def role_names() -> dict[str, Any]:
    def names(roles: list[str]) -> str:
        """Roles as a person reads them, in their language."""
        return ", ".join(str(ROLE_LABELS.get(role, role)) for role in roles)

    return {"role_names": names}


def filter_form() -> PeopleFilterForm:
    """The request's search and filters; 400 naming a value that names nothing."""
    form = PeopleFilterForm(formdata=request.args)
    form.set_choices(
        [department.path for department in departments_in(db.session, None)],
        [(layer.id, layer.title) for layer in catalogue.layers(db.session)],
    )
    if not form.validate():
        name, errors = next(iter(form.errors.items()))
        abort(
            400,
            description=_(
                "The filter “%(field)s” cannot be used: %(problem)s",
                field=form[name].label.text,
                problem=" ".join(map(str, errors)),
            ),
        )
    return form


def filters_of(form: PeopleFilterForm) -> listing.PeopleFilters:
    return listing.PeopleFilters(
        q=(form.q.data or "").strip(),
        department=form.department.data or None,
        layer=form.layer.data or None,
        role=form.role.data or None,
        active=form.active.data or "all",
        overdue=bool(form.overdue.data),
    )


def query_args(filters: listing.PeopleFilters) -> dict[str, Any]:
    """The query string that asks for ``filters`` again (for the page links)."""
    args = {
        "q": filters.q,
        "department": filters.department,
        "layer": filters.layer,
        "role": filters.role,
        "active": None if filters.active == "all" else filters.active,
        "overdue": "y" if filters.overdue else None,
    }
    return {key: value for key, value in args.items() if value}


@bp.route("/people/<id:person_id>", methods=["GET", "POST"])
@requires(*PEOPLE)
def person(person_id: int):
    """A person's page; a POST saves their department, layer and roles."""
    found = person_or_404(person_id)
    form = person_form(found, submitted=request.method == "POST")
    if form.validate_on_submit():
        edit = Edit(form.department.data, form.layer.data, frozenset(form.roles.data or ()))
        try:
            with unit_of_work(db.session):
                changed = editing.update(db.session, found, edit, actor=current_user)
        except EditRefused as error:
            found = person_or_404(person_id)  # as it is: the refused change was rolled back
            form[error.field or "roles"].errors = [error.message]
        else:
            if changed:
                flash(_("The changes to %(name)s are saved.", name=found.name), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for(".person", person_id=person_id), code=303)
    return page(found, form)


@bp.post("/people/<id:person_id>/deactivate")
@requires(*PEOPLE)
def deactivate(person_id: int) -> Response:
    return _set_active(person_id, active=False)


@bp.post("/people/<id:person_id>/reactivate")
@requires(*PEOPLE)
def reactivate(person_id: int) -> Response:
    return _set_active(person_id, active=True)


def _set_active(person_id: int, *, active: bool) -> Response:
    found = person_or_404(person_id)
    checked()
    try:
        with unit_of_work(db.session):
            changed = editing.set_active(db.session, found, active, actor=current_user)
    except EditRefused as error:
        flash(error.message, "error")
    else:
        if not changed:
            flash(_("Nothing was changed."), "info")
        elif active:
            flash(_("%(name)s is active again.", name=found.name), "success")
        else:
            flash(
                _(
                    "%(name)s is deactivated: signed out everywhere, and their API tokens no "
                    "longer work. Their history stays.",
                    name=found.name,
                ),
                "success",
            )
    return redirect(url_for(".person", person_id=person_id), code=303)


@bp.post("/people/<id:person_id>/link")
@requires(*PEOPLE)
def send_link(person_id: int):
    """Email an invitation (no password yet) or a reset link; without mail, show it once."""
    found = person_or_404(person_id)
    checked()
    back = redirect(url_for(".person", person_id=person_id), code=303)
    if not found.active:
        flash(_("%(name)s is deactivated: reactivate them first.", name=found.name), "error")
        return back
    purpose = password_links.purpose_for(found)
    try:
        if settings.settings(current_app.config).uses_smtp:
            _email_link(found, purpose)
            return back
        if not editing.may_act_for(current_user, found):
            flash(
                _(
                    "Email is not set up, and only an administrator may be shown a link into "
                    "the account of HR or of an administrator."
                ),
                "error",
            )
            return back
        link = password_links.shown_once(db.session, found, by=current_user)
    except MailConfigError as error:
        db.session.rollback()
        flash(_("No link was made: %(problem)s", problem=str(error)), "error")
        return back
    db.session.commit()
    return page(found, person_form(found), shown_link=link, shown_purpose=purpose)


def _email_link(person: Person, purpose: str) -> None:
    """Send the link by email (committed as it goes) and say whether it went."""
    with outbox.transport() as way_out:
        courier = Courier(db.session, way_out, commit_every=None)
        sent = password_links.send(
            db.session,
            courier,
            person,
            purpose,
            by=current_user,
            audit_action=password_links.AUDIT_ACTIONS[purpose],
        )
    if not sent:
        flash(
            _(
                "The email to %(email)s could not be sent: %(problem)s",
                email=person.email,
                problem=courier.last_error or "",
            ),
            "error",
        )
    elif purpose == "invite":
        flash(_("An invitation was emailed to %(email)s.", email=person.email), "success")
    else:
        flash(_("A password reset link was emailed to %(email)s.", email=person.email), "success")


@bp.post("/people/<id:person_id>/tokens/<id:token_id>/revoke")
@requires(*ADMINS)
def revoke_token(person_id: int, token_id: int) -> Response:
    found = person_or_404(person_id)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.person_id != found.id:
        abort(404)
    checked()
    with unit_of_work(db.session):
        revoked = accounts.revoke_token(db.session, token_id, owner=found)
    if revoked:
        flash(_("The API token is revoked: it no longer works."), "success")
    else:
        flash(_("That API token was already revoked."), "info")
    return redirect(url_for(".person", person_id=person_id, _anchor="tokens"), code=303)


def person_or_404(person_id: int) -> Person:
    found = db.session.get(Person, person_id)
    if found is None:
        abort(404)
    return found


def checked() -> None:
    """400 unless the button's form came with a valid CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400, description=_("The form had expired. Please try again."))


def person_form(person: Person, *, submitted: bool = False) -> PersonForm:
    """The details form: with the values sent when ``submitted``, else the person's."""
    if submitted:
        form = PersonForm()
    else:
        roles = [role for role in editing.role_list(person.roles) if role != "learner"]
        department = person.department.path if person.department else ""
        form = PersonForm(
            formdata=None, data={"department": department, "layer": person.layer_id, "roles": roles}
        )
    form.set_choices([(layer.id, layer.title) for layer in catalogue.layers(db.session)])
    return form


def page(person: Person, form: PersonForm, **shown: Any) -> str:
    attempts, attempt_total = profile.attempts(db.session, person.id)
    is_admin = current_user.has_role(*ADMINS)
    roles = editing.role_list(person.roles)
    return render_template(
        "admin/person.html",
        person=person,
        form=form,
        action=ActionForm(),
        roles=roles,
        # Why the caller may not deactivate (or reactivate) them: no button then, the reason.
        activation_refused=editing.activation_refusal(
            current_user, person.id, roles, not person.active
        ),
        assignments=learner.person_assignments(db.session, person.id),
        attempts=attempts,
        attempt_total=attempt_total,
        attended=profile.attended(db.session, person.id),
        sign_in=profile.sign_in_state(db.session, person),
        departments=[d.path for d in departments_in(db.session, None)],
        tokens=accounts.live_tokens(db.session, person.id) if is_admin else None,
        is_admin=is_admin,
        **shown,
    )

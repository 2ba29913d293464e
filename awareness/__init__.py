"""Awareness: cybersecurity awareness training and quizzes."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from awareness.config import PROJECT_ROOT, load_config
from awareness.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. Never touches the database or the network."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from awareness import models  # noqa: F401 - the models must be known to migrations

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    limiter.init_app(app)  # before CSRF, so refused sign-ins count against the limit too
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_person)
    login_manager.unauthorized_handler(unauthorized)


def register_blueprints(app: Flask) -> None:
    from awareness import api, auth, dashboard, errors, health, i18n, inputs, learn, security

    inputs.register(app)  # the id converter, before any rule uses it

    for blueprint in (health.bp, auth.bp, learn.bp, dashboard.bp, api.bp):
        app.register_blueprint(blueprint)
    errors.register(app)
    i18n.register(app)
    security.register(app)


def register_commands(app: Flask) -> None:
    from awareness.content.cli import content_cli
    from awareness.demo.cli import demo_cli
    from awareness.people.cli import people_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(demo_cli)


def load_person(session_id: str):
    """The person a session belongs to, unless their password changed since it began."""
    from awareness.models import Person

    person_id, _, stamp = session_id.partition(":")
    person = db.session.get(Person, int(person_id)) if person_id.isdigit() else None
    return person if person is not None and person.session_stamp == stamp else None


def unauthorized():
    """401 for the API; the sign-in page, remembering where the person was going, otherwise."""
    if request.path.startswith("/api/"):
        abort(401, description="authentication required: a session or a bearer token")
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def select_locale() -> str | None:
    """The person's chosen language, else the best match for the browser's."""
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "language", None) in languages:
        return current_user.language
    return request.accept_languages.best_match(languages)

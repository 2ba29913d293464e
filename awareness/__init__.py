"""Awareness: cybersecurity awareness training and quizzes."""

from __future__ import annotations

from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
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
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
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
    from awareness import admin, api, auth, dashboard, errors, health, i18n, learn, security
    from awareness import sessions as live_sessions  # live sessions, not sign-in sessions
    from awareness.mail import compose
    from awareness.web import inputs

    inputs.register(app)  # the id converter, before any rule uses it

    blueprints = (health.bp, auth.bp, learn.bp, dashboard.bp, admin.bp, api.bp, compose.bp)
    for blueprint in (*blueprints, live_sessions.bp, live_sessions.report_bp):
        app.register_blueprint(blueprint)
    errors.register(app)
    i18n.register(app)
    security.register(app)


def register_commands(app: Flask) -> None:
    from awareness.audit.cli import audit_cli
    from awareness.content.cli import content_cli
    from awareness.demo.cli import demo_cli
    from awareness.people.cli import people_cli
    from awareness.reminders.cli import reminders_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(people_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(reminders_cli)


def load_person(key: str):
    """The person this session key signed in, while the session lasts (awareness.auth.sessions).

    ``last_seen_at`` moves on at most once a minute: a reading request does it
    in a short transaction of its own, so it never holds a write lock; a writing
    request does it in the request's transaction, which may write anyway.
    """
    from awareness.auth import sessions
    from awareness.models import utcnow

    now = utcnow()
    login = sessions.find(db.session, key, now=now, idle=sessions.idle_timeout(current_app.config))
    if login is None:
        return None
    if sessions.due_for_touch(login, now):
        reading = request.method in ("GET", "HEAD", "OPTIONS")
        sessions.touch(db.engine if reading else db.session, login.id, now)
    g.login_session = login
    login.person.session_key = key
    return login.person


def unauthorized():
    """401 for the API; the sign-in page, remembering where the person was going, otherwise."""
    if request.path.startswith("/api/"):
        abort(401, description="authentication required: a session or a bearer token")
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def select_locale() -> str | None:
    """The person's chosen language, else the best match for the browser's."""
    if not has_request_context():  # a command: the default language
        return None
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "language", None) in languages:
        return current_user.language
    return request.accept_languages.best_match(languages)

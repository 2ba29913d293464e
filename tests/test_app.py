from __future__ import annotations

import pytest

from awareness import create_app
from awareness.config import instance_secret_key


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("AWARENESS_CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("AWARENESS_RATELIMIT_STORAGE", "memory://")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.db"
    assert app.config["CONTENT_DIR"] == str(tmp_path / "content")
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = instance_secret_key(tmp_path)
    assert len(first) == 64
    assert instance_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/awareness.db"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/healthz")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_api_path_answers_json_and_pages_answer_html(client):
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404
    assert "error" in api.json
    page = client.get("/nothing-here")
    assert page.status_code == 404
    assert b"<html" in page.data


def test_behind_trusted_proxies_the_client_address_comes_from_them(monkeypatch, tmp_path):
    monkeypatch.setenv("AWARENESS_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("AWARENESS_SECURE_COOKIES", "1")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    seen = {}

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen["address"] = request.remote_addr
        return ""

    app.test_client().get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert seen["address"] == "203.0.113.7"


def test_a_bad_proxy_count_fails_loudly(monkeypatch):
    monkeypatch.setenv("AWARENESS_TRUSTED_PROXIES", "some")
    with pytest.raises(RuntimeError, match="AWARENESS_TRUSTED_PROXIES must be a whole number"):
        create_app({"SECRET_KEY": "x"})

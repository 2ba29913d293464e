"""Configuration from the environment (docs/configuration.md), beyond tests/test_app.py."""

from __future__ import annotations

import shutil

import pytest

from awareness import create_app
from awareness.config import engine_options, instance_secret_key
from tests.helpers import TEST_CONTENT


def test_the_rate_limit_storage_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWARENESS_RATELIMIT_STORAGE", "redis://127.0.0.1:6379/0")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_the_rate_limit_storage_defaults_to_memory(monkeypatch):
    monkeypatch.delenv("AWARENESS_RATELIMIT_STORAGE", raising=False)
    assert create_app({"SECRET_KEY": "x"}).config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_content_commands_read_the_folder_named_by_the_environment(monkeypatch, tmp_path):
    folder = tmp_path / "elsewhere"
    shutil.copytree(TEST_CONTENT, folder)
    (folder / "modules" / "welcome.md").unlink()
    monkeypatch.setenv("AWARENESS_CONTENT_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app({"SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert result.stdout.startswith("2 modules (2 with a quiz, 0 readings)")


def test_an_empty_secret_key_file_fails_loudly(tmp_path):
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(RuntimeError, match="is empty: delete it or set SECRET_KEY"):
        instance_secret_key(tmp_path)


def test_engine_options_suit_the_database():
    assert engine_options("sqlite:///x.db") == {"connect_args": {"timeout": 30}}
    assert engine_options("postgresql+psycopg://u@h/db") == {"pool_pre_ping": True}


def test_the_idle_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("AWARENESS_SESSION_IDLE_MINUTES", raising=False)
    assert create_app({"SECRET_KEY": "x"}).config["SESSION_IDLE_MINUTES"] == 120
    monkeypatch.setenv("AWARENESS_SESSION_IDLE_MINUTES", " 30 ")
    assert create_app({"SECRET_KEY": "x"}).config["SESSION_IDLE_MINUTES"] == 30


@pytest.mark.parametrize("value", ["0", "-5", "ten", "1.5", "²"])
def test_a_bad_idle_limit_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("AWARENESS_SESSION_IDLE_MINUTES", value)
    with pytest.raises(RuntimeError, match="AWARENESS_SESSION_IDLE_MINUTES must be a whole number"):
        create_app({"SECRET_KEY": "x"})

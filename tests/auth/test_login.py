from __future__ import annotations

import pytest

from awareness.extensions import db
from tests.helpers import PASSWORD, csrf_token


def sign_in(client, email, password, next_url=None):
    page = client.get("/login" + (f"?next={next_url}" if next_url else ""))
    return client.post(
        page.request.url,
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
    )


def test_signing_in_leads_to_my_training(client, content, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "Ada@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "My training" in client.get("/").text


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
)
def test_failed_sign_in_says_the_same_thing_whatever_was_wrong(
    client, make_person, email, password
):
    make_person("ada@example.org")
    response = sign_in(client, email, password)
    assert response.status_code == 200
    assert "That email and password do not match an active account." in response.text


def test_deactivated_people_cannot_sign_in(client, make_person):
    person = make_person("ada@example.org")
    person.active = False
    db.session.commit()
    response = sign_in(client, "ada@example.org", PASSWORD)
    assert "do not match an active account" in response.text


def test_sign_in_without_csrf_token_is_refused(client, make_person):
    make_person("ada@example.org")
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert "The form had expired." in response.text
    assert client.get("/").status_code == 302


def test_next_is_honoured_for_paths_on_this_site(client, content, make_person):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, next_url="/modules/phishing")
    assert response.headers["Location"] == "/modules/phishing"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "///evil.example/", "/\\evil.example"]
)
def test_next_pointing_elsewhere_is_ignored(client, make_person, target):
    make_person("ada@example.org")
    response = sign_in(client, "ada@example.org", PASSWORD, next_url=target)
    assert response.headers["Location"] == "/"


def test_pages_send_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_needs_post_and_ends_the_session(client, make_person, login):
    login(make_person("ada@example.org"))
    assert client.get("/logout").status_code == 405
    page = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_is_rate_limited(app_config, database_url):
    from awareness import create_app

    app = create_app({**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"})
    with app.app_context():
        db.create_all() if database_url.startswith("sqlite") else None
        client = app.test_client()
        codes = [
            client.post("/login", data={"email": "a@example.org", "password": "x"}).status_code
            for _ in range(4)
        ]
    assert codes[-1] == 429


def test_rate_limit_counters_live_in_redis_when_configured(app_config, database_url):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        connection = redis.Redis.from_url(url)
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    connection.flushdb()
    from awareness import create_app

    config = {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}
    servers = [create_app({**config, "RATELIMIT_STORAGE_URI": url}) for _ in range(2)]
    codes = []
    for server in [*servers, servers[0]]:  # three tries spread over two app instances
        with server.app_context():
            codes.append(
                server.test_client().post("/login", data={"email": "a@example.org"}).status_code
            )
    assert codes[-1] == 429
    assert connection.keys("LIMITS*")
    connection.flushdb()
    connection.close()

"""Sign-in rate limits: per account, per address, and the device-cookie exemption."""

from __future__ import annotations

import uuid

import pytest

from awareness import create_app
from awareness.auth import devices
from awareness.extensions import db, limiter
from tests.helpers import PASSWORD, csrf_token

NAT = "198.51.100.1"  # an office's one public address
ELSEWHERE = "203.0.113.9"


@pytest.fixture(params=["memory"])
def storage(request):
    """Where the counters live; a test asks for Redis too by parametrizing this."""
    if request.param == "memory":
        yield "memory://"
        return
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield url
    connection.close()


@pytest.fixture
def prefix() -> str:
    return f"awareness-test-{uuid.uuid4().hex}"


@pytest.fixture
def app_config(app_config, storage, prefix, monkeypatch) -> dict:
    # The limiter is one object for every app in the process, and it keeps the first key
    # prefix it was given: let it take this test's.
    monkeypatch.setattr(limiter, "_key_prefix", "")
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_FAILURE_LIMIT": "3 per 15 minutes",
    }


@pytest.fixture(autouse=True)
def _forget_redis_keys(storage, prefix):
    yield
    if storage.startswith("redis"):
        import redis

        with redis.Redis.from_url(storage) as connection:
            keys = list(connection.scan_iter(f"*{prefix}*"))
            if keys:
                connection.delete(*keys)


def attempt(client, email, password, address=NAT):
    """One sign-in through the form, from ``address``."""
    where = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=where)
    data = {"email": email, "password": password, "csrf_token": csrf_token(page.text)}
    return client.post("/login", data=data, environ_base=where)


def fail(client, email, times, address=NAT) -> list[int]:
    return [attempt(client, email, "not the password", address).status_code for _ in range(times)]


def browser_of(app, email, address=NAT):
    """A browser where ``email``'s owner has signed in before (so it holds a device cookie)."""
    browser = app.test_client()
    assert attempt(browser, email, PASSWORD, address).status_code == 302
    assert browser.get_cookie(devices.COOKIE, path="/login") is not None
    browser.post("/logout", data={"csrf_token": csrf_token(browser.get("/settings").text)})
    return browser


def test_the_eleventh_failure_in_fifteen_minutes_is_refused_with_the_form_kept(
    app, client, make_person
):
    app.config["LOGIN_FAILURE_LIMIT"] = create_app({"SECRET_KEY": "x"}).config[
        "LOGIN_FAILURE_LIMIT"
    ]
    assert app.config["LOGIN_FAILURE_LIMIT"] == "10 per 15 minutes"
    make_person("ada@example.org")
    assert fail(client, "ada@example.org", 10) == [200] * 10
    response = attempt(client, "Ada@example.org", PASSWORD)  # even the right password
    assert response.status_code == 429
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins. Please try again in 15 minutes." in response.text
    assert 'value="Ada@example.org"' in response.text  # the email is kept
    assert PASSWORD not in response.text
    assert '<form method="post"' in response.text
    assert client.get("/").status_code == 302


def test_successful_sign_ins_do_not_count(app, make_person):
    make_person("ada@example.org")
    for _ in range(5):
        assert attempt(app.test_client(), "ada@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("storage", ["memory", "redis"], indirect=True)
def test_failures_at_one_account_from_many_addresses_lock_it(app, make_person):
    make_person("ada@example.org")
    make_person("bob@example.org")
    client = app.test_client()
    for number in range(3):
        assert fail(client, "ada@example.org", 1, address=f"192.0.2.{number}") == [200]
    assert attempt(client, "ada@example.org", PASSWORD, address="192.0.2.99").status_code == 429
    assert attempt(client, "bob@example.org", PASSWORD, address="192.0.2.99").status_code == 302


@pytest.mark.parametrize("storage", ["memory", "redis"], indirect=True)
def test_failures_from_one_address_at_many_accounts_lock_the_address(app, make_person):
    make_person("ada@example.org")
    client = app.test_client()
    for name in ("x", "y", "z"):
        assert fail(client, f"{name}@example.org", 1) == [200]
    assert attempt(client, "ada@example.org", PASSWORD).status_code == 429
    assert attempt(client, "ada@example.org", PASSWORD, address=ELSEWHERE).status_code == 302


def test_colleagues_behind_a_locked_address_still_sign_in_on_their_own_browsers(app, make_person):
    make_person("ada@example.org")
    make_person("bob@example.org")
    ada, bob = browser_of(app, "ada@example.org"), browser_of(app, "bob@example.org")
    attacker = app.test_client()
    fail(attacker, "ada@example.org", 3)
    assert attempt(attacker, "ada@example.org", PASSWORD).status_code == 429  # both locked
    assert attempt(app.test_client(), "bob@example.org", PASSWORD).status_code == 429
    assert attempt(ada, "ada@example.org", PASSWORD).status_code == 302
    assert attempt(bob, "bob@example.org", PASSWORD).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_the_owner_out_of_their_account(app, make_person):
    make_person("ada@example.org")
    ada = browser_of(app, "ada@example.org")
    attacker = app.test_client()
    fail(attacker, "ada@example.org", 3, address=ELSEWHERE)
    assert attempt(attacker, "ada@example.org", PASSWORD, address=ELSEWHERE).status_code == 429
    assert attempt(ada, "ada@example.org", PASSWORD).status_code == 302


def test_failures_with_a_device_cookie_count_against_that_cookie_only(app, make_person):
    make_person("ada@example.org")
    ada = browser_of(app, "ada@example.org")
    assert fail(ada, "ada@example.org", 3) == [200] * 3
    assert attempt(ada, "ada@example.org", PASSWORD).status_code == 429  # this browser is locked
    # ...but neither the account nor the address is.
    assert attempt(app.test_client(), "ada@example.org", PASSWORD).status_code == 302


def test_a_device_cookie_only_vouches_for_its_own_account(app, make_person):
    make_person("ada@example.org")
    make_person("bob@example.org")
    ada = browser_of(app, "ada@example.org")
    fail(ada, "bob@example.org", 3)
    assert attempt(app.test_client(), "bob@example.org", PASSWORD, ELSEWHERE).status_code == 429


def test_a_tampered_device_cookie_vouches_for_nothing(app, make_person):
    make_person("ada@example.org")
    forger = app.test_client()
    forged = devices.issue("another secret", "ada@example.org")
    forger.set_cookie(devices.COOKIE, forged, path="/login")
    fail(forger, "ada@example.org", 3)
    assert attempt(forger, "ada@example.org", PASSWORD).status_code == 429


def test_device_cookies_name_the_account_and_expire():
    token = devices.issue("secret", "Ada@Example.org")
    assert "ada" not in token.lower()
    assert devices.nonce_for("secret", token, "ada@example.org ")
    assert devices.nonce_for("secret", token, "bob@example.org") is None
    assert devices.nonce_for("other", token, "ada@example.org") is None
    assert devices.nonce_for("secret", token + "x", "ada@example.org") is None
    assert devices.nonce_for("secret", None, "ada@example.org") is None
    assert devices.nonce_for("secret", "not.a.cookie", "ada@example.org") is None
    assert devices.issue("secret", "ada@example.org") != token  # a new nonce each time


@pytest.mark.parametrize("storage", ["redis"], indirect=True)
def test_counters_in_redis_are_shared_by_every_server(
    app, app_config, make_person, storage, prefix
):
    import redis

    make_person("ada@example.org")
    other_server = create_app(app_config)
    fail(app.test_client(), "ada@example.org", 2)
    db.session.commit()  # let go of this server's connection to the test database
    with other_server.app_context():
        assert fail(other_server.test_client(), "ada@example.org", 1) == [200]
        response = attempt(other_server.test_client(), "ada@example.org", PASSWORD, ELSEWHERE)
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429
    with redis.Redis.from_url(storage) as connection:
        assert list(connection.scan_iter(f"*{prefix}*"))

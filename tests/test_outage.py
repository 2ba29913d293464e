"""While the database is down: 503s that ask nothing of it; once it is back, recovery unaided."""

from __future__ import annotations

import socket
import threading
from contextlib import suppress

import pytest
from sqlalchemy.engine import make_url

from awareness import create_app
from tests.conftest import POSTGRES_URL


class Proxy:
    """A TCP proxy from 127.0.0.1:``port`` to the database server that can be stopped.

    Stopped, it refuses new connections and cuts the open ones, as a database
    server that went down would; started again, it listens on the same port.
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.start()

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()
        with self.lock:
            connections, self.connections = self.connections, set()
        for connection in connections:
            _cut(connection)

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _cut(client)
                continue
            with self.lock:
                self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        source.settimeout(None)
        while data := source.recv(65536):
            sink.sendall(data)
    _cut(source)
    _cut(sink)


def _cut(connection: socket.socket) -> None:
    with suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()


@pytest.fixture
def proxy():
    if not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: set AWARENESS_TEST_DATABASE_URL")
    url = make_url(POSTGRES_URL)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.stop()


@pytest.fixture
def database_url(proxy) -> str:
    """PostgreSQL, reached through the proxy (this module's tests only)."""
    url = make_url(POSTGRES_URL).set(host="127.0.0.1", port=proxy.port)
    return url.render_as_string(hide_password=False)


def test_while_the_database_is_down_everything_answers_503_and_recovers_after(
    app, client, make_person, login, proxy
):
    login(make_person("ada@example.org"))
    assert client.get("/").status_code == 200

    proxy.stop()
    health = client.get("/healthz")
    assert (health.status_code, health.json) == (503, {"status": "unavailable"})
    page = client.get("/")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Service unavailable" in html
    assert "Sign out" not in html  # the nav did not ask the database who is signed in
    assert page.headers["Retry-After"]
    api = client.get("/api/v1/me")
    assert api.status_code == 503
    assert "unavailable" in api.json["error"]

    proxy.start()
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").json["email"] == "ada@example.org"


def test_a_database_that_cannot_be_opened_gives_plain_503_pages_and_json(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/awareness.db",
        }
    )
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:stamp"  # a signed-in browser: the nav would load the person
    page = client.get("/modules/phishing")
    assert page.status_code == 503
    assert "Service unavailable" in page.get_data(as_text=True)
    api = client.get("/api/v1/me")
    assert (api.status_code, api.json["error"]) == (
        503,
        "the service is unavailable: please try again shortly",
    )

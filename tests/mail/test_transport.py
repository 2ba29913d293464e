"""Getting messages out: SMTP as configured (none, STARTTLS, implicit TLS), or the outbox."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import stat
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.smtp import AuthResult

from awareness.mail import transport
from awareness.mail.settings import MailSettings
from awareness.mail.transport import DeliveryError, FileTransport, SmtpTransport
from tests.conftest import SmtpServer, free_port

crypto = pytest.importorskip("cryptography")


def message(to: str = "ada@example.org", subject: str = "Hello") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "awareness@example.org"
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content("Hello Ada.")
    return mail


def settings(port: int, security: str = "none", **more) -> MailSettings:
    values = {
        "host": "127.0.0.1",
        "port": port,
        "security": security,
        "user": None,
        "password": None,
        "timeout": 5,
        "sender": "awareness@example.org",
    }
    return MailSettings(**(values | more))


# -- plain SMTP --------------------------------------------------------------


def test_a_batch_goes_over_one_connection(smtp):
    with SmtpTransport(settings(smtp.port)) as way_out:
        for number in range(3):
            way_out.send(message(subject=f"Message {number}"))
    assert [r.message["Subject"] for r in smtp.received] == ["Message 0", "Message 1", "Message 2"]
    assert smtp.received[0].recipients == ["ada@example.org"]
    assert smtp.inbox.connections == 1
    assert way_out.connections == 1


def test_a_connection_the_server_dropped_is_opened_again(smtp):
    with SmtpTransport(settings(smtp.port)) as way_out:
        way_out.send(message(subject="before"))
        smtp.stop()  # the server goes away, closing the idle connection, and comes back
        smtp.start()
        way_out.send(message(subject="after"))
    assert [r.message["Subject"] for r in smtp.received] == ["before", "after"]
    assert way_out.connections == 2


def test_a_connection_lost_during_delivery_is_not_retried_at_once(smtp):
    """It may have arrived: the caller records a failure (retried by the next run), not a
    second copy sent in the same breath."""
    calls = []

    async def hang_up(server, session, envelope):
        calls.append(1)
        server.transport.close()
        return "250 accepted, but nobody hears it"

    smtp.inbox.handle_DATA = hang_up
    with SmtpTransport(settings(smtp.port)) as way_out, pytest.raises(DeliveryError) as failure:
        way_out.send(message())
    assert "during delivery (it may have arrived)" in str(failure.value)
    assert not failure.value.unreachable
    assert calls == [1]


def test_no_server_is_an_unreachable_failure_naming_where():
    port = free_port()  # nothing listens there
    with SmtpTransport(settings(port)) as way_out, pytest.raises(DeliveryError) as failure:
        way_out.send(message())
    assert failure.value.unreachable
    assert f"could not connect to the SMTP server 127.0.0.1:{port} (none)" in str(failure.value)


def test_a_refused_recipient_fails_that_message_only(smtp):
    class Picky:
        async def handle_RCPT(self, server, session, envelope, address, options):
            if address.startswith("nobody@"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    smtp.stop()
    smtp.inbox.handle_RCPT = Picky().handle_RCPT
    smtp.start()
    with SmtpTransport(settings(smtp.port)) as way_out:
        with pytest.raises(DeliveryError) as failure:
            way_out.send(message(to="nobody@example.org"))
        assert not failure.value.unreachable
        assert "550 no such user" in str(failure.value)
        way_out.send(message(to="ada@example.org"))
    assert [r.recipients for r in smtp.received] == [["ada@example.org"]]


def test_starttls_is_required_when_configured_never_plain_text(smtp):
    """The default: a server that cannot do STARTTLS gets nothing, in clear or otherwise."""
    with (
        SmtpTransport(settings(smtp.port, "starttls")) as way_out,
        pytest.raises(DeliveryError) as failure,
    ):
        way_out.send(message())
    assert failure.value.unreachable
    assert "STARTTLS" in str(failure.value)
    assert smtp.received == []


# -- TLS ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate file, key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def trusting(certificate, monkeypatch):
    """The client trusts the test certificate (and only it), host names still checked."""
    monkeypatch.setattr(
        transport, "tls_context", lambda: ssl.create_default_context(cafile=str(certificate[0]))
    )


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def authenticator(server, session, envelope, mechanism, auth_data):
    if auth_data.login == b"mailer" and auth_data.password == b"s3cret-password":
        return AuthResult(success=True, auth_data="mailer")
    return AuthResult(success=False, handled=False)  # aiosmtpd answers 535


@pytest.fixture
def starttls_server(certificate):
    server = SmtpServer(
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ssl_server(certificate):
    server = SmtpServer(
        ssl_context=server_context(certificate),
        authenticator=authenticator,
        auth_require_tls=False,  # aiosmtpd cannot tell the socket is TLS already
    )
    server.start()
    yield server
    server.stop()


def test_starttls_with_a_user_name_and_password(starttls_server, trusting):
    configured = settings(
        starttls_server.port, "starttls", user="mailer", password="s3cret-password"
    )
    with SmtpTransport(configured) as way_out:
        way_out.send(message())
    [received] = starttls_server.received
    assert received.tls
    assert received.login == "mailer"


def test_implicit_tls(ssl_server, trusting):
    configured = settings(ssl_server.port, "ssl", user="mailer", password="s3cret-password")
    with SmtpTransport(configured) as way_out:
        way_out.send(message())
    [received] = ssl_server.received
    assert received.tls
    assert received.login == "mailer"


def test_a_wrong_password_is_an_unreachable_failure(starttls_server, trusting):
    configured = settings(starttls_server.port, "starttls", user="mailer", password="wrong")
    with SmtpTransport(configured) as way_out, pytest.raises(DeliveryError) as failure:
        way_out.send(message())
    assert failure.value.unreachable
    assert "refused the user name or password" in str(failure.value)
    assert starttls_server.received == []


def test_an_untrusted_certificate_is_refused(starttls_server):
    """Without the test authority trusted, the self-signed certificate fails the check."""
    configured = settings(starttls_server.port, "starttls", user="mailer", password="x")
    with SmtpTransport(configured) as way_out, pytest.raises(DeliveryError) as failure:
        way_out.send(message())
    assert "certificate" in str(failure.value).lower()
    assert starttls_server.received == []


# -- the outbox folder -------------------------------------------------------


def test_without_an_smtp_host_each_message_is_a_whole_eml_file(tmp_path):
    folder = tmp_path / "outbox"
    with FileTransport(folder) as way_out:
        way_out.send(message(subject="One"))
        way_out.send(message(subject="Two"))
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]  # no partial files left
    subjects = {message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files}
    assert subjects == {"One", "Two"}
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)  # links are secrets


def test_an_outbox_that_cannot_be_written_is_an_unreachable_failure(tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    with FileTransport(blocker) as way_out, pytest.raises(DeliveryError) as failure:
        way_out.send(message())
    assert failure.value.unreachable
    assert "could not write to the outbox" in str(failure.value)

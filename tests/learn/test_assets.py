"""``/assets/<path>``: what the last sync published, served so that it cannot run script."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from awareness.content.parser import load_content
from awareness.content.sync import sync
from awareness.extensions import db
from tests.helpers import TEST_CONTENT

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24
PDF = b"%PDF-1.7\n"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


@pytest.fixture
def folder(tmp_path):
    """A copy of the test content, with assets of every kind, synced."""
    directory = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, directory)
    for name, data in {"x.png": PNG, "docs/guide.pdf": PDF, "evil.svg": SVG_WITH_SCRIPT}.items():
        (directory / "assets" / name).parent.mkdir(exist_ok=True)
        (directory / "assets" / name).write_bytes(data)
    return directory


@pytest.fixture
def signed_in(app, folder, make_person, login):
    sync(db.session, load_content(folder))
    login(make_person("ada@example.org"))


def test_assets_need_a_signed_in_person(client, app, folder):
    sync(db.session, load_content(folder))
    response = client.get("/assets/x.png")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.usefixtures("signed_in")
@pytest.mark.parametrize(
    ("path", "media_type", "data"),
    [
        ("x.png", "image/png", PNG),
        ("evil.svg", "image/svg+xml", SVG_WITH_SCRIPT),
        ("docs/guide.pdf", "application/pdf", PDF),
    ],
)
def test_each_asset_has_its_type_and_headers_that_stop_script(client, path, media_type, data):
    response = client.get(f"/assets/{path}")
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"] == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "max-age=3600"}


@pytest.mark.usefixtures("signed_in")
def test_a_pdf_is_a_download_and_an_image_is_shown(client):
    assert client.get("/assets/docs/guide.pdf").headers["Content-Disposition"] == (
        "attachment; filename=guide.pdf"
    )
    assert "Content-Disposition" not in client.get("/assets/x.png").headers


@pytest.mark.usefixtures("signed_in")
def test_a_current_copy_gets_304_without_the_bytes(client):
    etag = client.get("/assets/x.png").headers["ETag"]
    response = client.get("/assets/x.png", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    stale = client.get("/assets/x.png", headers={"If-None-Match": '"0000"'})
    assert (stale.status_code, stale.data) == (200, PNG)


@pytest.mark.usefixtures("signed_in")
def test_learners_get_assets_as_published_not_as_they_are_in_the_folder(client, folder):
    (folder / "assets" / "x.png").write_bytes(PNG + b"edited")
    (folder / "assets" / "new.png").write_bytes(PNG)
    (folder / "assets" / "docs" / "guide.pdf").unlink()
    assert client.get("/assets/x.png").data == PNG
    assert client.get("/assets/new.png").status_code == 404
    assert client.get("/assets/docs/guide.pdf").data == PDF

    sync(db.session, load_content(folder))
    assert client.get("/assets/x.png").data == PNG + b"edited"
    assert client.get("/assets/new.png").status_code == 200
    assert client.get("/assets/docs/guide.pdf").status_code == 404


@pytest.mark.usefixtures("signed_in")
@pytest.mark.parametrize(
    "path",
    ["../org.yml", "..%2forg.yml", "../modules/phishing.md", "nothing.png", "docs", "X.PNG"],
)
def test_anything_not_published_is_404(client, path):
    assert client.get(f"/assets/{path}").status_code == 404


def test_a_link_to_instance_publishes_nothing_and_serves_nothing(
    client, app, folder, make_person, login, tmp_path
):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "awareness.db").write_bytes(b"SQLite format 3\0")
    (folder / "assets" / "db").symlink_to(instance)
    login(make_person("ada@example.org"))
    assert load_content(folder).problems
    assert client.get("/assets/db/awareness.db").status_code == 404

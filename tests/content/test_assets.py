"""Assets: which files ``content check`` accepts, and how ``content sync`` publishes them."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from awareness.content import assets as content_assets
from awareness.content.parser import load_content
from awareness.content.sync import SyncRefused, sync
from awareness.extensions import db
from awareness.models import ContentAsset, Module
from tests.content.test_cli import content
from tests.helpers import TEST_CONTENT

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 24
GIF = b"GIF89a" + b"\0" * 24
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 24
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
LESSON = "---\ntitle: T\naudience: all\n---\n\n# L\n\n{}\n"


def with_assets(make_content, files: dict[str, bytes], modules: dict[str, str] | None = None):
    directory = make_content(modules)
    for name, data in files.items():
        path = directory / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return directory


def problems(directory) -> list[str]:
    return [str(problem) for problem in load_content(directory).problems]


def published() -> dict[str, tuple[str, str, int, bytes]]:
    return {
        a.path: (a.media_type, a.sha256, a.size, a.data)
        for a in db.session.scalars(select(ContentAsset))
    }


# -- check -----------------------------------------------------------------


def test_every_allowed_kind_is_accepted_with_its_media_type(make_content):
    files = {
        "a.png": PNG,
        "b.jpg": JPEG,
        "c.jpeg": JPEG,
        "d.gif": GIF,
        "e.webp": WEBP,
        "f.svg": SVG,
        "g.pdf": PDF,
        "photos/H.PNG": PNG,
    }
    tree = load_content(with_assets(make_content, files))
    assert tree.problems == []
    assert {asset.path: asset.media_type for asset in tree.assets} == {
        "a.png": "image/png",
        "b.jpg": "image/jpeg",
        "c.jpeg": "image/jpeg",
        "d.gif": "image/gif",
        "e.webp": "image/webp",
        "f.svg": "image/svg+xml",
        "g.pdf": "application/pdf",
        "photos/H.PNG": "image/png",
        "diagram.svg": "image/svg+xml",
    }
    png = next(asset for asset in tree.assets if asset.path == "a.png")
    assert (png.size, png.sha256) == (len(PNG), hashlib.sha256(PNG).hexdigest())


@pytest.mark.parametrize(
    "name", ["page.html", "app.js", "style.css", "notes.txt", "image.svgz", "README", ".DS_Store"]
)
def test_any_other_kind_of_file_in_assets_is_a_problem_naming_it(make_content, name):
    directory = with_assets(make_content, {name: b"<script>alert(1)</script>"})
    assert problems(directory) == [
        f"assets/{name}:1: not an allowed kind of asset "
        "(allowed: png, jpg, jpeg, gif, webp, svg, pdf)"
    ]


def test_an_asset_of_over_5_mb_is_a_problem(make_content):
    directory = with_assets(make_content, {"big.png": PNG})
    with open(directory / "assets" / "big.png", "r+b") as file:
        file.truncate(5 * 1024 * 1024 + 1)
    assert problems(directory) == [
        "assets/big.png:1: the file is larger than 5 MB, the most a file here may be"
    ]


def test_an_asset_of_exactly_5_mb_is_accepted(make_content):
    directory = with_assets(make_content, {"big.png": PNG})
    with open(directory / "assets" / "big.png", "r+b") as file:
        file.truncate(5 * 1024 * 1024)
    assert problems(directory) == []


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("page.png", b"<html><script>alert(1)</script>", "a PNG image"),
        ("photo.jpg", PNG, "a JPEG image"),
        ("anim.gif", b"", "a GIF image"),
        ("pic.webp", b"RIFF\0\0\0\0AVI ", "a WebP image"),
        ("drawing.svg", b"<html><body>not svg</body></html>", "an SVG image"),
        ("drawing2.svg", b"\xff\xfe<\0s\0v\0g\0", "an SVG image"),
        ("doc.pdf", b"<script>alert(1)</script>", "a PDF document"),
    ],
)
def test_bytes_that_do_not_match_the_extension_are_a_problem(make_content, name, data, kind):
    directory = with_assets(make_content, {name: data})
    (problem,) = problems(directory)
    assert problem.startswith(f"assets/{name}:1: does not look like {kind}")


def test_a_path_too_long_for_the_database_is_a_problem(make_content):
    name = "/".join(["d" * 100] * 3) + ".png"  # 304 characters below assets/
    directory = with_assets(make_content, {name: PNG})
    assert problems(directory) == [
        f"assets/{name}:1: the path is longer than 300 characters",
    ]


def test_a_link_to_a_kind_of_file_that_is_not_allowed_is_a_problem(make_content):
    lesson = LESSON.format("[page](../assets/page.html) and ![x](../assets/x.js)")
    directory = with_assets(make_content, {"page.html": b"<p>"}, {"modules/x.md": lesson})
    allowed = "(allowed: png, jpg, jpeg, gif, webp, svg, pdf)"
    assert problems(directory) == [
        f"assets/page.html:1: not an allowed kind of asset {allowed}",
        f"modules/x.md:8: link to ../assets/page.html, which is not an allowed kind of asset "
        f"{allowed}",
        f"modules/x.md:8: link to ../assets/x.js, which is not an allowed kind of asset {allowed}",
    ]


def test_a_link_that_leaves_assets_is_a_missing_asset(make_content):
    lesson = LESSON.format("![x](../assets/../org.yml) ![y](../assets/sub/../../org.yml)")
    assert problems(make_content({"modules/x.md": lesson})) == [
        "modules/x.md:8: link to a missing asset: ../assets/../org.yml",
        "modules/x.md:8: link to a missing asset: ../assets/sub/../../org.yml",
    ]


def test_a_link_into_a_subfolder_of_assets(make_content):
    lesson = LESSON.format("![x](../assets/photos/x.png) ![y](../assets/photos/y.png)")
    directory = with_assets(make_content, {"photos/x.png": PNG}, {"modules/x.md": lesson})
    assert problems(directory) == [
        "modules/x.md:8: link to a missing asset: ../assets/photos/y.png"
    ]


# -- sync ------------------------------------------------------------------


def test_sync_publishes_the_assets_with_their_bytes(app):
    result = sync(db.session, load_content(TEST_CONTENT))
    data = (TEST_CONTENT / "assets" / "diagram.svg").read_bytes()
    assert published() == {
        "diagram.svg": ("image/svg+xml", hashlib.sha256(data).hexdigest(), len(data), data)
    }
    assert result.assets.added == ["diagram.svg"]


def test_sync_adds_updates_keeps_and_removes_assets(app, make_content):
    sync(db.session, load_content(with_assets(make_content, {"a.png": PNG, "b.gif": GIF})))
    kept_at = db.session.get(ContentAsset, "b.gif").updated_at
    db.session.expire_all()

    directory = with_assets(make_content, {"a.png": PNG + b"v2", "b.gif": GIF, "c.pdf": PDF})
    (directory / "assets" / "diagram.svg").unlink()
    (directory / "modules" / "phishing.md").write_text(
        (directory / "modules" / "phishing.md")
        .read_text()
        .replace("![An annotated phishing email](../assets/diagram.svg)", "")
    )
    result = sync(db.session, load_content(directory))
    assert (result.assets.added, result.assets.updated) == (["c.pdf"], ["a.png"])
    assert (result.assets.unchanged, result.assets.removed) == (["b.gif"], ["diagram.svg"])
    assert result.summary() == "added 0, updated 1, unchanged 2, retired 0"
    db.session.expire_all()
    assert sorted(published()) == ["a.png", "b.gif", "c.pdf"]
    assert published()["a.png"][3] == PNG + b"v2"
    assert db.session.get(ContentAsset, "b.gif").updated_at == kept_at


def test_a_second_sync_leaves_the_assets_unchanged(app):
    sync(db.session, load_content(TEST_CONTENT))
    result = sync(db.session, load_content(TEST_CONTENT))
    assert result.assets.unchanged == ["diagram.svg"]
    assert result.assets.added == result.assets.updated == result.assets.removed == []


def test_a_refused_sync_publishes_no_asset(app, make_content):
    broken = LESSON.format("text").replace("audience: all", "audience: [nobody]")
    directory = with_assets(make_content, {"new.png": PNG}, {"modules/x.md": broken})
    with pytest.raises(SyncRefused):
        sync(db.session, load_content(directory))
    assert published() == {}


def test_assets_are_written_in_the_modules_transaction(app, make_content):
    """A major that goes down refuses the sync after the assets were looked at: none stays."""
    sync(db.session, load_content(TEST_CONTENT))
    phishing = (TEST_CONTENT / "modules" / "phishing.md").read_text()
    directory = with_assets(
        make_content,
        {"new.png": PNG},
        {"modules/phishing.md": phishing.replace("order: 10\n", "order: 10\nmajor: 3\n")},
    )
    sync(db.session, load_content(directory))
    lower = with_assets(
        make_content,
        {"newer.png": PNG},
        {"modules/phishing.md": phishing.replace("order: 10\n", "order: 10\nmajor: 2\n")},
    )
    with pytest.raises(SyncRefused):
        sync(db.session, load_content(lower))
    assert sorted(published()) == ["diagram.svg", "new.png"]


def test_dry_run_publishes_nothing(app):
    result = sync(db.session, load_content(TEST_CONTENT), dry_run=True)
    assert result.assets.added == ["diagram.svg"]
    assert published() == {}


def test_an_asset_changed_between_check_and_sync_refuses_the_sync(app, make_content):
    directory = with_assets(make_content, {"a.png": PNG})
    tree = load_content(directory)
    (directory / "assets" / "a.png").write_bytes(PNG + b"changed")
    with pytest.raises(SyncRefused) as refused:
        sync(db.session, tree)
    assert [str(p) for p in refused.value.problems] == [
        "assets/a.png:1: changed during the sync: run it again"
    ]
    assert published() == {}
    assert db.session.scalar(select(Module).limit(1)) is None


def test_sync_cli_keeps_the_contract_summary_line(runner, make_content):
    result = content(runner, "sync", with_assets(make_content, {"a.png": PNG}))
    assert result.exit_code == 0
    assert result.stdout == "added 3, updated 0, unchanged 0, retired 0\n"
    assert sorted(published()) == ["a.png", "diagram.svg"]


def test_media_type_is_decided_by_the_extension_only():
    assert content_assets.media_type("x.PNG") == "image/png"
    assert content_assets.media_type("x.svg") == "image/svg+xml"
    assert content_assets.media_type("x.png.html") is None
    assert content_assets.media_type("png") is None

"""Take the README's screenshots: the learner's page and the dashboard, in English and Urdu.

``make screenshots`` runs this. It serves the real content and the demo
organisation from a temporary SQLite file, signs in through the form in
Debian's Chromium (``AWARENESS_CHROMIUM`` names another) and writes
``learner-en.png``, ``learner-ur.png`` (a phone, 390 px wide) and
``dashboard-en.png``, ``dashboard-ur.png`` (a laptop, 1280 px) next to this file.
The language is the browser's, as a new visitor's would be.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from awareness import create_app  # noqa: E402
from awareness.config import PROJECT_ROOT  # noqa: E402
from awareness.content.parser import load_content  # noqa: E402
from awareness.content.sync import sync  # noqa: E402
from awareness.demo import organisation  # noqa: E402
from awareness.extensions import db  # noqa: E402
from awareness.reporting import trend  # noqa: E402

CHROMIUM = os.environ.get("AWARENESS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
#: (file name, who signs in, page, window)
SHOTS = [
    ("learner", "learner@example.org", "/", PHONE),
    ("dashboard", "hr@example.org", "/dashboard/", LAPTOP),
]


def serve(folder: Path):
    """The demo organisation on a free port; returns the server and its URL."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'screenshots.db'}",
            "SECRET_KEY": "screenshots",
            "CONTENT_DIR": str(PROJECT_ROOT / "content"),
            "LANGUAGES": ["en", "ur"],
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        sync(db.session, load_content(PROJECT_ROOT / "content"))
        organisation.load(db.session)
        db.session.commit()
        trend.warm(db.session)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server, url = serve(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for language in ("en", "ur"):
            for name, email, path, window in SHOTS:
                context = browser.new_context(base_url=url, viewport=window, locale=language)
                page = context.new_page()
                page.goto("/login")
                page.fill("#email", email)
                page.fill("#password", organisation.DEMO_PASSWORD)
                page.press("#password", "Enter")
                page.wait_for_url(lambda address: "/login" not in address)
                page.goto(path)
                target = HERE / f"{name}-{language}.png"
                page.screenshot(path=str(target))
                print(f"wrote {target.relative_to(PROJECT_ROOT)}")
                context.close()
        browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()

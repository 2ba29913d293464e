"""Benchmark ``reminders send`` on a large organisation, to a local SMTP sink.

    .venv/bin/python bench/reminders.py [--people 50000] [--seed 1] [--database-url URL]

The database is the dashboard benchmark's (bench/run.py builds it once with
``demo generate``). Its record of sent email is emptied, then ``reminders
send`` runs in a fresh process against an aiosmtpd server in another process
that counts what it receives and keeps nothing. Prints the time, messages per
second and the peak RSS of the sending process; then runs again to show that
a second run sends nothing. Goal: under 5 minutes and 300 MB at 50,000 people.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run import DEFAULT_URL, ROOT, prepare  # bench/run.py: builds and caches the organisation

BASE_URL = "https://awareness.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)  # run the SMTP sink
    parser.add_argument("--send-to", type=int, help=argparse.SUPPRESS)  # run one send
    args, _ = parser.parse_known_args()  # make bench passes the dashboard benchmark's too
    if args.sink:
        return sink(args.sink)
    app = make_app(args.database_url, args.send_to)
    with app.app_context():
        if args.send_to:
            return send_once()
        from awareness.extensions import db

        print(f"\nreminders send, database: {db.engine.dialect.name} ({args.database_url})")
        prepare(args)
        measure(args)


def make_app(url: str, port: int | None):
    from awareness import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "CONTENT_DIR": str(ROOT / "content"),
            "BASE_URL": BASE_URL,
            "SMTP_HOST": "127.0.0.1" if port else None,
            "SMTP_PORT": port or 587,
            "SMTP_SECURITY": "none",
        }
    )


def measure(args) -> None:
    from sqlalchemy import delete

    from awareness.extensions import db
    from awareness.models import EmailMessage

    db.session.execute(delete(EmailMessage))
    db.session.commit()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        command = [sys.executable, __file__, "--database-url", args.database_url]
        print(f"{'run':<8} {'seconds':>8} {'messages/s':>11} {'peak RSS MB':>12}  summary")
        for label in ("first", "second"):
            line = subprocess.run(
                [*command, "--send-to", str(port)], check=True, capture_output=True, text=True
            ).stdout.split("\t")
            seconds, peak, summary = float(line[0]), float(line[1]), line[2].strip()
            sent = sum(int(part.split()[1]) for part in summary.split(", ")[:2])
            rate = sent / seconds if seconds else 0
            print(f"{label:<8} {seconds:>8.1f} {rate:>11.0f} {peak:>12.0f}  {summary}")
    finally:
        server.stdin.close()
        received = server.stdout.read().strip()
        server.wait(timeout=30)
    print(f"the SMTP sink received {received} messages")


def send_once() -> None:
    """One ``reminders send`` in this fresh process: seconds, peak RSS (MB), the summary."""
    from awareness.extensions import db
    from awareness.reminders import run

    started = time.perf_counter()
    result = run.send_all(db.session)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.3f}\t{peak:.1f}\t{result.summary()}")
    if result.failed:
        print(result.errors, file=sys.stderr)
        sys.exit(1)


def sink(port: int) -> None:
    """An SMTP server that counts messages and keeps nothing, until standard input closes."""
    from aiosmtpd.controller import Controller

    class Counter:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Counter.received += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
    print(Counter.received, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()

"""``flask audit export``: the CSV's header, rows, filters and spreadsheet safety."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import Result

from awareness import audit
from awareness.audit.export import AuditFilters, rows
from awareness.extensions import db
from tests.helpers import at, cli_actor

HEADER = "at,actor,action,target,details,ip\r\n"


def export(runner, *args) -> tuple[Result, str]:
    """The result and the bytes written to standard output, as text."""
    result = runner.invoke(args=["audit", "export", *map(str, args)])
    return result, result.stdout_bytes.decode()


def add(action: str, target: str = "ann@example.org", when: str = "2026-03-01 09:30", **details):
    event = audit.record(db.session, action, target, **details)
    event.at = at(when)
    return event


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def log(app):
    """Four entries over three days."""
    add("people.import", "people.csv", "2026-02-28 23:59:59", created=2, updated=0)
    add("token.issue", when="2026-03-01 00:00", token_id=1, label="nightly")
    add("token.revoke", when="2026-03-01 23:59:59", token_ids=[1])
    add("password.set", when="2026-03-02 00:00")
    db.session.commit()


def test_an_empty_log_is_just_the_header(runner, app):
    result, written = export(runner)
    assert result.exit_code == 0
    assert written == HEADER


def test_every_entry_oldest_first_with_compact_json_details(runner, log):
    result, written = export(runner)
    assert result.exit_code == 0
    assert written.startswith(HEADER)
    lines = written.split("\r\n")
    assert lines[1] == (
        f"2026-02-28T23:59:59Z,{cli_actor()},people.import,people.csv,"
        '"{""created"":2,""updated"":0}",'
    )
    exported = parsed(written)
    assert [row["action"] for row in exported] == [
        "people.import",
        "token.issue",
        "token.revoke",
        "password.set",
    ]
    assert exported[1]["at"] == "2026-03-01T00:00:00Z"
    assert json.loads(exported[1]["details"]) == {"token_id": 1, "label": "nightly"}
    assert exported[2]["details"] == '{"token_ids":[1]}'
    assert exported[3]["details"] == "{}"
    assert {row["ip"] for row in exported} == {""}


@pytest.mark.parametrize(
    ("options", "actions"),
    [
        (["--since", "2026-03-01"], ["token.issue", "token.revoke", "password.set"]),
        (["--until", "2026-03-01"], ["people.import", "token.issue", "token.revoke"]),
        (["--since", "2026-03-01", "--until", "2026-03-01"], ["token.issue", "token.revoke"]),
        (["--action", "token.revoke"], ["token.revoke"]),
        (["--action", "token.issue", "--action", "password.set"], ["token.issue", "password.set"]),
        (["--action", "token.issue", "--since", "2026-03-02"], []),
        (["--action", "nothing.ever"], []),
    ],
)
def test_filters(runner, log, options, actions):
    result, written = export(runner, *options)
    assert result.exit_code == 0
    assert [row["action"] for row in parsed(written)] == actions


def test_bad_dates_are_refused_naming_the_option(runner, app):
    bad, _ = export(runner, "--since", "2026-13-01")
    assert bad.exit_code == 2
    assert "Invalid value for '--since': '2026-13-01' does not match the format" in bad.stderr
    backwards, _ = export(runner, "--since", "2026-03-02", "--until", "2026-03-01")
    assert backwards.exit_code == 2
    assert "Invalid value for '--since': is after --until" in backwards.stderr


def test_cells_a_spreadsheet_would_run_are_made_inert(runner, app):
    add("people.import", '=HYPERLINK("http://evil.example","x")')
    add("people.import", "+1-1")
    add("people.import", "-2")
    add("people.import", "@SUM(A1)")
    add("people.import", "plain.csv")
    db.session.commit()
    targets = [row["target"] for row in parsed(export(runner)[1])]
    assert targets == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'+1-1",
        "'-2",
        "'@SUM(A1)",
        "plain.csv",
    ]


def test_output_writes_a_file_and_nothing_to_standard_output(runner, log, tmp_path):
    path = tmp_path / "audit.csv"
    result, printed = export(runner, "--output", path, "--action", "password.set")
    assert result.exit_code == 0
    assert printed == ""
    written = path.read_bytes().decode()
    assert written.startswith(HEADER)
    assert [row["action"] for row in parsed(written)] == ["password.set"]


def test_output_into_a_missing_folder_is_a_clear_error(runner, log, tmp_path):
    path = tmp_path / "nowhere" / "audit.csv"
    result, _ = export(runner, "--output", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: cannot write")


def test_rows_are_read_in_batches_and_none_is_lost_or_repeated(app):
    for number in range(7):
        add("token.issue", f"person{number}@example.org", token_id=number)
    add("password.set", "other@example.org")
    db.session.commit()
    every = list(rows(db.session, AuditFilters(), batch=3))
    assert [row[3] for row in every] == [f"person{n}@example.org" for n in range(7)] + [
        "other@example.org"
    ]
    issued = list(rows(db.session, AuditFilters(actions=("token.issue",)), batch=7))
    assert len(issued) == 7

"""``flask people import|set-password|token|revoke-tokens``: exact output lines, exit codes
and the audit entries each leaves."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awareness.auth import sessions
from awareness.extensions import db
from awareness.models import ApiToken, Department, LoginSession, Person, utcnow
from tests.helpers import audit_log, cli_actor, token_owner

HEADER = "email,name,department,layer,roles\n"
PEOPLE = (
    HEADER
    + "ann@example.org,Ann Lee,Finance/Payroll,staff,\n"
    + "bob@example.org,Bob Roy,Finance,management,manager;HR\n"
)


def people(runner, *args, input=None):
    return runner.invoke(args=["people", *map(str, args)], input=input)


def write(tmp_path, text: str, name: str = "people.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def person(email: str) -> Person | None:
    db.session.expire_all()
    return db.session.scalar(select(Person).where(Person.email == email))


# -- import ----------------------------------------------------------------


def test_import_prints_a_summary(runner, content, tmp_path):
    result = people(runner, "import", write(tmp_path, PEOPLE))
    assert result.exit_code == 0
    assert result.stdout == "created 2, updated 0, deactivated 0, unchanged 0\n"
    assert person("bob@example.org").roles == "hr;manager"
    again = people(runner, "import", write(tmp_path, PEOPLE))
    assert again.stdout == "created 0, updated 0, deactivated 0, unchanged 2\n"


def test_import_with_bad_rows_changes_nothing_and_prints_each(runner, content, tmp_path):
    text = (
        HEADER
        + "ann@example.org,Ann,Ops,staff,\n"
        + "not-an-email,Bob,Ops,staff,\n"
        + "cat@example.org,Cat,Ops,interns,\n"
        + "dan@example.org,Dan,Ops,staff,wizard\n"
    )
    path = write(tmp_path, text)
    result = people(runner, "import", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:3: 'not-an-email' is not an email address",
        f"{path}:4: unknown layer 'interns' (known: leadership, management, staff, technical)",
        f"{path}:5: unknown role(s) wizard (known: learner, manager, hr, author, admin)",
    ]
    assert result.stderr == "3 bad row(s): nothing was changed.\n"
    assert count(Person) == 0
    assert count(Department) == 0


def test_import_before_content_sync_names_the_fix(runner, tmp_path):
    path = write(tmp_path, HEADER + "ann@example.org,Ann,Ops,staff,\n")
    result = people(runner, "import", path)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:2: unknown layer 'staff' (known: none: run 'content sync' first)\n"
    )


def test_import_dry_run_changes_nothing(runner, content, tmp_path):
    result = people(runner, "import", "--dry-run", write(tmp_path, PEOPLE))
    assert result.exit_code == 0
    assert result.stdout == "created 2, updated 0, deactivated 0, unchanged 0\n"
    assert "Dry run: nothing was changed." in result.stderr
    assert count(Person) == 0
    assert count(Department) == 0


def test_import_deactivate_missing(runner, content, tmp_path):
    people(runner, "import", write(tmp_path, PEOPLE))
    only_ann = write(tmp_path, HEADER + "ann@example.org,Ann Lee,Finance/Payroll,staff,\n")

    dry = people(runner, "import", "--deactivate-missing", "--dry-run", only_ann)
    assert dry.stdout.startswith("created 0, updated 0, deactivated 1, unchanged 1")
    assert person("bob@example.org").active

    result = people(runner, "import", "--deactivate-missing", only_ann)
    assert result.stdout == "created 0, updated 0, deactivated 1, unchanged 1\n"
    assert not person("bob@example.org").active
    assert count(Person) == 2


def test_import_reads_a_file_with_a_byte_order_mark(runner, content, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + PEOPLE.encode())
    result = people(runner, "import", path)
    assert result.exit_code == 0
    assert result.stdout == "created 2, updated 0, deactivated 0, unchanged 0\n"


def test_import_of_a_file_that_is_not_utf8(runner, content, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "ines@example.org,Inês,Ops,staff,\n").encode("latin-1"))
    result = people(runner, "import", path)
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.stderr
    assert count(Person) == 0


# -- set-password ----------------------------------------------------------


def test_set_password_reads_standard_input(runner, make_person):
    make_person("ann@example.org", password=None)
    result = people(runner, "set-password", "ANN@example.org", input="a long new password\n")
    assert result.exit_code == 0
    assert result.stdout == "Password set for ann@example.org.\n"
    ann = person("ann@example.org")
    assert ann.password_hash.startswith("scrypt:")
    assert ann.check_password("a long new password")
    assert not ann.check_password("a long new password\n")


def test_set_password_refuses_a_short_password(runner, make_person):
    make_person("ann@example.org", password=None)
    result = people(runner, "set-password", "ann@example.org", input="short\n")
    assert result.exit_code == 1
    assert result.stderr == "Error: the password must be at least 12 characters long\n"
    assert person("ann@example.org").password_hash is None


@pytest.mark.parametrize("password", ["qwertyuiop[]", "Password1234", "INTERNATIONAL "])
def test_set_password_refuses_a_common_password(runner, make_person, password):
    make_person("ann@example.org", password=None)
    result = people(runner, "set-password", "ann@example.org", input=password + "\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the password is too common: it is in a list of commonly used passwords\n"
    )
    assert person("ann@example.org").password_hash is None


def test_set_password_signs_the_person_out_everywhere(runner, make_person):
    ann = make_person("ann@example.org")
    sessions.start(db.session, ann, remember=True, now=utcnow(), idle=timedelta(hours=2))
    db.session.commit()
    result = people(runner, "set-password", "ann@example.org", input="a long new password\n")
    assert result.exit_code == 0
    assert count(LoginSession) == 0


def test_set_password_for_an_unknown_email(runner, app):
    result = people(runner, "set-password", "nobody@example.org", input="a long new password\n")
    assert result.exit_code == 1
    assert result.stderr == "Error: no person with the email nobody@example.org\n"


# -- token -----------------------------------------------------------------


def test_token_is_printed_once_and_only_its_hash_is_stored(runner, make_person):
    make_person("ann@example.org", password=None)
    result = people(runner, "token", "ann@example.org")
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert len(token) >= 32
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token_owner(token).email == "ann@example.org"


def test_each_token_works_until_revoked(runner, make_person):
    make_person("ann@example.org", password=None)
    first = people(runner, "token", "ann@example.org").stdout.strip()
    second = people(runner, "token", "ann@example.org").stdout.strip()
    assert first != second
    assert token_owner(first).email == "ann@example.org"
    assert token_owner(second).email == "ann@example.org"


def test_token_for_a_deactivated_person_is_refused(runner, make_person):
    ann = make_person("ann@example.org", password=None)
    ann.active = False
    db.session.commit()
    result = people(runner, "token", "ann@example.org")
    assert result.exit_code == 1
    assert result.stderr == "Error: ann@example.org is deactivated\n"


def test_token_takes_an_optional_label_and_still_prints_only_the_token(runner, make_person):
    make_person("ann@example.org", password=None)
    result = people(runner, "token", "ann@example.org", "--label", "  HR reporting ")
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert db.session.scalar(select(ApiToken.label)) == "HR reporting"
    assert token_owner(token).email == "ann@example.org"


def test_token_refuses_a_label_that_is_too_long_or_not_one_line(runner, make_person):
    make_person("ann@example.org", password=None)
    long = people(runner, "token", "ann@example.org", "--label", "x" * 101)
    assert long.exit_code == 2
    assert "Invalid value for '--label': the label must be at most 100 characters" in long.stderr
    two_lines = people(runner, "token", "ann@example.org", "--label", "a\nb")
    assert two_lines.exit_code == 2
    assert "the label must be one line of printable text" in two_lines.stderr
    assert count(ApiToken) == 0


# -- revoke-tokens ---------------------------------------------------------


def test_revoke_tokens_revokes_every_live_token_and_says_how_many(runner, make_person):
    make_person("ann@example.org", password=None)
    make_person("bob@example.org", password=None)
    anns = [people(runner, "token", "ann@example.org").stdout.strip() for _ in range(2)]
    bobs = people(runner, "token", "bob@example.org").stdout.strip()

    result = people(runner, "revoke-tokens", "ANN@example.org")
    assert result.exit_code == 0
    assert result.stdout == "revoked 2\n"
    assert [token_owner(token) for token in anns] == [None, None]
    assert token_owner(bobs).email == "bob@example.org"

    again = people(runner, "revoke-tokens", "ann@example.org")
    assert again.stdout == "revoked 0\n"
    fresh = people(runner, "token", "ann@example.org").stdout.strip()
    assert token_owner(fresh).email == "ann@example.org"


def test_revoke_tokens_of_a_deactivated_person(runner, make_person):
    ann = make_person("ann@example.org", password=None)
    people(runner, "token", "ann@example.org")
    ann.active = False
    db.session.commit()
    result = people(runner, "revoke-tokens", "ann@example.org")
    assert result.stdout == "revoked 1\n"


def test_revoke_tokens_for_an_unknown_email(runner, app):
    result = people(runner, "revoke-tokens", "nobody@example.org")
    assert result.exit_code == 1
    assert result.stderr == "Error: no person with the email nobody@example.org\n"


# -- the audit log ---------------------------------------------------------


def test_token_issue_and_revocation_are_audited_without_the_token(runner, make_person):
    make_person("ann@example.org", password=None)
    token = people(runner, "token", "ann@example.org", "--label", "nightly").stdout.strip()
    people(runner, "token", "ann@example.org")
    people(runner, "revoke-tokens", "ann@example.org")
    people(runner, "revoke-tokens", "ann@example.org")  # nothing left: nothing recorded

    ids = db.session.scalars(select(ApiToken.id).order_by(ApiToken.id)).all()
    entries = audit_log("token.issue", "token.revoke")
    assert [(e.actor, e.action, e.target, e.details) for e in entries] == [
        (cli_actor(), "token.issue", "ann@example.org", {"token_id": ids[0], "label": "nightly"}),
        (cli_actor(), "token.issue", "ann@example.org", {"token_id": ids[1], "label": ""}),
        (cli_actor(), "token.revoke", "ann@example.org", {"token_ids": ids}),
    ]
    assert {e.actor_id for e in entries} == {None}
    assert {e.ip for e in entries} == {None}
    assert token not in str([(e.target, e.details) for e in audit_log()])


def test_set_password_is_audited_without_the_password(runner, make_person):
    make_person("ann@example.org", password=None)
    people(runner, "set-password", "ann@example.org", input="a long new password\n")
    people(runner, "set-password", "ann@example.org", input="short\n")  # refused: not recorded
    entries = audit_log("password.set")
    assert [(e.actor, e.target, e.details) for e in entries] == [
        (cli_actor(), "ann@example.org", {})
    ]


def test_import_records_the_run_and_each_change_of_roles(runner, content, tmp_path):
    path = write(tmp_path, PEOPLE)
    people(runner, "import", path)
    entries = audit_log("people.import", "roles.change")
    assert [(e.actor, e.action, e.target, e.details) for e in entries] == [
        (
            cli_actor(),
            "people.import",
            str(path),
            {
                "created": 2,
                "updated": 0,
                "deactivated": 0,
                "unchanged": 0,
                "deactivate_missing": False,
            },
        ),
        (
            cli_actor(),
            "roles.change",
            "bob@example.org",
            {"old": None, "new": ["learner", "manager", "hr"]},
        ),
    ]

    promoted = PEOPLE.replace("Finance/Payroll,staff,", "Finance/Payroll,staff,admin")
    people(runner, "import", write(tmp_path, promoted.replace("manager;HR", "HR")))
    changes = [(e.target, e.details) for e in audit_log("roles.change")][1:]
    assert changes == [
        ("ann@example.org", {"old": ["learner"], "new": ["learner", "admin"]}),
        ("bob@example.org", {"old": ["learner", "manager", "hr"], "new": ["learner", "hr"]}),
    ]


def test_import_records_each_deactivation_and_reactivation(runner, content, tmp_path):
    people(runner, "import", write(tmp_path, PEOPLE))
    only_ann = write(tmp_path, HEADER + "ann@example.org,Ann Lee,Finance/Payroll,staff,\n")
    people(runner, "import", "--deactivate-missing", only_ann)
    people(runner, "import", write(tmp_path, PEOPLE))

    entries = audit_log("person.activate", "person.deactivate")
    assert [(e.action, e.target, e.details) for e in entries] == [
        ("person.deactivate", "bob@example.org", {"old": True, "new": False}),
        ("person.activate", "bob@example.org", {"old": False, "new": True}),
    ]
    runs = [e.details for e in audit_log("people.import")]
    assert [(run["deactivated"], run["deactivate_missing"]) for run in runs] == [
        (0, False),
        (1, True),
        (0, False),
    ]
    assert runs[2]["updated"] == 1


def test_a_dry_run_or_a_refused_import_records_nothing(runner, content, tmp_path):
    people(runner, "import", "--dry-run", write(tmp_path, PEOPLE))
    people(runner, "import", write(tmp_path, HEADER + "not-an-email,Bob,Ops,staff,admin\n"))
    assert [e.action for e in audit_log()] == ["content.sync"]  # the content fixture's

"""The password rule shared by the settings page and ``people set-password``."""

from __future__ import annotations

import pytest

from awareness.people.accounts import common_passwords, password_problem


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "the password must be at least 12 characters long"),
        ("x" * 257, "the password must be at most 256 characters long"),
        (" " * 12, "the password must not be only spaces"),
        ("q1w2e3r4t5y6", "the password is too common: it is in a list of commonly used passwords"),
        ("QWERTY123456", "the password is too common: it is in a list of commonly used passwords"),
        ("correct horse battery", None),
    ],
)
def test_password_problem(app, password, problem):
    assert password_problem(password) == problem


def test_the_common_password_list_is_loaded_once_in_lower_case():
    passwords = common_passwords()
    assert common_passwords() is passwords
    assert len(passwords) > 19_000
    assert "password" in passwords
    assert all(p == p.lower() for p in passwords)

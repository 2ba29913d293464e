"""What an installed package carries: every file beside the modules is package data.

Every folder under ``awareness/`` is a package (``find_namespace:`` in setup.cfg), and
``[options.package_data]`` names the kinds of file the wheel takes from each. A file of
another kind (a new template language, an image format...) would be missing from a
wheel-installed server while every test run from the checkout passes: this test says so.
"""

from __future__ import annotations

import configparser
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "awareness"
#: Built or compiled beside the sources; never shipped from the checkout.
NOT_DATA = ("*.py", "*.pyc", "*.pyo")


def package_data_patterns() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return [pattern.strip() for pattern in config["options.package_data"]["*"].split(",")]


def test_every_file_beside_the_modules_is_package_data():
    patterns = package_data_patterns()
    left_out = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(fnmatch(path.name, pattern) for pattern in NOT_DATA)
        and not any(fnmatch(path.name, pattern) for pattern in patterns)
    ]
    assert not left_out, f"not in setup.cfg's [options.package_data]: {left_out}"


def test_the_files_the_application_reads_are_package_data():
    patterns = package_data_patterns()
    needed = [
        "base.html",
        "awareness.css",
        "favicon.svg",
        "messages.po",
        "messages.mo",
        "common-passwords.txt.gz",
        "COMMON-PASSWORDS-NOTICE",
        "openapi.json",
    ]
    assert [name for name in needed if not any(fnmatch(name, p) for p in patterns)] == []

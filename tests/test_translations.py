"""The interface's catalogues (docs/translating.md): complete, faithful to their placeholders and
markup, current with the source; and a page that a person reading Urdu sees in Urdu.

``make translations`` brings the catalogues up to date; these tests say what is left to do.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from tests.helpers import TRANSLATIONS

ROOT = TRANSLATIONS.parent.parent
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
LANGUAGES = [path.parent.parent.name for path in CATALOGUES]

#: A printf-style placeholder as Python's ``%`` formats it: ``%(name)s``, ``%d``, ``%%``...
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
TAG = re.compile(r"</?[A-Za-z][^>]*>")


def catalogue(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file)


def entries(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def forms(message: Message) -> tuple[list[str], list[str]]:
    """The English texts and the translated ones of ``message`` (several for a plural)."""
    if message.pluralizable:
        return list(message.id), list(message.string)
    return [message.id], [message.string]


def problems(message: Message) -> list[str]:
    """What is wrong with one entry of a catalogue: untranslated, fuzzy, or unfaithful to the
    placeholders or the markup of the English."""
    english, translated = forms(message)
    if message.fuzzy:
        return ["fuzzy: check it against the English, then remove the fuzzy flag"]
    if not all(text.strip() for text in translated):
        return ["not translated"]
    found = []
    named = {p for text in english for p in PLACEHOLDER.findall(text) if p.startswith("%(")}
    for text in translated:
        used = PLACEHOLDER.findall(text)
        if extra := {p for p in used if p.startswith("%(")} - named:
            found.append(f"placeholders not in the English: {sorted(extra)}")
        stray = PLACEHOLDER.sub("", text).count("%")
        if stray:
            found.append("a % that is not a placeholder (write %% for a percent sign)")
    general = [p for p in PLACEHOLDER.findall(english[-1])]
    if Counter(PLACEHOLDER.findall(translated[-1])) != Counter(general):
        found.append(f"placeholders differ: the English has {sorted(general)}")
    if Counter(TAG.findall(translated[-1])) != Counter(TAG.findall(english[-1])):
        found.append("markup differs from the English")
    return found


def report(language: str, found: dict[str, list[str]]) -> str:
    lines = [f"{msgid!r}: {'; '.join(what)}" for msgid, what in found.items()]
    return f"awareness/translations/{language}/LC_MESSAGES/messages.po:\n" + "\n".join(lines)


def test_there_is_an_urdu_catalogue():
    assert "ur" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_faithfully(language):
    found = {str(m.id): p for m in entries(language) if (p := problems(m))}
    assert not found, report(language, found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_declared(language):
    messages = catalogue(language)
    assert messages.plural_forms.startswith(f"nplurals={messages.num_plurals};")
    for message in entries(language):
        if message.pluralizable:
            assert len(message.string) == messages.num_plurals, message.id


@pytest.mark.parametrize(
    ("msgid", "msgstr", "problem"),
    [
        ("Hello %(name)s,", "", "not translated"),
        ("Hello %(name)s,", "ہیلو،", "placeholders differ"),
        ("Hello %(name)s,", "ہیلو %(nam)s،", "placeholders not in the English"),
        ("Due %(date)s", "مقررہ تاریخ %(date)s 100%", "a % that is not a placeholder"),
        ("<strong>Note</strong>", "نوٹ", "markup differs"),
        (("%(num)d module", "%(num)d modules"), ("%(num)d ماڈیول", ""), "not translated"),
    ],
)
def test_the_checks_catch(msgid, msgstr, problem):
    assert any(p.startswith(problem) for p in problems(Message(msgid, msgstr)))


def test_the_checks_catch_a_fuzzy_entry():
    assert problems(Message("Save", "محفوظ کریں", flags=["fuzzy"]))[0].startswith("fuzzy")


def test_the_checks_pass_a_faithful_plural():
    message = Message(("%(num)s minute", "%(num)s minutes"), ("%(num)s منٹ", "%(num)s منٹ"))
    assert problems(message) == []


def makefile_keywords() -> list[str]:
    """The keywords ``make translations`` extracts with, beyond pybabel's own."""
    makefile = (ROOT / "Makefile").read_text()
    line = re.search(r"^BABEL_KEYWORDS := (.*)$", makefile, re.MULTILINE)
    assert line, "the Makefile no longer sets BABEL_KEYWORDS"
    return line[1].replace("-k", " ").split()


@cache
def extracted() -> dict[object, list[str]]:
    """What ``make translations`` extracts from the source now: msgid to where it is used."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(makefile_keywords())}
    found: dict[object, list[str]] = {}
    for filename, lineno, msgid, _comments, context in extract_from_dir(
        ROOT / "awareness", method_map, options_map, keywords=keywords
    ):
        found.setdefault((msgid, context), []).append(f"awareness/{filename}:{lineno}")
    return found


def test_extraction_covers_every_kind_of_template():
    places = {Path(p.partition(":")[0]) for where in extracted().values() for p in where}
    suffixes = {place.suffix for place in places}
    assert {".py", ".html", ".txt"} <= suffixes
    assert any(place.parts[1] == "mail" for place in places)
    assert any(place.parts[1] == "templates" for place in places)  # the site's own templates


def test_the_source_marks_no_string_twice_in_two_ways():
    """A string marked both singular and plural would leave one of them untranslated."""
    singular = {msgid for msgid, _ in extracted() if isinstance(msgid, str)}
    plural = {msgid[0] for msgid, _ in extracted() if isinstance(msgid, tuple)}
    assert not singular & plural


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_string_of_the_source(language):
    held = {(m.id, m.context) for m in entries(language)}
    missing = {key: where for key, where in extracted().items() if key not in held}
    assert not missing, (
        f"run `make translations`, then translate in {language}/LC_MESSAGES/messages.po:\n"
        + "\n".join(f"{msgid!r} ({', '.join(where)})" for (msgid, _), where in missing.items())
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_nothing_the_source_dropped(language):
    stale = [m.id for m in entries(language) if (m.id, m.context) not in extracted()]
    assert not stale, f"run `make translations` to drop them: {stale}"


def test_urdu_is_offered_by_default():
    from awareness import create_app

    assert "ur" in create_app({"SECRET_KEY": "x"}).config["LANGUAGES"]


def test_the_sign_in_page_in_urdu(client):
    page = client.get("/login", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"}).text
    assert '<html lang="ur" dir="rtl">' in page
    assert "سائن اِن" in page  # Sign in
    assert "پاس ورڈ بھول گئے؟" in page  # Forgot your password?
    assert "Forgot your password?" not in page


def test_the_sign_in_page_stays_english_for_an_english_browser(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en" dir="ltr">' in page
    assert "Forgot your password?" in page


def test_plurals_in_urdu(app):
    template = "{{ ngettext('%(num)s minute', '%(num)s minutes', n) }}"
    with app.test_request_context(), force_locale("ur"):
        assert render_template_string(template, n=1) == "1 منٹ"
        assert render_template_string(template, n=12) == "12 منٹ"

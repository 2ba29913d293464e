"""``/admin/people/import``: upload, preview (nothing changes), confirm once."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select, update

from awareness.extensions import db
from awareness.models import Assignment, PeopleImport, PeopleImportStep, Person
from awareness.models.types import add_days
from tests.helpers import audit_log, csrf_token

HEADER = "email,name,department,layer,roles\n"
URL = "/admin/people/import"


def upload(client, text: str | bytes, *, filename="people.csv", **options):
    with client.get(URL) as page:
        token = csrf_token(page.get_data(as_text=True))
    data = text.encode() if isinstance(text, str) else text
    form = {"csrf_token": token, "file": (io.BytesIO(data), filename)}
    form.update({name: "y" for name, ticked in options.items() if ticked})
    return client.post(URL, data=form, content_type="multipart/form-data")


def confirm_url(page) -> str:
    match = re.search(r'action="(/admin/people/import/[\w-]+/confirm)"', page_of(page))
    assert match, "no confirm form on the page"
    return match.group(1)


def confirm(client, url: str):
    with client.get(url.removesuffix("/confirm")) as page:
        token = csrf_token(page.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def people() -> dict[str, Person]:
    db.session.rollback()
    return {p.email: p for p in db.session.scalars(select(Person))}


def text_of(response) -> str:
    """The page as read: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


def page_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def hr(org, login):
    login(org["hr"])
    return org["hr"]


def test_hr_and_admins_open_the_page_others_are_refused(client, org, login, make_person):
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert "/login" in client.get(URL).headers["Location"]
    admin = make_person("admin@example.org", department="IT", roles="admin")
    for person in (org["hr"], admin):
        login(person)
        page = client.get(URL)
        assert page.status_code == 200
        assert 'name="file"' in page.get_data(as_text=True)
    for person in (org["pay1"], org["boss"], make_person("au@example.org", roles="author")):
        login(person)
        assert client.get(URL).status_code == 403


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_bad_row(client, hr):
    before = people()
    bad = [f"bad{n}@example,Bad {n},Ops,staff,\n" for n in range(25)]
    text = (
        HEADER + "fresh@example.org,New,Ops,staff,\n" + "".join(bad) + "x@example.org,X,Ops,no,\n"
    )
    page = upload(client, text)
    assert page.status_code == 200
    shown = text_of(page)
    assert "26 bad rows" in shown
    assert "Nothing can be applied until the file is fixed" in shown
    assert "people.csv:3: 'bad0@example' is not an email address" in shown
    assert "/confirm" not in page_of(page)  # no confirm button
    assert "And 6 more." in shown
    listed = text_of(client.get(link(page, "problems")))
    assert re.findall(r"people\.csv:(\d+):", listed) == [str(n) for n in range(3, 29)]
    assert "people.csv:28: unknown layer 'no'" in listed
    assert people().keys() == before.keys()
    assert audit_log("people.import") == []


def link(page, show: str) -> str:
    """The preview's link to the whole of one of its lists."""
    found = re.search(rf'href="([^"]+show={show})"', page_of(page))
    assert found, f"no link to every {show}"
    return html.unescape(found.group(1))


def test_the_preview_changes_nothing_and_confirming_applies_it(client, hr, org):
    text = (
        HEADER
        + "fresh@example.org,Fresh Person,Ops/Support,staff,manager\n"
        + "pay1@example.org,Pay One Renamed,Finance/Payroll,staff,\n"
    )
    page = upload(client, text)
    assert page.status_code == 200
    shown = text_of(page)
    assert "Created 1 Updated 1 Deactivated 0 Unchanged 0" in shown
    assert "fresh@example.org Fresh Person Ops/Support staff manager" in shown
    assert re.search(r"Name: \S.* → becomes Pay One Renamed", shown)
    assert "fresh@example.org" not in people()
    assert audit_log("people.import") == []

    done = confirm(client, confirm_url(page))
    assert done.status_code == 303
    after_page = client.get(done.headers["Location"])
    shown = text_of(after_page)
    assert "Imported: 1 created, 1 updated, 0 deactivated, 0 unchanged." in shown
    assert "Applied" in shown and "/confirm" not in page_of(after_page)
    after = people()
    assert after["fresh@example.org"].department.path == "Ops/Support"
    assert after["pay1@example.org"].name == "Pay One Renamed"
    (entry,) = audit_log("people.import")
    assert entry.actor == "hr@example.org"
    assert entry.target == "people.csv"
    assert (entry.details["created"], entry.details["updated"]) == (1, 1)
    assert [e.target for e in audit_log("roles.change")] == ["fresh@example.org"]
    new_id = after["fresh@example.org"].id
    assert db.session.scalar(select(func.count()).where(Assignment.person_id == new_id)) > 0


def test_a_second_confirmation_is_refused_and_changes_nothing(client, hr):
    url = confirm_url(upload(client, HEADER + "fresh@example.org,New,Ops,staff,\n"))
    assert confirm(client, url).status_code == 303
    again = confirm(client, url)
    assert again.status_code == 409
    assert "This import was applied already. Nothing was changed this time." in text_of(again)
    assert len(audit_log("people.import")) == 1


def test_a_preview_made_before_someone_changed_its_people_is_refused(client, hr):
    url = confirm_url(
        upload(client, HEADER + "pay1@example.org,Pay One,Finance/Payroll,staff,hr\n")
    )
    db.session.execute(update(Person).where(Person.email == "pay1@example.org").values(name="Z"))
    db.session.commit()  # someone else, meanwhile
    refused = confirm(client, url)
    assert refused.status_code == 409
    assert "Someone changed the people this import touches" in text_of(refused)
    assert "Upload the file again" in text_of(refused)
    assert people()["pay1@example.org"].roles == ""
    assert audit_log("people.import") == []
    assert db.session.scalar(select(PeopleImport.applied_at)) is None


def everyone_but(*emails: str) -> str:
    """The directory as a people file, leaving out ``emails``."""
    return HEADER + "".join(
        f"{p.email},{p.name},{p.department.path},{p.layer_id},{p.roles}\n"
        for p in people().values()
        if p.active and p.email not in emails
    )


def test_with_deactivate_missing_anyone_added_since_makes_the_preview_stale(
    client, hr, make_person
):
    text = everyone_but() + "fresh@example.org,Fresh,Ops,staff,\n"
    url = confirm_url(upload(client, text, deactivate_missing=True))
    make_person("late@example.org")
    assert confirm(client, url).status_code == 409
    assert people()["late@example.org"].active


def test_deactivate_missing_lists_and_deactivates_people_absent_from_the_file(client, hr):
    text = everyone_but("pay1@example.org")
    assert "Deactivated 0" in text_of(upload(client, text))
    page = upload(client, text, deactivate_missing=True)
    shown = text_of(page)
    assert "Created 0 Updated 0 Deactivated 1" in shown
    assert "People it deactivates (1)" in shown and "pay1@example.org" in shown
    assert people()["pay1@example.org"].active
    assert confirm(client, confirm_url(page)).status_code == 303
    assert not people()["pay1@example.org"].active
    assert people()["hr@example.org"].active
    assert [e.target for e in audit_log("person.deactivate")] == ["pay1@example.org"]


def test_long_lists_are_capped_with_a_way_to_see_them_all(client, hr):
    rows = "".join(f"p{n:03}@example.org,P {n},Ops,staff,\n" for n in range(250))
    page = upload(client, HEADER + rows)
    assert "And 230 more." in text_of(page)
    every = link(page, "created")
    first = text_of(client.get(every))
    assert "p000@example.org" in first and "p199@example.org" in first
    assert "p200@example.org" not in first and "Page 1 of 2" in first
    assert "p249@example.org" in text_of(client.get(every + "&page=2"))
    assert client.get(every + "&page=3").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"  \n", "The file is empty"),
        ((HEADER + "ines@example.org,In\u00eas,Ops,staff,\n").encode("latin-1"), "not UTF-8"),
        (b"email,name,department\n", "bad header (missing column(s): layer, roles)"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_named_on_the_form(client, hr, data, message):
    page = upload(client, data)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert 'name="file"' in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PeopleImport)) == 0


def test_no_file_chosen(client, hr):
    with client.get(URL) as page:
        token = csrf_token(page.get_data(as_text=True))
    answer = client.post(URL, data={"csrf_token": token}, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert "Choose the people file (CSV) to upload." in answer.get_data(as_text=True)


def test_the_upload_may_exceed_the_general_limit_up_to_its_own(app, client, hr):
    app.config.update(MAX_CONTENT_LENGTH=2000, PEOPLE_IMPORT_MAX_CONTENT_LENGTH=20_000)
    rows = "".join(f"p{n:03}@example.org,P {n},Ops,staff,\n" for n in range(100))  # ~3 KB
    assert upload(client, HEADER + rows).status_code == 200
    too_big = upload(client, HEADER + rows * 8)
    assert too_big.status_code == 413
    page = too_big.get_data(as_text=True)
    assert "The file is larger than the limit of" in page and 'name="file"' in page


def test_only_hr_and_admins_get_the_larger_limit(app, client, org, login):
    app.config.update(MAX_CONTENT_LENGTH=2000, PEOPLE_IMPORT_MAX_CONTENT_LENGTH=20_000)
    login(org["pay1"])
    with client.get("/") as page:
        token = csrf_token(page.get_data(as_text=True))
    data = {"csrf_token": token, "file": (io.BytesIO(b"x" * 5000), "people.csv")}
    assert client.post(URL, data=data, content_type="multipart/form-data").status_code == 413


def test_forms_without_the_csrf_token_are_refused(client, hr):
    file = (io.BytesIO((HEADER + "n@example.org,N,Ops,staff,\n").encode()), "p.csv")
    answer = client.post(URL, data={"file": file}, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(PeopleImport)) == 0
    url = confirm_url(upload(client, HEADER + "n@example.org,N,Ops,staff,\n"))
    assert client.post(url).status_code == 400
    assert "n@example.org" not in people()


def test_previews_expire_and_are_cleaned_up(client, hr):
    url = confirm_url(upload(client, HEADER + "n@example.org,N,Ops,staff,\n"))
    earlier = add_days(PeopleImport.created_at, -1)
    db.session.execute(update(PeopleImport).values(created_at=earlier))
    db.session.commit()
    refused = confirm(client, url)
    assert refused.status_code == 409
    assert "This preview has expired" in text_of(refused)
    assert "n@example.org" not in people()
    upload(client, HEADER + "m@example.org,M,Ops,staff,\n")  # a new preview cleans up old ones
    assert db.session.scalar(select(func.count()).select_from(PeopleImport)) == 1
    assert db.session.scalar(select(func.count()).select_from(PeopleImportStep)) == 1
    token = csrf_token(page_of(client.get(URL)))
    gone = client.post(url, data={"csrf_token": token})
    assert gone.status_code == 404
    assert "This preview no longer exists" in text_of(gone)
    assert client.get(url.removesuffix("/confirm")).status_code == 404


def test_a_file_matching_the_directory_offers_nothing_to_apply(client, hr):
    entries = len(audit_log())
    page = upload(client, everyone_but())
    assert "there is nothing to apply" in text_of(page)
    assert "/confirm" not in page_of(page)
    assert len(audit_log()) == entries

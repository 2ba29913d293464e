"""API tokens: each person lists, creates and revokes their own in /settings; admins anyone's."""

from __future__ import annotations

import re

from sqlalchemy import select

from awareness.extensions import db
from awareness.models import ApiToken
from awareness.people.accounts import issue_token
from tests.helpers import audit_log, csrf_token


def token_for(person, label: str = "") -> str:
    token = issue_token(db.session, person, label)
    db.session.commit()
    return token


def api_me(client, token: str) -> int:
    """The status of /api/v1/me with ``token`` (on a client with no sign-in cookie)."""
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def token_ids(person) -> list[int]:
    db.session.rollback()
    return list(db.session.scalars(select(ApiToken.id).where(ApiToken.person_id == person.id)))


def test_settings_list_your_live_tokens_with_label_and_use(client, login, make_person):
    ada = make_person("ada@example.org")
    token_for(ada, "Reporting script")
    token_for(make_person("bob@example.org"), "Bob's own")
    login(ada)
    page = client.get("/settings").text
    assert "Reporting script" in page and "Bob's own" not in page
    assert "Never" in page  # not used yet
    assert 'aria-labelledby="tokens-caption"' in page


def test_create_a_token_shown_once_and_it_works(app, client, login, make_person):
    ada = make_person("ada@example.org")
    login(ada)
    token = csrf_token(client.get("/settings").text)
    page = client.post("/settings/tokens", data={"token-csrf_token": token,
                                                  "token-label": " Laptop script "})  # fmt: skip
    assert page.status_code == 200 and "shown only this once" in page.text
    value = re.search(r'id="new-token" class="token-value" value="([^"]+)"', page.text).group(1)
    assert value not in client.get("/settings").text
    assert api_me(app.test_client(), value) == 200
    [entry] = audit_log("token.issue")
    assert (entry.actor, entry.target, entry.details["label"]) == (
        "ada@example.org",
        "ada@example.org",
        "Laptop script",
    )


def test_a_token_needs_a_label(client, login, make_person):
    ada = make_person("ada@example.org")
    login(ada)
    token = csrf_token(client.get("/settings").text)
    answer = client.post("/settings/tokens", data={"token-csrf_token": token, "token-label": ""})
    assert "Name the token" in client.get(answer.headers["Location"]).text
    assert token_ids(ada) == []


def test_revoke_your_own_token(app, client, login, make_person):
    ada = make_person("ada@example.org")
    value = token_for(ada, "Old script")
    [token_id] = token_ids(ada)
    login(ada)
    token = csrf_token(client.get("/settings").text)
    answer = client.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert "The API token is revoked" in client.get(answer.headers["Location"]).text
    assert "Old script" not in client.get("/settings").text
    assert api_me(app.test_client(), value) == 401
    [entry] = audit_log("token.revoke")
    assert (entry.actor, entry.details) == ("ada@example.org", {"token_ids": [token_id]})


def test_nobody_revokes_anothers_token_from_settings(app, client, login, make_person):
    ada, bob = make_person("ada@example.org"), make_person("bob@example.org")
    value = token_for(bob)
    [token_id] = token_ids(bob)
    login(ada)
    token = csrf_token(client.get("/settings").text)
    answer = client.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert answer.status_code == 404
    assert api_me(app.test_client(), value) == 200


def test_revoking_needs_the_csrf_token(app, client, login, make_person):
    ada = make_person("ada@example.org")
    value = token_for(ada)
    [token_id] = token_ids(ada)
    login(ada)
    client.get("/settings")
    assert client.post(f"/settings/tokens/{token_id}/revoke").status_code == 400
    assert client.post("/settings/tokens", data={"token-label": "x"}).status_code == 400
    assert api_me(app.test_client(), value) == 200 and len(token_ids(ada)) == 1


def test_admins_see_and_revoke_anyones_tokens(app, client, login, make_person):
    admin = make_person("admin@example.org", roles="admin")
    ada = make_person("ada@example.org")
    value = token_for(ada, "Ada's sync")
    [token_id] = token_ids(ada)
    login(admin)
    page = client.get(f"/admin/people/{ada.id}").text
    assert "Ada&#39;s sync" in page and 'id="tokens-heading"' in page
    token = csrf_token(page)
    url = f"/admin/people/{ada.id}/tokens/{token_id}/revoke"
    answer = client.post(url, data={"csrf_token": token})
    assert answer.status_code == 303
    assert "The API token is revoked" in client.get(answer.headers["Location"]).text
    assert api_me(app.test_client(), value) == 401
    [entry] = audit_log("token.revoke")
    assert (entry.actor, entry.target) == ("admin@example.org", "ada@example.org")
    again = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "already revoked" in again.text


def test_hr_neither_see_nor_revoke_tokens(app, client, login, make_person):
    ada = make_person("ada@example.org")
    value = token_for(ada, "Ada's sync")
    [token_id] = token_ids(ada)
    login(make_person("hr@example.org", roles="hr"))
    page = client.get(f"/admin/people/{ada.id}").text
    assert "Ada&#39;s sync" not in page
    answer = client.post(
        f"/admin/people/{ada.id}/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert answer.status_code == 403
    assert api_me(app.test_client(), value) == 200


def test_a_token_revoked_through_another_person_is_404(client, login, make_person):
    admin = make_person("admin@example.org", roles="admin")
    ada, bob = make_person("ada@example.org"), make_person("bob@example.org")
    token_for(bob)
    [token_id] = token_ids(bob)
    login(admin)
    token = csrf_token(client.get(f"/admin/people/{ada.id}").text)
    url = f"/admin/people/{ada.id}/tokens/{token_id}/revoke"
    assert client.post(url, data={"csrf_token": token}).status_code == 404


def test_a_deactivated_persons_token_stops_working(app, client, login, make_person):
    hr = make_person("hr@example.org", roles="hr")
    ada = make_person("ada@example.org")
    value = token_for(ada)
    login(hr)
    token = csrf_token(client.get(f"/admin/people/{ada.id}").text)
    client.post(f"/admin/people/{ada.id}/deactivate", data={"csrf_token": token})
    assert api_me(app.test_client(), value) == 401

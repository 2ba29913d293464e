"""``GET /api/v1/coverage`` (docs/api.md) on the hand-computed organisation."""

from __future__ import annotations

import pytest

from awareness.extensions import db
from awareness.people.accounts import issue_token
from tests.dashboard.org import build


@pytest.fixture
def org(content, make_person):
    return build(make_person)


def get(client, query, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/coverage?{query}", headers=headers)


def test_hr_sees_every_department_with_roll_up(client, login, org):
    login(org["hr"])
    response = get(client, "by=department")
    assert response.status_code == 200
    body = response.get_json()
    assert body["by"] == "department"
    assert body["as_of"].endswith("+00:00")
    rows = {row["key"]: row for row in body["rows"]}
    assert list(rows) == ["Executive", "Finance", "Finance/Payroll", "Finance/Procurement", "IT"]
    assert rows["Finance"] == {
        "key": "Finance", "label": "Finance", "assigned": 10, "completed": 4, "overdue": 4,
        "coverage": 0.4, "avg_score": 85.7,
    }  # fmt: skip
    assert rows["Finance/Payroll"]["label"] == "Payroll"
    assert (rows["Finance/Payroll"]["assigned"], rows["Finance/Payroll"]["coverage"]) == (6, 0.3333)
    assert rows["IT"]["avg_score"] is None
    # The total counts each assignment once; it is not the sum of overlapping rows.
    assert body["total"] == {
        "assigned": 13, "completed": 5, "overdue": 6, "coverage": 0.3846, "avg_score": 87.5,
    }  # fmt: skip


def test_by_layer_and_by_module(client, login, org):
    login(org["hr"])
    layers = get(client, "by=layer").get_json()["rows"]
    assert [(r["key"], r["assigned"], r["completed"], r["overdue"]) for r in layers] == [
        ("leadership", 2, 1, 1), ("management", 2, 1, 1), ("staff", 8, 3, 3),
        ("technical", 1, 0, 1),
    ]  # fmt: skip
    modules = get(client, "by=module").get_json()["rows"]
    assert {r["key"]: (r["assigned"], r["completed"], r["overdue"]) for r in modules} == {
        "welcome": (7, 3, 3), "phishing": (5, 2, 2), "cyber-risk": (1, 0, 1),
    }  # fmt: skip


def test_filters_narrow_rows_and_total(client, login, org):
    login(org["hr"])
    body = get(client, "by=layer&department=Finance/Payroll&module=phishing").get_json()
    assert body["total"]["assigned"] == 3
    assert body["total"]["completed"] == 1
    staff = next(row for row in body["rows"] if row["key"] == "staff")
    assert (staff["assigned"], staff["overdue"], staff["avg_score"]) == (3, 1, 83.3)
    body = get(client, "by=module&layer=staff").get_json()
    assert body["total"]["assigned"] == 8


def test_manager_sees_only_their_departments(client, login, org):
    login(org["boss"])
    body = get(client, "by=department").get_json()
    assert [row["key"] for row in body["rows"]] == [
        "Finance", "Finance/Payroll", "Finance/Procurement",
    ]  # fmt: skip
    assert body["total"]["assigned"] == 10
    assert get(client, "by=layer").get_json()["total"]["assigned"] == 10
    assert get(client, "by=department&department=Finance/Procurement").status_code == 200
    outside = get(client, "by=department&department=IT")
    assert outside.status_code == 403
    assert "error" in outside.get_json()


def test_bearer_token_and_roles(client, org):
    token = issue_token(db.session, org["boss"])
    learner = issue_token(db.session, org["pay1"])
    db.session.commit()
    assert get(client, "by=layer", token).status_code == 200
    assert get(client, "by=layer", learner).status_code == 403
    assert get(client, "by=layer").status_code == 401
    assert get(client, "by=layer", "not-a-token").status_code == 401


@pytest.mark.parametrize(
    "query",
    ["", "by=person", "by=layer&layer=nobody", "by=layer&module=nothing",
     "by=layer&department=Nowhere"],
)  # fmt: skip
def test_bad_parameters_are_400_with_an_error(client, login, org, query):
    login(org["hr"])
    response = get(client, query)
    assert response.status_code == 400
    assert response.get_json()["error"]

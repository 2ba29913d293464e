"""A manager's scope on pages, downloads and the API: exact, and silent about the rest."""

from __future__ import annotations

import re

#: Where a department can be named: pages, downloads and the API (``{}`` is the path).
URLS = [
    "/dashboard/departments/{}",
    "/dashboard/?department={}",
    "/dashboard/modules/phishing?department={}",
    "/dashboard/coverage.csv?department={}",
    "/dashboard/heatmap.csv?department={}",
    "/dashboard/trend.csv?department={}",
    "/dashboard/assignments.csv?department={}",
    "/dashboard/people.csv?department={}",
    "/dashboard/modules/phishing/scores.csv?department={}",
    "/dashboard/modules/phishing/questions.csv?department={}",
    "/api/v1/coverage?by=department&department={}",
]


def same_but_path(text: str, path: str) -> str:
    """The answer without the path it names or the form tokens that differ by the second."""
    text = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "csrf_token", text)
    return text.replace(path, "PATH")


def test_a_department_outside_the_scope_answers_as_one_that_does_not_exist(client, login, org):
    login(org["boss"])  # manages Finance
    for url in URLS:
        elsewhere = client.get(url.format("IT"))
        nowhere = client.get(url.format("Nowhere"))
        assert (url, elsewhere.status_code, nowhere.status_code) == (url, 403, 403)
        assert same_but_path(elsewhere.text, "IT") == same_but_path(nowhere.text, "Nowhere")
        if url.startswith("/api/"):
            assert nowhere.get_json() == {"error": "department Nowhere is outside your scope"}
        assert client.get(url.format("Finance/Payroll")).status_code == 200, url


def test_hr_is_told_a_department_does_not_exist(client, login, org):
    login(org["hr"])
    for url in URLS:
        expected = 404 if "/departments/" in url else 400
        assert (url, client.get(url.format("Nowhere")).status_code) == (url, expected)
        assert client.get(url.format("IT")).status_code == 200, url


def test_a_manager_scope_compares_department_names_exactly(client, login, org, make_person):
    """``Finance`` is not ``finance`` (SQLite's LIKE would ignore the case)."""
    make_person("lower@example.org", name="Lower Case", department="finance/payroll")
    make_person("wild@example.org", name="Wild Card", department="Finance_x/Team")
    login(org["boss"])
    html = client.get("/dashboard/").text
    assert "finance/payroll" not in html and "Finance_x" not in html
    people = client.get("/dashboard/people.csv").text
    assert "lower@example.org" not in people and "wild@example.org" not in people
    rows = client.get("/api/v1/coverage?by=department").get_json()["rows"]
    assert [row["key"] for row in rows] == ["Finance", "Finance/Payroll", "Finance/Procurement"]
    for path in ("finance/payroll", "finance", "FINANCE", "Finance_x"):
        assert client.get(f"/dashboard/departments/{path}").status_code == 403
        assert client.get(f"/api/v1/coverage?by=layer&department={path}").status_code == 403

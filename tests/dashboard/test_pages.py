"""The dashboard pages and CSV downloads, by role, against hand-computed figures."""

from __future__ import annotations

import csv
import io
import re

import flask_babel
import pytest

from awareness.extensions import db


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def download(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def headline(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+?)\s*(?:<small>|</dd>)", html))


def test_overview_for_hr_shows_the_whole_organisation(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/")
    assert headline(html) == {
        "People": "7", "Assignments": "13", "Coverage": "38%", "Overdue": "6",
        "Average score": "87.5",
    }  # fmt: skip
    # The layer bars and the trend chart with their tables, the heat map's table.
    assert html.count('role="img"') == 1 and '<ul class="dash-bars" aria-hidden="true">' in html
    assert '<caption id="layer-caption">Coverage by layer' in html
    assert '<caption id="heat-caption">' in html
    assert (
        '<th scope="row" class="depth-1"><a href="/dashboard/departments/Finance/Payroll">'
        '<span class="visually-hidden">Finance / </span>Payroll</a></th>'
    ) in html
    assert '<caption id="trend-caption">Coverage at the end of each month</caption>' in html
    assert "Content-Security-Policy" in client.get("/dashboard/").headers
    assert 'style="' not in html and "<script" not in html


def test_heat_map_cells_carry_their_number_and_colour(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/")
    # Finance, all modules: 4 of 10 -> 40%, band 4; Finance/Payroll phishing: 1 of 3 -> 33%.
    assert '<td class="cov-4 heat-all" title="4/10">40%</td>' in html
    assert '<td class="cov-3" title="1/3">33%</td>' in html


def test_overview_filters_by_layer_and_keep_them_in_links(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/?layer=staff&status=overdue")
    assert headline(html)["Assignments"] == "8"
    assert "/dashboard/departments/Finance?layer=staff&amp;status=overdue" in html
    assert "/dashboard/assignments.csv?layer=staff&amp;status=overdue" in html
    page(client, "/dashboard/?layer=nobody", 400)
    page(client, "/dashboard/?status=lost", 400)


def test_manager_sees_their_departments_only(client, login, org):
    login(org["boss"])
    html = page(client, "/dashboard/")
    assert headline(html)["Assignments"] == "10"
    assert headline(html)["People"] == "5"
    assert "/dashboard/departments/IT" not in html
    assert "Executive" not in html
    page(client, "/dashboard/departments/Finance/Payroll")
    page(client, "/dashboard/departments/IT", 403)
    page(client, "/dashboard/departments/Executive", 403)
    page(client, "/dashboard/?department=IT", 403)
    page(client, "/dashboard/modules/phishing?department=IT", 403)
    page(client, "/dashboard/assignments.csv?department=IT", 403)
    page(client, "/dashboard/departments/Nowhere", 403)  # as for one that exists elsewhere
    rows = download(client, "/dashboard/assignments.csv")
    assert len(rows) == 10
    assert {row["department"].split("/")[0] for row in rows} == {"Finance"}
    departments = download(client, "/dashboard/coverage.csv?by=department")
    assert [row["department"] for row in departments] == [
        "Finance", "Finance/Payroll", "Finance/Procurement", "",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["/dashboard/", "/dashboard/departments/Finance", "/dashboard/modules/phishing",
     "/dashboard/assignments.csv", "/dashboard/people.csv", "/dashboard/heatmap.csv",
     "/dashboard/trend.csv", "/dashboard/coverage.csv",
     "/dashboard/modules/phishing/scores.csv", "/dashboard/modules/phishing/questions.csv"],
)  # fmt: skip
def test_learners_get_403_and_strangers_sign_in(client, login, org, url):
    assert client.get(url).status_code == 302
    login(org["pay1"])
    assert client.get(url).status_code == 403


def test_department_page_lists_people_most_overdue_first(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/departments/Finance")
    assert headline(html)["Assignments"] == "10"
    assert "Departments below Finance" in html
    people = re.findall(
        r'class="person-col">[^<]+<small class="person-detail">([^<]+)</small>', html
    )
    assert people[0] == "pay2@example.org"
    assert set(people) == {
        "pay2@example.org", "boss@example.org", "proc@example.org", "new@example.org",
        "pay1@example.org",
    }  # fmt: skip
    assert "gone@example.org" not in html
    only = page(client, "/dashboard/departments/Finance?status=in_progress")
    assert re.findall(r'detail">([^<]+@example.org)</small>', only) == ["new@example.org"]


def test_module_page_shows_insights(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/modules/phishing")
    assert headline(html)["Assignments"] == "5"
    assert "Most chosen wrong option" in html
    # Six attempts by current people (gone's is left out); question 2 is right in three:
    # half is not most, so it is not flagged.
    assert "Most people miss this" not in html
    rows = download(client, "/dashboard/modules/phishing/questions.csv")
    assert [(r["question"], r["answers"], r["right"], r["share_right"]) for r in rows] == [
        ("1", "6", "6", "1.0"), ("2", "6", "3", "0.5"),
    ]  # fmt: skip
    assert rows[1]["missed_by_most"] == "False"
    assert (rows[1]["top_wrong_option"], rows[1]["top_wrong_count"]) == ("", "0")
    bands = {
        r["band"]: r["people"] for r in download(client, "/dashboard/modules/phishing/scores.csv")
    }
    assert (bands["50-59"], bands["90-100"]) == ("2", "3")
    page(client, "/dashboard/modules/nothing", 404)


def test_csv_figures_match_the_page(client, login, org):
    login(org["hr"])
    layers = download(client, "/dashboard/coverage.csv?by=layer")
    assert layers[-1] == {
        "layer": "", "label": "Total", "assigned": "13", "completed": "5", "overdue": "6",
        "coverage": "0.3846", "avg_score": "87.5",
    }  # fmt: skip
    heat = {(r["department"], r["module"]): r for r in download(client, "/dashboard/heatmap.csv")}
    assert heat[("Finance", "phishing")]["assigned"] == "5"
    assert heat[("Finance", "phishing")]["completed"] == "2"
    trend = download(client, "/dashboard/trend.csv")
    assert len(trend) == 12
    assert (trend[-1]["assigned"], trend[-1]["completed"]) == ("13", "5")
    people = download(client, "/dashboard/people.csv?department=Finance")
    assert people[0]["email"] == "pay2@example.org"
    assert people[0]["phishing"] == "expired"
    assert len(download(client, "/dashboard/assignments.csv?status=overdue")) == 5


def test_csv_neutralises_formulas(client, login, org):
    org["proc"].name = '=HYPERLINK("http://evil")'
    db.session.commit()
    login(org["hr"])
    text = client.get("/dashboard/assignments.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text


def test_overview_shows_the_trend_with_its_chart_and_table(client, login, org):
    login(org["boss"])
    html = page(client, "/dashboard/?layer=staff")
    assert 'role="img"' in html and "<polyline" in html
    assert '<caption id="trend-caption">Coverage at the end of each month</caption>' in html
    # The last point is today: Finance staff, 8 assigned, 3 completed.
    rows = re.findall(r'<tr><th scope="row">\w{3} \d{4}</th><td>(\d+)</td><td>(\d+)</td>', html)
    assert len(rows) == 12
    assert rows[-1] == ("8", "3")
    page(client, "/dashboard/?department=IT", 403)


def test_numbers_and_times_follow_the_person_s_locale(app, client, login, org):
    app.config["LANGUAGES"] = ["en", "de"]
    login(org["hr"])
    html = client.get("/dashboard/", headers={"Accept-Language": "de"}).text
    assert headline(html)["Coverage"] == "38\xa0%"  # German puts a space before the sign
    assert headline(html)["Average score"] == "87,5"
    assert re.search(r"As of \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} UTC\.", html)
    assert ">100\xa0%</text>" in html  # the trend chart's top tick
    flask_babel.refresh()  # the tests keep one app context, where Flask-Babel caches the locale
    english = client.get("/dashboard/", headers={"Accept-Language": "en"}).text
    assert headline(english)["Coverage"] == "38%" and ">100%</text>" in english
    assert re.search(r"As of \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}\s[AP]M UTC\.", english)


def test_bad_filters_are_explained_to_people(client, login, org):
    login(org["hr"])
    html = page(client, "/dashboard/?department=Nowhere", status=400)
    assert "<h1>400 · Bad request</h1>" in html
    assert "There is no department Nowhere." in html
    page(client, "/dashboard/departments/Nowhere", status=404)
    for number in ("two", "0", "-1", "1.5", "٣", "999999999999999999999"):
        html = page(client, f"/dashboard/departments/Finance?page={number}", status=400)
        assert "The page number must be a whole number from 1 to 1,000,000." in html
    html = page(client, "/dashboard/?status=lost", status=400)
    assert "There is no status lost" in html


def test_a_page_past_the_last_is_not_found_and_says_how_many_there_are(client, login, org):
    login(org["hr"])
    page(client, "/dashboard/departments/Finance?page=1")
    html = page(client, "/dashboard/departments/Finance?page=2", status=404)
    assert "There is no page 2: the list has 1 page." in html
    # An empty list still has its first page; the downloads take every row and no page.
    assert "Nobody matches these filters." in page(
        client, "/dashboard/departments/IT?status=completed&page=1"
    )
    page(client, "/dashboard/departments/IT?status=completed&page=2", status=404)
    assert len(download(client, "/dashboard/people.csv?department=Finance&page=9")) == 5


def test_a_status_filter_says_what_it_narrowed(client, login, org):
    login(org["hr"])
    # Finance: boss and pay2 have welcome overdue, proc phishing; pay1 and new have none.
    html = page(client, "/dashboard/departments/Finance?status=overdue")
    assert "Showing people with status Overdue: 3 of 5." in html
    assert 'href="/dashboard/departments/Finance">Show every status</a>' in html
    # The overview's figures count every status: it says what the filter narrows instead.
    html = page(client, "/dashboard/?status=overdue")
    assert "Status Overdue: 5 of 7 people have an assignment with this status." in html
    assert headline(html)["Assignments"] == "13"
    assert "Showing people with status" not in page(client, "/dashboard/departments/Finance")


def layer_rows(html: str) -> list[str]:
    table = html.split('id="layer-caption"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_a_manager_s_overview_opens_on_their_departments(client, login, org):
    login(org["boss"])
    html = page(client, "/dashboard/")
    yours = html.index("Your department</h2>")
    assert yours < html.index("At a glance") < html.index('id="heat-title"')
    assert '<h3><a href="/dashboard/departments/Finance">Finance</a></h3>' in html
    assert "Coverage 40%: 4 of 10 assignments completed, 4 overdue." in html
    # Only the layers of their people: no rows of nothing from the rest of the organisation.
    assert layer_rows(html) == ["Managers", "All staff", "Total"]
    login(org["hr"])
    html = page(client, "/dashboard/")
    assert "Your department" not in html
    assert layer_rows(html) == [
        "Leadership", "Managers", "All staff", "IT and security teams", "Total",
    ]  # fmt: skip


def test_the_heat_map_shows_two_levels_and_drills_down(client, login, org, make_person):
    make_person("deep@example.org", department="Finance/Payroll/Wages")
    login(org["hr"])
    html = page(client, "/dashboard/")
    heat = html.split('id="heat-caption"')[1].split("</table>")[0]
    assert "/dashboard/departments/Finance/Payroll" in heat
    assert "/dashboard/departments/Finance/Payroll/Wages" not in heat  # on Payroll's page
    heat = page(client, "/dashboard/departments/Finance/Payroll").split('id="heat-caption"')[1]
    assert "/dashboard/departments/Finance/Payroll/Wages" in heat.split("</table>")[0]
    # The wide tables scroll within a labelled region that the keyboard can reach.
    assert (
        '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="heat-caption"'
        ' aria-describedby="heat-hint">'
    ) in html

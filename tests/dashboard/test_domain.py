"""The dashboard's domain modules, without HTTP: breakdown, trend, insights, roster, CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import Assignment, Module, TrendPoint
from awareness.models.types import utcnow
from awareness.people import directory
from awareness.progress import summary
from awareness.progress.status import status_of
from awareness.reporting import breakdown, coverage, export, insights, roster, trend
from awareness.reporting.figures import Figures, Filters
from tests.dashboard.org import FULL, HALF, NONE, build, module
from tests.helpers import at


@pytest.fixture
def org(content, make_person):
    return build(make_person)


def figures(assigned, completed, overdue, scores=()):
    return Figures(assigned, completed, overdue, len(scores), sum(scores))


def test_breakdown_sums_to_the_hand_computed_totals(org):
    cells = breakdown.breakdown(db.session, Filters(), utcnow())
    assert cells.total() == figures(13, 5, 6, [100] * 6 + [50] * 2)
    assert cells.total().coverage == 0.3846
    assert cells.total().avg_score == 87.5
    layers = cells.by_layer()
    assert layers["leadership"] == figures(2, 1, 1, [100])
    assert layers["management"] == figures(2, 1, 1, [100])
    assert layers["staff"] == figures(8, 3, 3, [100, 100, 100, 50, 100, 50])
    assert layers["technical"] == figures(1, 0, 1)
    modules = {module_id: f for module_id, f in cells.by_module().items()}
    assert modules[module("phishing").id] == figures(5, 2, 2, [100, 100, 100, 50, 50])
    assert modules[module("welcome").id] == figures(7, 3, 3, [100, 100, 100])
    assert modules[module("cyber-risk").id] == figures(1, 0, 1)


def test_tree_rolls_departments_up_and_matches_metrics_coverage(org):
    now = utcnow()
    cells = breakdown.breakdown(db.session, Filters(), now)
    roots = cells.tree(breakdown.departments_in(db.session, None))
    assert [root.path for root in roots] == ["Executive", "Finance", "IT"]
    finance = roots[1]
    assert [child.path for child in finance.children] == ["Finance/Payroll", "Finance/Procurement"]
    assert finance.figures == figures(10, 4, 4, [100, 100, 100, 100, 50, 100, 50])
    assert finance.figures.avg_score == 85.7
    payroll, procurement = finance.children
    assert payroll.figures == figures(6, 2, 2, [100, 100, 100, 50])
    assert procurement.figures == figures(2, 1, 1, [50, 100])
    assert payroll.modules[module("phishing").id] == figures(3, 1, 1, [100, 100, 50])
    # The same figures as coverage.coverage, department by department.
    report = coverage.coverage(db.session, "department", Filters(), now)
    nodes = {node.path: node for root in roots for node in root.walk()}
    assert {row.key: row.figures for row in report.rows} == {
        path: node.figures for path, node in nodes.items()
    }


def test_manager_tree_starts_at_their_department(org):
    scope_ids = directory.department_ids_under(db.session, ["Finance"])
    cells = breakdown.breakdown(db.session, Filters(department_ids=scope_ids), utcnow())
    roots = cells.tree(breakdown.departments_in(db.session, scope_ids))
    assert [root.path for root in roots] == ["Finance"]
    assert cells.total() == roots[0].figures


def test_trend_measures_current_assignments_at_each_month_end(content, make_person):
    db.session.execute(Module.__table__.update().values(published_on=date(2026, 1, 1)))
    db.session.commit()
    a = make_person("a@example.org", activated_on=date(2025, 6, 1))
    b = make_person("b@example.org", activated_on=date(2025, 6, 1))
    make_person("c@example.org", activated_on=date(2026, 9, 10))
    phishing = module("phishing")
    from awareness.progress import attempts

    attempts.submit(db.session, a, phishing, FULL, now=at("2026-01-05 09:00"))
    attempts.submit(db.session, b, phishing, HALF, now=at("2026-05-01 09:00"))
    attempts.submit(db.session, b, phishing, FULL, now=at("2026-06-20 09:00"))
    db.session.commit()

    now = at("2027-02-15 12:00")
    points = trend.trend(db.session, Filters(module_id=phishing.id), now)
    assert [p.month for p in points] == [
        "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
        "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02",
    ]  # fmt: skip
    assert points[0].as_of == datetime(2026, 4, 1)
    assert [(p.assigned, p.completed) for p in points] == [
        (2, 1), (2, 1), (2, 1), (2, 2), (2, 2), (2, 2),
        (3, 2), (3, 2), (3, 2), (3, 2), (3, 1), (3, 1),
    ]  # fmt: skip
    # The last point is today, exactly the headline figure.
    headline = coverage.totals(db.session, Filters(module_id=phishing.id), now)
    assert (points[-1].assigned, points[-1].completed) == (headline.assigned, headline.completed)
    assert points[-1].coverage == headline.coverage == 0.3333


def trend_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(TrendPoint))


def test_past_trend_points_are_kept_until_the_assignments_change(org):
    now = utcnow()
    first = trend.trend(db.session, Filters(), now)
    assert trend_rows() == 11  # the past month ends; the current point is always live
    db.session.execute(TrendPoint.__table__.update().values(completed=0))  # stale on purpose
    assert [p.completed for p in trend.trend(db.session, Filters(), now)[:-1]] == [0] * 11
    # Any change to the assignments (here a deactivation) empties the kept points.
    org["pay1"].active = False
    summary.refresh(db.session, person_ids=[org["pay1"].id])
    db.session.commit()
    assert trend_rows() == 0
    again = trend.trend(db.session, Filters(), now)
    assert [p.month for p in again] == [p.month for p in first]
    assert again[-1].assigned == first[-1].assigned - 2


def test_an_attempt_dated_in_a_past_month_moves_the_past_trend(org):
    from awareness.progress import attempts

    trend.trend(db.session, Filters(), utcnow())
    attempts.submit(db.session, org["proc"], module("phishing"), FULL, now=utcnow())
    db.session.commit()
    assert trend_rows() == 11  # today's attempt leaves past month ends as they were
    attempts.submit(
        db.session, org["proc"], module("phishing"), FULL, now=utcnow() - timedelta(days=70)
    )
    db.session.commit()
    assert trend_rows() == 0


def test_each_set_of_filters_keeps_its_own_trend(org):
    now = utcnow()
    whole = trend.trend(db.session, Filters(), now)
    staff = trend.trend(db.session, Filters(layer_id="staff"), now)
    assert trend_rows() == 22
    assert trend.trend(db.session, Filters(layer_id="staff"), now) == staff
    assert trend.trend(db.session, Filters(), now) == whole
    assert trend.filters_key(Filters(department_ids=frozenset({2, 1}))) == trend.filters_key(
        Filters(department_ids=frozenset({1, 2}))
    )


def test_month_ends_cross_the_year():
    ends = trend.month_ends(at("2026-02-10 08:00"), 3)
    assert ends == [
        ("2025-12", datetime(2026, 1, 1)),
        ("2026-01", datetime(2026, 2, 1)),
        ("2026-02", at("2026-02-10 08:00")),
    ]


def test_question_insights_and_score_bands(content, make_person):
    from awareness.progress import attempts

    phishing = module("phishing")
    people = [make_person(f"p{n}@example.org") for n in range(3)]
    for person, answers in zip(people, (HALF, NONE, FULL), strict=True):
        attempts.submit(db.session, person, phishing, answers, now=utcnow())
    db.session.commit()

    first, second = insights.question_insights(db.session, phishing, Filters())
    assert (first.answers, first.right, first.share_right) == (3, 2, 0.6667)
    assert (first.top_wrong.number, first.top_wrong_count) == (1, 1)
    assert not first.missed_by_most
    # Option 1 of question 2 is right (one of two), so only option 3 is a wrong choice.
    assert (second.answers, second.right, second.share_right) == (3, 1, 0.3333)
    assert (second.top_wrong.number, second.top_wrong_count) == (3, 1)
    assert second.missed_by_most

    bands = insights.score_bands(db.session, Filters(module_id=phishing.id))
    assert (bands[0].label, bands[-1].label) == ("0-9", "90-100")
    assert {b.label: b.people for b in bands if b.people} == {"0-9": 1, "50-59": 1, "90-100": 1}

    # Scoped: only the people of other departments -> nothing.
    elsewhere = directory.department_ids_under(db.session, ["Nowhere"])
    assert (
        insights.question_insights(db.session, phishing, Filters(department_ids=elsewhere))[
            0
        ].answers
        == 0
    )


def test_roster_lists_the_most_overdue_first_and_filters_by_status(org):
    now = utcnow()
    finance = directory.department_ids_under(db.session, ["Finance"])
    page = roster.roster(db.session, Filters(department_ids=finance), now)
    assert page.total == 5
    names = [person.email for person in page.people]
    assert names[0] == "pay2@example.org"  # two overdue
    assert set(names[1:3]) == {"boss@example.org", "proc@example.org"}  # one each
    assert set(names[3:]) == {"new@example.org", "pay1@example.org"}
    pay2 = page.people[0]
    assert pay2.modules[module("phishing").id].status == "expired"
    assert pay2.figures.overdue == 2

    in_progress = roster.roster(
        db.session, Filters(department_ids=finance), now, status="in_progress"
    )
    assert [p.email for p in in_progress.people] == ["new@example.org"]

    small = roster.roster(db.session, Filters(department_ids=finance), now, page=2, per_page=2)
    assert (small.pages, len(small.people)) == (3, 2)
    everyone = list(roster.every_person(db.session, Filters(department_ids=finance), now))
    assert [p.email for p in everyone] == names


def test_deactivated_people_are_not_counted(org):
    before = coverage.totals(db.session, Filters(), utcnow())
    org["pay1"].active = False
    summary.refresh(db.session, person_ids=[org["pay1"].id])
    db.session.commit()
    after = breakdown.breakdown(db.session, Filters(), utcnow()).total()
    assert after == figures(11, 3, 6, [100] * 4 + [50] * 2)
    assert before.assigned - after.assigned == 2


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 20", "'+44 20"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("plain", "plain"),
        (-5, -5),
        (0.75, 0.75),
    ],
)
def test_formula_cells_are_neutralised(value, written):
    assert export.neutralise(value) == written


def test_csv_lines_stream_in_chunks():
    rows = ([n, f"=cmd{n}"] for n in range(1200))
    chunks = list(export.lines(["n", "text"], rows, batch=500))
    assert len(chunks) == 3
    text = "".join(chunks)
    assert text.startswith("n,text\r\n0,'=cmd0\r\n")
    assert text.count("\r\n") == 1201


def test_assignment_rows_have_each_status(org):
    rows = list(export.assignment_rows(db.session, Filters(), utcnow()))
    assert len(rows) == 13
    statuses = [row[5] for row in rows]
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "completed": 5, "expired": 1, "overdue": 5, "in_progress": 1, "not_started": 1,
    }  # fmt: skip
    overdue = list(export.assignment_rows(db.session, Filters(), utcnow(), status="overdue"))
    assert len(overdue) == 5


def test_major_bump_resets_completions(org, tmp_path):
    import shutil

    from awareness.content.parser import load_content
    from awareness.content.sync import sync
    from tests.helpers import TEST_CONTENT

    copy = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, copy)
    path = copy / "modules" / "phishing.md"
    path.write_text(path.read_text().replace("order: 10\n", "order: 10\nmajor: 2\n"))
    sync(db.session, load_content(copy))

    now = utcnow()
    cells = breakdown.breakdown(db.session, Filters(), now)
    phishing = module("phishing")
    # Earlier passes no longer count, and the new version is not yet due.
    assert cells.by_module()[phishing.id] == figures(5, 0, 0)
    assert cells.total() == figures(13, 3, 4, [100, 100, 100])
    rows = select(status_of(now)).where(Assignment.module_id == phishing.id)
    assert set(db.session.scalars(rows)) == {"not_started"}
    assert insights.question_insights(db.session, phishing, Filters())[0].answers == 0


@pytest.mark.parametrize("by", ["department", "layer", "module"])
@pytest.mark.parametrize(
    "narrow", [{}, {"layer_id": "staff"}, {"department": "Finance"}, {"module": "phishing"}]
)
def test_coverage_total_counts_each_assignment_once(org, by, narrow):
    """The one-scan total equals a separate count over the whole filtered scope."""
    narrow = dict(narrow)
    if "department" in narrow:
        narrow["department_ids"] = directory.department_ids_under(
            db.session, [narrow.pop("department")]
        )
    if "module" in narrow:
        narrow["module_id"] = module(narrow.pop("module")).id
    now = utcnow()
    report = coverage.coverage(db.session, by, Filters(**narrow), now)
    assert report.total == coverage.totals(db.session, Filters(**narrow), now)


def test_people_import_prepares_the_whole_organisation_s_trend(runner, org, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("email,name,department,layer,roles\nzed@example.org,Zed,IT,technical,\n")
    result = runner.invoke(args=["people", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert trend_rows() == 11

"""Coverage at past month ends, and the cache that keeps it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from awareness.extensions import db
from awareness.models import Module, TrendPoint
from awareness.models.types import utcnow
from awareness.progress import summary
from awareness.reporting import coverage, trend
from awareness.reporting.figures import Filters
from tests.helpers import FULL, HALF, at, module


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


def test_people_import_prepares_the_whole_organisation_s_trend(runner, org, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("email,name,department,layer,roles\nzed@example.org,Zed,IT,technical,\n")
    result = runner.invoke(args=["people", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert trend_rows() == 11

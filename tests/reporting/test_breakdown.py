"""The cells of the heat map, their tree and its roll-up, against the hand-computed organisation."""

from __future__ import annotations

import pytest

from awareness.extensions import db
from awareness.models.types import utcnow
from awareness.people import directory
from awareness.progress import summary
from awareness.reporting import breakdown, coverage
from awareness.reporting.figures import Filters
from tests.helpers import figures, module


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


def test_deactivated_people_are_not_counted(org):
    before = coverage.totals(db.session, Filters(), utcnow())
    org["pay1"].active = False
    summary.refresh(db.session, person_ids=[org["pay1"].id])
    db.session.commit()
    after = breakdown.breakdown(db.session, Filters(), utcnow()).total()
    assert after == figures(11, 3, 6, [100] * 4 + [50] * 2)
    assert before.assigned - after.assigned == 2


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

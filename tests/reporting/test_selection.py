"""The one reader of filters, without HTTP: pages, downloads and the API get its answers."""

from __future__ import annotations

import pytest

from awareness.extensions import db
from awareness.people import directory
from awareness.reporting import selection
from awareness.reporting.figures import Filters
from awareness.reporting.scope import scope_of
from awareness.reporting.selection import SelectionError
from tests.helpers import module


def refused(scope, args, **path) -> SelectionError:
    with pytest.raises(SelectionError) as caught:
        selection.select(db.session, scope, args, **path)
    return caught.value


def test_filters_narrow_the_caller_s_scope(org):
    scope = scope_of(db.session, org["boss"])  # manages Finance
    args = {"department": "Finance/Payroll", "layer": "staff", "module": "phishing"}
    chosen = selection.select(db.session, scope, {**args, "status": "overdue"})
    payroll = directory.department_ids_under(db.session, ["Finance/Payroll"])
    assert chosen.filters == Filters(payroll, "staff", module("phishing").id)
    assert chosen.status == "overdue"
    assert chosen.args(status=None) == args
    assert [d.path for d in chosen.departments_in_filters()] == ["Finance/Payroll"]
    assert [d.path for d in chosen.parents("Finance/Payroll")] == ["Finance"]


def test_empty_values_are_no_filter(org):
    scope = scope_of(db.session, org["boss"])
    chosen = selection.select(
        db.session, scope, dict.fromkeys(["department", "layer", "status"], "")
    )
    assert chosen.filters == scope.filters()
    assert chosen.args() == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"department": "Nowhere"}, "There is no department Nowhere."),
        ({"layer": "interns"}, "There is no layer interns."),
        ({"module": "nope"}, "There is no module nope to report on."),
        ({"module": "retired-or-optional"}, "There is no module retired-or-optional to report on."),
        ({"status": "lost"}, "There is no status lost: it is one of completed, expired, "),
    ],
)
def test_a_value_that_names_nothing_is_a_400_that_names_it(org, args, message):
    error = refused(scope_of(db.session, org["hr"]), args)
    assert error.status == 400
    assert error.message.startswith(message)


def test_a_department_outside_a_manager_s_scope_is_403_whether_or_not_it_exists(org):
    scope = scope_of(db.session, org["boss"])
    for path in ("IT", "Nowhere", "finance"):
        error = refused(scope, {"department": path})
        assert (error.status, error.message) == (403, f"department {path} is outside your scope")
        assert refused(scope, {}, department=path).status == 403


def test_what_the_path_names_and_does_not_exist_is_a_404(org):
    scope = scope_of(db.session, org["hr"])
    assert refused(scope, {}, department="Nowhere").status == 404
    assert refused(scope, {}, module="nope").status == 404


def test_page_numbers_and_groupings(app):
    assert selection.page_number({}) == 1
    assert selection.page_number({"page": "7"}) == 7
    for bad in ("0", "-1", "two", "1.5", "٣", "1000001"):
        with pytest.raises(SelectionError, match="The page number must be a whole number"):
            selection.page_number({"page": bad})
    assert selection.grouping({}, default="department") == "department"
    assert selection.grouping({"by": "layer"}) == "layer"
    for args in ({}, {"by": "team"}):
        with pytest.raises(SelectionError, match="must be one of: department, layer, module"):
            selection.grouping(args)

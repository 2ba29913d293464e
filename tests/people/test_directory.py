"""Department paths: compared exactly, case and all, with no pattern characters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from awareness.extensions import db
from awareness.models import Person
from awareness.people import directory


def test_department_ids_under_does_not_match_a_name_that_only_starts_alike(hire):
    hire("a@example.org", department="Fin")
    hire("b@example.org", department="Finance")
    hire("c@example.org", department="Fin/Ops")
    ids = directory.department_ids_under(db.session, ["Fin"])
    paths = {
        d.department.path for d in db.session.scalars(select(Person)) if d.department_id in ids
    }
    assert paths == {"Fin", "Fin/Ops"}


def under(path: str) -> set[str]:
    """The paths of the departments ``department_ids_under`` finds for ``path``."""
    ids = directory.department_ids_under(db.session, [path])
    return {p.department.path for p in db.session.scalars(select(Person)) if p.department_id in ids}


def test_department_ids_under_compares_case_exactly(hire):
    hire("a@example.org", department="Finance")
    hire("b@example.org", department="finance/payroll")
    hire("c@example.org", department="FINANCE/Audit")
    hire("d@example.org", department="Finance/Payroll")
    assert under("Finance") == {"Finance", "Finance/Payroll"}
    assert under("finance") == {"finance/payroll"}
    assert under("FINANCE") == {"FINANCE/Audit"}


@pytest.mark.parametrize("wild", ["_", "%", "\\"])
def test_department_ids_under_treats_pattern_characters_as_plain_text(hire, wild):
    hire("a@example.org", department=f"R{wild}D")
    hire("b@example.org", department=f"R{wild}D/Lab")
    hire("c@example.org", department="RxD/Lab")
    hire("d@example.org", department="R&D/Lab")
    hire("e@example.org", department=f"R{wild}{wild}D/Lab")
    assert under(f"R{wild}D") == {f"R{wild}D", f"R{wild}D/Lab"}
    assert under("R") == set()

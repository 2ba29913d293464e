"""CSV text: streamed, and safe to open in a spreadsheet."""

from __future__ import annotations

import pytest

from awareness.extensions import db
from awareness.models.types import utcnow
from awareness.reporting import export
from awareness.reporting.figures import Filters


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

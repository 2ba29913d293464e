"""Score bands and how each question fares."""

from __future__ import annotations

from awareness.extensions import db
from awareness.models.types import utcnow
from awareness.people import directory
from awareness.reporting import insights
from awareness.reporting.figures import Filters
from tests.helpers import FULL, HALF, NONE, module


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

"""A small organisation whose figures are worked out by hand in the tests.

Times are relative to now (pages measure at the moment of the request), with
margins of days. Modules (tests/data/content): ``phishing`` (staff and
management, due 30 days, renew 365, pass 80, two questions), ``welcome`` (a
reading for all, never expires) and ``cyber-risk`` (leadership, pass 50).
Everyone but ``new`` joined long before the modules were published, so their
training fell due long ago.

============  =====================  ==========  ===========================  ====================
person        department             layer       phishing                     welcome (reading)
============  =====================  ==========  ===========================  ====================
hr (hr)       Executive              leadership  -                            done 10 days ago
boss (mgr)    Finance                management  100, 20 days ago: completed  none: overdue
pay1          Finance/Payroll        staff       50 then 100: completed       done
pay2          Finance/Payroll        staff       100, 380 days ago: expired   none: overdue
proc          Finance/Procurement    staff       50, 5 days ago: overdue      done
it            IT                     technical   (not assigned)               none: overdue
new           Finance/Payroll        staff       50 yesterday: in progress    none: not started
gone          Finance/Payroll        staff       deactivated: not counted
============  =====================  ==========  ===========================  ====================

hr also has cyber-risk, never attempted: overdue. Totals: 13 assigned, 5
completed, 6 overdue, best scores 100 x6 and 50 x2: average 87.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from awareness.extensions import db
from awareness.models import Module, Person
from awareness.models.types import utcnow
from awareness.progress import summary
from tests.helpers import FULL, HALF, take


@dataclass
class Org:
    people: dict[str, Person]

    def __getitem__(self, key: str) -> Person:
        return self.people[key]


def ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def build(make_person) -> Org:
    """The organisation of the table above (content must be synced)."""
    today = utcnow().date()
    db.session.execute(Module.__table__.update().values(published_on=today - timedelta(days=400)))
    db.session.commit()
    long_ago = today - timedelta(days=500)
    people = {
        "hr": make_person("hr@example.org", department="Executive", layer="leadership",
                          roles="hr", activated_on=long_ago),
        "boss": make_person("boss@example.org", department="Finance", layer="management",
                            roles="manager", activated_on=long_ago),
        "pay1": make_person("pay1@example.org", department="Finance/Payroll",
                            activated_on=long_ago),
        "pay2": make_person("pay2@example.org", department="Finance/Payroll",
                            activated_on=long_ago),
        "proc": make_person("proc@example.org", department="Finance/Procurement",
                            activated_on=long_ago),
        "it": make_person("it@example.org", department="IT", layer="technical",
                          activated_on=long_ago),
        "new": make_person("new@example.org", department="Finance/Payroll",
                           activated_on=today - timedelta(days=5)),
        "gone": make_person("gone@example.org", department="Finance/Payroll",
                            activated_on=long_ago),
    }  # fmt: skip
    take(people["hr"], "welcome", None, ago(10))
    take(people["boss"], "phishing", FULL, ago(20))
    take(people["pay1"], "phishing", HALF, ago(30))
    take(people["pay1"], "phishing", FULL, ago(25))
    take(people["pay1"], "welcome", None, ago(24))
    take(people["pay2"], "phishing", FULL, ago(380))
    take(people["proc"], "phishing", HALF, ago(5))
    take(people["proc"], "welcome", None, ago(3))
    take(people["new"], "phishing", HALF, ago(1))
    take(people["gone"], "phishing", FULL, ago(10))
    people["gone"].active = False
    summary.refresh(db.session, person_ids=[people["gone"].id])
    db.session.commit()
    return Org(people)

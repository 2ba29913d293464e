"""The plan of a synthetic organisation: pure functions of a seed.

The same seed, size, modules and time give the same departments, people,
attempts and answers; :mod:`.generate` writes them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from awareness.progress.attempts import bits
from awareness.progress.catalogue import written_for
from awareness.progress.scoring import percentage

#: How long the content has been live: attempts spread over this many days.
HISTORY_DAYS = 548

TOP = [
    "Finance", "Operations", "Information Technology", "Human Resources", "Legal",
    "Communications", "Health Services", "Planning", "Education", "Transport",
]  # fmt: skip
MIDDLE = [
    "Policy", "Delivery", "Support", "Analysis", "Projects", "Compliance", "Services",
    "Programmes",
]  # fmt: skip
BOTTOM = ["North", "South", "East", "West", "Central", "Team A", "Team B"]
FIRST = [
    "Alex", "Sam", "Jo", "Ria", "Omar", "Ines", "Tom", "Ana", "Li", "Kai", "Noor", "Eli",
    "Sara", "Max", "Zoe", "Dana", "Chris", "Morgan", "Lee", "Avery", "Harper", "Priya",
    "Yusuf", "Mia", "Ola", "Juan", "Fatima", "Ivan", "Aiko", "Ben",
]  # fmt: skip
LAST = [
    "Patel", "Kim", "Das", "Haddad", "Costa", "Berg", "Silva", "Wei", "Novak", "Khan",
    "Brown", "Ali", "Weber", "Martin", "Reyes", "Lee", "Morgan", "Okafor", "Nowak", "Rossi",
    "Dubois", "Sato", "Garcia", "Jensen", "Murphy", "Ivanova", "Mensah", "Cohen",
]  # fmt: skip
#: Layer weights; layers not listed here get a small share.
LAYER_WEIGHTS = {"leadership": 3, "management": 12, "staff": 68, "technical": 17}


# -- the plan (pure) -------------------------------------------------------


@dataclass(frozen=True)
class QuestionPlan:
    number: int
    correct: tuple[int, ...]
    wrong: tuple[int, ...]


@dataclass(frozen=True)
class ModulePlan:
    id: int
    major: int
    source_hash: str
    layer_ids: tuple[str, ...]  # Module.layer_ids: ("all",) for everyone
    due_days: int
    renew_days: int | None
    passing_score: int
    questions: tuple[QuestionPlan, ...]


@dataclass(frozen=True)
class PersonPlan:
    number: int
    email: str
    name: str
    department: str
    layer: str
    roles: str
    active: bool
    activated_on: date


def department_paths(seed: int, people: int) -> list[str]:
    """About three levels: a few top departments, each with units and teams."""
    rng = random.Random(f"{seed}-departments")
    tops = max(3, min(len(TOP), people // 2500 + 3))
    paths = []
    for top in TOP[:tops]:
        paths.append(top)
        for middle in rng.sample(MIDDLE, rng.randint(2, 4)):
            paths.append(f"{top}/{middle}")
            for bottom in rng.sample(BOTTOM, rng.randint(0, 3)):
                paths.append(f"{top}/{middle}/{bottom}")
    return paths


def plan_people(seed: int, count: int, paths: list[str], layers: list[str], today: date):
    """The people, in email order; the first is an HR administrator, then managers."""
    rng = random.Random(f"{seed}-people")
    weights = [LAYER_WEIGHTS.get(layer, 2) for layer in layers]
    leaves = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]
    managed = [p for p in paths if p.count("/") < 2]
    published = today - timedelta(days=HISTORY_DAYS)
    for number in range(1, count + 1):
        roles = ""
        if number == 1:
            department, layer, roles = paths[0], layers[0], "admin;hr"
        elif number - 2 < len(managed):
            department, roles = managed[number - 2], "manager"
            layer = "management" if "management" in layers else layers[0]
        else:
            department = rng.choice(leaves) if rng.random() < 0.85 else rng.choice(paths)
            layer = rng.choices(layers, weights)[0]
        joined = rng.random()
        if joined < 0.86:
            activated = published - timedelta(days=rng.randint(0, 1500))
        elif joined < 0.97:
            activated = published + timedelta(days=rng.randint(1, HISTORY_DAYS - 40))
        else:
            activated = today - timedelta(days=rng.randint(0, 25))
        yield PersonPlan(
            number=number,
            email=f"person{number:05d}@example.org",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            department=department,
            layer=layer,
            roles=roles,
            active=number <= 1 + len(managed) or rng.random() > 0.03,
            activated_on=activated,
        )


@dataclass(frozen=True)
class AttemptPlan:
    person: int
    module: ModulePlan
    submitted_at: datetime
    score: int
    passed: bool
    answers: tuple[tuple[int, int, bool], ...]  # (question, chosen bit set, correct)


def plan_attempts(
    rng: random.Random, person: PersonPlan, modules: list[ModulePlan], now: datetime
) -> Iterator[AttemptPlan]:
    """One person's history with each module assigned to them."""
    published = (now - timedelta(days=HISTORY_DAYS)).date()
    for module in modules:
        if not written_for(module.layer_ids, person.layer):
            continue
        assigned = max(person.activated_on, published)
        span = (now.date() - assigned).days
        if span <= 0:
            continue
        start = datetime.combine(assigned, datetime.min.time()) + timedelta(
            days=rng.randint(0, min(90, span - 1)), seconds=rng.randint(8 * 3600, 18 * 3600)
        )
        roll = rng.random()
        if roll < 0.14:
            continue  # never started
        if roll < 0.22:
            outcome = [(start, False)]
            if rng.random() < 0.4:
                outcome.append((start + timedelta(days=rng.randint(1, 20)), False))
        else:
            first = start
            outcome = []
            if roll < 0.32:  # failed, then retook and passed
                outcome.append((start, False))
                first = start + timedelta(days=rng.randint(1, 14), minutes=rng.randint(1, 600))
            passes = [first]
            while module.renew_days and passes[-1] + timedelta(days=module.renew_days) <= now:
                passes.append(passes[-1] + timedelta(days=module.renew_days - rng.randint(1, 40)))
            if roll > 0.9 and len(passes) > 1:  # let the last pass lapse: expired
                passes.pop()
            outcome += [(when, True) for when in passes]
        for when, passed in outcome:
            if when >= now:
                continue
            yield _attempt(rng, person.number, module, when, passed)


def _attempt(rng: random.Random, person: int, module: ModulePlan, when, passed: bool):
    questions = module.questions
    if not questions:
        return AttemptPlan(person, module, when, 100, True, ())
    total = len(questions)
    allowed = max(
        k
        for k in range(total + 1)
        if k == 0 or percentage(total - k, total) >= module.passing_score
    )
    if passed or allowed >= total:
        wrong_count = min(rng.choice((0, 0, 1)), allowed)
    else:
        wrong_count = rng.randint(allowed + 1, min(total, allowed + 3))
    # Later questions are harder: they are missed more often.
    wrong: set[int] = set()
    while len(wrong) < wrong_count:
        wrong.add(questions[min(int(rng.triangular(0, total, total)), total - 1)].number)
    answers = []
    for question in questions:
        right = bits(frozenset(question.correct))
        if question.number in wrong and question.wrong:
            # Most people who get it wrong fall for the same option.
            pick = question.wrong[0] if rng.random() < 0.6 else rng.choice(question.wrong)
            chosen = bits(frozenset({pick})) | (right if len(question.correct) > 1 else 0)
            answers.append((question.number, chosen, False))
        else:
            answers.append((question.number, right, True))
    right_count = sum(1 for answer in answers if answer[2])
    score = percentage(right_count, total)
    return AttemptPlan(person, module, when, score, score >= module.passing_score, tuple(answers))

"""A dated learning plan from picks: beginner before advanced, prerequisites first, sized to the person's week.

Pure: takes the picks, the pace and an explicit `today`; says plainly when the goal does not fit and what would.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from catalog.schema import Credential
from recommender.skills import words_match


@dataclass(frozen=True, slots=True)
class PathStep:
    credential: Credential
    start: date
    finish: date
    hours: float
    weeks: float


@dataclass(frozen=True, slots=True)
class LearningPath:
    steps: tuple[PathStep, ...]
    hours_per_week: float
    total_hours: float
    finish: date | None
    deadline: date | None
    fits: bool
    advice: tuple[str, ...]
    done: tuple[Credential, ...] = ()  # picks already completed: not planned again

    @property
    def credentials(self) -> tuple[Credential, ...]:
        return tuple(s.credential for s in self.steps)


def order_steps(credentials: Sequence[Credential]) -> list[Credential]:
    """Level first (beginner -> advanced); within that, anything whose prerequisites another step teaches
    comes after that step. Stable otherwise, so the ranking order breaks ties."""
    items = sorted(enumerate(credentials), key=lambda p: (p[1].level.rank, p[0]))
    ordered: list[Credential] = []
    remaining = [c for _, c in items]
    while remaining:
        for c in remaining:
            blockers = [
                other
                for other in remaining
                if other is not c
                and any(words_match(req, skill) for req in c.prerequisites for skill in other.skills)
                and other.level.rank <= c.level.rank
            ]
            if not blockers:
                ordered.append(c)
                remaining.remove(c)
                break
        else:  # a cycle of prerequisites: keep the level order
            ordered.append(remaining.pop(0))
    return ordered


def plan_path(
    credentials: Sequence[Credential],
    *,
    today: date,
    hours_per_week: float | None,
    deadline: date | None = None,
    weeks: float | None = None,
    logged: Mapping[str, float] | None = None,
    completed: Collection[str] = (),
) -> LearningPath:
    """`logged` (hours already put into a pick, by id) shortens its step; `completed` picks are left out."""
    pace = hours_per_week or 5.0
    if deadline is None and weeks is not None:
        deadline = today + timedelta(days=round(weeks * 7))
    logged = logged or {}
    done = tuple(c for c in credentials if c.id in completed)
    todo = [c for c in credentials if c.id not in completed]
    steps: list[PathStep] = []
    cursor = today
    for credential in order_steps(todo):
        hours = max(credential.hours - logged.get(credential.id, 0.0), 0.5)
        step_weeks = hours / pace
        finish = cursor + timedelta(days=max(1, math.ceil(step_weeks * 7)))
        steps.append(PathStep(credential, cursor, finish, hours, step_weeks))
        cursor = finish
    total = sum(s.hours for s in steps)
    finish_date = steps[-1].finish if steps else None
    fits = deadline is None or finish_date is None or finish_date <= deadline
    advice: list[str] = []
    if not hours_per_week:
        advice.append("Planned at 5 h/week; tell me your real hours for a sharper plan.")
    if not fits and deadline is not None and finish_date is not None:
        needed = _pace_that_fits([s.hours for s in steps], today, deadline)
        advice.append(
            f"All {len(steps)} steps take about {total:.0f} h, which at {pace:g} h/week runs to "
            f"{finish_date:%-d %b %Y}, after your {deadline:%-d %b %Y} target."
        )
        if needed is not None:
            advice.append(f"To finish by {deadline:%-d %b %Y} you would need about {needed:g} h/week.")
        advice.append(f"Or keep {pace:g} h/week and aim for {finish_date:%-d %b %Y}.")
        fitting = [s for s in steps if s.finish <= deadline]
        if fitting:
            first = "the first step" if len(fitting) == 1 else f"the first {len(fitting)} steps"
            advice.append(f"Or do {first} by then and the rest later.")
        else:
            short = min(steps, key=lambda s: s.hours)
            advice.append(f"The shortest step alone ({short.credential.title}) needs about {short.hours:.0f} h.")
    return LearningPath(tuple(steps), pace, total, finish_date, deadline, fits, tuple(advice), done)


def _pace_that_fits(step_hours: Sequence[float], today: date, deadline: date) -> float | None:
    """The smallest whole-hour weekly pace whose plan (same day rounding as plan_path) ends by the deadline."""
    total = sum(step_hours)
    days = max((deadline - today).days, 1)
    for pace in range(max(1, math.floor(total / (days / 7))), 61):
        cursor = today
        for hours in step_hours:
            cursor += timedelta(days=max(1, math.ceil(hours / pace * 7)))
        if cursor <= deadline:
            return float(pace)
    return None

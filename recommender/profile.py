"""Who is asking and what they can give: the plain data every ranking rule reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from catalog.schema import Format, Level

# "learn to ...", "I want to get better at ...": wanting to learn is true of every record, and the words pull a goal
# toward courses about learning itself (Learning How to Learn, Mindshift) rather than toward its topic
_INTENT = re.compile(
    r"^\s*(?:i(?:\s+(?:want|would like|need)|'d like)\s+to\s+)?"
    r"(?:learn(?:\s+how)?\s+to|learn\s+about|learn|(?:get|become|be)\s+(?:better|good)\s+at)\s+",
    re.I,
)
_LEFTOVERS = {"", "to", "how to", "about", "more"}  # "learn to", "learn more": nothing left to search for


def goal_topic(goal: str) -> str:
    """The goal without a leading "learn to": what the embedding and keyword search should look for."""
    topic = _INTENT.sub("", goal, count=1).strip()
    return goal.strip() if topic.lower() in _LEFTOVERS else topic


@dataclass(frozen=True, slots=True)
class Profile:
    role: str = ""
    goal: str = ""
    skills: tuple[str, ...] = ()
    target_skills: tuple[str, ...] = ()  # explicit extra targets ("something in Python"); occupation adds more
    hours_per_week: float | None = None
    weeks: float | None = None
    deadline: date | None = None
    budget: float | None = None  # None = any; 0 = free only
    currency: str = "USD"
    format: Format | None = None  # None = either
    level: Level | None = None
    language: str | None = None
    max_hours: float | None = None  # a hard cut, only when the person asks for one
    strict_time: bool = False  # True: drop what does not fit hours_per_week x weeks
    providers: tuple[str, ...] = ()  # only these providers or platforms ("google", "edx"); asked for in refinements
    credential_types: tuple[str, ...] = ()  # only these credential types ("certificate", "certification")
    university_only: bool = False  # only universities and colleges

    def with_(self, **changes: Any) -> Profile:
        return replace(self, **changes)

    def available_hours(self, today: date | None = None) -> float | None:
        """Hours the person can give before their deadline or within their weeks; None when unknown."""
        weeks = self.weeks_available(today)
        if self.hours_per_week is None or weeks is None:
            return None
        return self.hours_per_week * weeks

    def weeks_available(self, today: date | None = None) -> float | None:
        if self.weeks is not None:
            return self.weeks
        if self.deadline is not None and today is not None:
            return max((self.deadline - today).days / 7.0, 0.0)
        return None

    def query_text(self, target_skills: tuple[str, ...] = ()) -> str:
        """What the embedding model reads for this person: goal first, then role, then skills to learn."""
        parts = []
        if self.goal:
            parts.append(f"Goal: {self.goal}.")
        if self.role:
            parts.append(f"Currently: {self.role}.")
        targets = target_skills or self.target_skills
        if targets:
            parts.append("Wants to learn: " + ", ".join(targets[:12]) + ".")
        return " ".join(parts) or "a useful professional micro-credential"


@dataclass(frozen=True, slots=True)
class FeedbackEvent:
    credential_id: str
    kind: str  # like | dislike | enrolled | completed
    provider: str = ""
    skills: tuple[str, ...] = field(default_factory=tuple)
    level: Level | None = None

"""The onboarding questions as data and pure functions: what to ask next, how an answer changes the draft.

The draft is a plain dict kept in the store (users.draft), so a restart resumes where the person was. A key
present in the draft means "answered" (possibly skipped, then its value is None or empty).
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from recommender.parsing import (
    RATE,
    ParseError,
    Understood,
    parse_budget,
    parse_duration,
    parse_format,
    parse_hours_per_week,
    parse_skills,
    understand,
)
from recommender.profile import Profile

Parser = Callable[[str, date], dict[str, Any]]


def _role(text: str, today: date) -> dict[str, Any]:
    return {"role": _short_text(text, "your current role")}


UNSURE = re.compile(r"(idk|i don'?t know|dunno|no idea|not sure( yet)?|unsure|anything|whatever|no clue|\?+)[.!]*")


def _goal(text: str, today: date) -> dict[str, Any]:
    if UNSURE.fullmatch(" ".join(text.lower().split())):
        raise ParseError(
            "No problem, we can start from what you enjoy. What kind of work do you like, or what would you like "
            "to be better at? For example 'working with numbers', 'helping customers', 'building websites'."
        )
    return {"goal": _short_text(text, "your goal")}


def _short_text(text: str, what: str) -> str:
    value = " ".join(text.split())
    if len(value) < 2:
        raise ParseError(f"Could you tell me {what} in a few words?")
    if len(value) > 200:
        raise ParseError(f"That's a lot! Please describe {what} in under 200 characters.")
    return value


def _skills(text: str, today: date) -> dict[str, Any]:
    return {"skills": list(parse_skills(text))}


def _hours(text: str, today: date) -> dict[str, Any]:
    return {"hours_per_week": parse_hours_per_week(text)}


def _deadline(text: str, today: date) -> dict[str, Any]:
    d = parse_duration(text, today)
    return {"weeks": d.weeks, "deadline": d.deadline.isoformat() if d.deadline else None}


def _budget(text: str, today: date) -> dict[str, Any]:
    b = parse_budget(text)
    return {"budget": b.amount, "currency": b.currency}


def _format(text: str, today: date) -> dict[str, Any]:
    f = parse_format(text)
    return {"format": f.value if f else None}


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # the draft key that marks the step answered
    question: str
    hint: str
    choices: tuple[tuple[str, str], ...]  # (button label, typed-equivalent value)
    optional: bool
    parse: Parser
    skipped: dict[str, Any]
    # for someone whose typed answers keep failing (see `stuck`): buttons to offer when the question has none,
    # what Skip fills in on a question that is otherwise required, and what that Skip means, in words
    rescue: tuple[tuple[str, str], ...] = ()
    fallback: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    skip_means: str = "go on without it"


STEPS: tuple[Step, ...] = (
    Step(
        "role",
        "What do you do now?",
        "e.g. 'nurse', 'retail assistant', 'student'",
        (),
        False,
        _role,
        {},
        fallback=lambda draft: {"role": ""},
        skip_means="go on without it",
    ),
    Step(
        "goal",
        "What do you want to become, or get better at?",
        "e.g. 'data analyst', 'run better meetings', 'front-end web development'",
        (),
        False,
        _goal,
        {},
        rescue=(("Working with data", "data analysis"), ("Helping customers", "customer service"),
                ("Building websites", "web development"), ("Leading a team", "team leadership")),
        fallback=lambda draft: {"goal": draft.get("role") or "workplace skills"},
        skip_means="look for ways to grow in what you do now",
    ),
    Step(
        "skills",
        "Which skills do you already have? (optional)",
        "e.g. 'Excel, customer service, some SQL'",
        (),
        True,
        _skills,
        {"skills": []},
        skip_means="go on without them",
    ),
    Step(
        "hours_per_week",
        "How many hours a week can you really give?",
        "tap one or type e.g. 'about 4 hours'",
        (("2 h", "2"), ("5 h", "5"), ("10 h", "10")),
        False,
        _hours,
        {},
        fallback=lambda draft: {"hours_per_week": None},
        skip_means="rank without a weekly time limit",
    ),
    Step(
        "weeks",
        "By when do you want to be done, or for how long?",
        "e.g. '3 months', '8 weeks', 'by June'",
        (("1 month", "1 month"), ("3 months", "3 months"), ("6 months", "6 months")),
        True,
        _deadline,
        {"weeks": None, "deadline": None},
        skip_means="plan at your weekly pace with no end date",
    ),
    Step(
        "budget",
        "What can you spend?",
        "tap one or type e.g. '$200'",
        (("Free only", "free"), ("Up to $100", "100"), ("Up to $500", "500"), ("Any", "any")),
        False,
        _budget,
        {},
        fallback=lambda draft: {"budget": None, "currency": "USD"},
        skip_means="show every price",
    ),
    Step(
        "format",
        "Online, in person, or either?",
        "tap one or type it",
        (("Online", "online"), ("In person", "in person"), ("Either", "either")),
        False,
        _format,
        {},
        fallback=lambda draft: {"format": None},
        skip_means="show online and in-person ones",
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}


SKIP_WORDS = frozenset({"skip", "none", "no", "-", "pass", "nothing", "not really", "n/a", "na", "nope", "idk"})
BACK_WORDS = frozenset({"back", "go back"})
# typed at the (optional) time-frame question: no end date, plan at the weekly pace
NO_DEADLINE = re.compile(
    r"(asap|as soon as possible|soon|no rush|no hurry|no deadline|whenever|(it )?depends|whatever|not sure|"
    r"no idea|dunno|i don'?t know|don'?t know|flexible|open|any ?time|no (fixed )?(date|end date|time ?frame))"
)


def command_word(text: str) -> str:
    """'/Back', 'back!', ' Skip ' -> 'back' / 'skip': typed and slash forms of the same wish."""
    return text.strip().lower().lstrip("/").rstrip(".!")


def says_no_deadline(step: Step, text: str) -> bool:
    return step.key == "weeks" and NO_DEADLINE.fullmatch(command_word(text)) is not None


def next_step(draft: dict[str, Any]) -> Step | None:
    for step in STEPS:
        if step.key not in draft:
            return step
    return None


def position(step: Step) -> str:
    return f"{STEPS.index(step) + 1} of {len(STEPS)}"


def answer(draft: dict[str, Any], step: Step, text: str, today: date) -> dict[str, Any]:
    """The draft with this answer applied; raises ParseError with a friendly hint."""
    return {**draft, **step.parse(text, today)}


# draft key -> the step that asks for it
STEP_OF = {
    "role": "role", "goal": "goal", "skills": "skills", "hours_per_week": "hours_per_week", "weeks": "weeks",
    "deadline": "weeks", "budget": "budget", "currency": "budget", "format": "format",
}  # fmt: skip
FREE_TEXT_STEPS = frozenset({"role", "goal"})


_LOGISTICS = frozenset({
    "a", "an", "per", "each", "every", "week", "weeks", "weekly", "month", "months", "year", "years", "day", "days",
    "daily", "h", "hr", "hrs", "hour", "hours", "min", "mins", "minute", "minutes", "for", "in", "within", "over",
    "the", "next", "by", "until", "before", "about", "around", "roughly", "approx", "up", "to", "under", "max",
    "maximum", "budget", "of", "is", "only", "free", "online", "remote", "in-person", "person", "hybrid", "either",
    "usd", "eur", "euro", "euros", "gbp", "dollar", "dollars", "pound", "pounds", "quid", "bucks", "i", "can",
    "have", "do", "could", "spend", "study", "total", "and", "or", "end", "k",
}) | {m.lower() for m in calendar.month_name if m}  # fmt: skip


def logistics_only(text: str) -> bool:
    """Only time, money or format ("5h a week", "by June", "under $200"): no role, goal or skill in it."""
    words = re.findall(r"[a-z][a-z'-]*|\d[\d.,]*", text.lower())
    return bool(words) and all(w[0].isdigit() or w in _LOGISTICS for w in words)


DURATION_WORDS = re.compile(r"\b(weeks?|months?|years?|by|until|before)\b")


@dataclass(frozen=True, slots=True)
class Reading:
    draft: dict[str, Any]
    answered: bool  # the question asked got its answer
    noted: dict[str, Any]  # answers to questions not asked yet that the same message gave


def read_answer(draft: dict[str, Any], step: Step, text: str, today: date) -> Reading:
    """A typed answer to `step`, plus whatever later questions the same message answers.

    People answer ahead ("4 hours a week for 3 months" at the skills question) or sideways ("under $1000" at the
    hours question). Those answers are kept, and a question that asks for a number, a date, a budget or a format
    counts as answered only by text that reads as that: "under $1000" is not 1000 hours a week. Raises ParseError
    (with a friendly hint) only when the message answers nothing at all."""
    found = from_first_message(understand(text, today))
    asked = {k: v for k, v in found.items() if STEP_OF[k] == step.key}
    noted = {k: v for k, v in found.items() if STEP_OF[k] != step.key and STEP_OF[k] not in draft}
    if step.key in FREE_TEXT_STEPS and noted:
        # "data analyst, 5h a week" at the goal question: the goal is what is not about time, money or format
        kept = [c.strip() for c in re.split(r"[,;.\n]+", text) if c.strip() and not logistics_only(c)]
        if not kept:
            return Reading({**draft, **noted}, False, noted)
        text = ", ".join(kept)
    if step.key in FREE_TEXT_STEPS or not noted:
        if asked and step.key not in FREE_TEXT_STEPS:
            return Reading({**draft, **noted, **asked}, True, noted)
        try:
            own = step.parse(text, today)
        except ParseError:
            # "3 months" typed at the hours question: a time frame, kept for its own question
            low = text.lower()
            if step.key != "weeks" and "weeks" not in draft and DURATION_WORDS.search(low) and not RATE.search(low):
                with contextlib.suppress(ParseError):
                    frame = _deadline(text, today)
                    return Reading({**draft, **frame}, False, frame)
            raise
        return Reading({**draft, **noted, **own}, True, noted)
    if asked:
        return Reading({**draft, **noted, **asked}, True, noted)
    if step.key == "skills":
        # "Excel, SQL, and 5 h a week": the skills are the parts that are not about time, money or format
        kept = [s for s in parse_skills(text) if not from_first_message(understand(s, today))]
        if kept:
            return Reading({**draft, **noted, "skills": kept}, True, noted)
    return Reading({**draft, **noted}, False, noted)


def skip(draft: dict[str, Any], step: Step) -> dict[str, Any]:
    """Skip an optional question; a required one only once the person is stuck on it (then its fallback)."""
    if step.optional:
        return {**forget_misses(draft), **step.skipped}
    if stuck(draft, step) and step.fallback is not None:
        return {**forget_misses(draft), **step.fallback(draft)}
    raise ParseError("This one I need to give good picks. A rough answer is fine!")


# Unreadable answers in a row at the question being asked, kept in the draft (so in the store: a restart keeps the
# count) under a key no question uses, as {step key: count}. After STUCK_AFTER of them the person is offered
# buttons and Skip instead of the same error again.
MISSES = "_misses"
STUCK_AFTER = 2


def misses(draft: dict[str, Any], step: Step) -> int:
    counts = draft.get(MISSES)
    return int(counts.get(step.key, 0)) if isinstance(counts, dict) else 0


def missed(draft: dict[str, Any], step: Step) -> dict[str, Any]:
    """The draft after one more answer to `step` that could not be read."""
    return {**draft, MISSES: {step.key: misses(draft, step) + 1}}


def stuck(draft: dict[str, Any], step: Step) -> bool:
    return misses(draft, step) >= STUCK_AFTER


def forget_misses(draft: dict[str, Any], keep: Step | None = None) -> dict[str, Any]:
    """The draft without miss counts, except those for `keep` (the question still being asked)."""
    counts = draft.get(MISSES)
    if keep is not None and isinstance(counts, dict) and keep.key in counts:
        return {**draft, MISSES: {keep.key: counts[keep.key]}}
    return {k: v for k, v in draft.items() if k != MISSES}


def offered(step: Step) -> tuple[tuple[str, str], ...]:
    """The buttons a question's keyboard can carry: its own choices, or the rescue ones when it has none."""
    return step.choices or step.rescue


def answer_keys(step: Step) -> set[str]:
    """Every draft key one question's answer sets ("weeks" also sets "deadline", "budget" also "currency")."""
    return {step.key, *step.skipped, *(k for k, s in STEP_OF.items() if s == step.key)}


def forget_answer(draft: dict[str, Any], history: list[str], step: Step) -> tuple[dict[str, Any], list[str]]:
    """The draft without one answer (and what refinements derived from it), so only that question is asked again."""
    remove = answer_keys(step)
    remove |= {f"base_{k}" for k in remove}
    return {k: v for k, v in draft.items() if k not in remove}, [h for h in history if h != step.key]


def back(draft: dict[str, Any], history: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Forget the most recent answer so it is asked again."""
    if not history:
        return draft, history
    remove = answer_keys(STEP_BY_KEY[history[-1]])
    return {k: v for k, v in draft.items() if k not in remove}, history[:-1]


def from_first_message(understood: Understood) -> dict[str, Any]:
    """Fields a free-form first message already answered."""
    draft: dict[str, Any] = {}
    if understood.role:
        draft["role"] = understood.role
    if understood.goal:
        draft["goal"] = understood.goal
    if understood.skills:
        draft["skills"] = list(understood.skills)
    if understood.hours_per_week:
        draft["hours_per_week"] = understood.hours_per_week
    if understood.weeks or understood.deadline:
        draft["weeks"] = understood.weeks
        draft["deadline"] = understood.deadline.isoformat() if understood.deadline else None
    if understood.budget is not None:
        draft["budget"] = understood.budget.amount
        draft["currency"] = understood.budget.currency
    if understood.format_given:
        draft["format"] = understood.format.value if understood.format else None
    return draft


def profile_from_draft(draft: dict[str, Any]) -> Profile:
    from catalog.schema import Format, Level

    deadline = draft.get("deadline")
    return Profile(
        role=draft.get("role") or "",
        goal=draft.get("goal") or "",
        skills=tuple(draft.get("skills") or ()),
        target_skills=tuple(draft.get("target_skills") or ()),
        hours_per_week=draft.get("hours_per_week"),
        weeks=draft.get("weeks"),
        deadline=date.fromisoformat(deadline) if deadline else None,
        budget=draft.get("budget"),
        currency=draft.get("currency") or "USD",
        format=Format(draft["format"]) if draft.get("format") else None,
        level=Level(draft["level"]) if draft.get("level") else None,
        max_hours=draft.get("max_hours"),
        providers=tuple(draft.get("providers") or ()),
        credential_types=tuple(draft.get("credential_types") or ()),
        university_only=bool(draft.get("university_only")),
    )

"""Free-text refinements after results ("cheaper", "shorter", "something in Python") as profile changes."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.schema import Credential
from recommender.reasons import fmt_money


@dataclass(frozen=True, slots=True)
class Refinement:
    changes: dict[str, Any]
    summary: str  # what changed, or (with no changes) why nothing needed to


# words that adjust the picks rather than name a topic: "more advanced" is a level, not a skill called "advanced"
NOT_TOPICS = frozenset({
    "advanced", "beginner", "basic", "basics", "easier", "harder", "simpler", "intermediate", "expert", "cheaper",
    "cheap", "free", "shorter", "longer", "quicker", "faster", "online", "remote", "in-person", "person",
    "classroom", "options", "picks", "results", "please", "of", "them",
})  # fmt: skip


TOPIC_RE = re.compile(
    r"\b(?:something|anything|more|courses?|credentials?|one|stuff)\s+(?:in|on|about|with|for|using)\s+"
    r"(?P<topic>[a-z0-9 +#./-]{2,40})$|^(?:more\s+|focus on\s+|learn\s+)(?P<topic2>[a-z0-9 +#./-]{2,40})$"
)


RESETTABLE = ("budget", "currency", "format", "goal")  # onboarding answers a refinement may change
REFINED_ONLY: dict[str, Any] = {"max_hours": None, "level": None, "target_skills": []}  # set only by refinements


def _round_down(amount: float) -> float:
    """132 -> 130, 1480 -> 1400: a cap people would say."""
    if amount < 20:
        return float(int(amount))
    step = 10 if amount < 200 else 50 if amount < 1000 else 100
    return float(int(amount // step * step))


def is_refined(draft: dict[str, Any]) -> bool:
    """Do the picks differ from the person's own answers (so that "reset" would change something)?"""
    changed = any(f"base_{k}" in draft and draft[f"base_{k}"] != draft.get(k) for k in RESETTABLE)
    return changed or any(draft.get(k) for k in REFINED_ONLY)


def refine(text: str, draft: dict[str, Any], shown: Sequence[Credential]) -> Refinement | None:
    """The change a message asks for, or None when it is not a refinement we understand."""
    low = " ".join(text.lower().strip(" .!?").split())
    if re.fullmatch(r"(reset|undo|start over|clear( the)? (filters|limits)|remove( the)? (filters|limits)|"
                    r"reset( the)? (filters|limits))( please)?", low):  # fmt: skip
        if not is_refined(draft):
            return Refinement({}, "there is nothing to reset: these picks use your own answers")
        restored = {k: draft[f"base_{k}"] for k in RESETTABLE if f"base_{k}" in draft}
        cleared = {k: v for k, v in REFINED_ONLY.items() if draft.get(k)}
        return Refinement({**restored, **cleared}, "back to your own answers")
    changes: dict[str, Any] = {}
    said: list[str] = []
    if re.search(r"\b(free|no cost|without paying)\b", low):
        changes["budget"] = 0.0
        said.append("free only")
    elif re.search(r"\b(cheaper|less expensive|lower cost|too expensive|cheap)\b", low):
        if draft.get("budget") == 0:
            said.append("your picks are already free only")
        else:
            paid = [c.cost for c in shown if c.cost > 0]
            cap = round(min(paid) * 0.8) if paid else 0.0
            current = draft.get("budget")
            if current is not None:
                cap = min(cap, current * 0.5)
            cap = float(_round_down(cap))
            changes["budget"] = cap
            said.append("free only" if cap <= 0 else f"under about {fmt_money(cap, draft.get('currency') or 'USD')}")
    if re.search(r"\b(shorter|quicker|faster|less time|too long|smaller)\b", low):
        hours = [c.hours for c in shown] or [40.0]
        cap = max(1.0, round(statistics.median(hours) * 0.6))
        if draft.get("max_hours"):
            cap = min(cap, draft["max_hours"] * 0.6)
        changes["max_hours"] = float(cap)
        said.append(f"at most {cap:.0f} h")
    elif re.search(r"\b(longer|more in[- ]depth|deeper|bigger)\b", low):
        changes["max_hours"] = None
        said.append("no length limit")
    if re.search(r"\b(easier|beginner|basics|simpler|intro)\b", low):
        changes["level"] = "beginner"
        said.append("beginner level")
    elif re.search(r"\b(harder|advanced|expert)\b", low):
        changes["level"] = "advanced"
        said.append("advanced level")
    elif re.search(r"\bintermediate\b", low):
        changes["level"] = "intermediate"
        said.append("intermediate level")
    if re.search(r"\bonline\b|\bremote\b", low):
        changes["format"] = "online"
        said.append("online")
    elif re.search(r"\bin[- ]person\b|\bclassroom\b", low):
        changes["format"] = "in-person"
        said.append("in person")
    m = TOPIC_RE.search(low)
    if m:
        topic = (m.group("topic") or m.group("topic2") or "").strip()
        if topic and not set(topic.split()) <= NOT_TOPICS:
            targets = list(draft.get("target_skills") or [])
            if topic not in targets:
                targets.insert(0, topic)
            changes["target_skills"] = targets[:5]
            changes["goal"] = f"{draft.get('goal') or ''} {topic}".strip()
            said.append(f"more about {topic}")
    if not changes and not said:
        return None
    # remember the person's own answer the first time a refinement changes it, so "reset" can bring it back
    for key in RESETTABLE:
        if key in changes and f"base_{key}" not in draft:
            changes[f"base_{key}"] = draft.get(key)
    return Refinement(changes, ", ".join(said))

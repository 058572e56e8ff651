"""Free-text refinements after results ("cheaper", "shorter", "something in Python") as profile changes."""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.schema import Credential
from recommender.filters import provider_key
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
REFINED_ONLY: dict[str, Any] = {
    "max_hours": None, "level": None, "target_skills": [], "providers": [], "credential_types": [],
    "university_only": False,
}  # fmt: skip  # set only by refinements
TYPE_PATTERNS = (
    (r"professional certificates?", "professional-certificate"),
    (r"certifications?|certification exams?|exams?", "certification"),
    (r"certificates?", "certificate"),
    (r"badges?", "badge"),
    (r"nanodegrees?", "nanodegree"),
    (r"micro ?masters?", "micromasters"),
    (r"(?:course )?series|specializations?", "course-series"),
)
# the first type named decides: "certificates" includes professional certificates, "professional" narrows it
TYPE_CHOICES = {
    "professional-certificate": ["professional-certificate"],
    "certificate": ["certificate", "professional-certificate"],
}
ONLY_RE = r"(?:only|just|nothing but)"
PROVIDER_CUE = re.compile(r"\b(?:from|by|only|just|on|at|with|prefer|via)\b")


def provider_names(providers: Sequence[str], platforms: Sequence[str] = ("Coursera", "edX", "Udemy")) -> dict[str, str]:
    """provider_key -> name as shown, for refinements like "only Google" or "something on edX"."""
    out = {provider_key(p): p for p in platforms}
    for p in providers:
        out.setdefault(provider_key(p), p)
    out.pop("", None)
    return out


def _providers_named(low: str, known: Mapping[str, str]) -> list[str]:
    if not known or not PROVIDER_CUE.search(low):
        return []
    words = re.findall(r"[a-z0-9&.'+-]+", low)
    found: list[str] = []
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            key = provider_key(" ".join(words[i : i + n]))
            if len(key) >= 2 and key in known and known[key] not in found and not _inside(key, found):
                found.append(known[key])
    return found


def _inside(key: str, found: Sequence[str]) -> bool:
    """Part of a provider already found ("google" inside "Google Cloud")."""
    return any(key in provider_key(f) for f in found)


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


def refine(
    text: str, draft: dict[str, Any], shown: Sequence[Credential], known_providers: Mapping[str, str] | None = None
) -> Refinement | None:
    """The change a message asks for, or None when it is not a refinement we understand.

    `known_providers` (from provider_names) lets "only Google" or "something on edX" filter by provider."""
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
    types = [value for pattern, value in TYPE_PATTERNS if re.search(
        rf"\b{ONLY_RE}\s+(?:{pattern})\b|\b(?:{pattern})\s+{ONLY_RE}\b|^(?:{pattern})$", low)]
    if types:
        changes["credential_types"] = TYPE_CHOICES.get(types[0], types)
        said.append(" or ".join(t.replace("-", " ") + "s" for t in changes["credential_types"]) + " only")
    if re.search(r"\buniversit(?:y|ies)\b|\bcolleges?\b|\bacademic\b", low):
        changes["university_only"] = True
        said.append("universities only")
    named = _providers_named(low, known_providers or {})
    if named:
        changes["providers"] = named
        said.append("from " + " or ".join(named))
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
    if m and named and provider_key(m.group("topic") or m.group("topic2") or "") in {provider_key(n) for n in named}:
        m = None  # "something on edX" names a platform, not a topic
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

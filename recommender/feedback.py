"""How a person's reactions (like, dislike, enrolled, completed) shift their later rankings. Pure functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.schema import Credential, Level
from recommender.profile import FeedbackEvent
from recommender.skills import normalize_skill

DISLIKED_PROVIDER = -0.06  # per dislike of that provider, capped below
LIKED_PROVIDER = 0.03
TOPIC = 0.03  # per shared skill with liked (+) or disliked (-) items, capped below
CAP = 0.15
NEXT_LEVEL = 0.08  # a step up from something completed on the same skills


@dataclass(frozen=True)
class FeedbackModel:
    hidden: frozenset[str] = frozenset()  # disliked, enrolled or completed: not shown again
    provider_votes: Counter[str] = field(default_factory=Counter)
    skill_votes: Counter[str] = field(default_factory=Counter)
    completed_levels: dict[str, int] = field(default_factory=dict)  # skill -> highest completed level rank

    def adjustment(self, credential: Credential) -> float:
        """Additive score change for one credential, bounded to +-CAP per kind so no signal dominates."""
        provider = self.provider_votes.get(credential.provider, 0)
        provider_part = max(-CAP, min(CAP, provider * (LIKED_PROVIDER if provider > 0 else -DISLIKED_PROVIDER)))
        skills = [normalize_skill(s) for s in credential.skills]
        topic = sum(self.skill_votes.get(s, 0) for s in skills)
        topic_part = max(-CAP, min(CAP, topic * TOPIC))
        next_part = 0.0
        done = [self.completed_levels[s] for s in skills if s in self.completed_levels]
        if done:
            best = max(done)
            if credential.level.rank == best + 1:
                next_part = NEXT_LEVEL
            elif credential.level.rank <= best:
                next_part = -NEXT_LEVEL
        return provider_part + topic_part + next_part


def learn(events: Iterable[FeedbackEvent]) -> FeedbackModel:
    hidden: set[str] = set()
    providers: Counter[str] = Counter()
    skills: Counter[str] = Counter()
    completed: dict[str, int] = {}
    for e in events:
        sign = {"like": 1, "dislike": -1, "enrolled": 1, "completed": 1}.get(e.kind, 0)
        if e.kind in ("dislike", "enrolled", "completed"):
            hidden.add(e.credential_id)
        if e.provider and sign:
            providers[e.provider] += sign
        for s in e.skills:
            skills[normalize_skill(s)] += sign
        if e.kind == "completed" and e.level is not None:
            for s in e.skills:
                key = normalize_skill(s)
                completed[key] = max(completed.get(key, -1), e.level.rank)
    return FeedbackModel(frozenset(hidden), providers, skills, completed)


def event_for(credential: Credential, kind: str) -> FeedbackEvent:
    level: Level | None = credential.level
    return FeedbackEvent(credential.id, kind, credential.provider, credential.skills, level)

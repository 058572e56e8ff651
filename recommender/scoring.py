"""Score components, each a pure function returning a number in [0, 1], and the one place their weights live.

score = semantic * w.semantic + lexical * w.lexical + role * w.role + phrase * w.phrase + coverage * w.coverage
        + time_fit * w.time + level_fit * w.level + cost_fit * w.cost + format_fit * w.format + focus * w.focus
        + feedback adjustment

The weights come from `credbot eval --tune` (recommender.evaluation.tune, a coordinate search) on the "tune" split
of eval/profiles.jsonl only, never on the held-out ones. They were searched again when the catalog grew from 370
to 5,957 records (and its pooled results had been judged): role 0.2 -> 0.4, phrase 2.0 -> 1.5, time 1.0 -> 0.8 and
goal mix 0.7 -> 1.0 were kept (tune P@5 0.717 -> 0.726, time-fit 94%, above the 85% target); the search's MMR
lambda 1.0 was not (0.737 with it), because near-copies side by side (three Google Ads exams, five Udemy HTML
courses) are a real annoyance, so it stays 0.9. Substance (assessed work over video alone) was offered to the
search at 0-1 and not taken: 0. Cost is 0.08 rather than 0 so that among equally good picks the cheaper comes
first. docs/EVALUATION.md has the figures they produce.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from catalog.schema import Format, Level
from recommender.money import to_usd


@dataclass(frozen=True, slots=True)
class Weights:
    semantic: float = 1.0  # cosine of profile query and credential text (all-MiniLM-L6-v2)
    lexical: float = 0.8  # TF-IDF cosine, keeps exact skill terms
    role: float = 0.4  # TF-IDF cosine of the person's current role: context, never a target
    phrase: float = 1.5  # cosine of the goal and the credential's two closest skill phrases
    coverage: float = 0.45  # share of the person's missing target skills the credential teaches
    time: float = 0.8  # credential hours vs the hours the person has (smooth)
    level: float = 0.3  # distance between wanted and offered level
    cost: float = 0.08  # cheaper is a little better when no budget was given
    format: float = 0.05  # exact format match when the person said "either" or gave a soft preference
    substance: float = 0.0  # assessed work over lectures only, more than an hour or two (filters.substance)
    focus: float = 1.5  # topics the person asked for by name ("something in Python") beat the general gap
    language: float = 0.3  # records in the language the person writes in, when they set none (filters.language)
    goal_mix: float = 1.0  # semantic = mix * cos(goal) + (1 - mix) * cos(centroid of missing target skills)
    time_steepness: float = 1.2  # how fast time fit falls once hours exceed what is available
    mmr_lambda: float = 0.9  # relevance vs novelty in the final top-k
    provider_cap: int = 2  # at most this many picks from one provider in the top-k
    candidates: int = 60  # hybrid retrieval depth before full scoring


DEFAULT_WEIGHTS = Weights()


# a few words that mark a goal written in another language than English; the bot itself speaks English
_MARKERS = {
    "es": "quiero aprender para trabajo mejorar como los las una del ser mis",
    "pt": "quero aprender para trabalho melhorar como os uma ser meu minha não",
    "fr": "je veux apprendre pour travail améliorer comme les une être mon ma dans",
    "de": "ich möchte lernen für arbeit verbessern wie eine sein mein und nicht",
}
LANGUAGE_MARKERS = {code: frozenset(words.split()) for code, words in _MARKERS.items()}


def written_in(text: str) -> str:
    """The base language a goal is written in: English unless three or more marker words of another say so."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    best, hits = "en", 2
    for code, markers in LANGUAGE_MARKERS.items():
        found = sum(w in markers for w in words)
        if found > hits:
            best, hits = code, found
    return best


def language_fits(languages: np.ndarray, wanted: str) -> np.ndarray:
    """1 for records in the wanted base language ("en" for "en-GB"), 0 for the rest."""
    return np.array([lang == wanted for lang in languages], dtype=np.float64)


def time_fits(
    hours: np.ndarray, available: float | None, steepness: float = DEFAULT_WEIGHTS.time_steepness
) -> np.ndarray:
    """1 where a credential fits the available hours; decays smoothly (exp) with the overshoot ratio."""
    hours = np.asarray(hours, dtype=np.float64)
    if available is None:
        return np.ones_like(hours)
    if available <= 0:
        return np.zeros_like(hours)
    ratio = hours / available
    return np.where(ratio <= 1.0, 1.0, np.exp(-steepness * np.maximum(ratio - 1.0, 0.0)))


def time_fit(hours: float, available: float | None, steepness: float = DEFAULT_WEIGHTS.time_steepness) -> float:
    return float(time_fits(np.array([hours]), available, steepness)[0])


def fits_time(hours: float, available: float | None) -> bool:
    return available is None or hours <= available + 1e-9


UNSTATED_LEVEL = np.array([1.0, 0.9, 0.6])  # by level rank: beginner, intermediate, advanced


def level_fits(offered_ranks: np.ndarray, wanted: Level | None) -> np.ndarray:
    """Exact level = 1; each step away costs 0.45. With no stated level, introductory material is favoured a bit."""
    ranks = np.asarray(offered_ranks, dtype=np.int64)
    if wanted is None:
        return UNSTATED_LEVEL[ranks]
    return np.maximum(0.0, 1.0 - 0.45 * np.abs(ranks - wanted.rank))


def level_fit(offered: Level, wanted: Level | None) -> float:
    return float(level_fits(np.array([offered.rank]), wanted)[0])


def cost_fits(cost_usd: np.ndarray, budget: float | None) -> np.ndarray:
    """Free = 1. Without a budget a gentle preference for cheaper; within a budget, the cheaper share left.

    Prices and `budget` in USD (recommender.money.to_usd)."""
    usd = np.asarray(cost_usd, dtype=np.float64)
    if budget is None:
        paid = 1.0 / (1.0 + usd / 1000.0)
    elif budget <= 0:
        paid = np.zeros_like(usd)
    else:
        paid = np.maximum(0.0, 1.0 - 0.5 * usd / max(budget, 1e-9))
    return np.where(usd <= 0, 1.0, paid)


def cost_fit(cost: float, currency: str, budget: float | None) -> float:
    return float(cost_fits(np.array([to_usd(cost, currency)]), budget)[0])


def format_fit(offered: Format, wanted: Format | None) -> float:
    if wanted is None or offered == wanted:
        return 1.0
    if Format.HYBRID in (offered, wanted):
        return 0.5
    return 0.0


def format_fits(offered_codes: np.ndarray, wanted: Format | None) -> np.ndarray:
    """format_fit over format codes (recommender.filters.FORMAT_CODES order, i.e. the Format enum's order)."""
    table = np.array([format_fit(f, wanted) for f in Format])
    return table[np.asarray(offered_codes, dtype=np.int64)]


def coverages(covered: np.ndarray, missing: int) -> np.ndarray:
    """Share of missing target skills taught, saturating at 4 (nobody needs one course to teach all 20)."""
    covered = np.asarray(covered, dtype=np.float64)
    if missing <= 0:
        return np.zeros_like(covered)
    return np.minimum(1.0, covered / min(missing, 4))


def coverage(covered: int, missing: int) -> float:
    return float(coverages(np.array([covered]), missing)[0])


def phrase_fit(phrase_sims: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Mean cosine of each credential's two skill phrases closest to the goal.

    A short goal ("fix computers") sits closer to a short skill ("hardware troubleshooting") than to a whole
    record's text, where the title and description dilute it; two phrases rather than one so that a single
    stray skill does not carry a record. `slots` is (width, credentials): row k holds every credential's k-th
    skill-phrase index, -1 where it has no more; one running top-2 pass per row, no sort.
    """
    n = slots.shape[1] if slots.ndim == 2 else 0
    ext = np.append(np.asarray(phrase_sims, dtype=np.float32), np.float32(-np.inf))  # index -1 -> -inf
    best = np.full(n, -np.inf, dtype=np.float32)
    second = best.copy()
    for row in slots:
        v = ext[row]
        second = np.maximum(second, np.minimum(best, v))
        best = np.maximum(best, v)
    second = np.where(np.isfinite(second), second, best)  # one skill only: its own similarity
    out = (best + second) * np.float32(0.5)
    return np.where(np.isfinite(out), out, np.float32(0.0))


def combine(parts: Mapping[str, Any], weights: Weights = DEFAULT_WEIGHTS) -> Any:
    """Weighted sum of the parts: floats for one credential, or arrays over many at once."""
    return (
        weights.semantic * parts["semantic"]
        + weights.lexical * parts["lexical"]
        + weights.role * parts.get("role", 0.0)
        + weights.phrase * parts.get("phrase", 0.0)
        + weights.coverage * parts["coverage"]
        + weights.time * parts["time"]
        + weights.level * parts["level"]
        + weights.cost * parts["cost"]
        + weights.format * parts["format"]
        + weights.substance * parts.get("substance", 0.0)
        + weights.focus * parts.get("focus", 0.0)
        + weights.language * parts.get("language", 0.0)
        + parts.get("feedback", 0.0)
    )

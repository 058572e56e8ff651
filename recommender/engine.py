"""The recommender: hybrid retrieval, full scoring, diversity and reasons over an indexed catalog.

Holds the indexed state (vectors, TF-IDF, skill vocabulary); every rule it applies lives in its own module.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import sparse

from catalog.occupations import Occupation
from catalog.schema import Credential
from recommender import scoring
from recommender.dense import DenseScores
from recommender.diversity import mmr
from recommender.encoder import Encoder
from recommender.feedback import FeedbackModel
from recommender.filters import CatalogColumns, filter_mask
from recommender.index import EmbeddingCache, IndexReport
from recommender.lexical import LexicalIndex
from recommender.money import to_usd
from recommender.profile import Profile, goal_topic
from recommender.reasons import FORMAT_WORDS, display_skill, fmt_money, reasons_for
from recommender.scoring import DEFAULT_WEIGHTS, Weights
from recommender.skills import (
    GENERIC_NAMES,
    GOAL_SKILL_FLOOR,
    SKILL_SAME,
    SkillSpace,
    Targeting,
    normalize_skill,
    one_per_skill,
    text_words,
    words_match,
)

# Say honestly that nothing fits when no pick teaches a missing skill and even the closest pick's goal closeness
# (mean of whole-record cosine and skill-phrase fit) is below this. Set below the tune half's lowest in-catalog goal
# (0.296) with a margin, so real goals are rarely told "nothing fits"; goals the catalog does not serve mostly land
# at 0.20-0.30 but some read close to a neighbour ("pipeline" welding vs data pipelines). `credbot eval` counts both
# sides (eval/out_of_catalog.jsonl; docs/EVALUATION.md).
WEAK_MATCH = 0.27


@dataclass(frozen=True)
class Pick:
    credential: Credential
    score: float
    parts: dict[str, float]
    covered: tuple[str, ...]
    reasons: tuple[str, ...]
    fits_time: bool


@dataclass(frozen=True)
class Reading:
    """How the recommender reads a profile (its one model call): the text searched for, its vector, its cosine to
    every skill phrase, and the skill gap that follows. The evaluation reads the gap from here too, so the skill
    coverage it reports is the coverage of the gap the ranker actually used."""

    text: str
    vector: np.ndarray
    phrase_sims: np.ndarray
    targeting: Targeting


@dataclass(frozen=True)
class Recommendations:
    picks: tuple[Pick, ...]
    targeting: Targeting
    weak: bool = False
    note: str = ""
    candidates: int = 0  # how many passed the hard filters
    available_hours: float | None = None
    excluded: tuple[str, ...] = field(default_factory=tuple)
    labels: Mapping[str, str] = field(default_factory=dict)  # matched skill phrase -> as people write it

    def label(self, phrase: str) -> str:
        return self.labels.get(phrase, phrase)

    @property
    def missing_labels(self) -> tuple[str, ...]:
        """The skill gap as it should be shown."""
        return tuple(self.label(m) for m in self.targeting.missing_skills)


def _digest(text: str) -> str:
    """Cache key of what the model actually reads, so a change in a record or in how it is rendered re-encodes."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def credential_items(credentials: Sequence[Credential]) -> list[tuple[str, str, str]]:
    """(cache key, hash of the embedded text, text) for the embedding cache."""
    return [(f"cred:{c.id}", _digest(c.document_text()), c.document_text()) for c in credentials]


def skill_labels(credentials: Sequence[Credential], occupations: Sequence[Occupation]) -> dict[str, str]:
    """Normalized skill phrase -> as people write it, over records and occupations (the skill vocabulary)."""
    labels: dict[str, str] = {}
    for skill in [s for c in credentials for s in c.skills] + [s for o in occupations for s in o.skills]:
        labels.setdefault(normalize_skill(skill), display_skill(" ".join(skill.lower().split())))
    labels.pop("", None)
    return labels


def phrase_items(phrases: Sequence[str]) -> list[tuple[str, str, str]]:
    return [(f"skill:{p}", _digest(p), p) for p in phrases]


def occupation_names(occupations: Sequence[Occupation]) -> tuple[list[str], list[int]]:
    names: list[str] = []
    owners: list[int] = []
    for i, o in enumerate(occupations):
        for name in o.names:
            names.append(name)
            owners.append(i)
    return names, owners


def occupation_tasks(occupations: Sequence[Occupation]) -> tuple[list[str], list[int]]:
    tasks: list[str] = []
    owners: list[int] = []
    for i, o in enumerate(occupations):
        for task in o.tasks:
            tasks.append(task)
            owners.append(i)
    return tasks, owners


def name_items(names: Sequence[str]) -> list[tuple[str, str, str]]:
    return [(f"occ:{n}", _digest(n), n) for n in names]


def task_items(tasks: Sequence[str]) -> list[tuple[str, str, str]]:
    return [(f"task:{_digest(t)}", _digest(t), t) for t in tasks]


def corpus_items(credentials: Sequence[Credential], occupations: Sequence[Occupation]) -> list[tuple[str, str, str]]:
    """Every text a Recommender over this catalog embeds: what `credbot catalog build` ships vectors for."""
    names, _ = occupation_names(occupations)
    tasks, _ = occupation_tasks(occupations)
    items = credential_items(credentials) + phrase_items(sorted(skill_labels(credentials, occupations)))
    items += name_items(names) + task_items(tasks)
    return list({key: (key, digest, text) for key, digest, text in items}.values())


def goal_closeness(semantic: np.ndarray, phrase: np.ndarray) -> float:
    """How close the closest candidate is to the goal: mean of whole-record cosine and skill-phrase fit."""
    return float(((semantic + phrase) / 2).max()) if len(semantic) else 0.0


def is_weak_match(
    semantic: np.ndarray, phrase: np.ndarray, covered: Sequence[Sequence[str]], targeting: Targeting
) -> bool:
    """Nothing really fits: even the closest candidate is far from the goal and no pick teaches a needed skill.

    Teaching a skill only guessed from the goal's wording ("grant writing" -> "writing to learn") is no evidence
    of a match; teaching one the person named, or their target occupation needs, is."""
    return goal_closeness(semantic, phrase) < WEAK_MATCH and not teaches_trusted(covered, targeting)


def teaches_trusted(covered: Sequence[Sequence[str]], targeting: Targeting) -> bool:
    """Some pick teaches a missing skill the person named or a hand-written occupation needs."""
    trusted = set(targeting.missing_skills) - set(targeting.guessed_skills) - set(targeting.derived_skills)
    return any(set(c) & trusted for c in covered)


WEAK_NAMED = 0.40  # with an occupation named that no pick mentions, "nothing fits" below this closeness
# words a goal names a job by that say too little on their own ("yoga teacher": the yoga is what must be taught)
ROLE_WORDS = GENERIC_NAMES | {"teacher", "instructor", "worker", "artist", "professional", "member", "licence"}
_FILLER = (
    "become becoming qualify qualified train training trained work working learn learning want myself first "
    "better really about their there with from into that this what when your have more make help will like able "
    "career start getting certified licensed junior senior and the for our out off own its are can"
)
GOAL_FILLER = frozenset(_FILLER.split())  # words of a goal that name no job


NAMING_SHARE = 0.15  # a long goal that names a job in passing ("... so I can move up to buyer") is about the rest


def content_words(goal: str) -> set[str]:
    return {w for w in text_words(goal) if len(w) >= 3 and w not in GOAL_FILLER and w not in ROLE_WORDS}


def stem(word: str) -> str:
    """Crude but enough to tell that "driving" and "driver", "plumbing" and "plumber", "astronaut" and
    "astronautical" name one trade: a plural and one common ending dropped, six letters kept."""
    if len(word) > 4:
        word = re.sub(r"s$", "", word)
    cut = re.sub(r"(ing|ers|er|ed|ist|ian|ical|al|y|e)$", "", word)
    return (cut if len(cut) >= 3 else word)[:6]


def naming_words(goal: str, occupation: Occupation) -> frozenset[str]:
    """Stems of the goal's words that also name its occupation ("airline pilot" in "become an airline pilot and
    fly for a regional carrier"), minus words too generic to need teaching ("teacher" of "yoga teacher")."""
    names = {stem(w) for n in occupation.names for w in text_words(n) if len(w) >= 3}
    return frozenset(
        s
        for w in text_words(goal)
        if len(w) >= 3 and w not in GOAL_FILLER and w not in ROLE_WORDS and (s := stem(w)) in names
    )


def title_stems(credential: Credential) -> frozenset[str]:
    """Stems of what a record says it is about: its title and skills, not its description."""
    return frozenset(stem(w) for w in text_words(f"{credential.title} {' '.join(credential.skills)}"))


def names_untaught(
    targeting: Targeting,
    picks: Sequence[Credential],
    semantic: np.ndarray,
    phrase: np.ndarray,
    goal: str = "",
    covered: Sequence[Sequence[str]] = (),
    stem_counts: Callable[[], Mapping[str, int]] | None = None,
) -> bool:
    """The goal names an occupation ("become a midwife", "cabin crew") and no pick is about it: in a catalog of
    thousands something always sits near the words, so closeness alone no longer tells a served goal from one the
    catalog does not serve; a pick whose title or skills hold the most specific word the goal names the job by
    does ("groom" of "dog groomer", the word fewest records hold: `stem_counts()`), as does one that teaches a skill
    the person asked for ("a supply chain certificate ... to move up to buyer").

    With the goal's own naming words ("yoga teacher" -> yoga) closeness is no excuse: aerospace courses read
    close to "become an astronaut" yet none trains one. Without them (the goal only matched a neighbouring
    occupation), the occupation's matched name is looked for anywhere in the picks and only below WEAK_NAMED."""
    o = targeting.goal_occupation
    if o is None or not o.confident or o.task or not picks or teaches_trusted(covered, targeting):
        return False
    naming = naming_words(goal, o.occupation)
    if naming and len(naming) >= NAMING_SHARE * len(content_words(goal)):
        counts = stem_counts() if stem_counts is not None else {}
        specific = min(naming, key=lambda s: (counts.get(s, 0), -len(s), s))
        return not any(specific in title_stems(c) for c in picks)
    words = [w for w in text_words(o.matched_name) if len(w) >= 5 and w not in GENERIC_NAMES]
    if not words or goal_closeness(semantic, phrase) >= WEAK_NAMED:
        return False
    text = " ".join(f"{c.title} {' '.join(c.skills)} {c.description}" for c in picks).lower()
    return not any(w[:-1] in text for w in words)


def no_match_note(profile: Profile, limits: str = "") -> str:
    """`limits` (from limits_text) when closer records exist outside the person's hard filters: then the filters,
    not the catalog, are why nothing fits, and the person should know which to relax."""
    about = profile.goal or profile.role or "that"
    if limits:
        return (
            f"Nothing within your limits ({limits}) really teaches {about!r}, but closer options exist outside them: "
            "relax one to see them. These are the nearest within your limits."
        )
    return (
        f"I have nothing that really teaches {about!r}. These are the nearest options in the catalog; "
        "they may only touch on it."
    )


TYPE_WORDS = {
    "certificate": "certificates",
    "professional-certificate": "professional certificates",
    "certification": "certification exams",
    "badge": "badges",
    "course-series": "course series",
    "nanodegree": "nanodegrees",
    "micromasters": "MicroMasters",
}


def limits_text(profile: Profile, today: date) -> str:
    """The hard filters a profile sets, in words: "free only, online, at most 10 h"."""
    parts = []
    if profile.budget is not None:
        parts.append("free only" if profile.budget == 0 else f"up to {fmt_money(profile.budget, profile.currency)}")
    if profile.format is not None:
        parts.append(FORMAT_WORDS[profile.format].split(" (")[0])
    if profile.language:
        parts.append(f"in {profile.language}")
    if profile.max_hours is not None:
        parts.append(f"at most {profile.max_hours:g} h")
    if profile.providers:
        parts.append("from " + " or ".join(profile.providers))
    if profile.credential_types:
        parts.append(" or ".join(TYPE_WORDS.get(t, t) for t in profile.credential_types) + " only")
    if profile.university_only:
        parts.append("universities only")
    available = profile.available_hours(today)
    if profile.strict_time and available is not None:
        parts.append(f"within your {available:.0f} h")
    return ", ".join(parts)


def skill_slots(incidence: sparse.csr_matrix, width: int = 64) -> np.ndarray:
    """Skill-phrase indices as (width, credentials), -1 where a credential has no more (see scoring.phrase_fit).

    Slot-major so that each pass of phrase_fit reads one contiguous row."""
    counts = np.diff(incidence.indptr)
    out = np.full((max(1, min(width, int(counts.max(initial=1)))), incidence.shape[0]), -1, dtype=np.int32)
    for i in range(incidence.shape[0]):
        cols = incidence.indices[incidence.indptr[i] : incidence.indptr[i + 1]][: out.shape[0]]
        out[: len(cols), i] = cols
    return out


class Recommender:
    def __init__(
        self,
        credentials: Sequence[Credential],
        encoder: Encoder,
        *,
        occupations: Sequence[Occupation] = (),
        cache: EmbeddingCache | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        progress: bool = False,
        vectors: np.ndarray | None = None,
    ) -> None:
        self.credentials = list(credentials)
        self.encoder = encoder
        self.weights = weights
        self.cache = cache
        self.report: IndexReport | None = None
        self.by_id = {c.id: i for i, c in enumerate(self.credentials)}
        if vectors is None:
            vectors = self._vectors(credential_items(self.credentials), progress)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._retrieval_key: tuple[float, float] | None = None
        self._retrieval_scores: DenseScores | None = None
        self.lexical = LexicalIndex([c.document_text() for c in self.credentials])
        self.columns = CatalogColumns.of(self.credentials)
        self.providers = [c.provider for c in self.credentials]
        self._stems: Counter[str] | None = None
        self.space = self._skill_space(occupations, progress)
        rows, cols = [], []
        for i, c in enumerate(self.credentials):
            for p in {normalize_skill(s) for s in c.skills}:
                if p in self.space.index:
                    rows.append(i)
                    cols.append(self.space.index[p])
        # credential x skill-phrase incidence, so coverage of all candidates is one sparse product
        self.incidence = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(self.credentials), max(len(self.space.phrases), 1)),
        )
        self.slots = skill_slots(self.incidence)
        # every record's skills fit in its slots (only a record with > 64 skills would not): coverage can then be
        # read from the slots with plain numpy instead of slicing the sparse matrix per request
        self._slots_complete = int(np.diff(self.incidence.indptr).max(initial=0)) <= self.slots.shape[0]
        self._same_cache: dict[str, frozenset[int]] = {}

    # -- indexing ----------------------------------------------------------------------------------------------
    def _vectors(self, items: list[tuple[str, str, str]], progress: bool, description: str = "Indexing") -> np.ndarray:
        if self.cache is None:
            return self.encoder.encode_documents([t for _, _, t in items])

        def keep(report: IndexReport) -> None:
            if description == "Indexing":
                self.report = report

        return self.cache.vectors(self.encoder, items, progress=progress, description=description, on_report=keep)

    def _skill_space(self, occupations: Sequence[Occupation], progress: bool) -> SkillSpace:
        labels = skill_labels(self.credentials, occupations)
        phrases = sorted(labels)
        phrase_vecs = self._vectors(phrase_items(phrases), progress, "Skills")
        empty = np.zeros((0, self.encoder.dim), np.float32)
        names, owners = occupation_names(occupations)
        name_vecs = self._vectors(name_items(names), progress, "Occupations") if names else empty
        tasks, task_owner = occupation_tasks(occupations)
        task_vecs = self._vectors(task_items(tasks), progress, "Tasks") if tasks else empty
        return SkillSpace(
            phrases, phrase_vecs, occupations, name_vecs, owners, names, labels, task_vecs, task_owner, tasks
        )

    def _retrieval(self) -> DenseScores:
        """Stage-1 vectors: w.semantic * record vector + w.phrase * centroid of the record's skill phrases.

        Linear in the query, so semantic fit and (a linear stand-in for) skill-phrase fit cost one pass over the
        catalog instead of two plus a gather; stage 2 then scores the candidates with the exact top-2 phrase fit.
        Rebuilt only when those two weights change (as during `credbot eval --tune`)."""
        key = (self.weights.semantic, self.weights.phrase)
        if self._retrieval_scores is None or self._retrieval_key != key:
            centroids = np.asarray(self.incidence @ self.space.vectors, dtype=np.float32)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
            combined = key[0] * self.vectors + key[1] * centroids
            del centroids
            self._retrieval_scores = DenseScores(combined.astype(np.float32, copy=False))
            self._retrieval_key = key
        return self._retrieval_scores

    # -- skill helpers ---------------------------------------------------------------------------------------
    def _phrase_vectors(self, phrases: Sequence[str]) -> np.ndarray:
        """Vocabulary phrases from the index; unknown ones encoded (LRU-cached in the encoder)."""
        out = np.zeros((len(phrases), self.encoder.dim), dtype=np.float32)
        unknown = [p for p in phrases if p not in self.space.index]
        encoded = dict(zip(unknown, self.encoder.encode_queries(unknown), strict=True)) if unknown else {}
        for i, p in enumerate(phrases):
            out[i] = self.space.vectors[self.space.index[p]] if p in self.space.index else encoded[p]
        return out

    def _same_as(self, phrase: str, vector: np.ndarray) -> frozenset[int]:
        """Vocabulary indices that mean the same skill as `phrase` (by meaning or by words); memoized."""
        hit = self._same_cache.get(phrase)
        if hit is None:
            sims = self.space.vectors @ vector
            close = set(np.nonzero(sims >= SKILL_SAME)[0].tolist())
            first = phrase.split(" ")[0]
            close.update(i for i, p in enumerate(self.space.phrases) if first in p and words_match(phrase, p))
            hit = frozenset(close)
            if len(self._same_cache) < 50_000:
                self._same_cache[phrase] = hit
        return hit

    def targeting(
        self, profile: Profile, goal_vector: np.ndarray | None, phrase_sims: np.ndarray | None = None
    ) -> Targeting:
        """Occupation(s) meant, target skills, and which of them the person still lacks.

        `phrase_sims` (skill-phrase vectors @ goal_vector), when the caller already has them, saves one product."""
        goal_match = role_match = None
        if profile.goal and goal_vector is not None:
            goal_match = self.space.match_occupation(profile.goal, goal_vector)
        if profile.role:
            role_match = self.space.match_role(profile.role)
        targets: list[str] = [normalize_skill(s) for s in profile.target_skills]
        guessed: list[str] = []
        if profile.goal:
            targets += self.space.phrases_in_text(profile.goal)
        target_occ = goal_match if goal_match and goal_match.confident else None
        if target_occ is None and profile.goal and goal_vector is not None:
            by_task = self.space.match_task(goal_vector)
            if by_task is not None and by_task.confident:
                goal_match = target_occ = by_task
        if target_occ is None and not profile.goal and role_match and role_match.confident:
            target_occ = role_match  # upskilling in the current role
        if (
            target_occ is not None
            and target_occ is goal_match
            and role_match is not None
            and role_match.confident
            and role_match.occupation.id == target_occ.occupation.id
        ):
            # already in that occupation ("registered nurse" -> "become a nurse manager", a paralegal after
            # e-discovery): its skill list is what they have, so the goal's own words say what is new
            target_occ = None
        derived: list[str] = []
        if target_occ is not None:
            targets += [normalize_skill(s) for s in target_occ.occupation.skills]
            if target_occ.occupation.derived:
                derived = [normalize_skill(s) for s in target_occ.occupation.skills]
        if profile.goal and (target_occ is None or target_occ.occupation.esco_only):
            # an ESCO-only job (farrier) names few skills of its own: the goal's nearest phrases fill the gap
            assert goal_vector is not None
            sims = phrase_sims if phrase_sims is not None else self.space.vectors @ goal_vector
            guessed = self.space.nearest_phrases(sims, 6, GOAL_SKILL_FLOOR, taken=targets)
            targets += guessed
        # one skill once: "azure" asked for and "microsoft azure" from the occupation are one gap, not two
        targets = one_per_skill(list(dict.fromkeys(t for t in targets if t)))
        known = [normalize_skill(s) for s in profile.skills if normalize_skill(s)]
        if (
            role_match
            and role_match.confident
            and target_occ is not None
            and role_match.occupation.id != target_occ.occupation.id
        ):
            known += [normalize_skill(s) for s in role_match.occupation.skills]
        known = list(dict.fromkeys(known))
        target_vecs = self._phrase_vectors(targets) if targets else np.zeros((0, self.encoder.dim), np.float32)
        missing: list[str] = []
        if known:
            known_ids: set[int] = set()
            known_vecs = self._phrase_vectors(known)
            for k, v in zip(known, known_vecs, strict=True):
                known_ids |= self._same_as(k, v)
            close = (target_vecs @ known_vecs.T) >= SKILL_SAME
            for i, t in enumerate(targets):
                if close[i].any():
                    continue
                if t in self.space.index:  # vocabulary phrase: its equivalents are already known
                    if self.space.index[t] in known_ids:
                        continue
                elif any(words_match(t, k) for k in known):
                    continue
                missing.append(t)
        else:
            missing = list(targets)
        return Targeting(
            goal_match, role_match, tuple(targets), tuple(missing), tuple(known), tuple(guessed), tuple(derived)
        )

    def _stem_counts(self) -> Counter[str]:
        """How many records' titles and skills hold each word stem; built on the first goal that names a job."""
        if self._stems is None:
            self._stems = Counter(s for c in self.credentials for s in title_stems(c))
        return self._stems

    def _closest_skills(self, credential: Credential, phrase_sims: np.ndarray) -> list[str]:
        """The record's own skills, the ones nearest the goal first, so "teaches ..." names what matters."""

        def closeness(skill: str) -> float:
            k = self.space.index.get(normalize_skill(skill))
            return float(phrase_sims[k]) if k is not None else -1.0

        return sorted(credential.skills, key=closeness, reverse=True)

    # -- ranking -----------------------------------------------------------------------------------------------
    def allowed(self, profile: Profile, today: date) -> np.ndarray:
        """Records that pass the hard constraints the person asked for (also used by the evaluation baselines)."""
        return filter_mask(
            self.columns,
            budget_usd=None if profile.budget is None else to_usd(profile.budget, profile.currency),
            format=profile.format,
            language=profile.language,
            max_hours=profile.max_hours,
            available_hours=profile.available_hours(today),
            strict_time=profile.strict_time,
            providers=profile.providers,
            credential_types=profile.credential_types,
            university_only=profile.university_only,
        )

    def read(self, profile: Profile) -> Reading:
        """One model call per request: the goal's topic (or, without a goal, the role and skills as a query)."""
        query = goal_topic(profile.goal) if profile.goal else profile.query_text()
        qvec = self.encoder.encode_queries([query])[0]
        phrase_sims = self.space.vectors @ qvec  # goal vs every skill phrase: targeting, phrase fit, reasons
        targeting = self.targeting(profile, qvec if profile.goal else None, phrase_sims if profile.goal else None)
        return Reading(query, qvec, phrase_sims, targeting)

    def fit_scores(self, profile: Profile, *, today: date, ids: Iterable[str]) -> dict[str, float]:
        """How well each listed record fits the person, for an order over a whole list (the Mini App's "fit for
        me"): the weighted parts `recommend` uses, less those it computes for its candidates only (skill
        coverage, exact phrase fit, diversity); one model call and one pass over the listed records."""
        chosen = [i for i in ids if i in self.by_id]
        if not chosen:
            return {}
        w = self.weights
        idx = np.array([self.by_id[i] for i in chosen], dtype=np.int64)
        reading = self.read(profile)
        lex_query = " ".join([reading.text if profile.goal else profile.role, *reading.targeting.missing_skills[:10]])
        budget_usd = None if profile.budget is None else to_usd(profile.budget, profile.currency)
        cols = self.columns
        parts: dict[str, Any] = {
            "semantic": (self.vectors[idx] @ reading.vector).astype(np.float64),
            "lexical": self.lexical.scores(lex_query)[idx].astype(np.float64),
            "coverage": 0.0,
            "time": scoring.time_fits(cols.hours[idx], profile.available_hours(today), w.time_steepness),
            "level": scoring.level_fits(cols.level[idx], profile.level),
            "cost": scoring.cost_fits(cols.cost_usd[idx], budget_usd),
            "format": scoring.format_fits(cols.format[idx], profile.format),
            "substance": cols.substance[idx],
        }
        scores = np.asarray(scoring.combine(parts, w), dtype=np.float64)
        return {cid: float(x) for cid, x in zip(chosen, scores, strict=True)}

    def recommend(
        self,
        profile: Profile,
        *,
        today: date,
        top_k: int = 5,
        feedback: FeedbackModel | None = None,
        exclude: Iterable[str] = (),
    ) -> Recommendations:
        w = self.weights
        reading = self.read(profile)
        query, qvec, phrase_sims, targeting = reading.text, reading.vector, reading.phrase_sims, reading.targeting
        available = profile.available_hours(today)

        passes = self.allowed(profile, today)  # the person's hard filters only
        mask = passes.copy()
        hidden = set(exclude) | (set(feedback.hidden) if feedback else set())
        for cid in hidden:
            if cid in self.by_id:
                mask[self.by_id[cid]] = False
        allowed = np.nonzero(mask)[0]
        missing = list(targeting.missing_skills)
        labels = {m: self.space.label(m) for m in missing}
        if len(allowed) == 0:
            message = "Nothing in the catalog passes your filters."
            return Recommendations((), targeting, True, message, 0, available, labels=labels)

        missing_vecs = self._phrase_vectors(missing) if missing else None
        semantic_query = qvec
        if missing_vecs is not None:
            centroid = missing_vecs.mean(axis=0)
            centroid /= np.linalg.norm(centroid) or 1.0
            semantic_query = (w.goal_mix * qvec + (1 - w.goal_mix) * centroid).astype(np.float32)
        # stage 1, over every allowed record: one matrix-vector pass (the cost that grows with the catalog) plus
        # TF-IDF; stage 2, over the candidates only: the exact components, skill-phrase fit included
        lex_query = " ".join([query if profile.goal else profile.role, *missing[:10]])
        lex_all = self.lexical.scores(lex_query)[allowed]
        # the current role as keyword context ("inventory planner" for "stop running out of bestsellers"): words
        # only, so no second model call; without a goal the role is already the query
        if profile.goal and profile.role and w.role:
            role_all = self.lexical.scores(profile.role)[allowed]
        else:
            role_all = np.zeros(len(allowed), dtype=np.float32)
        dense = self._retrieval().dot(semantic_query)
        hybrid = dense[allowed] + w.lexical * lex_all + w.role * role_all
        depth = min(len(allowed), max(w.candidates, top_k * 4))
        top = np.argpartition(-hybrid, depth - 1)[:depth] if depth < len(allowed) else np.arange(len(allowed))
        cand = allowed[top]

        covers = self._covers(cand, missing, missing_vecs)
        budget_usd = None if profile.budget is None else to_usd(profile.budget, profile.currency)
        asked = {normalize_skill(t) for t in profile.target_skills}
        focus_cols = np.array([m in asked for m in missing], dtype=bool)
        cols = self.columns
        # every component over all candidates at once; the per-pick dict is built only for the top k
        parts: dict[str, np.ndarray] = {
            "semantic": (self.vectors[cand] @ semantic_query).astype(np.float64),
            "lexical": lex_all[top].astype(np.float64),
            "role": role_all[top].astype(np.float64),
            "phrase": scoring.phrase_fit(phrase_sims, self.slots[:, cand]).astype(np.float64),
            "coverage": scoring.coverages(covers.sum(axis=1), len(missing)),
            "focus": scoring.coverages(covers[:, focus_cols].sum(axis=1), int(focus_cols.sum())),
            "time": scoring.time_fits(cols.hours[cand], available, w.time_steepness),
            "level": scoring.level_fits(cols.level[cand], profile.level),
            "cost": scoring.cost_fits(cols.cost_usd[cand], budget_usd),
            "format": scoring.format_fits(cols.format[cand], profile.format),
            "substance": cols.substance[cand],
            # a person who set a language has it as a hard filter; the rest prefer the one they write in
            "language": np.zeros(len(cand))
            if profile.language
            else scoring.language_fits(cols.language[cand], scoring.written_in(f"{profile.goal} {profile.role}")),
            "feedback": np.array([feedback.adjustment(self.credentials[i]) for i in cand])
            if feedback
            else np.zeros(len(cand)),
        }
        scores = np.asarray(scoring.combine(parts, w), dtype=np.float64)

        order = mmr(
            scores,
            self.vectors[cand],
            [self.providers[i] for i in cand],
            top_k,
            lam=w.mmr_lambda,
            provider_cap=w.provider_cap,
        )
        picks = []
        for j in order:
            c = self.credentials[cand[j]]
            covered = tuple(m for m, hit in zip(missing, covers[j], strict=True) if hit)
            picks.append(
                Pick(
                    credential=c,
                    score=float(scores[j]),
                    parts={name: float(values[j]) for name, values in parts.items()},
                    covered=covered,
                    reasons=reasons_for(
                        c,
                        covered=tuple(labels[m] for m in covered),
                        missing_count=len(missing),
                        hours_per_week=profile.hours_per_week,
                        available=available,
                        budget=profile.budget,
                        budget_currency=profile.currency,
                        teaches=self._closest_skills(c, phrase_sims),
                        guessed=targeting.gap_is_guessed,
                    ),
                    fits_time=scoring.fits_time(c.hours, available),
                )
            )
        weak = is_weak_match(parts["semantic"], parts["phrase"], [p.covered for p in picks], targeting)
        weak = weak or names_untaught(
            targeting,
            [p.credential for p in picks],
            parts["semantic"],
            parts["phrase"],
            profile.goal,
            [p.covered for p in picks],
            self._stem_counts,
        )
        note = ""
        if weak:
            closer = self._closer_outside(passes, dense, semantic_query, phrase_sims)
            note = no_match_note(profile, limits_text(profile, today) if closer else "")
        return Recommendations(tuple(picks), targeting, weak, note, len(allowed), available, tuple(hidden), labels)

    def _closer_outside(
        self, passes: np.ndarray, dense: np.ndarray, semantic_query: np.ndarray, phrase_sims: np.ndarray
    ) -> bool:
        """Would a record the person's hard filters (`passes`) exclude have been a real match? Checked only when
        nothing within the filters is, on the 20 excluded records stage 1 ranks highest."""
        outside = np.nonzero(~passes)[0]
        if len(outside) == 0:
            return False
        top = outside[np.argsort(-dense[outside])[:20]]
        semantic = self.vectors[top] @ semantic_query
        phrase = scoring.phrase_fit(phrase_sims, self.slots[:, top])
        return float(((semantic + phrase) / 2).max()) >= WEAK_MATCH

    def _covers(self, cand: np.ndarray, missing: Sequence[str], missing_vecs: np.ndarray | None) -> np.ndarray:
        """Candidates x missing skills: does the record teach that skill (or one meaning the same)?"""
        if missing_vecs is None:
            return np.zeros((len(cand), 0), dtype=bool)
        same = np.zeros((len(self.space.phrases), len(missing)), dtype=np.float32)
        for k, (m, v) in enumerate(zip(missing, missing_vecs, strict=True)):
            same[list(self._same_as(m, v)), k] = 1.0
        if not self._slots_complete:
            return np.asarray(self.incidence[cand] @ same) > 0
        same_ext = np.vstack([same, np.zeros((1, len(missing)), dtype=np.float32)])  # slot -1 -> no skill
        return np.asarray(same_ext[self.slots[:, cand]].max(axis=0) > 0)

"""Target skills and skill gap: which occupation someone means, what it needs, and what they still lack.

Skill phrases are compared by meaning (embedding cosine) as well as by words, so "python programming" counts as
"python" and "data visualisation" as "data visualization".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from catalog.occupations import Occupation

SKILL_SAME = 0.75  # cosine at which two skill phrases are taken to mean the same skill
OCCUPATION_FLOOR = 0.50  # below this a goal is not taken to name an occupation (tune half: 4 right matches gained
# between 0.50 and 0.55, ML engineer, IT support, UX designer, DEI specialist; none wrong above 0.50)
GENERIC_NAMES = frozenset(
    {
        "lead",
        "manager",
        "analyst",
        "specialist",
        "coordinator",
        "assistant",
        "engineer",
        "developer",
        "designer",
        "consultant",
        "officer",
        "director",
        "supervisor",
        "administrator",
        "agent",
        "representative",
        "technician",
        "owner",
        "founder",
        "planner",
        "writer",
        "associate",
        "executive",
        "advisor",
        "adviser",
        "head",
        "clerk",
        # short forms that mostly mean something else in a goal: Certified ScrumMaster, "6 pm", Virginia
        "csm",
        "pm",
        "ea",
        "va",
    }
)  # one-word names too vague to mean an occupation on their own
LEXICAL_FLOOR = 0.6  # character n-gram cosine for a role ("data analyt" ~ "data analyst")
TASK_FLOOR = 0.60  # a goal this close to one of an occupation's O*NET task statements takes that occupation's skills
# ("present findings to senior management" -> a task of management analysts); see docs/EVALUATION.md
GOAL_SKILL_FLOOR = 0.5  # skill phrases this close to a free-form goal become targets when no occupation matched


@lru_cache(maxsize=65536)
def normalize_skill(text: str) -> str:
    """The form phrases are matched and embedded in; "sales & marketing" is "sales and marketing", but the "&" of
    "p&l" or "s&op" stays (read as "pandl" they mean nothing to the model)."""
    text = re.sub(r"\s+&\s+", " and ", text.lower().replace("visualisation", "visualization"))
    return " ".join(re.sub(r"[^a-z0-9+#./& ]+", " ", text).split()).strip(". &")


def text_words(text: str) -> list[str]:
    """Words of free text in the normalized form, a sentence's full stop dropped ("...the Scrum Master. I need")
    but not the dots of "node.js" or ".net"."""
    words = (w.rstrip(".") for w in normalize_skill(text).split())
    return [w for w in words if w]


def words_match(a: str, b: str) -> bool:
    """Same phrase, or one is a whole-word part of the other ("python" in "python programming")."""
    return same_words(normalize_skill(a).split(), normalize_skill(b).split())


def same_words(ta: Sequence[str], tb: Sequence[str]) -> bool:
    """words_match on phrases already normalized and split (the hot path of targeting)."""
    if not ta or not tb:
        return False
    short, long = (list(ta), list(tb)) if len(ta) <= len(tb) else (list(tb), list(ta))
    if len(short) == 1 and len(short[0]) < 2:
        return False
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def one_per_skill(phrases: Sequence[str]) -> list[str]:
    """Normalized phrases in order, each dropped when an earlier one names the same words ("microsoft azure" after
    "azure"). Runs per request: a pair sharing no word at all is ruled out before the phrase test."""
    words = [p.split() for p in phrases]
    shared = [set(w) for w in words]
    kept: list[int] = []
    for i in range(len(phrases)):
        if not any(shared[i] & shared[j] and same_words(words[i], words[j]) for j in kept):
            kept.append(i)
    return [phrases[i] for i in kept]


def word_grams(tokens: Sequence[str], longest: int) -> list[str]:
    """Every run of 1..longest consecutive words, shortest first ("data", "analyst", "data analyst")."""
    return [" ".join(tokens[i : i + n]) for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)]


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    occupation: Occupation
    similarity: float
    matched_name: str
    floor: float = OCCUPATION_FLOOR  # embedding matches; lexical (role) matches use LEXICAL_FLOOR
    task: str = ""  # set when the goal was read through one of the occupation's task statements

    @property
    def confident(self) -> bool:
        return self.similarity >= self.floor


@dataclass(frozen=True, slots=True)
class Targeting:
    """What the recommender understood a person wants: the basis of skill gap and reasons."""

    goal_occupation: OccupationMatch | None
    role_occupation: OccupationMatch | None
    target_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]
    known_skills: tuple[str, ...]
    guessed_skills: tuple[str, ...] = ()  # targets only guessed as the nearest phrases to a free-form goal
    # targets from an occupation built from O*NET rather than written by hand: phrases found in its task statements,
    # real but loose, so teaching one is no proof that the catalog serves the goal (see engine.is_weak_match)
    derived_skills: tuple[str, ...] = ()

    @property
    def gap_is_guessed(self) -> bool:
        """Every missing skill is a guess from the goal's wording, so say "sounds close to", not "to gain"."""
        return bool(self.missing_skills) and set(self.missing_skills) <= set(self.guessed_skills)


class SkillSpace:
    """Skill phrase vocabulary with vectors, and occupation name vectors, for fuzzy matching."""

    def __init__(
        self,
        phrases: Sequence[str],
        phrase_vectors: np.ndarray,
        occupations: Sequence[Occupation],
        name_vectors: np.ndarray,
        name_owner: Sequence[int],
        names: Sequence[str],
        labels: Mapping[str, str] | None = None,
        task_vectors: np.ndarray | None = None,
        task_owner: Sequence[int] = (),
        tasks: Sequence[str] = (),
    ) -> None:
        self.phrases = list(phrases)
        self.task_vectors = task_vectors if task_vectors is not None else np.zeros((0, phrase_vectors.shape[1]))
        self.task_owner = np.asarray(task_owner, dtype=np.int32)
        self.tasks = list(tasks)
        self.labels = dict(labels or {})
        self.index = {p: i for i, p in enumerate(self.phrases)}
        self.vectors = phrase_vectors
        self.occupations = list(occupations)
        self.name_vectors = name_vectors
        self.name_owner = np.asarray(name_owner, dtype=np.int32)
        self.names = list(names)
        self._normalized_names = [normalize_skill(n) for n in self.names]
        self._name_index: dict[str, int] = {}
        for i, n in enumerate(self._normalized_names):
            one_word = " " not in n
            # a one-word title of an occupation built from O*NET or ESCO ("model", "host", "customers") is too
            # often an everyday word in a goal to name that occupation verbatim; hand-written ones ("teacher",
            # "nurse") are kept, and every name still matches by meaning through its vector. ESCO-only jobs match
            # by meaning only: their labels include everyday phrases ("back-up", "test driver")
            owner = self.occupations[self.name_owner[i]]
            loose = owner.esco_only or (one_word and (n in GENERIC_NAMES or owner.derived))
            if n and not loose:
                self._name_index.setdefault(n, i)
        self._longest_name = max((len(n.split()) for n in self._name_index), default=0)
        self._role_cache: dict[str, OccupationMatch | None] = {}
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
        self._char_matrix = self._char.fit_transform(self._normalized_names) if self.names else None

    def label(self, phrase: str) -> str:
        """A phrase as people write it ("de-escalation", "p&l management"), not as it is matched ("de escalation")."""
        return self.labels.get(phrase, phrase)

    def _exact_name(self, text: str) -> int | None:
        """An occupation named verbatim (the longest such name); generic one-word names ("lead") do not count."""
        found = [g for g in word_grams(text_words(text), self._longest_name) if g in self._name_index]
        return self._name_index[max(found, key=len)] if found else None

    def match_role(self, text: str) -> OccupationMatch | None:
        """A current role, matched without the model: an exact name, else character n-gram similarity."""
        key = normalize_skill(text)
        if key not in self._role_cache:
            if len(self._role_cache) > 10_000:
                self._role_cache.clear()
            self._role_cache[key] = self._match_role(text)
        return self._role_cache[key]

    def _match_role(self, text: str) -> OccupationMatch | None:
        if not text.strip() or self._char_matrix is None:
            return None
        exact = self._exact_name(text)
        if exact is not None:
            return OccupationMatch(self.occupations[self.name_owner[exact]], 1.0, self.names[exact], LEXICAL_FLOOR)
        sims = (self._char_matrix @ self._char.transform([normalize_skill(text)]).T).toarray().ravel()
        i = int(np.argmax(sims))
        return OccupationMatch(self.occupations[self.name_owner[i]], float(sims[i]), self.names[i], LEXICAL_FLOOR)

    def match_occupation(self, text: str, vector: np.ndarray) -> OccupationMatch | None:
        """Best occupation for a goal text: an exact name in the text wins, else nearest name vector."""
        if not text.strip() or not self.occupations:
            return None
        exact = self._exact_name(text)
        if exact is not None:
            sim = max(float(self.name_vectors[exact] @ vector), 0.9)
            return OccupationMatch(self.occupations[self.name_owner[exact]], sim, self.names[exact])
        sims = self.name_vectors @ vector
        i = int(np.argmax(sims))
        return OccupationMatch(self.occupations[self.name_owner[i]], float(sims[i]), self.names[i])

    def match_task(self, vector: np.ndarray) -> OccupationMatch | None:
        """The occupation whose task statement is nearest an outcome-style goal ("stop running out of stock")."""
        if not len(self.tasks):
            return None
        sims = self.task_vectors @ vector
        i = int(np.argmax(sims))
        occ = self.occupations[self.task_owner[i]]
        return OccupationMatch(occ, float(sims[i]), occ.title, TASK_FLOOR, task=self.tasks[i])

    def phrases_in_text(self, text: str) -> list[str]:
        """Vocabulary skills named verbatim in free text ("something in Python", "learn SQL and Tableau")."""
        tokens = text_words(text)
        grams = set(word_grams(tokens, 6))
        found = [g for g in grams if g in self.index and len(g) >= 2]
        # keep the longest phrases: "data visualization" rather than also "data"
        kept = [p for p in found if not any(p != q and len(q) > len(p) and words_match(p, q) for q in found)]
        return sorted(kept, key=lambda p: " ".join(tokens).find(p))

    def nearest_phrases(self, sims: np.ndarray, k: int, floor: float, taken: Sequence[str] = ()) -> list[str]:
        """Up to k vocabulary phrases with the highest `sims` (phrase vectors @ a query vector) at or above floor,
        one per skill and none meaning the same as a `taken` phrase: "grant budgets" next to "grant budget" would
        count one gap twice. Only the 4k nearest are looked at, so near-copies can leave fewer than k."""
        seen = [self.index[t] for t in taken if t in self.index]
        kept: list[int] = []
        for i in np.argsort(-sims)[: k * 4]:
            if sims[i] < floor or len(kept) == k:
                break
            if seen and float((self.vectors[seen] @ self.vectors[i]).max()) >= SKILL_SAME:
                continue
            kept.append(int(i))
            seen.append(int(i))
        return [self.phrases[i] for i in kept]

"""Recommendation quality on the project's own labelled profiles: credbot vs TF-IDF vs embeddings-only.

eval/profiles.jsonl holds profiles with graded relevance judgements (2 = a strong pick for this person,
1 = relevant, listed in `not_relevant` or absent = not relevant) and a justification each. Splits: "tune" (weights
may be chosen on them), "heldout" (never used for tuning), "fresh" (written and judged after the ranker was
finished, never looked at while building it) and "fresh2" (a second such set, written after the catalog had grown
from what "fresh" showed). The targets are judged on "untuned" = heldout + fresh + fresh2.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from catalog.schema import Credential
from recommender.engine import Recommendations, Recommender
from recommender.parsing import profile_fields
from recommender.profile import Profile
from recommender.scoring import Weights
from recommender.skills import words_match

K = 5


@dataclass(frozen=True)
class LabelledProfile:
    id: str
    split: str
    profile: Profile
    relevant: dict[str, int]
    why: str
    not_relevant: frozenset[str] = frozenset()  # judged and found off-goal (pooled judging)

    @property
    def judged(self) -> frozenset[str]:
        return frozenset(self.relevant) | self.not_relevant


def eval_path() -> Path:
    here = Path(__file__).resolve().parent.parent / "eval" / "profiles.jsonl"
    if here.exists():
        return here
    return Path(str(resources.files("recommender"))).parent / "eval" / "profiles.jsonl"


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_labelled(path: Path | None = None, today: date = date(2026, 12, 1)) -> list[LabelledProfile]:
    out = []
    for data in _json_lines(path or eval_path()):
        fields = profile_fields(data["profile"], today)
        out.append(
            LabelledProfile(
                id=data["id"],
                split=data["split"],
                profile=Profile(**fields),  # type: ignore[arg-type]
                relevant={k: int(v) for k, v in data["relevant"].items()},
                why=data.get("why", ""),
                not_relevant=frozenset(data.get("not_relevant", ())),
            )
        )
    return out


def load_out_of_catalog(path: Path | None = None) -> list[Profile]:
    """Goals nothing in the catalog teaches (pilot, midwife...): the honest answer to them is "nothing fits"."""
    rows = _json_lines(path or eval_path().with_name("out_of_catalog.jsonl"))
    return [Profile(role=data.get("role", ""), goal=data["goal"]) for data in rows]


# --- metrics ---------------------------------------------------------------------------------------------------


def precision_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    top = list(ranked)[:k]
    return sum(1 for r in top if relevant.get(r, 0) > 0) / k


def ndcg_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    gains = [(2 ** relevant.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(list(ranked)[:k])]
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def precision_ceiling(rec: Recommender, items: Sequence[LabelledProfile], today: date, k: int = K) -> float:
    """The best P@k any ranker could reach here: judged-relevant records that pass each profile's hard filters.

    A profile with three relevant records under its budget caps every system at 0.6, however good the ranking."""
    if not items:
        return 0.0
    tops = []
    for item in items:
        mask = rec.allowed(item.profile, today)
        reachable = sum(1 for cid in item.relevant if cid in rec.by_id and mask[rec.by_id[cid]])
        tops.append(min(k, reachable) / k)
    return float(np.mean(tops))


# --- systems ---------------------------------------------------------------------------------------------------

Ranker = Callable[[Profile, date], list[str]]


def _top(rec: Recommender, scores: np.ndarray, mask: np.ndarray, k: int = K) -> list[str]:
    scores = np.where(mask, scores, -np.inf)
    order = np.argsort(-scores)[:k]
    return [rec.credentials[i].id for i in order if np.isfinite(scores[i])]


def tfidf_ranker(rec: Recommender, k: int = K) -> Ranker:
    """Keyword search as catalogs offer it: TF-IDF of what the person typed, with the same hard filters."""

    def rank(profile: Profile, today: date) -> list[str]:
        text = " ".join([profile.goal, profile.role, *profile.skills])
        return _top(rec, rec.lexical.scores(text).astype(np.float64), rec.allowed(profile, today), k)

    return rank


def embedding_ranker(rec: Recommender, k: int = K) -> Ranker:
    """Embeddings only: cosine of the profile query and each credential, same hard filters, nothing else."""

    def rank(profile: Profile, today: date) -> list[str]:
        q = rec.encoder.encode_queries([profile.query_text()])[0]
        return _top(rec, (rec.vectors @ q).astype(np.float64), rec.allowed(profile, today), k)

    return rank


def credbot_ranker(rec: Recommender, runs: dict[Profile, Recommendations] | None = None, k: int = K) -> Ranker:
    """credbot's own top 5; with `runs`, each answer is kept there so that the "nothing fits" count reuses it."""

    def rank(profile: Profile, today: date) -> list[str]:
        result = rec.recommend(profile, today=today, top_k=k)
        if runs is not None:
            runs[profile] = result
        return [p.credential.id for p in result.picks]

    return rank


def unjudged_pool(
    rec: Recommender,
    items: Sequence[LabelledProfile],
    today: date,
    depth: int = 10,
    baseline_depth: int = K,
    variants: Sequence[Weights] = (),
) -> list[tuple[LabelledProfile, Credential]]:
    """TREC-style pooling: credbot's top `depth` (also under each of `variants`, weights about to be tried) and the
    baselines' top `baseline_depth`, per profile, that carry no judgement yet.

    Returned sorted by profile and record id, never by system or rank, so whoever judges them cannot tell which
    system proposed what."""
    systems = [tfidf_ranker(rec, k=baseline_depth), embedding_ranker(rec, k=baseline_depth)]
    weightings = [rec.weights, *variants]
    pooled: dict[str, set[str]] = {item.id: set() for item in items}
    saved = rec.weights
    try:
        for weights in weightings:
            rec.weights = weights
            for item in items:
                pooled[item.id].update(credbot_ranker(rec, k=depth)(item.profile, today))
    finally:
        rec.weights = saved
    for rank in systems:
        for item in items:
            pooled[item.id].update(rank(item.profile, today))
    out: list[tuple[LabelledProfile, Credential]] = []
    for item in items:
        for cid in sorted(pooled[item.id] - item.judged):
            out.append((item, rec.credentials[rec.by_id[cid]]))
    return out


@dataclass(frozen=True)
class SystemScore:
    system: str
    split: str
    profiles: int
    precision: float
    ndcg: float
    time_fit: float
    skill_coverage: float
    catalog_coverage: float
    judged: float = 1.0  # share of the top 5 that carries a judgement; unjudged picks count as not relevant


def skill_gaps(rec: Recommender, items: Sequence[LabelledProfile]) -> dict[Profile, tuple[str, ...]]:
    """Each profile's missing skills as credbot reads them: the same gap for every system's coverage column."""
    return {i.profile: rec.read(i.profile).targeting.missing_skills for i in items}


def score_system(
    name: str,
    rank: Ranker,
    rec: Recommender,
    items: Sequence[LabelledProfile],
    split: str,
    today: date,
    gaps: Mapping[Profile, Sequence[str]] | None = None,
) -> SystemScore:
    """`gaps` (from skill_gaps) saves re-reading every profile when several systems are scored on the same items."""
    gaps = skill_gaps(rec, items) if gaps is None else gaps
    by_id: dict[str, Credential] = {c.id: c for c in rec.credentials}
    precisions, ndcgs, cover, judged = [], [], [], []
    fit, timed = 0, 0
    seen: set[str] = set()
    for item in items:
        ranked = rank(item.profile, today)
        seen.update(ranked)
        precisions.append(precision_at_k(ranked, item.relevant))
        judged_ids = item.judged
        judged.append(sum(1 for r in ranked[:K] if r in judged_ids) / K)
        ndcgs.append(ndcg_at_k(ranked, item.relevant))
        available = item.profile.available_hours(today)
        if available is not None:
            for cid in ranked:
                timed += 1
                fit += by_id[cid].hours <= available + 1e-9
        missing = gaps[item.profile]
        if missing:
            taught = {s for cid in ranked for s in by_id[cid].skills}
            cover.append(sum(1 for m in missing if any(words_match(m, s) for s in taught)) / len(missing))
    n = len(items)
    return SystemScore(
        system=name,
        split=split,
        profiles=n,
        precision=float(np.mean(precisions)) if n else 0.0,
        ndcg=float(np.mean(ndcgs)) if n else 0.0,
        time_fit=fit / timed if timed else 1.0,
        skill_coverage=float(np.mean(cover)) if cover else 0.0,
        catalog_coverage=len(seen) / max(len(rec.credentials), 1),
        judged=float(np.mean(judged)) if n else 0.0,
    )


@dataclass(frozen=True)
class EvalReport:
    scores: tuple[SystemScore, ...]
    weights: Weights
    catalog_size: int
    labelled: int
    ceilings: tuple[tuple[str, float], ...] = ()  # (split, best reachable P@5)
    judgements: int = 0  # graded + explicitly not-relevant (profile, credential) pairs
    hedges: tuple[tuple[str, int, int], ...] = ()  # (goals, told "nothing fits", how many goals)

    def ceiling(self, split: str) -> float:
        return dict(self.ceilings).get(split, 1.0)

    def table(self) -> str:
        return markdown_table(HEADERS, _rows(self.scores))

    def get(self, system: str, split: str) -> SystemScore:
        found = next((s for s in self.scores if s.system == system and s.split == split), None)
        if found is None:
            raise KeyError(f"no {system} row for split {split!r}")
        return found


def _rows(scores: Sequence[SystemScore]) -> list[list[Any]]:
    return [
        [
            s.split,
            s.system,
            s.profiles,
            s.precision,
            s.ndcg,
            s.time_fit,
            s.skill_coverage,
            s.catalog_coverage,
            s.judged,
        ]
        for s in scores
    ]


HEADERS = ["split", "system", "profiles", "P@5", "nDCG@5", "time-fit", "skill cov.", "catalog cov.", "judged@5"]


# Rows of the report: "untuned" (every profile the weights never saw) is the one the targets are judged on.
SPLITS: dict[str, frozenset[str]] = {
    "untuned": frozenset({"heldout", "fresh", "fresh2"}),
    "heldout": frozenset({"heldout"}),
    "fresh": frozenset({"fresh"}),
    "fresh2": frozenset({"fresh2"}),
    "tune": frozenset({"tune"}),
    "all": frozenset({"heldout", "fresh", "fresh2", "tune"}),
}


def run_evaluation(
    rec: Recommender,
    *,
    today: date,
    items: Sequence[LabelledProfile] | None = None,
    weights: Weights | None = None,
    outside: Sequence[Profile] | None = None,
) -> EvalReport:
    items = list(items) if items is not None else load_labelled(today=today)
    if weights is not None:
        rec.weights = weights
    runs: dict[Profile, Recommendations] = {}
    systems = [
        ("credbot", credbot_ranker(rec, runs)),
        ("tf-idf", tfidf_ranker(rec)),
        ("embeddings-only", embedding_ranker(rec)),
    ]
    scores = []
    ceilings = []
    gaps = skill_gaps(rec, items)
    for split, members in SPLITS.items():
        chosen = [i for i in items if i.split in members]
        if not chosen:
            continue
        ceilings.append((split, precision_ceiling(rec, chosen, today)))
        for name, rank in systems:
            scores.append(score_system(name, rank, rec, chosen, split, today, gaps))
    judgements = sum(len(i.judged) for i in items)
    served = load_out_of_catalog(eval_path().with_name("out_of_catalog_served.jsonl")) if outside is None else ()
    hedges = hedge_counts(rec, items, load_out_of_catalog() if outside is None else outside, today, runs, served)
    return EvalReport(tuple(scores), rec.weights, len(rec.credentials), len(items), tuple(ceilings), judgements, hedges)


def hedge_counts(
    rec: Recommender,
    items: Sequence[LabelledProfile],
    outside: Sequence[Profile],
    today: date,
    runs: Mapping[Profile, Recommendations] | None = None,
    served: Sequence[Profile] = (),
) -> tuple[tuple[str, int, int], ...]:
    """How often the "nothing really fits" answer is given: wanted for goals outside the catalog (the listed ones,
    and labelled profiles with no judged-relevant record), wrong for labelled profiles that have one. `runs` holds
    answers the credbot ranker already gave for the same day; only the others are computed."""

    def weak(profile: Profile) -> bool:
        done = runs.get(profile) if runs is not None else None
        return (done or rec.recommend(profile, today=today, top_k=K)).weak

    unserved = [*outside, *(i.profile for i in items if not i.relevant)]
    rows = [("outside the catalog (should be told)", sum(map(weak, unserved)), len(unserved))]
    for split in ("tune", "heldout", "fresh", "fresh2"):
        chosen = [i.profile for i in items if i.split == split and i.relevant]
        if chosen:
            rows.append((f"{split} (should not be told)", sum(map(weak, chosen)), len(chosen)))
    if served:  # once outside the catalog, served since it grew (electrician, plumber, welder, truck driver)
        rows.append(("served since the catalog grew (should not be told)", sum(map(weak, served)), len(served)))
    return tuple(rows)


TIME_FIT_TARGET = 0.85


def tune(rec: Recommender, items: Sequence[LabelledProfile], today: date, rounds: int = 2) -> Weights:
    """Coordinate search on the tuning split only; returns the best weights found.

    Weights that keep time-fit at the target (80% of picks fit the stated hours) beat any that do not; among
    those, higher nDCG@5, then P@5. Without that guard the search trades time-fit away for a point of nDCG."""
    tuning = [i for i in items if i.split == "tune"]
    grid = {
        "lexical": [0.0, 0.2, 0.35, 0.5, 0.8],
        "role": [0.0, 0.1, 0.2, 0.4],
        "phrase": [0.0, 0.75, 1.0, 1.5, 2.0],
        "coverage": [0.0, 0.2, 0.45, 0.7, 1.0],
        "time": [0.2, 0.45, 0.8, 1.0, 1.2],
        "level": [0.0, 0.15, 0.3],
        "cost": [0.0, 0.08, 0.2],
        "mmr_lambda": [0.6, 0.75, 0.9, 1.0],
        "goal_mix": [0.5, 0.7, 0.85, 1.0],
        "semantic": [0.7, 1.0, 1.5],
        "focus": [0.6, 1.5],
        "substance": [0.0, 0.3, 0.6, 1.0],
    }
    best = rec.weights

    def value(w: Weights) -> tuple[bool, float, float]:
        rec.weights = w
        s = score_system("credbot", credbot_ranker(rec), rec, tuning, "tune", today)
        return (s.time_fit >= TIME_FIT_TARGET, s.ndcg, s.precision)

    best_value = value(best)
    for _ in range(rounds):
        for name, options in grid.items():
            for option in options:
                candidate = replace(best, **{name: option})  # type: ignore[arg-type]
                v = value(candidate)
                if v > best_value:
                    best, best_value = candidate, v
    rec.weights = best
    return best


def weight_changes(before: Weights, after: Weights) -> list[str]:
    """ "coverage 0.45 -> 0.7" for every weight the search moved."""
    return [
        f"{f.name} {getattr(before, f.name)} -> {getattr(after, f.name)}"
        for f in fields(Weights)
        if getattr(before, f.name) != getattr(after, f.name)
    ]


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    cells = [[str(h) for h in headers]] + [[cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(r)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


SCALE_NOTE = """\
The catalog grew from 370 hand-written records to 5,957 (`credbot catalog build`: 426 curated, 925 Coursera, 957
edX, 3,649 Udemy; see README). Untuned profiles, P@5 / nDCG@5 / time-fit:

| catalog | credbot | TF-IDF | embeddings-only | judged@5 (credbot) |
|---|---|---|---|---|
| 370 records (last session, final) | 0.668 / 0.738 / 90% | 0.516 / 0.551 / 75% | 0.673 / 0.676 / 73% | ~1.00 |
| 5,957 records, before new judgements | 0.413 / 0.506 / 94% | 0.295 / 0.346 / 76% | 0.336 / 0.395 / 69% | 0.55 |
| 5,957 records, judged, weights re-searched | 0.699 / 0.693 / 92% | 0.508 / 0.456 / 75% | 0.679 / 0.610 / 69% | 1.00 |

Before the new judgements about half of every top 5 was a record nobody had judged (counted as a miss), so the
middle row says little. Pooling, as before: credbot's top 10 (with today's weights and with two heavier
`substance` weights about to be tried) and the top 5 of TF-IDF and of embeddings-only, for every one of the 161
profiles; the 1,645 pairs without a judgement were judged blind (records sorted by id, no system named) by seven
judges, each following the profile's written rule and shown a few of its earlier judgements for calibration
(1,645 pairs, 845 found relevant). The weights were then searched again on the tune split only (see
`recommender/scoring.py`), and a second round judged the 176 pairs the new weights newly brought into any top 10
(76 relevant): 1,821 judgements added in all, and every top 5 in the table above carries a judgement.

So at 5,957 records credbot's precision@5 on the untuned profiles rose from 0.668 to 0.699 and its lead over
TF-IDF from +0.15 to +0.19; embeddings-only rose too (0.673 -> 0.679), so credbot is now level with it on P@5
and ahead on nDCG@5 (0.693 vs 0.610) and time-fit (92% vs 69%). The 0.80 target is not met, and the catalog
is no longer the reason: a perfect ranker could reach 0.91 on the untuned profiles under these judgements. What
the judges' notes show instead: the candidates of a vague goal are crowded by thin Udemy titles with no
description that share a word with it ("slide" guitar for slide design, "forecasting" in trading courses for an
inventory planner), near-copies and other-language editions, and this small model still reads paraphrased goals
loosely. Tried on tune and not kept: a `substance` score part (assessed work over video alone), offered to the
weight search at 0-1 and left at 0.

The 17 goals of `eval/out_of_catalog.jsonl` were judged over credbot's top 10 the same
way: four are now served (an electrical pre-apprenticeship, a CDL programme, an AWS welder certification, a
plumbing pre-apprenticeship), so they moved to `eval/out_of_catalog_served.jsonl`, where "nothing fits" is now the
wrong answer, and four goals nothing in the catalog teaches were added (funeral director, farrier, ski instructor,
cabin crew), written before any ranking was looked at.

At this size closeness alone no longer tells an unserved goal from a served one (aeronautics courses sit close
to "become an airline pilot"), and it caught 6 of the 17. Two changes, then, judged on these same goal lists:
the 1,678 ESCO occupations no O*NET code stands for (farrier, sommelier, body artist, astronaut, animal groomer)
became occupations of their own, matched by meaning only, so a goal naming one is read as that job and not as its
nearest O*NET neighbour; and a goal that is mostly about being a job ("become a pastry chef in a hotel kitchen")
is told "nothing fits" when none of the picks' titles or skills holds the most specific word it names the job by
(the one fewest records hold: "pastry", "groom", "pilot") and none teaches a skill the person asked for. A long
goal that names a job in passing ("... so I can move up to buyer") is left to the closeness rule. Result: 15 of
the 17 caught (astronaut and real estate agent licence are not: a space-exploration course and real-estate
courses answer them loosely), with the same 2 of 161 served goals wrongly told so as before. Records in the
language the goal is written in are now preferred when the person set no language (0.3, searched 0-1 on tune):
Spanish editions had crowded English goals; untuned P@5 0.695 -> 0.699.
"""


def render_markdown(report: EvalReport) -> str:
    held = report.get("credbot", "untuned")
    tfidf = report.get("tf-idf", "untuned")
    emb = report.get("embeddings-only", "untuned")
    heldout, heldout_tfidf, heldout_emb = (report.get(s, "heldout") for s in ("credbot", "tf-idf", "embeddings-only"))
    fresh2, fresh2_emb = report.get("credbot", "fresh2"), report.get("embeddings-only", "fresh2")
    w = report.weights
    ceiling = report.ceiling("untuned")
    hedge_table = markdown_table(["goals", 'told "nothing fits"', "of"], [list(row) for row in report.hedges])
    outside_n = report.hedges[0][2] if report.hedges else 0

    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    return f"""# Evaluation

Produced by `credbot eval` on the project's own labelled set (`eval/profiles.jsonl`: {report.labelled} profiles,
{report.judgements} judgements: records graded relevant or found off-goal, a justification for each profile)
over the bundled catalog ({report.catalog_size} credentials). Weights were searched on the `tune` split only
(`credbot eval --tune`). `heldout` was never used to choose weights; `fresh` and `fresh2` were written and judged
after the ranker was finished and had never been seen by it. The targets are judged on `untuned` = heldout + fresh
+ fresh2.

{report.table()}

Best P@5 any ranker could reach under these judgements and each profile's hard filters (budget, format, time when
asked): untuned {ceiling:.3f}, heldout {report.ceiling("heldout"):.3f}, fresh {report.ceiling("fresh"):.3f}, fresh2
{report.ceiling("fresh2"):.3f}, tune {report.ceiling("tune"):.3f}. Some goals
have fewer than five judged-relevant records within the person's limits, and no ranking can fix that.

Untuned (held-out + fresh + fresh2): credbot precision@5 {held.precision:.3f} vs TF-IDF {tfidf.precision:.3f}
(difference {held.precision - tfidf.precision:+.3f}) vs embeddings-only {emb.precision:.3f}; nDCG@5 {held.ndcg:.3f} vs
{tfidf.ndcg:.3f} vs {emb.ndcg:.3f}; picks that fit the stated hours for time-limited profiles: {held.time_fit:.0%}.

Against the targets of the catalog at scale (untuned): precision@5 >= 0.80 — {verdict(held.precision >= 0.8)}
({held.precision:.3f}; the reachable maximum here is {ceiling:.2f}); >= 0.10 above TF-IDF — {verdict(held.precision -
tfidf.precision >= 0.1)} ({held.precision - tfidf.precision:+.3f}); >= embeddings-only — {verdict(held.precision >=
emb.precision)} ({held.precision - emb.precision:+.3f}); time-fit >= 85% — {verdict(held.time_fit >= 0.85)}. The
`heldout` split alone: credbot {heldout.precision:.3f} vs TF-IDF {heldout_tfidf.precision:.3f}
({heldout.precision - heldout_tfidf.precision:+.3f}) vs embeddings-only {heldout_emb.precision:.3f}, reachable maximum
{report.ceiling("heldout"):.2f}.

## The catalog at scale: before and after it grew

{SCALE_NOTE}

## "Nothing really fits"

When no record comes close to a goal, credbot says so and shows the nearest options instead of presenting them as
good picks (`recommender.engine.is_weak_match`). How often it says so, on the labelled goals (which all have
relevant records) and on {outside_n} goals nothing in the catalog teaches (`eval/out_of_catalog.jsonl`: pilot,
midwife, sommelier..., plus labelled profiles for which no record was judged relevant):

{hedge_table}

## What would move precision next

`credbot model tune` fine-tunes all-MiniLM-L6-v2 on the tune split's own judgements (goal -> each relevant
record, 935 pairs, in-batch negatives plus one judged off-goal record each, 1 epoch, about 3 minutes on these 2
cores; another goal's records are the negatives, never the same goal's other relevant ones); `CREDBOT_MODEL_DIR`
switches to it. Measured with it (`credbot eval --no-write`, on the catalog of 361 records): on the 91 untuned
profiles embeddings-only went from P@5 0.670 / nDCG@5 0.665 to 0.730 / 0.729 and credbot from 0.662 / 0.722 to
0.690 / 0.715, with 1-4% of their top 5 not yet judged (counted as misses); training noise is about 0.02.

Whether it should be the default was then checked by two-fold cross-validation on the tune split, so that every
profile is scored by a model that never saw it: fine-tuned on the 40 `t2-` tune profiles and scored on the other
30, then the reverse (P@5, today's weights):

| scored on (model trained on) | embeddings-only: bundled -> tuned | credbot: bundled -> tuned |
|---|---|---|
| 30 tune profiles (the other 40) | 0.633 -> 0.793 | 0.787 -> 0.760 |
| 40 `t2-` profiles (the other 30) | 0.675 -> 0.735 | 0.745 -> 0.720 |

98-99% and 96-98% of the tuned runs' top 5 carry a judgement, so the unjudged picks cannot explain the drop. The
bundled credbot figures are a little optimistic (its weights were chosen on these profiles), but ten weight changes
for the tuned model (semantic 2-3, phrase 1, lexical 0.4, goal mix 0.9, coverage 0.2 and combinations) moved its
P@5 by -0.04 to +0.02 on one fold and -0.02 to +0.005 on the other, never the same way on both. Fine-tuning
teaches the model what credbot's skill-phrase, keyword and coverage components already add: it lifts
embeddings-only to credbot's level, not credbot beyond it. So it stays opt-in. An earlier single split reached
0.800 only with a second query encode per request (goal and role apart, about 1.5x the model time, beyond the p95
target) and on one 30-profile sample.

Five more ranking ideas were measured on the 70 tune profiles with the 370-record catalog (P@5 0.757 / nDCG@5
0.770 before) and none kept: pseudo-relevance feedback (the top 3's mean vector added to the query, weights
0.3-2.0: 0.749-0.760); rescaling the semantic and skill-phrase scores to a fixed spread among each request's
candidates (0.723-0.740); a bonus for records aligned to the matched occupation's O*NET code (0.754-0.760);
keeping only the matched occupation's skills that are close to the goal text (0.726-0.737); counting an
occupation's first-listed skills more in coverage (0.734-0.757).

What would move precision: a stronger reader of paraphrased goals than a 6-layer MiniLM (no other weights can be
installed here), and records for the goals whose best reachable P@5 is below 1 (the ceilings above).

## How the judgements were made

1. Each profile was first judged by reading the whole catalog for it, independently of any ranker: 2 = a strong
   pick for this person, 1 = relevant or adjacent (or core but breaking a stated budget, format, level or time
   limit), unlisted = not relevant. The `why` field of each profile states its rule.
2. Pooling, as in TREC: the top 10 of all three systems were pooled per profile and every record in the pool that
   had no judgement was judged blind (without knowing which system proposed it) by the same rule; a second round
   judged what the final credbot weights newly brought into its top 10. Records found off-goal are kept in
   `not_relevant`, so "judged@5" says how much of each top 5 carries a judgement; an unjudged pick counts as not
   relevant. Pooling added few relevant records: the first pass had been close to complete.
3. The `fresh` profiles were written afterwards by people who had not read the catalog (as real users would not),
   across all of the catalog's fields; each was then judged, with its rule written before reading any record, over
   a pool of the top 15 of all three systems plus the top 10 of credbot and embeddings-only without the person's
   limits (so core records a limit rules out are graded too). Their figures were first computed after the ranker
   was finished; what changed afterwards (speed work, wording of reasons, the no-match note) left every ranking
   unchanged.
4. The fresh goals showed where the catalog was thin, so 39 real records were added for those topics (grant
   writing, greenhouse-gas accounting, GRI/SASB reporting, test automation, Salesforce administration,
   inquiry-based science teaching, CFA Level I, nurse leadership, medical billing, month-end bookkeeping,
   first-time supervision). Each was judged against every one of the 91 profiles then in the set from the profile
   and the record alone, with no ranking shown; new records that a system put in its top 15 and that were judged
   off-goal are in `not_relevant`. A last pooling round judged what the final ranker newly brought into credbot's
   top 10.
5. `fresh2`: 30 more people written after that (by someone who had not read the catalog, across its fields and a
   few unusual roles), each with its rule written first, judged over the same kind of pool (top 15 of the three
   systems with the person's limits, top 10 of credbot and embeddings-only without them) without knowing which
   system proposed what. Its figures were first computed with the ranker as it was then (point 7 added records).
6. The tune split then grew from 30 to 70: 40 more people written and judged the same way (ids `t2-`), so that
   choices are made on more than 30 goals. On the 70, putting the current role into the embedded query lowered
   P@5 (0.763 -> 0.754-0.760 at mixes 0.3-0.7; one combined goal-and-role text 0.720), and a new weight search
   gained 0.006 P@5 / 0.007 nDCG@5 at the cost of 3 points of time-fit: noise, so the weights were kept.
   Reading a goal that names no occupation or known skill as upskilling in the current role ("pass the CCNA this
   year" for a network technician) helped one of the 70 and hurt another ("get on top of my to-do list" for a
   project coordinator): not kept.
7. fresh2 showed three gaps (e-discovery for a litigation paralegal, research data management for a librarian,
   support-centre team leads who read CSAT and handle-time figures), so 9 real records were added (361 -> 370).
   Every one of the 161 profiles was screened against the 9 from the profile and the record alone (7 relevant
   pairs found), then the top 10 of all three systems were pooled again for every profile and the 64 pairs without
   a judgement were judged blind (6 relevant, 58 off-goal).

## Honesty notes

- The held-out half was looked at, before pooling, while making two changes that are not weights (ignoring
  one-word occupation names such as "lead" when reading a goal; leaving the provider name out of the text the model
  embeds), and one held-out profile was read in full while diagnosing the skill-phrase score. Both changes also
  improved the tune half; the skill-phrase score was chosen and weighted on the tune half only. `credbot eval`
  prints every split, so held-out figures were seen as work went on; no weight or rule was chosen by them.
- Profiles are few: one pick is 0.2 / (number of profiles) of P@5, so on ~30 profiles differences under about 0.05
  are noise; the untuned row (heldout + fresh + fresh2, 91 profiles) is the steadiest figure.
- Judgements are one team's reading of the records; the records' own descriptions may be out of date.
- The fresh profiles are a blind test of the ranker, no longer of the catalog: records were added because of what
  they asked for (the ranker never saw them or their judgements). Before the additions (322 records) fresh stood at
  credbot 0.581 / TF-IDF 0.306 / embeddings-only 0.494 P@5, reachable maximum 0.82. The same now holds for
  fresh2 (point 7): before its 9 records it stood at credbot 0.667 / TF-IDF 0.567 / embeddings-only 0.727 P@5,
  reachable maximum 0.833.
- Three later ranking changes were chosen on the tune half only: a leading "learn to" is dropped from the search
  text, the current role counts as keyword context (weight 0.2), and the occupation floor went from 0.55 to 0.50.
  Together they moved tune P@5 0.733 -> 0.773, but untuned only 0.626 -> 0.620 (nDCG 0.687 -> 0.694), measured
  on the 322-record catalog: noise on untuned; they were kept because each removes a visible fault (courses about
  learning itself offered for "learn to manage people"; a role such as "inventory planner" ignored). Later still,
  skills guessed from a goal name each skill once ("grant budget" and "grant budgets" had counted as two gaps): a
  fix, kept although tune P@5 went 0.800 -> 0.787 (nDCG 0.812 -> 0.815); untuned did not move. Two more fixes
  of the same kind came with the 370-record catalog: a skill or occupation named just before a full stop ("... be
  the Scrum Master. I need ...") is now read, and short forms that mostly mean something else in a goal (CSM as
  in Certified ScrumMaster, "6 pm") no longer name an occupation. Tune P@5 0.757 -> 0.754 (nDCG 0.770 -> 0.771);
  untuned did not move. Then, from reading the sandbox chat rather than the figures: "get good at" counts as a
  wish to learn like "get better at" ("good at e-discovery" had read as e-learning developer), and a goal inside
  the person's own occupation (a registered nurse who wants to become a nurse manager) no longer lists that
  occupation's skills as gaps the person has had for years; the goal's own words set the gap. Tune P@5 0.754 ->
  0.751 (nDCG 0.771 -> 0.765), untuned 0.670 -> 0.668 (0.739 -> 0.738): one pick each, kept for what the person
  is told.
- On profiles the weights never saw, credbot's precision@5 is level with embeddings-only ({held.precision:.3f} vs
  {emb.precision:.3f}; fresh2 alone {fresh2.precision:.3f} vs {fresh2_emb.precision:.3f}); credbot leads on nDCG@5
  ({held.ndcg:.3f} vs {emb.ndcg:.3f}), time-fit ({held.time_fit:.0%} vs {emb.time_fit:.0%}) and skill coverage, and
  explains its picks. Embeddings-only embeds goal and current role as one text; putting the role into credbot's
  query the same way lowered the first 30 tune profiles (0.793 -> 0.773-0.780) and the enlarged 70 (point 6), so
  it was not done; fresh2 was not used to decide it. On the 70 tune profiles credbot leads embeddings-only clearly
  (see the table), so the two splits disagree; with 30 profiles a split, that is within what chance allows.

Metrics: P@5 = share of the top 5 judged relevant (grade >= 1); nDCG@5 with gains 2^grade - 1; time-fit = share of
picks, over profiles that state hours per week and a duration, whose hours fit hours_per_week x weeks; skill cov. =
share of the profile's missing target skills (the gap credbot reads from the goal, the same for every system)
taught by at least one of the 5 picks; catalog cov. = distinct
credentials recommended across the split / catalog size; judged@5 = share of the top 5 with a judgement. TF-IDF
and embeddings-only get the same hard filters (budget, format) as credbot, so the comparison is about ranking, not
filtering.

Weights used: semantic {w.semantic}, lexical {w.lexical}, role {w.role}, skill phrase {w.phrase}, coverage {w.coverage},
time {w.time}, level {w.level}, cost {w.cost}, format {w.format}, focus {w.focus}, goal mix {w.goal_mix},
MMR lambda {w.mmr_lambda}, provider cap {w.provider_cap} (defined, with the reasons for each hand-set one, in
`recommender/scoring.py`).
"""

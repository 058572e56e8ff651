"""The evaluation harness (recommender.evaluation): metrics, the labelled set, and the tune/held-out discipline."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from catalog.occupations import load_occupations
from catalog.repository import load_bundled
from recommender.engine import Recommendations, Recommender
from recommender.evaluation import (
    LabelledProfile,
    credbot_ranker,
    hedge_counts,
    load_labelled,
    load_out_of_catalog,
    ndcg_at_k,
    precision_at_k,
    precision_ceiling,
    skill_gaps,
    tune,
    weight_changes,
)
from recommender.profile import Profile
from recommender.scoring import DEFAULT_WEIGHTS
from tests.fakes import FakeEncoder, sample_catalog

TODAY = date(2026, 12, 1)


# -- metrics -----------------------------------------------------------------------------------------------------
def test_precision_counts_graded_items_in_the_top_k_only() -> None:
    relevant = {"a": 2, "b": 1, "z": 2}
    assert precision_at_k(["a", "x", "b", "y", "w", "z"], relevant) == pytest.approx(2 / 5)
    assert precision_at_k([], relevant) == 0.0


def test_precision_over_a_short_list_still_divides_by_k() -> None:
    assert precision_at_k(["a"], {"a": 2}) == pytest.approx(1 / 5)


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise() -> None:
    relevant = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b", "x"], relevant) == pytest.approx(1.0)
    assert 0 < ndcg_at_k(["b", "a", "x"], relevant) < 1.0
    assert ndcg_at_k(["x", "y"], relevant) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0


def test_weight_changes_names_only_what_moved() -> None:
    moved = replace(DEFAULT_WEIGHTS, phrase=DEFAULT_WEIGHTS.phrase + 1, provider_cap=3)
    changes = weight_changes(DEFAULT_WEIGHTS, moved)
    assert len(changes) == 2
    assert changes[0].startswith("phrase ")
    assert changes[1] == f"provider_cap {DEFAULT_WEIGHTS.provider_cap} -> 3"
    assert weight_changes(DEFAULT_WEIGHTS, DEFAULT_WEIGHTS) == []


# -- the labelled set --------------------------------------------------------------------------------------------
def test_labelled_set_is_large_split_and_justified() -> None:
    items = load_labelled(today=TODAY)
    assert len(items) >= 40
    splits = {i.split for i in items}
    assert splits == {"tune", "heldout", "fresh", "fresh2"}
    assert min(sum(1 for i in items if i.split == s) for s in splits) >= 20
    assert len({i.id for i in items}) == len(items)
    for item in items:
        assert item.why.strip(), item.id
        assert set(item.relevant.values()) <= {1, 2}, item.id
        assert not set(item.relevant) & item.not_relevant, item.id


def test_every_judged_id_is_in_the_bundled_catalog() -> None:
    ids = {c.id for c in load_bundled().credentials}
    for item in load_labelled(today=TODAY):
        assert set(item.relevant) <= ids, item.id
        assert item.not_relevant <= ids, item.id


def test_labelled_set_spans_the_catalogs_fields() -> None:
    bundled = {c.id: c for c in load_bundled().credentials}
    domains = json.loads((Path(__file__).resolve().parents[2] / "catalog" / "data" / "domains.json").read_text())
    owner = {cid: d for d, members in domains.items() for cid in members}
    fields_hit = {owner[c] for i in load_labelled(today=TODAY) for c in i.relevant if c in owner and c in bundled}
    assert len(fields_hit) >= 8


# -- tuning never reads the held-out half ------------------------------------------------------------------------
def _item(pid: str, split: str, goal: str, relevant: dict[str, int]) -> LabelledProfile:
    return LabelledProfile(pid, split, Profile(goal=goal), relevant, "test")


def test_tune_ignores_held_out_labels() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    tuning = [_item("t1", "tune", "data analysis with sql", {"a-sql": 2}), _item("t2", "tune", "python", {})]
    held_a = [_item("h1", "heldout", "web development", {"e-frontend": 2})]
    held_b = [_item("h1", "heldout", "web development", {"b-ml": 2, "a-tableau": 1})]
    first = tune(engine, tuning + held_a, TODAY, rounds=1)
    engine.weights = DEFAULT_WEIGHTS
    second = tune(engine, tuning + held_b, TODAY, rounds=1)
    assert first == second


def test_precision_ceiling_counts_only_what_passes_the_hard_filters() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    free = [c.id for c in sample_catalog() if c.cost == 0]
    paid = [c.id for c in sample_catalog() if c.cost > 0]
    item = LabelledProfile("p", "tune", Profile(goal="x", budget=0), dict.fromkeys(free[:1] + paid, 2), "t")
    assert precision_ceiling(engine, [item], TODAY) == pytest.approx(1 / 5)
    unconstrained = replace(item, profile=Profile(goal="x"))
    assert precision_ceiling(engine, [unconstrained], TODAY) == pytest.approx(min(5, 1 + len(paid)) / 5)


def test_hedge_counts_cover_outside_goals_and_every_split() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    items = [
        _item("t", "tune", "sql for data analysis", {"a-sql": 2}),
        _item("h", "heldout", "tableau dashboards", {"a-tableau": 2}),
        _item("u", "heldout", "qqq zzz", {}),  # nothing judged relevant: counted with the goals outside the catalog
    ]
    outside = [Profile(goal="zzz qqq"), Profile(goal="sql for data analysis")]
    rows = hedge_counts(engine, items, outside, TODAY)
    assert [r[0].split(" (")[0] for r in rows] == ["outside the catalog", "tune", "heldout"]  # no fresh items
    assert rows[0][1:] == (2, 3)  # gibberish is told nothing fits; a catalog topic is not
    assert rows[1][1:] == (0, 1) and rows[2][1:] == (0, 1)


def test_hedge_counts_reuse_the_answers_the_credbot_ranker_already_gave() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    items = [_item("t", "tune", "sql for data analysis", {"a-sql": 2})]
    runs: dict[Profile, Recommendations] = {}
    credbot_ranker(engine, runs)(items[0].profile, TODAY)
    assert list(runs) == [items[0].profile] and not runs[items[0].profile].weak
    # a kept answer is read, not recomputed: one that said "nothing fits" is counted as such
    runs[items[0].profile] = replace(runs[items[0].profile], weak=True)
    rows = hedge_counts(engine, items, [], TODAY, runs)
    assert rows[1] == ("tune (should not be told)", 1, 1)
    assert hedge_counts(engine, items, [], TODAY)[1] == ("tune (should not be told)", 0, 1)


def test_skill_gaps_are_the_gap_the_ranker_reads_from_the_goal_topic() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    plain = _item("a", "tune", "sql for data analysis", {})
    wish = _item("b", "tune", "learn to use sql for data analysis", {})
    gaps = skill_gaps(engine, [plain, wish])
    assert gaps[wish.profile] == engine.read(wish.profile).targeting.missing_skills
    assert engine.read(wish.profile).text == "use sql for data analysis"
    assert "sql" in gaps[plain.profile] and "sql" in gaps[wish.profile]


def test_out_of_catalog_goals_load_as_profiles() -> None:
    goals = load_out_of_catalog()
    assert len(goals) >= 15
    assert all(isinstance(g, Profile) and g.goal for g in goals)


def test_the_report_renders_every_split_and_the_no_match_table() -> None:
    from recommender.evaluation import render_markdown, run_evaluation

    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    items = [
        _item(f"{split}-1", split, goal, {cid: 2})
        for split, goal, cid in [
            ("tune", "sql for data analysis", "a-sql"),
            ("heldout", "tableau dashboards", "a-tableau"),
            ("fresh", "python for data analysis", "b-python-data"),
            ("fresh2", "running productive meetings", "c-meetings"),
        ]
    ]
    report = run_evaluation(engine, today=TODAY, items=items, outside=[Profile(goal="zzz qqq")])
    text = render_markdown(report)
    for split in ("untuned", "heldout", "fresh", "fresh2", "tune", "all"):
        assert f"| {split} " in text
    assert '## "Nothing really fits"' in text and "| outside the catalog (should be told) | 1 " in text
    with pytest.raises(KeyError, match="no credbot row for split 'nowhere'"):
        report.get("credbot", "nowhere")

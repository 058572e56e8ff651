"""Varied top-k (recommender.diversity.mmr) and learning from reactions (recommender.feedback.learn)."""

import numpy as np

from recommender.diversity import mmr
from recommender.feedback import event_for, learn
from recommender.profile import FeedbackEvent
from tests.fakes import credential


def orthogonal(n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)


# -- mmr ---------------------------------------------------------------------------------------------------------
def test_provider_cap_lets_another_provider_in() -> None:
    scores = np.array([1.0, 0.9, 0.8, 0.1])
    providers = ["A", "A", "A", "B"]
    picks = mmr(scores, orthogonal(4), providers, 3, provider_cap=2)
    assert picks == [0, 1, 3]


def test_provider_cap_is_relaxed_when_nothing_else_is_left() -> None:
    scores = np.array([1.0, 0.9, 0.8, 0.7])
    picks = mmr(scores, orthogonal(4), ["A"] * 4, 3, provider_cap=2)
    assert picks == [0, 1, 2]


def test_near_copies_give_way_to_something_different() -> None:
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)
    scores = np.array([1.0, 0.99, 0.95, 0.0])
    picks = mmr(scores, vectors, ["A", "B", "C", "D"], 2, lam=0.75, provider_cap=5)
    assert picks == [0, 2]


def test_without_diversity_pressure_it_is_plain_ranking() -> None:
    vectors = np.ones((4, 2), dtype=np.float32) / np.sqrt(2)
    scores = np.array([0.2, 0.9, 0.5, 0.7])
    assert mmr(scores, vectors, ["A", "B", "C", "D"], 4, lam=1.0, provider_cap=5) == [1, 3, 2, 0]


def test_returns_k_distinct_indices_or_all_when_fewer() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((12, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = rng.random(12)
    providers = [f"p{i % 3}" for i in range(12)]
    five = mmr(scores, vectors, providers, 5)
    assert len(five) == len(set(five)) == 5
    assert all(0 <= i < 12 for i in five)
    everything = mmr(scores, vectors, providers, 50)
    assert sorted(everything) == list(range(12))


def test_empty_input_or_zero_k() -> None:
    assert mmr(np.zeros(0), np.zeros((0, 4), dtype=np.float32), [], 5) == []
    assert mmr(np.ones(3), orthogonal(3), ["A", "B", "C"], 0) == []


# -- feedback ----------------------------------------------------------------------------------------------------
SQL_BEGINNER = credential(id="sql-1", provider="Acme", skills=["sql", "databases"], level="beginner")
SQL_INTERMEDIATE = credential(id="sql-2", provider="Other", skills=["SQL", "query tuning"], level="intermediate")
SQL_OTHER_BEGINNER = credential(id="sql-0", provider="Other", skills=["sql"], level="beginner")
UNRELATED = credential(id="baking", provider="Bakers", skills=["bread"], level="beginner")


def test_disliked_enrolled_and_completed_are_hidden_but_liked_is_not() -> None:
    model = learn(
        [
            FeedbackEvent("a", "dislike"),
            FeedbackEvent("b", "enrolled"),
            FeedbackEvent("c", "completed"),
            FeedbackEvent("d", "like"),
        ]
    )
    assert model.hidden == frozenset({"a", "b", "c"})


def test_no_feedback_changes_nothing() -> None:
    model = learn([])
    assert model.hidden == frozenset()
    assert model.adjustment(SQL_BEGINNER) == 0.0


def test_disliked_provider_lowers_its_other_credentials() -> None:
    disliked = credential(id="x", provider="Acme", skills=["knitting"])
    model = learn([event_for(disliked, "dislike")])
    same_provider = credential(id="y", provider="Acme", skills=["gardening"])
    assert model.adjustment(same_provider) < 0
    assert model.adjustment(UNRELATED) == 0


def test_liked_provider_raises_its_other_credentials() -> None:
    liked = credential(id="x", provider="Acme", skills=["knitting"])
    model = learn([event_for(liked, "like")])
    assert model.adjustment(credential(id="y", provider="Acme", skills=["gardening"])) > 0


def test_many_dislikes_are_capped() -> None:
    disliked = [credential(id=f"x{i}", provider="Acme", skills=["knitting"]) for i in range(20)]
    model = learn(event_for(c, "dislike") for c in disliked)
    assert model.adjustment(disliked[0]) >= -0.3


def test_completed_beginner_favours_the_next_level_on_that_skill() -> None:
    model = learn([event_for(SQL_BEGINNER, "completed")])
    assert "sql-1" in model.hidden
    assert model.adjustment(SQL_INTERMEDIATE) > model.adjustment(SQL_OTHER_BEGINNER)
    assert model.adjustment(SQL_INTERMEDIATE) > model.adjustment(UNRELATED)

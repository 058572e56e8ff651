"""Fine-tuning data and the tuned-model switch, without loading the model (recommender.finetune, encoder)."""

import json
from pathlib import Path

import pytest

from recommender.encoder import MODEL_ID, TUNED_MANIFEST, ModelDirError, SentenceTransformerEncoder
from recommender.evaluation import LabelledProfile
from recommender.finetune import data_digest, training_pairs
from recommender.profile import Profile
from tests.fakes import sample_catalog

CATALOG = {c.id: c for c in sample_catalog()}


def _item(split: str, goal: str, relevant: dict[str, int], off: frozenset[str] = frozenset()) -> LabelledProfile:
    return LabelledProfile(f"{split}-{goal}", split, Profile(goal=goal), relevant, "rule", off)


def test_pairs_come_from_the_tune_split_only_strong_picks_twice() -> None:
    items = [
        _item("tune", "learn to write SQL", {"a-sql": 2, "c-excel": 1, "gone-record": 2}, frozenset({"c-meetings"})),
        _item("heldout", "tableau dashboards", {"a-tableau": 2}),
        _item("fresh", "python", {"b-python-data": 2}),
    ]
    pairs = training_pairs(items, CATALOG)
    assert [p.positive for p in pairs].count(CATALOG["a-sql"].document_text()) == 2
    assert [p.positive for p in pairs].count(CATALOG["c-excel"].document_text()) == 1
    assert len(pairs) == 3  # the unknown id is skipped; held-out and fresh labels are never read
    assert {p.query for p in pairs} == {"write SQL"}  # read as the recommender reads the goal
    assert {p.negative for p in pairs} == {CATALOG["c-meetings"].document_text()}


def test_pairs_without_judged_negatives_rely_on_the_batch() -> None:
    pairs = training_pairs([_item("tune", "sql", {"a-sql": 1})], CATALOG)
    assert len(pairs) == 1 and pairs[0].negative is None


def test_pairs_are_the_same_for_the_same_seed_and_negatives_vary_with_it() -> None:
    off = frozenset({"c-meetings", "d-leadership", "e-frontend"})
    items = [_item("tune", "sql", {"a-sql": 2, "c-excel": 2}, off)]
    first = training_pairs(items, CATALOG, seed=3)
    assert first == training_pairs(items, CATALOG, seed=3)
    assert any(training_pairs(items, CATALOG, seed=s) != first for s in range(10))
    assert {p.negative for p in first} <= {CATALOG[c].document_text() for c in off}


def test_other_pairs_of_the_same_goal_are_not_counted_as_wrong_answers() -> None:
    from recommender.finetune import Pair, not_negatives

    batch = [Pair("sql", "doc-a", "doc-x"), Pair("sql", "doc-b", None), Pair("python", "doc-a", None)]
    mask = not_negatives(batch, 4)  # 3 positives + 1 negative column
    assert mask[0].tolist() == [False, True, True, False]  # same goal; and the same record again
    assert mask[1].tolist() == [True, False, False, False]
    assert mask[2].tolist() == [True, False, False, False]


def test_the_tuned_model_id_changes_with_data_and_settings() -> None:
    pairs = training_pairs([_item("tune", "sql", {"a-sql": 2})], CATALOG)
    base = data_digest(pairs, {"epochs": 1})
    assert base == data_digest(pairs, {"epochs": 1})
    assert base != data_digest(pairs, {"epochs": 2})
    assert base != data_digest(pairs[:1], {"epochs": 1})


def test_a_directory_without_a_tuned_model_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelDirError, match="credbot model tune"):
        SentenceTransformerEncoder(str(tmp_path))


def test_credbot_model_dir_selects_the_tuned_model_and_its_own_cache_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / TUNED_MANIFEST).write_text(json.dumps({"model_id": f"{MODEL_ID}+tuned-abc"}), encoding="utf-8")
    monkeypatch.setenv("CREDBOT_MODEL_DIR", str(tmp_path))
    encoder = SentenceTransformerEncoder()
    assert encoder.model_id == f"{MODEL_ID}+tuned-abc" and not encoder.loaded  # nothing loaded yet
    monkeypatch.delenv("CREDBOT_MODEL_DIR")
    assert SentenceTransformerEncoder().model_id == MODEL_ID
